// Server-side cost of each statement of a command, for the durable benchmark's profile: the
// statements traced from one real start-case + complete-task are replayed (same SQL, same
// bindings, a fresh case id) with EXPLAIN (ANALYZE) in a transaction that is rolled back,
// once acting as the traced user (row-level security on) and once as the table owner (a
// superuser: no RLS). Planning and execution time come from PostgreSQL; execution includes
// triggers (the foreign-key checks), which are also shown apart.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { statements } from '../db/sql.js';
import { shape, type TracedQuery } from './durable-trace.js';

export interface StatementCost {
  sql: string;
  planMs: number;
  execMs: number;
  /** Trigger time inside execMs (foreign-key checks, the append-only trigger never fires on INSERT). */
  triggerMs: number;
  triggers: string[];
}

export interface ReplayCost {
  /** As the traced user: role camau_app, tenant settings (RLS on). */
  app: StatementCost[];
  /** As the owner, no role switch (a superuser: RLS bypassed). */
  owner: StatementCost[];
}

interface ExplainJson {
  'Planning Time': number;
  'Execution Time': number;
  Triggers?: Array<{ 'Trigger Name': string; Relation?: string; Time: number; Calls: number }>;
}

const isTxControl = (sql: string) => /^(BEGIN|COMMIT|ROLLBACK);?$/i.test(sql.trim());

/**
 * One entry per statement: a command sends several statements in one simple query (values
 * written in, no bindings), which EXPLAIN takes one at a time.
 */
function unbatch(queries: TracedQuery[]): TracedQuery[] {
  return queries.flatMap((q) => (q.bindings.length > 0 ? [q] : statements(q.sql).map((sql) => ({ ...q, sql }))));
}
const isSetConfig = (sql: string) => /^select set_config\(/i.test(sql.trim());

async function replayOnce(client: pg.Client, queries: TracedQuery[], caseId: string | undefined, asApp: boolean): Promise<StatementCost[]> {
  const fresh = randomUUID();
  const map = (b: unknown) => (caseId !== undefined && b === caseId ? fresh : b);
  const out: StatementCost[] = [];
  await client.query('BEGIN');
  try {
    for (const q of unbatch(queries)) {
      if (isTxControl(q.sql)) continue;
      const values = q.bindings.map(map);
      // Batched statements carry the case id written in.
      const sql = caseId !== undefined ? q.sql.replaceAll(caseId, fresh) : q.sql;
      if (isSetConfig(q.sql)) {
        if (asApp) await client.query(sql, values);
        continue;
      }
      const r = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, values);
      const plan = (r.rows[0]['QUERY PLAN'] as ExplainJson[])[0];
      const triggers = plan.Triggers ?? [];
      out.push({
        sql: shape(q.sql),
        planMs: plan['Planning Time'],
        execMs: plan['Execution Time'],
        triggerMs: triggers.reduce((a, t) => a + t.Time, 0),
        triggers: triggers.map((t) => `${t['Trigger Name']}${t.Relation ? ` on ${t.Relation}` : ''} ×${t.Calls}`),
      });
    }
  } finally {
    await client.query('ROLLBACK');
  }
  return out;
}

function mean(runs: StatementCost[][]): StatementCost[] {
  return runs[0].map((s, i) => ({
    ...s,
    planMs: runs.reduce((a, r) => a + r[i].planMs, 0) / runs.length,
    execMs: runs.reduce((a, r) => a + r[i].execMs, 0) / runs.length,
    triggerMs: runs.reduce((a, r) => a + r[i].triggerMs, 0) / runs.length,
  }));
}

/**
 * Replays `queries` (one case's statements, start and complete in order, as traced) `times`
 * times each way; `caseId` is the traced case's id, replaced by a fresh one in each replay (none
 * for statements that create no case).
 */
export async function explainReplay(url: string, queries: TracedQuery[], caseId: string | undefined, times: number): Promise<ReplayCost> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const app: StatementCost[][] = [];
    const owner: StatementCost[][] = [];
    for (let i = 0; i < 3; i++) await replayOnce(client, queries, caseId, true);
    for (let i = 0; i < times; i++) {
      app.push(await replayOnce(client, queries, caseId, true));
      owner.push(await replayOnce(client, queries, caseId, false));
    }
    return { app: mean(app), owner: mean(owner) };
  } finally {
    await client.end();
  }
}
