// Procedure names in the page's language: a BPMN process's name (written "Cymraeg / English" in
// the bundled models), or a statechart's name from the dictionaries, else its key.
import { systemAccess } from '../../db/access.js';
import { latestProcedures } from '../../db/repositories/definitions.js';
import type { Runtime } from '../../runtime/runtime.js';
import { hasKey, translator, type Lang } from '../i18n.js';
import { bilingual } from '../orgs.js';

const read = systemAccess('web: procedures');
const names = new Map<string, string | undefined>();

export interface Procedure {
  key: string;
  version: number;
  kind: string;
  id: string;
}

/** The latest version of every startable procedure (not DMN decisions). */
export async function procedures(rt: Runtime): Promise<Procedure[]> {
  const rows = await rt.db.transaction(read, (trx) => latestProcedures(trx));
  return rows.map((r) => ({ id: String(r.id), key: r.key, version: r.version, kind: r.kind }));
}

async function rawName(rt: Runtime, p: Procedure): Promise<string | undefined> {
  const cacheKey = p.id;
  if (names.has(cacheKey)) return names.get(cacheKey);
  let name: string | undefined;
  if (p.kind === 'bpmn') {
    const def = await rt.db.transaction(read, (trx) => rt.definitions.byId(trx, p.id)).catch(() => undefined);
    if (def?.kind === 'bpmn') name = def.compiled.processes[p.key]?.name;
  }
  names.set(cacheKey, name);
  return name;
}

export async function procedureNames(rt: Runtime, lang: Lang): Promise<Map<string, string>> {
  const t = translator(lang);
  const out = new Map<string, string>();
  for (const p of await procedures(rt)) {
    const raw = await rawName(rt, p);
    out.set(p.key, raw ? bilingual(raw, lang) : hasKey(lang, `procedure.${p.key}`) ? t(`procedure.${p.key}`) : p.key);
  }
  return out;
}
