// What an auditor or an attacker could try by hand with psql against a database camau migrated
// (PostgreSQL only: PGlite has no second session). A plain `pg` client, not the runtime:
// - as camau_app with LA B's tenant set, a hand-written SELECT * shows none of LA A's rows;
// - as the owner, an UPDATE or DELETE of history is refused by the trigger;
// - with the trigger switched off, an altered row and a deleted row are both named by verify.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Access } from '../../db/access.js';
import { accessFor } from '../../runtime/access.js';
import { completeTask } from '../../runtime/commands/complete-task.js';
import { deployBpmn } from '../../runtime/commands/deploy-definition.js';
import { startCase, type StartCase } from '../../runtime/commands/start-case.js';
import { verifyCase } from '../../runtime/commands/history.js';
import { openWaits } from '../../engine/index.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ORG, PEOPLE, seed, USERS } from '../helpers/seed.js';
import { testRuntime } from '../helpers/runtime.js';
import { caseRow, durableModel, eventSeqs, SYSTEM } from './durable-checks.js';

const CASE_TABLES = ['cases', 'case_events', 'tasks', 'timers', 'subscriptions', 'incidents', 'outbox'];

describe('tenancy and history by hand, on pg', () => {
  let t: TestDb;
  let rt: ReturnType<typeof testRuntime>;
  let client: pg.Client;
  let hrA: Access;
  let hrB: Access;
  const inA: string[] = [];
  const inB: string[] = [];

  async function start(access: Access, input: Partial<StartCase>): Promise<string> {
    const r = await startCase(rt, access, { definitionKey: 'mixed', variables: { caseRef: 'T' }, actor: { userId: 'tester' }, ...input });
    if (!r.ok) throw new Error(r.error.message);
    // One more command, so each case has a history of several commands.
    const classify = openWaits(r.value.state).find((e) => e.el === 'classify')!;
    const done = await completeTask(rt, access, r.value.caseId, classify.id, { route: 'a' }, { actor: { userId: 'tester' } });
    if (!done.ok) throw new Error(done.error.message);
    return r.value.caseId;
  }

  beforeAll(async () => {
    t = await createTestDb('pg');
    await seed(t.db);
    rt = testRuntime(t.db);
    hrA = (await accessFor(rt, USERS.hrA)).access;
    hrB = (await accessFor(rt, USERS.hrB)).access;
    expect((await deployBpmn(rt, durableModel('mixed.bpmn'), USERS.adminUser)).ok).toBe(true);
    inA.push(await start(hrA, { schoolId: ORG.schoolA }), await start(hrA, { subjectPersonId: PEOPLE.teacherA }), await start(hrA, { schoolId: ORG.schoolA2 }), await start(hrA, { schoolId: ORG.schoolA }));
    inB.push(await start(hrB, { schoolId: ORG.schoolB }), await start(hrB, { subjectPersonId: PEOPLE.teacherB }));
    client = new pg.Client({ connectionString: t.ownerUrl });
    await client.connect();
  }, 60_000);
  afterAll(async () => {
    await client?.end();
    await t?.drop();
  });

  const q = async (sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows;

  it('as camau_app with LA B as tenant, SELECT * returns none of LA A\'s rows, in any table', async () => {
    await q('set role camau_app');
    try {
      await q(`select set_config('camau.tenant_ids', $1, false)`, [ORG.laB]);
      const cases = await q('select * from cases');
      expect(cases.map((c) => c.id).sort()).toEqual([...inB].sort());
      expect(new Set(cases.map((c) => c.tenant_id))).toEqual(new Set([ORG.laB]));
      for (const table of CASE_TABLES.slice(1)) {
        const rows = await q(`select * from ${table}`);
        expect({ table, leaked: rows.filter((r) => inA.includes(r.case_id)) }).toEqual({ table, leaked: [] });
        expect({ table, some: rows.length > 0 || table === 'incidents' }).toEqual({ table, some: true });
      }
      // Asking for LA A's rows by name does not help.
      expect(await q('select * from cases where tenant_id = $1', [ORG.laA])).toEqual([]);
      expect(await q('select * from case_events where case_id = any($1::uuid[])', [inA])).toEqual([]);
      expect(await q(`select * from people where la_id = $1 and kind = 'staff'`, [ORG.laA])).toEqual([]);
      // Nor does writing to them: the update matches no row, the insert fails the policy.
      expect((await client.query(`update cases set status = 'hijacked' where id = $1`, [inA[0]])).rowCount).toBe(0);
      const row = await caseRow(t.db, inA[0]);
      await expect(client.query(`insert into cases (id, definition_id, tenant_id, subject_kind, employer, status, snapshot, version) values (gen_random_uuid(), $1, $2, 'school', 'la', 'active', '{}', 1)`, [row.definition_id, ORG.laA])).rejects.toThrow(/row-level security/);
      // The history cannot be changed by the application role at all.
      await expect(client.query(`update case_events set type = 'forged' where case_id = $1`, [inB[0]])).rejects.toThrow(/permission denied/);
      await expect(client.query(`delete from case_events where case_id = $1`, [inB[0]])).rejects.toThrow(/permission denied/);
      // With no tenant set (a missing check in code), nothing at all is visible.
      await q(`select set_config('camau.tenant_ids', '', false)`);
      for (const table of CASE_TABLES) expect({ table, rows: await q(`select * from ${table}`) }).toEqual({ table, rows: [] });
      // LA A's session sees its own cases and none of LA B's.
      await q(`select set_config('camau.tenant_ids', $1, false)`, [ORG.laA]);
      expect((await q('select id from cases')).map((c) => c.id).sort()).toEqual([...inA].sort());
    } finally {
      await q('reset role');
      await q(`select set_config('camau.tenant_ids', '', false)`);
    }
    expect(await caseRow(t.db, inA[0])).toMatchObject({ status: 'active' });
  });

  it('as the owner, UPDATE, DELETE and TRUNCATE of history are refused by the trigger', async () => {
    expect((await q('select current_user, current_setting(\'role\') as role'))[0].role).toBe('none');
    await expect(client.query(`update case_events set type = 'forged' where case_id = $1 and seq = 2`, [inA[0]])).rejects.toThrow(/case_events is append-only: UPDATE is not allowed/);
    await expect(client.query(`delete from case_events where case_id = $1 and seq = 2`, [inA[0]])).rejects.toThrow(/case_events is append-only: DELETE is not allowed/);
    await expect(client.query('truncate case_events cascade')).rejects.toThrow(/append-only/);
    for (const id of [...inA, ...inB]) {
      const v = await verifyCase(rt, SYSTEM, id);
      expect(v.ok && v.value.ok).toBe(true);
    }
  });

  it('with the trigger switched off, verify names an altered row (hash) and a deleted row (gap) by seq', async () => {
    const [altered, deleted, intact] = [inA[0], inA[1], inA[2]];
    expect((await eventSeqs(t.db, altered)).length).toBeGreaterThanOrEqual(5);
    expect((await eventSeqs(t.db, deleted)).length).toBeGreaterThanOrEqual(5);
    await q('alter table case_events disable trigger case_events_no_update');
    try {
      const u = await client.query(`update case_events set payload = jsonb_set(payload, '{forged}', 'true') where case_id = $1 and seq = 3`, [altered]);
      expect(u.rowCount).toBe(1);
      const d = await client.query('delete from case_events where case_id = $1 and seq = 4', [deleted]);
      expect(d.rowCount).toBe(1);
    } finally {
      await q('alter table case_events enable trigger case_events_no_update');
    }
    const a = await verifyCase(rt, SYSTEM, altered);
    expect(a.ok && a.value).toMatchObject({ ok: false, seq: 3, reason: 'hash' });
    const b = await verifyCase(rt, hrA, deleted);
    expect(b.ok && b.value).toMatchObject({ ok: false, seq: 4, reason: 'gap' });
    const c = await verifyCase(rt, hrA, intact);
    expect(c.ok && c.value).toMatchObject({ ok: true });

    // The same from the command line an auditor would use.
    const bin = fileURLToPath(new URL('../../bin/camau.js', import.meta.url));
    const cli = (id: string) => spawnSync(process.execPath, [bin, 'verify', id], { env: { ...process.env, DATABASE_URL: t.ownerUrl }, encoding: 'utf8', timeout: 60_000 });
    const broken = cli(altered);
    expect({ status: broken.status, out: broken.stdout }).toEqual({ status: 1, out: expect.stringContaining('BROKEN at seq 3 (hash)') });
    const gap = cli(deleted);
    expect({ status: gap.status, out: gap.stdout }).toEqual({ status: 1, out: expect.stringContaining('BROKEN at seq 4 (gap)') });
    const ok = cli(intact);
    expect({ status: ok.status, out: ok.stdout }).toEqual({ status: 0, out: expect.stringContaining('intact') });
  }, 60_000);
});
