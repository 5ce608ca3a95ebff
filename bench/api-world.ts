// The API benchmark's world: a throwaway database of its own on the PostgreSQL server
// (camau_benchapi_<random>, created, migrated, seeded and dropped here), one region / LA /
// school, a few HR officers of the LA, a one-user-task process whose task is offered to their
// role, and the open cases the load works on (started through runtime/ in parallel batches).
import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import { systemAccess } from '../db/access.js';
import { insertOrganisations, insertUser } from '../db/repositories/organisations.js';
import { openWaits } from '../engine/index.js';
import { accessFor } from '../runtime/access.js';
import { deployBpmn } from '../runtime/commands/deploy-definition.js';
import { startCase } from '../runtime/commands/start-case.js';
import { openRuntime } from '../runtime/open.js';
import type { Runtime } from '../runtime/runtime.js';

export const serverUrl = (): string => process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The signing key of the benchmark's development tokens (fixed: the server is given the same). */
export const BENCH_KEY = 'camau-bench-api-key';

export const WORLD = {
  region: 'bench-region',
  la: 'bench-la',
  school: 'bench-school',
  role: 'education-hr-officer',
  processKey: 'bench-api-task',
  /** HR officers of the LA; requests go out as each in turn. */
  users: Array.from({ length: 8 }, (_, i) => `bench-hr-officer-${i + 1}`),
};

/** start → one user task offered to the HR officers' role → end. */
export const MODEL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="bench-api-defs" targetNamespace="https://camau.cymru/bench">
  <bpmn:process id="${WORLD.processKey}" name="API bench" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:userTask id="review" name="Review">
      <bpmn:extensionElements>
        <zeebe:assignmentDefinition candidateGroups="${WORLD.role}" />
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>
`;

export interface BenchDb {
  name: string;
  url: string;
  /** The benchmark database as its owner (a superuser: no row-level security), for checks and VACUUM. */
  owner: Knex;
  drop(): Promise<void>;
}

/** Creates the database; `drop` removes it (and only it). */
export async function createBenchDb(): Promise<BenchDb> {
  const base = new URL(serverUrl());
  const name = `camau_benchapi_${randomBytes(8).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: base.toString(), pool: { min: 0, max: 1 } });
  await admin.raw(`create database ${name}`);
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  const owner = knexFactory({ client: 'pg', connection: url.toString(), pool: { min: 0, max: 2 } });
  let dropped = false;
  return {
    name, url: url.toString(), owner,
    async drop() {
      if (dropped) return;
      dropped = true;
      await owner.destroy();
      await admin.raw(`drop database if exists ${name} with (force)`);
      await admin.destroy();
    },
  };
}

/** The runtime on the benchmark database, as `camau serve` opens it (openRuntime: migrates). */
export function benchRuntime(url: string, poolMax: number): Promise<Runtime> {
  return openRuntime({ ...process.env, DATABASE_URL: url, CAMAU_DB_POOL: String(poolMax) });
}

/** Seeds the organisations and users and deploys the model. */
export async function seedWorld(rt: Runtime): Promise<void> {
  await rt.db.transaction(systemAccess('bench seed'), async (trx) => {
    await insertOrganisations(trx, [{ id: WORLD.region, kind: 'region', name: 'Bench region' }]);
    await insertOrganisations(trx, [{ id: WORLD.la, kind: 'la', name: 'Bench LA', parent_id: WORLD.region }]);
    await insertOrganisations(trx, [{ id: WORLD.school, kind: 'school', name: 'Bench school', parent_id: WORLD.la, category: 'community' }]);
    for (const u of WORLD.users) await insertUser(trx, { id: u, display_name: `Bench ${u}` }, [{ role: WORLD.role, organisation_id: WORLD.la }]);
  });
  const deployed = await deployBpmn(rt, MODEL, 'bench');
  if (!deployed.ok) throw new Error(`deploy failed: ${JSON.stringify(deployed.error)}`);
}

export interface OpenTask {
  caseId: string;
  eid: string;
}

/** Starts `n` cases through runtime/ startCase, `concurrency` at a time; returns each one's open task. */
export async function createCases(rt: Runtime, n: number, concurrency: number, onProgress?: (done: number) => void): Promise<OpenTask[]> {
  const { access } = await accessFor(rt, WORLD.users[0]);
  const actor = { userId: WORLD.users[0], role: WORLD.role, organisationId: WORLD.la };
  const out: OpenTask[] = new Array(n);
  let next = 0;
  let done = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, async () => {
    while (next < n) {
      const i = next++;
      const r = await startCase(rt, access, { definitionKey: WORLD.processKey, schoolId: WORLD.school, variables: { n: i }, actor });
      if (!r.ok) throw new Error(`start-case failed: ${r.error.code} ${r.error.message}`);
      const [wait] = openWaits(r.value.state);
      if (!wait) throw new Error('start-case: the case is not waiting at the user task');
      out[i] = { caseId: r.value.caseId, eid: wait.id };
      if (++done % 1000 === 0) onProgress?.(done);
    }
  }));
  return out;
}

export async function openCaseCount(owner: Knex): Promise<number> {
  const r = await owner.raw(`select count(*)::int as n from cases where status = 'active'`);
  return r.rows[0].n;
}

export async function openTaskCount(owner: Knex): Promise<number> {
  const r = await owner.raw(`select count(*)::int as n from tasks where status = 'open'`);
  return r.rows[0].n;
}
