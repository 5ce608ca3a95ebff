// What an element asks, from its model: `camau:documentation lang="cy|en"` inside the element's
// extension elements, else its `bpmn:documentation` (the bundled models write Welsh, a blank
// line, then English). Read from the BPMN source, once per definition.
import { systemAccess } from '../../db/access.js';
import { getDefinition } from '../../db/repositories/definitions.js';
import type { Runtime } from '../../runtime/runtime.js';
import type { Lang } from '../i18n.js';

const cache = new Map<string, Map<string, { cy?: string; en?: string; plain?: string }>>();

const decode = (s: string) => s
  .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
  .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
  .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
  .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')
  .trim();

export function parseDocs(source: string): Map<string, { cy?: string; en?: string; plain?: string }> {
  const out = new Map<string, { cy?: string; en?: string; plain?: string }>();
  const open = /<(?:[\w-]+:)?(?:userTask|task|manualTask|callActivity|subProcess|process)\b[^>]*\bid="([^"]+)"[^>]*>/g;
  for (let m = open.exec(source); m; m = open.exec(source)) {
    const start = m.index + m[0].length;
    // The element's own documentation and extension elements come before any child element.
    const rest = source.slice(start, start + 20000);
    const stop = rest.search(/<(?:[\w-]+:)?(?:incoming|outgoing|startEvent|userTask|task|sequenceFlow|subProcess|serviceTask|scriptTask|endEvent|exclusiveGateway|parallelGateway)\b/);
    const head = stop >= 0 ? rest.slice(0, stop) : rest;
    const entry: { cy?: string; en?: string; plain?: string } = {};
    for (const d of head.matchAll(/<camau:documentation\s+lang="(cy|en)"\s*>([\s\S]*?)<\/camau:documentation>/g)) entry[d[1] as Lang] = decode(d[2]);
    const plain = /<(?:[\w-]+:)?documentation\b[^>]*>([\s\S]*?)<\/(?:[\w-]+:)?documentation>/.exec(head);
    if (plain && !plain[0].startsWith('<camau:')) entry.plain = decode(plain[1]);
    if (entry.cy || entry.en || entry.plain) out.set(m[1], entry);
  }
  return out;
}

export async function elementDocs(rt: Runtime, definitionId: string, kind: string): Promise<Map<string, { cy?: string; en?: string; plain?: string }>> {
  if (kind !== 'bpmn') return new Map();
  let docs = cache.get(definitionId);
  if (!docs) {
    const row = await rt.db.transaction(systemAccess('web: docs'), (trx) => getDefinition(trx, definitionId));
    docs = parseDocs(row?.source ?? '');
    cache.set(definitionId, docs);
  }
  return docs;
}

export function docIn(entry: { cy?: string; en?: string; plain?: string } | undefined, lang: Lang): string | undefined {
  if (!entry) return undefined;
  if (entry[lang]) return entry[lang];
  if (!entry.plain) return undefined;
  const parts = entry.plain.split(/\n\s*\n/);
  return parts.length === 2 ? parts[lang === 'cy' ? 0 : 1] : entry.plain;
}
