// Organisation names in the page's language, read once a minute (the table is small and
// changes rarely), and the users' display names.
import type { Knex } from 'knex';
import { systemAccess } from '../db/access.js';
import type { OrganisationRow } from '../db/repositories/organisations.js';
import type { Runtime } from '../runtime/runtime.js';
import type { Lang } from './i18n.js';

const read = systemAccess('web: names');

export interface Directory {
  orgs: Map<string, OrganisationRow>;
  users: Map<string, { id: string; display_name: string; language: string; email: string | null }>;
}

let cached: { at: number; db: unknown; dir: Promise<Directory> } | undefined;

export function directory(rt: Runtime, now = Date.now()): Promise<Directory> {
  if (cached && cached.db === rt.db && now - cached.at < 60_000) return cached.dir;
  const dir = rt.db.transaction(read, async (trx: Knex) => ({
    orgs: new Map((await trx<OrganisationRow>('organisations').select('*')).map((o) => [o.id, o])),
    users: new Map((await trx('users').select('id', 'display_name', 'language', 'email')).map((u) => [u.id, u])),
  }));
  cached = { at: now, db: rt.db, dir };
  dir.catch(() => { cached = undefined; });
  return dir;
}

/** Forget the cached names (after a sign-in of a user the cache has not seen). */
export function forgetDirectory(): void {
  cached = undefined;
}

export function orgName(dir: Directory, id: string | null | undefined, lang: Lang): string {
  if (!id) return '';
  const o = dir.orgs.get(id);
  if (!o) return id;
  return lang === 'cy' && o.name_cy ? o.name_cy : o.name;
}

/** A name written "Welsh / English" (as the bundled models name their elements), in one language. */
export function bilingual(name: string | undefined | null, lang: Lang, names?: Record<string, string> | null): string {
  if (names?.[lang]) return names[lang];
  if (!name) return '';
  const parts = name.split(' / ');
  if (parts.length === 2) return lang === 'cy' ? parts[0] : parts[1];
  return name;
}
