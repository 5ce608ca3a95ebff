// The durable benchmark's world: its own throwaway database on the PostgreSQL server, one
// region / LA / school, one HR officer of the LA, and the one-user-task process.
import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import { systemAccess } from '../db/access.js';
import { Database } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { insertOrganisations, insertUser } from '../db/repositories/organisations.js';

export const serverUrl = (): string => process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const WORLD = {
  region: 'bench-region',
  la: 'bench-la',
  school: 'bench-school',
  user: 'bench-hr-officer',
  role: 'education-hr-officer',
  processKey: 'bench-task',
};

/** start → one user task → end. */
export const MODEL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="bench-defs" targetNamespace="https://camau.cymru/bench">
  <bpmn:process id="${WORLD.processKey}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:userTask id="review" name="Review" />
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>
`;

export interface BenchDb {
  name: string;
  url: string;
  /** A connection to the benchmark database as the owner, for sizes and checks (no RLS: superuser). */
  owner: Knex;
  drop(): Promise<void>;
}

/** Creates, migrates and seeds a database of its own; `drop` removes it (and only it). */
export async function createBenchDb(): Promise<BenchDb> {
  const base = new URL(serverUrl());
  const name = `camau_bench_${randomBytes(8).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: base.toString(), pool: { min: 0, max: 1 } });
  await admin.raw(`create database ${name}`);
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  const owner = knexFactory({ client: 'pg', connection: url.toString(), pool: { min: 0, max: 2 } });
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await owner.destroy();
    await admin.raw(`drop database if exists ${name} with (force)`);
    await admin.destroy();
  };
  try {
    const db = Database.open({ url: url.toString(), poolMax: 2 });
    try {
      await migrate(db.knex);
      await db.transaction(systemAccess('bench seed'), async (trx) => {
        await insertOrganisations(trx, [{ id: WORLD.region, kind: 'region', name: 'Bench region' }]);
        await insertOrganisations(trx, [{ id: WORLD.la, kind: 'la', name: 'Bench LA', parent_id: WORLD.region }]);
        await insertOrganisations(trx, [{ id: WORLD.school, kind: 'school', name: 'Bench school', parent_id: WORLD.la, category: 'community' }]);
        await insertUser(trx, { id: WORLD.user, display_name: 'Bench HR officer' }, [{ role: WORLD.role, organisation_id: WORLD.la }]);
      });
    } finally {
      await db.close();
    }
  } catch (e) {
    await drop();
    throw e;
  }
  return { name, url: url.toString(), owner, drop };
}

/**
 * The tables a case's data lives in: `cases` and every table with a `case_id` column that
 * references it (history, projections, outbox, ... as the migrations define them).
 */
export async function caseTables(owner: Knex): Promise<string[]> {
  const r = await owner.raw(`
    select distinct c.relname as t
    from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
    where k.contype = 'f' and p.relname = 'cases' and c.relname <> 'cases' and c.relnamespace = 'public'::regnamespace
    order by 1`);
  return ['cases', ...(r.rows as Array<{ t: string }>).map((x) => x.t)];
}

/** pg_total_relation_size (heap + TOAST + indexes, free space and dead versions included) of each table. */
export async function tableSizes(owner: Knex, tables: string[]): Promise<Record<string, number>> {
  const r = await owner.raw(`select t, pg_total_relation_size(t::regclass)::bigint as n from unnest(?::text[]) as t`, [tables]);
  return Object.fromEntries((r.rows as Array<{ t: string; n: string }>).map((x) => [x.t, Number(x.n)]));
}

/** Sum of pg_column_size of the live rows of the cases with this business key, per table. */
export async function rowBytes(owner: Knex, tables: string[], businessKey: string): Promise<{ cases: number; bytes: Record<string, number>; rows: Record<string, number> }> {
  const bytes: Record<string, number> = {};
  const rows: Record<string, number> = {};
  for (const t of tables) {
    const where = t === 'cases' ? `business_key = ?` : `case_id in (select id from cases where business_key = ?)`;
    const r = await owner.raw(`select count(*)::int as n, coalesce(sum(pg_column_size(t.*)), 0)::bigint as b from ${t} t where ${where}`, [businessKey]);
    bytes[t] = Number(r.rows[0].b);
    rows[t] = r.rows[0].n;
  }
  return { cases: rows.cases, bytes, rows };
}

/** MultiXact ids allocated so far (as of the last checkpoint): shared row locks taken by several transactions at once. */
export async function nextMultixact(owner: Knex): Promise<number> {
  await owner.raw('checkpoint');
  const r = await owner.raw('select next_multixact_id::text::bigint as n from pg_control_checkpoint()');
  return Number(r.rows[0].n);
}
