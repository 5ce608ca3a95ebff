// The audit timeline: every event with its actor, time and hash; replay to any event (?at=seq,
// server-side, redrawing the diagram's markers for that state); verify the hash chain; export
// the bundle that `camau verify --bundle` checks offline.
import type Router from '@koa/router';
import { z } from 'zod';
import { readEvents } from '../../db/repositories/events.js';
import { stateAt, verifyHistory, type HistoryEvent } from '../../engine/audit/index.js';
import { activeElements } from '../../engine/index.js';
import { holds } from '../../api/permissions.js';
import { orgsOf } from '../../api/cases-repo.js';
import { caseSummary } from '../../api/views.js';
import { caseFor, requireCap } from '../data/case.js';
import { diagramXml, markersFor } from '../data/diagram.js';
import { elementNames } from '../data/elements.js';
import { procedureNames } from '../data/procedures.js';
import { pageOf, type WebDeps } from '../page.js';
import { render } from '../render.js';

const Query = z.object({
  at: z.coerce.number().int().min(0).optional().catch(undefined),
  verify: z.string().max(10).optional().catch(undefined),
});

/** The element an event is about: `el` in its payload, or the element of its element instance. */
function elementOf(e: HistoryEvent, els: Map<string, string>): string | undefined {
  const p = e.payload as Record<string, unknown>;
  if (typeof p.el === 'string') {
    if (typeof p.eid === 'string') els.set(p.eid, p.el);
    return p.el;
  }
  if (typeof p.eid === 'string') return els.get(p.eid);
  const nested = (p.timer ?? p.incident ?? p.sub) as { el?: string } | undefined;
  return nested?.el;
}

export function historyRoutes(router: Router, deps: WebDeps): void {
  const { rt } = deps;

  router.get('/cases/:id/history', async (ctx) => {
    const { user, lang, t } = pageOf(ctx);
    const c = await caseFor(rt, user!, ctx.params.id);
    requireCap(holds(user!, 'history.read', orgsOf(c)));
    const q = Query.parse(ctx.query);
    const events = await rt.db.transaction(user!.access, (trx) => readEvents(trx, c.id));
    const at = Math.min(q.at ?? events.length, events.length);
    const state = stateAt(events, at);
    const els = new Map<string, string>();
    const rows = events.map((e) => ({ ...e, element: elementOf(e, els) }));
    const [names, xml, elName] = await Promise.all([procedureNames(rt, lang), c.snapshot.def.kind === 'bpmn' ? diagramXml(rt, String(c.definition_id), lang) : null, elementNames(rt, String(c.definition_id), lang)]);
    const procedure = names.get(c.definition_key) ?? c.definition_key;
    render(ctx, 'history', {
      title: t('history.title', { procedure }), current: 'cases', c, procedure, elName,
      events: rows, at, of: events.length,
      state: at > 0 ? { status: state.status, active: activeElements(state), completed: Object.keys(state.done).sort(), variables: Object.entries(state.vars).map(([k, v]) => ({ k, v: typeof v === 'string' ? v : JSON.stringify(v) })) } : undefined,
      verified: q.verify ? verifyHistory(events, c.snapshot, { seq: c.last_seq, hash: c.last_hash }) : undefined,
      diagram: xml ? { xml, markers: at > 0 ? markersFor(state, lang, t) : { done: [], active: [], incident: [], overlays: [] }, label: t('diagram.labelAt', { procedure, seq: at }) } : undefined,
    });
  });

  router.get('/cases/:id/export', async (ctx) => {
    const { user } = pageOf(ctx);
    const c = await caseFor(rt, user!, ctx.params.id);
    requireCap(holds(user!, 'history.read', orgsOf(c)));
    const events = await rt.db.transaction(user!.access, (trx) => readEvents(trx, c.id));
    ctx.set('Content-Disposition', `attachment; filename="case-${c.id}.json"`);
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'application/json';
    ctx.body = JSON.stringify({ format: 'camau-case-bundle/1', exportedAt: rt.clock.now(), case: caseSummary(c), head: { seq: c.last_seq, hash: c.last_hash }, snapshot: c.snapshot, events }, null, 2);
  });
}
