// The BPMN diagram of a case for bpmn-js: the deployed source, laid out automatically when it
// has no diagram interchange (bpmn-auto-layout), with element names in the page's language;
// and the markers for a state: completed, active and failed elements, with due dates beside
// the active ones and the open timers.
import { systemAccess } from '../../db/access.js';
import { getDefinition } from '../../db/repositories/definitions.js';
import { activeElements, openWaits, type InstanceState } from '../../engine/index.js';
import type { Runtime } from '../../runtime/runtime.js';
import { formatDateTime } from '../format.js';
import type { Lang, Translate } from '../i18n.js';

const cache = new Map<string, Promise<string | null>>();

/**
 * Models written by hand often leave out the `incoming` / `outgoing` references that Camunda
 * Modeler writes; bpmn-auto-layout follows those, so they are filled in from the sequence flows.
 */
async function linkFlows(source: string): Promise<string> {
  const { BpmnModdle } = await import('bpmn-moddle');
  const moddle = new BpmnModdle();
  const { rootElement } = await moddle.fromXML(source) as unknown as { rootElement: Record<string, any> };
  const visit = (container: { flowElements?: Array<Record<string, any>> }) => {
    for (const el of container.flowElements ?? []) {
      if (el.$type === 'bpmn:SequenceFlow') {
        const link = (node: Record<string, any> | undefined, prop: 'incoming' | 'outgoing') => {
          if (!node) return;
          node[prop] = node[prop] ?? [];
          if (!node[prop].includes(el)) node[prop].push(el);
        };
        link(el.sourceRef, 'outgoing');
        link(el.targetRef, 'incoming');
      }
      if (el.flowElements) visit(el);
    }
  };
  for (const root of (rootElement as unknown as { rootElements: Array<Record<string, any>> }).rootElements ?? []) {
    if (root.$type === 'bpmn:Process') visit(root);
  }
  return (await (moddle as unknown as { toXML(e: unknown): Promise<{ xml: string }> }).toXML(rootElement)).xml;
}

async function withLayout(source: string): Promise<string | null> {
  if (/<(?:[\w-]+:)?BPMNShape\b/.test(source)) return source;
  try {
    const mod = (await import('bpmn-auto-layout' as string)) as { layoutProcess(xml: string): Promise<string> };
    return await mod.layoutProcess(await linkFlows(source));
  } catch {
    return null;
  }
}

/** Element names from `camau:name lang=".."`, by element id. */
function camauNames(source: string, lang: Lang): Map<string, string> {
  const out = new Map<string, string>();
  const open = /<(?:[\w-]+:)?\w+\b[^>]*\bid="([^"]+)"[^>]*>/g;
  for (let m = open.exec(source); m; m = open.exec(source)) {
    const head = source.slice(m.index + m[0].length, m.index + m[0].length + 4000);
    const ext = /^\s*(?:<(?:[\w-]+:)?documentation\b[\s\S]*?<\/(?:[\w-]+:)?documentation>\s*)?<(?:[\w-]+:)?extensionElements>([\s\S]*?)<\/(?:[\w-]+:)?extensionElements>/.exec(head);
    const name = ext && new RegExp(`<camau:name\\s+lang="${lang}"\\s*>([^<]*)</camau:name>`).exec(ext[1]);
    if (name) out.set(m[1], name[1]);
  }
  return out;
}

const escapeAttr = (s: string) => s.replace(/&(?![a-z#0-9]+;)/gi, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** Names in one language: a camau:name for that language, or the half of a "Cymraeg / English" name. */
export function localiseNames(xml: string, lang: Lang): string {
  const names = camauNames(xml, lang);
  return xml.replace(/<((?:[\w-]+:)?\w+)\b([^>]*)>/g, (tag: string, _n: string, attrs: string) => {
    const id = /\bid="([^"]+)"/.exec(attrs)?.[1];
    if (!/\bname="/.test(attrs)) return tag;
    if (id && names.has(id)) return tag.replace(/\bname="[^"]*"/, `name="${escapeAttr(names.get(id)!)}"`);
    return tag.replace(/\bname="([^"]*?) \/ ([^"]*)"/, (_m, cy: string, en: string) => `name="${lang === 'cy' ? cy : en}"`);
  });
}

export async function diagramXml(rt: Runtime, definitionId: string, lang: Lang): Promise<string | null> {
  const key = `${definitionId}|${lang}`;
  let p = cache.get(key);
  if (!p) {
    p = (async () => {
      const row = await rt.db.transaction(systemAccess('web: diagram'), (trx) => getDefinition(trx, definitionId));
      if (!row || row.kind !== 'bpmn') return null;
      const laid = await withLayout(row.source);
      return laid ? localiseNames(laid, lang) : null;
    })();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

export interface Markers {
  done: string[];
  active: string[];
  incident: string[];
  overlays: Array<{ id: string; text: string; kind: 'due' | 'timer' }>;
}

export function markersFor(state: InstanceState, lang: Lang, t: Translate): Markers {
  const incident = [...new Set(Object.values(state.incidents).map((i) => i.el).filter((x): x is string => !!x))];
  const active = [...new Set([...activeElements(state), ...Object.values(state.elements).filter((e) => e.wait?.kind === 'call').map((e) => e.el)])].sort();
  const overlays: Markers['overlays'] = [];
  for (const e of openWaits(state)) {
    if (e.wait?.kind === 'userTask' && e.wait.task.dueAt) overlays.push({ id: e.el, kind: 'due', text: t('diagram.due', { when: formatDateTime(e.wait.task.dueAt, lang) }) });
  }
  for (const tm of Object.values(state.timers)) overlays.push({ id: tm.el, kind: 'timer', text: t('diagram.timer', { when: formatDateTime(tm.dueAt, lang) }) });
  return { done: Object.keys(state.done).filter((id) => !active.includes(id)), active, incident, overlays };
}
