// workflows/deploy.ts, run at every `camau serve`: the bundled decisions (workflows/dmn) are
// deployed before the models that call them, deploying again changes nothing, and a table an LA
// deployed in place of the bundled one stays the latest version across restarts.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { latestDefinition } from '../../db/repositories/definitions.js';
import { ManualClock } from '../../runtime/clock.js';
import { deployDmn } from '../../runtime/commands/deploy-definition.js';
import { DefinitionCache } from '../../runtime/definitions.js';
import type { Runtime } from '../../runtime/runtime.js';
import { bundledCalendars } from '../../workflows/calendars/runtime.js';
import { deployBundled } from '../../workflows/deploy.js';
import { bundledMachines } from '../../workflows/machines/index.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { SYSTEM } from './durable-checks.js';

const TABLE = readFileSync(new URL('../../workflows/dmn/absence-trigger.dmn', import.meta.url), 'utf8');

let t: TestDb;
let rt: Runtime;
beforeAll(async () => {
  t = await createTestDb('pg');
  rt = { db: t.db, clock: new ManualClock('2026-11-02T09:00:00.000Z'), definitions: new DefinitionCache(bundledMachines), newId: randomUUID, calendars: bundledCalendars };
}, 60_000);
afterAll(async () => t?.drop());

it('deploys the decisions first, then the models; again, nothing changes; an LA table stays the latest', async () => {
  const first = await deployBundled(rt);
  expect(first.indexOf('absence-trigger v1')).toBeGreaterThanOrEqual(0);
  expect(first.indexOf('absence-trigger v1')).toBeLessThan(first.indexOf('sickness-absence v1'));

  const edited = await deployDmn(rt, TABLE.replace('<text>&gt;= 3</text>', '<text>&gt;= 2</text>'), 'la-admin');
  expect(edited).toMatchObject({ ok: true, value: [{ key: 'absence-trigger', version: 2, created: true }] });

  expect(await deployBundled(rt)).toEqual(first);
  const latest = await t.db.transaction(SYSTEM, (trx) => latestDefinition(trx, 'absence-trigger'));
  expect([latest?.version, latest?.deployed_by]).toEqual([2, 'la-admin']);
}, 60_000); // every bundled model is compiled twice
