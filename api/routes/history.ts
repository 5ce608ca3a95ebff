// History for auditors: the events, the state at any event, verification, and an export
// bundle that `camau verify --bundle` checks offline.
import { z } from 'zod';
import { readEvents } from '../../db/repositories/events.js';
import { stateAt, verifyHistory } from '../../engine/audit/index.js';
import { activeElements } from '../../engine/index.js';
import type { Services } from '../context.js';
import { ApiError } from '../errors.js';
import { require } from '../permissions.js';
import { loadCase, orgsOf } from '../cases-repo.js';
import { caseSummary } from '../views.js';
import { pageNumber, Registry } from '../route.js';

export function historyRoutes(reg: Registry, { rt }: Services): void {
  const events = async (access: Parameters<typeof loadCase>[1], caseId: string) => rt.db.transaction(access, (trx) => readEvents(trx, caseId));

  reg.route({
    method: 'get', path: '/cases/:id/events', tag: 'history', summary: 'A page of the case history, with hashes',
    query: z.object({ from: pageNumber.default(1), limit: z.coerce.number().int().min(1).max(500).default(100) }).strict(),
    responses: { 200: { description: 'Events in seq order' } },
    handler: async (ctx, { params, query }) => {
      const c = await loadCase(rt, ctx.state.user.access, params.id);
      require(ctx.state.user, 'history.read', orgsOf(c));
      const items = await rt.db.transaction(ctx.state.user.access, (trx) => readEvents(trx, c.id, { fromSeq: query.from, limit: query.limit }));
      ctx.body = { items, next: items.length === query.limit ? query.from + query.limit : null };
    },
  });

  reg.route({
    method: 'get', path: '/cases/:id/state', tag: 'history', summary: 'The case replayed to event `at` (default: the last)',
    query: z.object({ at: z.coerce.number().int().min(0).max(1_000_000).optional() }).strict(),
    responses: { 200: { description: 'The state at that event' }, 400: { description: 'No such event' } },
    handler: async (ctx, { params, query }) => {
      const c = await loadCase(rt, ctx.state.user.access, params.id);
      require(ctx.state.user, 'history.read', orgsOf(c));
      const all = await events(ctx.state.user.access, c.id);
      const at = query.at ?? all.length;
      if (at > all.length) throw new ApiError('VALIDATION_FAILED', `The case has ${all.length} events; there is no event ${at}`);
      const s = stateAt(all, at);
      ctx.body = { seq: at, of: all.length, status: s.status, active: activeElements(s), completed: s.done, variables: s.vars, timers: Object.values(s.timers), incidents: Object.values(s.incidents) };
    },
  });

  reg.route({
    method: 'get', path: '/cases/:id/verify', tag: 'history', summary: "Recompute the case's hash chain and replay it against the stored state",
    responses: { 200: { description: '{ ok: true } or the first broken seq and why' } },
    handler: async (ctx, { params }) => {
      const c = await loadCase(rt, ctx.state.user.access, params.id);
      require(ctx.state.user, 'history.read', orgsOf(c));
      ctx.body = verifyHistory(await events(ctx.state.user.access, c.id), c.snapshot, { seq: c.last_seq, hash: c.last_hash });
    },
  });

  reg.route({
    method: 'get', path: '/cases/:id/export', tag: 'history', summary: 'A JSON bundle of the case, its history and hashes, verifiable offline',
    responses: { 200: { description: 'The bundle' } },
    handler: async (ctx, { params }) => {
      const c = await loadCase(rt, ctx.state.user.access, params.id);
      require(ctx.state.user, 'history.read', orgsOf(c));
      const all = await events(ctx.state.user.access, c.id);
      ctx.set('Content-Disposition', `attachment; filename="case-${c.id}.json"`);
      ctx.body = { format: 'camau-case-bundle/1', exportedAt: rt.clock.now(), case: caseSummary(c), head: { seq: c.last_seq, hash: c.last_hash }, snapshot: c.snapshot, events: all };
    },
  });
}
