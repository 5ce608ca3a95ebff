// The demo region and its cases (issue 6 item 7) on PostgreSQL: four LAs whose schools of every
// category have 2026/27 term dates, a user for every role with each language preference, and
// every demo case left at the stage it describes, its history intact; a second run adds nothing.
import { readdirSync } from 'node:fs';
import { systemAccess } from '../../db/access.js';
import { activeElements } from '../../engine/inspect.js';
import { ALL_ROLES } from '../../api/permissions.js';
import { verifyCase } from '../../runtime/commands/history.js';
import { calendarsFor } from '../../workflows/calendars/index.js';
import { bundledCalendars } from '../../workflows/calendars/runtime.js';
import { DEMO_CASES, seedDemoCases } from '../../workflows/demo/cases.js';
import { DEMO, DEMO_USERS, seedDemo } from '../../workflows/demo/seed.js';
import { deployBundled } from '../../workflows/deploy.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { testRuntime } from '../helpers/runtime.js';
import { DefinitionCache } from '../../runtime/definitions.js';
import { bundledMachines } from '../../workflows/machines/index.js';

let t: TestDb;
let rt: ReturnType<typeof testRuntime>;

beforeAll(async () => {
  t = await createTestDb('pg');
  rt = { ...testRuntime(t.db), definitions: new DefinitionCache(bundledMachines) };
  // As `camau seed-demo` does.
  await seedDemo(t.db);
  await deployBundled(rt);
}, 60_000);
afterAll(() => t?.drop());

const all = (q: (trx: any) => Promise<any>): Promise<any> => t.db.transaction(systemAccess('test'), q);

it('is a region of four LAs with 2026/27 term dates and twelve schools of every category', async () => {
  const las = await all((trx) => trx('organisations').where({ kind: 'la', parent_id: DEMO.region }));
  expect(las).toHaveLength(4);
  const schools = await all((trx) => trx('organisations').where({ kind: 'school' }).whereIn('parent_id', las.map((l: any) => l.id)));
  expect(schools).toHaveLength(12);
  expect(new Set(schools.map((s: any) => s.category))).toEqual(new Set(['community', 'voluntary-controlled', 'voluntary-aided', 'foundation']));
  for (const la of las) {
    const key = bundledCalendars.keyFor(la);
    expect([la.id, key]).toEqual([la.id, expect.any(String)]);
    // A school day in each term of 2026/27 is known (counting reaches it without leaving the data).
    const cal = calendarsFor({ laId: key! })('school-days')!;
    expect(cal.add('2026-09-01T09:00:00.000Z', { years: 0, months: 0, weeks: 38, days: 0, hours: 0, minutes: 0, seconds: 0 }).ok).toBe(true);
  }
});

it('has a user for every role, two challenge advisers, and every language preference', async () => {
  const held = new Set(DEMO_USERS.flatMap((u) => u.roles.map(([r]) => r)));
  for (const role of ALL_ROLES) expect([role, held.has(role)]).toEqual([role, true]);
  expect(DEMO_USERS.filter((u) => u.roles.some(([r]) => r === 'challenge-adviser'))).toHaveLength(2);
  for (const la of Object.values(DEMO.las)) {
    expect([la, DEMO_USERS.some((u) => u.roles.some(([r, o]) => r === 'la-employer' && o === la))]).toEqual([la, true]);
    expect([la, DEMO_USERS.some((u) => u.roles.some(([r, o]) => r === 'education-hr-officer' && o === la))]).toEqual([la, true]);
  }
  expect(new Set(DEMO_USERS.map((u) => u.language))).toEqual(new Set(['cy', 'en', 'both']));
  const users = await all((trx) => trx('users').whereIn('id', DEMO_USERS.map((u) => u.id)));
  expect(users).toHaveLength(DEMO_USERS.length);
});

it('starts every demo case and drives it to its stage, with a history that verifies; a second run adds nothing', async () => {
  const first = await seedDemoCases(rt);
  expect(first.every((c) => c.created)).toBe(true);
  // Every bundled BPMN workflow has a demo case.
  const bundled = readdirSync(new URL('../../workflows/bpmn/', import.meta.url)).filter((f) => f.endsWith('.bpmn')).map((f) => f.replace(/\.bpmn$/, ''));
  expect(new Set(DEMO_CASES.map((c) => c.workflow))).toEqual(new Set(bundled));
  for (const { demo, caseId } of first) {
    const row = await all((trx) => trx('cases').where({ id: caseId }).first());
    expect([demo.ref, activeElements(row.snapshot)]).toEqual([demo.ref, [...demo.waiting].sort()]);
    expect([demo.ref, row.status]).toEqual([demo.ref, demo.waiting.length ? 'active' : 'completed']);
    expect([demo.ref, await all((trx) => trx('incidents').where({ case_id: caseId, status: 'open' }))]).toEqual([demo.ref, []]);
    const v = await verifyCase(rt, systemAccess('test'), caseId);
    expect([demo.ref, v.ok && v.value.ok]).toEqual([demo.ref, true]);
  }
  const count = async () => Number((await all((trx) => trx('cases').count('* as n')))[0].n);
  const before = await count();
  const second = await seedDemoCases(rt);
  expect(second.map((c) => [c.caseId, c.created])).toEqual(first.map((c) => [c.caseId, false]));
  expect(await count()).toBe(before);
}, 120_000);
