// Deployed definitions: each (key, version) is immutable; deploying the same source again
// returns the version that already holds it.
import type { Knex } from 'knex';
import type { DefinitionRow } from './rows.js';

export interface NewDefinition {
  key: string;
  kind: DefinitionRow['kind'];
  flavour?: string;
  source: string;
  hash: string;
  deployedBy?: string;
}

export async function findByHash(trx: Knex, key: string, hash: string): Promise<DefinitionRow | undefined> {
  return trx<DefinitionRow>('definitions').where({ key, hash }).first();
}

export async function insertDefinition(trx: Knex, d: NewDefinition): Promise<{ row: DefinitionRow; created: boolean }> {
  // Serialise deployments of one key so two deploys never pick the same version.
  await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`definition:${d.key}`]);
  const existing = await findByHash(trx, d.key, d.hash);
  if (existing) return { row: existing, created: false };
  const row = await trx<DefinitionRow>('definitions').where({ key: d.key }).max('version as v').first();
  const version = Number((row as unknown as { v: number | null })?.v ?? 0) + 1;
  const [inserted] = await trx<DefinitionRow>('definitions')
    .insert({ key: d.key, version, kind: d.kind, flavour: d.flavour ?? null, source: d.source, hash: d.hash, deployed_by: d.deployedBy ?? null })
    .returning('*');
  return { row: inserted, created: true };
}

export async function getDefinition(trx: Knex, id: string | number): Promise<DefinitionRow | undefined> {
  return trx<DefinitionRow>('definitions').where('id', String(id)).first();
}

export async function latestDefinition(trx: Knex, key: string, version?: number): Promise<DefinitionRow | undefined> {
  const q = trx<DefinitionRow>('definitions').where({ key });
  return version === undefined ? q.orderBy('version', 'desc').first() : q.andWhere({ version }).first();
}

/**
 * The latest version of each named DMN decision, or of every deployed decision when no keys are
 * given (without its source, which the caller has usually compiled already).
 */
export async function latestDecisions(trx: Knex, keys?: string[]): Promise<Array<Omit<DefinitionRow, 'source'>>> {
  if (keys?.length === 0) return [];
  const q = trx('definitions').distinctOn('key').select('id', 'key', 'version', 'kind', 'flavour', 'hash', 'deployed_by', 'deployed_at').where('kind', 'dmn');
  if (keys) q.whereIn('key', keys);
  return q.orderBy([{ column: 'key' }, { column: 'version', order: 'desc' }]);
}

/** The latest version of every startable procedure (not DMN decisions), without its source. */
export async function latestProcedures(trx: Knex): Promise<Array<Pick<DefinitionRow, 'id' | 'key' | 'version' | 'kind'>>> {
  return trx('definitions as d')
    .whereNot('d.kind', 'dmn')
    .whereRaw('d.version = (select max(v.version) from definitions v where v.key = d.key)')
    .orderBy('d.key').select('d.id', 'd.key', 'd.version', 'd.kind');
}

export async function listDefinitions(trx: Knex): Promise<Array<Omit<DefinitionRow, 'source'>>> {
  return trx('definitions').select('id', 'key', 'version', 'kind', 'flavour', 'hash', 'deployed_by', 'deployed_at').orderBy([{ column: 'key' }, { column: 'version', order: 'desc' }]);
}
