// Per-LA policy settings (issue 6 item 6) through the HTTP API on PostgreSQL: an LA's values go
// into every new case of that LA (the model's first step records them) and change its
// deadlines; another LA's cases keep the defaults; a value that does not fit, an unknown setting,
// another LA's employer or a caseworker is refused and nothing is written; a start computed from
// remembered lookups sees a change of settings; the LA may choose whose term dates it follows.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import pino from 'pino';
import { createApp } from '../../api/app.js';
import { DEV_AUDIENCE, DEV_ISSUER, devToken, type AuthConfig } from '../../api/auth.js';
import { systemAccess } from '../../db/access.js';
import { insertOrganisations, insertPeople, insertUser } from '../../db/repositories/organisations.js';
import { deployBpmn, deployDmn } from '../../runtime/commands/deploy-definition.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { testRuntime } from '../helpers/runtime.js';
import { ORG, PEOPLE, seed, USERS } from '../helpers/seed.js';

const KEY = new TextEncoder().encode('settings-test-key');
const AUTH: AuthConfig = { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, key: KEY, algorithms: ['HS256'] };
const EMPLOYER_A = 'employer-a'; // la-employer at LA A (Carmarthenshire)
const EMPLOYER_B = 'employer-b'; // la-employer at LA B (Swansea)
const ADMIN = 'admin-region';
const HEAD_B = 'head-b'; // headteacher of school B: runs the informal stage and arranges the meetings
const LA_C = 'la-ceredigion'; // a third LA, whose school has no INSET days recorded: it counts its LA's term days
const SCHOOL_C = 'school-ysgol-c';
const TEACHER_C = 'person-teacher-c';
const EMPLOYER_C = 'employer-c';
const bpmn = (name: string) => readFileSync(new URL(`../../workflows/bpmn/${name}.bpmn`, import.meta.url), 'utf8');

let t: TestDb;
let server: Server;
let url: string;
const rt = () => world.rt;
const world = {} as { rt: ReturnType<typeof testRuntime> };

async function req(method: string, path: string, as: string, json?: unknown): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { authorization: `Bearer ${await devToken(as, KEY)}` };
  if (json !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(url + path, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
  return { status: r.status, body: await r.json() };
}

const rows = () => t.db.transaction(systemAccess('test'), (trx) => trx('la_settings').orderBy(['la_id', 'workflow_key']));
const startCapability = (as: string, person: string, variables: Record<string, unknown> = {}) =>
  req('POST', '/api/v1/cases', as, { definitionKey: 'teacher-capability', subjectPersonId: person, variables: { caseRef: `CAP-${person}-${Math.random()}`, ...variables } });
const dueOf = (view: any, element: string) => view.active.find((a: { element: string }) => a.element === element)?.dueAt;

beforeAll(async () => {
  t = await createTestDb('pg');
  await seed(t.db);
  await t.db.transaction(systemAccess('test'), async (trx) => {
    await insertOrganisations(trx, [{ id: LA_C, kind: 'la', name: 'Ceredigion', parent_id: ORG.region }]);
    await insertOrganisations(trx, [{ id: SCHOOL_C, kind: 'school', name: 'Ysgol C', parent_id: LA_C, category: 'community' }]);
    await insertPeople(trx, [{ id: TEACHER_C, la_id: LA_C, organisation_id: SCHOOL_C, kind: 'staff', name: 'Teacher C', language: 'cy' }]);
    await insertUser(trx, { id: EMPLOYER_C, display_name: 'LA C as employer' }, [{ role: 'la-employer', organisation_id: LA_C }]);
    await insertUser(trx, { id: EMPLOYER_A, display_name: 'LA A as employer' }, [{ role: 'la-employer', organisation_id: ORG.laA }]);
    await insertUser(trx, { id: EMPLOYER_B, display_name: 'LA B as employer' }, [{ role: 'la-employer', organisation_id: ORG.laB }]);
    await insertUser(trx, { id: ADMIN, display_name: 'Admin' }, [{ role: 'admin', organisation_id: ORG.region }]);
    await insertUser(trx, { id: HEAD_B, display_name: 'Headteacher B' }, [{ role: 'headteacher', organisation_id: ORG.schoolB }]);
  });
  // Monday 2 November 2026, 09:00: the informal stage's school weeks and the notice's working days count from here.
  world.rt = testRuntime(t.db, '2026-11-02T09:00:00.000Z');
  const d = await deployBpmn(rt(), bpmn('teacher-capability'), 'admin');
  if (!d.ok) throw new Error(d.error.message);
  server = createApp({ rt: rt(), auth: AUTH, log: pino({ level: 'silent' }) }).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await t?.drop();
});

describe('the employer of a staff case', () => {
  it('is filled in from the school category unless the start gives it', async () => {
    const VA_TEACHER = 'person-teacher-va';
    await t.db.transaction(systemAccess('test'), (trx) => insertPeople(trx, [{ id: VA_TEACHER, la_id: ORG.laA, organisation_id: ORG.schoolA2, kind: 'staff', name: 'Teacher VA', language: 'en' }]));
    const community = await startCapability(USERS.hrA, PEOPLE.teacherA);
    expect(community.status).toBe(201);
    expect(community.body.variables.employer).toBe('la');
    const aided = await startCapability(USERS.hrA, VA_TEACHER);
    expect(aided.status).toBe(201);
    expect(aided.body.variables.employer).toBe('governing-body');
    const given = await startCapability(USERS.hrA, PEOPLE.teacherA, { employer: 'governing-body' });
    expect(given.body.variables.employer).toBe('governing-body');
  });
});

describe('per-LA settings', () => {
  it('start with the primer defaults', async () => {
    const res = await req('GET', `/api/v1/settings/${ORG.laA}/teacher-capability`, EMPLOYER_A);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ la: ORG.laA, workflowKey: 'teacher-capability', laValues: {}, updatedBy: null });
    expect(res.body.values).toEqual({ informalWeeks: 6, arrangeDays: 5, noticeDays: 5, monitoringWeeks: 6, minCommittee: 3, appealDays: 10, laNoticeDays: 14 });
    expect(res.body.settings).toContainEqual(expect.objectContaining({ name: 'noticeDays', kind: 'count', unit: 'working-days', default: 5, label: expect.objectContaining({ cy: expect.any(String), en: expect.any(String) }) }));
  });

  it("an LA's values go into its new cases and change their deadlines; another LA keeps the defaults", async () => {
    const put = await req('PUT', `/api/v1/settings/${ORG.laA}/teacher-capability`, EMPLOYER_A, { settings: { noticeDays: 10, informalWeeks: 4 } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ laValues: { noticeDays: 10, informalWeeks: 4 }, updatedBy: EMPLOYER_A });
    expect(put.body.values).toMatchObject({ noticeDays: 10, informalWeeks: 4, arrangeDays: 5 });

    const a = await startCapability(USERS.hrA, PEOPLE.teacherA);
    expect(a.status).toBe(201);
    expect(a.body.variables).toMatchObject({ noticeDays: 10, informalWeeks: 4, arrangeDays: 5, monitoringWeeks: 6, laNoticeDays: 14 });
    // 4 school weeks = 20 school days of Ysgol y Bryn after Monday 2 November: Monday 30 November.
    expect(dueOf(a.body, 'informalStage')).toBe('2026-11-30T09:00:00.000Z');

    const b = await startCapability(USERS.hrB, PEOPLE.teacherB);
    expect(b.status).toBe(201);
    expect(b.body.variables).toMatchObject({ noticeDays: 5, informalWeeks: 6 });
    // 6 school weeks = 30 school days of Ysgol Glan Môr: Monday 14 December.
    expect(dueOf(b.body, 'informalStage')).toBe('2026-12-14T09:00:00.000Z');

    // A stage 1 meeting on Wednesday 11 November is 7 working days away: enough notice for LA B
    // (5), not for LA A (10), whose case asks for another date.
    const toMeeting = async (as: string, c: any) => {
      const informal = await req('POST', `/api/v1/cases/${c.id}/tasks/${c.active.find((x: any) => x.element === 'informalStage').eid}/complete`, as, { variables: { informalOutcome: 'formal' } });
      expect(informal.status).toBe(200);
      const arrange = informal.body.active.find((x: any) => x.element === 'arrangeStage1');
      const done = await req('POST', `/api/v1/cases/${c.id}/tasks/${arrange.eid}/complete`, as, { variables: { stage1Date: '2026-11-11' } });
      expect(done.status).toBe(200);
      return done.body.active.map((x: any) => x.element);
    };
    expect(await toMeeting(USERS.headA, a.body)).toEqual(['arrangeStage1']);
    expect(await toMeeting(HEAD_B, b.body)).toEqual(['holdStage1']);
  });

  it('values the caller gives win over the LA\'s; a change reaches the next case, even one started from remembered lookups', async () => {
    const given = await startCapability(USERS.hrA, PEOPLE.teacherA, { noticeDays: 3 });
    expect(given.body.variables).toMatchObject({ noticeDays: 3, informalWeeks: 4 });
    const put = await req('PUT', `/api/v1/settings/${ORG.laA}/teacher-capability`, ADMIN, { settings: { noticeDays: 8 } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ laValues: { noticeDays: 8 }, updatedBy: ADMIN });
    const next = await startCapability(USERS.hrA, PEOPLE.teacherA);
    expect(next.body.variables).toMatchObject({ noticeDays: 8, informalWeeks: 6 });
    expect(dueOf(next.body, 'informalStage')).toBe('2026-12-14T09:00:00.000Z');
    // The cases started earlier keep the values they started with.
    const earlier = await req('GET', `/api/v1/cases/${given.body.id}`, USERS.hrA);
    expect(earlier.body.variables).toMatchObject({ noticeDays: 3, informalWeeks: 4 });
  });

  it('refuses bad values, unknown settings and callers without the role, and writes nothing', async () => {
    const before = await rows();
    const path = `/api/v1/settings/${ORG.laA}/teacher-capability`;
    const bad: Array<[unknown, string]> = [
      [{ settings: { noticeDays: 0 } }, 'noticeDays'],
      [{ settings: { noticeDays: 'five' } }, 'noticeDays'],
      [{ settings: { noticeDays: 2.5 } }, 'noticeDays'],
      [{ settings: { informalWeeks: 400 } }, 'informalWeeks'],
      [{ settings: { noticeDays: 7, holidays: 3 } }, 'holidays'],
      [{ settings: { termDates: 'atlantis' } }, 'termDates'],
      // Ysgol y Bryn's INSET days are recorded under Carmarthenshire's term dates.
      [{ settings: { termDates: 'powys' } }, 'termDates'],
    ];
    for (const [body, field] of bad) {
      const res = await req('PUT', path, EMPLOYER_A, body);
      expect([res.status, res.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(JSON.stringify(res.body.error.details.issues)).toContain(field);
    }
    expect((await req('PUT', path, EMPLOYER_A, { noticeDays: 7 })).status).toBe(400);
    expect((await req('PUT', path, EMPLOYER_A, { settings: [7] })).status).toBe(400);
    expect((await req('PUT', path, EMPLOYER_B, { settings: { noticeDays: 7 } })).status).toBe(403);
    expect((await req('PUT', path, USERS.hrA, { settings: { noticeDays: 7 } })).status).toBe(403);
    expect((await req('GET', path, USERS.adviser)).status).toBe(403);
    expect((await req('PUT', `/api/v1/settings/${ORG.laA}/no-such-workflow`, ADMIN, { settings: {} })).status).toBe(404);
    expect((await req('PUT', `/api/v1/settings/la-nowhere/teacher-capability`, ADMIN, { settings: {} })).status).toBe(404);
    expect((await req('PUT', `/api/v1/settings/${ORG.schoolA}/teacher-capability`, ADMIN, { settings: {} })).status).toBe(404);
    expect(await rows()).toEqual(before);
    expect((await req('GET', path, EMPLOYER_A)).body.laValues).toEqual({ noticeDays: 8 });
  });

  it('lets an LA choose whose term dates its school days follow', async () => {
    const own = await startCapability(EMPLOYER_C, TEACHER_C, { informalWeeks: 7 });
    expect(dueOf(own.body, 'informalStage')).toBe('2027-01-04T09:00:00.000Z');
    const put = await req('PUT', `/api/v1/settings/${LA_C}/teacher-capability`, EMPLOYER_C, { settings: { termDates: 'powys', informalWeeks: 7 } });
    expect(put.status).toBe(200);
    const c = await startCapability(EMPLOYER_C, TEACHER_C);
    expect(c.status).toBe(201);
    const row = await t.db.transaction(systemAccess('test'), (trx) => trx('cases').where({ id: c.body.id }).first());
    expect(row.calendar_la).toBe('powys');
    // 35 school days after 2 November: Powys's autumn term runs to 22 December, Ceredigion's (the
    // national dates) ends on the 18th, where the count would reach 4 January 2027.
    expect(dueOf(c.body, 'informalStage')).toBe('2026-12-21T09:00:00.000Z');
    expect(c.body.variables.termDates).toBeUndefined();
  });

  it("names an LA's own trigger table only once it is deployed", async () => {
    const path = `/api/v1/settings/${ORG.laB}/sickness-absence`;
    const before = await rows();
    const missing = await req('PUT', path, EMPLOYER_B, { settings: { triggerDecision: 'absence-trigger' } });
    expect([missing.status, missing.body.error.details.issues]).toEqual([400, [{ path: 'triggerDecision', message: 'no DMN decision absence-trigger is deployed' }]]);
    expect(await rows()).toEqual(before);
    const dmn = await deployDmn(rt(), readFileSync(new URL('../../workflows/dmn/absence-trigger.dmn', import.meta.url), 'utf8'), 'admin');
    expect(dmn.ok).toBe(true);
    const put = await req('PUT', path, EMPLOYER_B, { settings: { triggerDecision: 'absence-trigger', rtwDays: 2 } });
    expect([put.status, put.body.values]).toEqual([200, expect.objectContaining({ triggerDecision: 'absence-trigger', rtwDays: 2, rollingMonths: 12 })]);
  });
});
