// An LA replaces the sickness-absence trigger table through the API: the bundled table and model
// are deployed with POST /api/v1/definitions (told apart by the root element's namespace), a case
// runs to the business-rule task under the default rule (3 occasions), the LA deploys its edited
// table (2 occasions) as a new version of the same decision, and from then on every evaluation,
// in a new case and in the case that had already evaluated, follows the new rule while the
// earlier result stays as it was stored. Documents that are neither BPMN nor DMN, and tables with
// errors, are refused with a 422 that says why; nothing is stored.
import { readFileSync } from 'node:fs';
import { expectError, PEOPLE, PRINCIPALS, serverErrors, startServer, type E2E } from './helpers.js';

const root = new URL('../../', import.meta.url);
const TABLE = readFileSync(new URL('workflows/dmn/absence-trigger.dmn', root), 'utf8');
const MODEL = readFileSync(new URL('workflows/bpmn/sickness-absence.bpmn', root), 'utf8');
/** The LA's edit in Camunda Modeler: 2 occasions in a rolling 12 months (not 3) meet the trigger at stage 0. */
const EDITED = TABLE
  .replace('<text>&gt;= 3</text>', '<text>&gt;= 2</text>')
  .replaceAll('3 achlysur neu fwy', '2 achlysur neu fwy')
  .replaceAll('3 or more occasions', '2 or more occasions');

const who = (role: string) => PRINCIPALS.find((p) => p.role === role)!.id;
const ADMIN = who('admin');
const HR = who('education-hr-officer');
const HEAD = who('headteacher');

/** A date `n` days before today (ISO), for absences inside the rolling 12 months whenever the test runs. */
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

let e: E2E;
beforeAll(async () => {
  e = await startServer();
}, 60_000);
afterAll(async () => {
  const errors = e ? serverErrors(e) : [];
  await e?.close();
  expect(errors).toEqual([]);
});

interface Trigger { trigger: boolean; action: string; reason: string }

const getCase = async (id: string) => {
  const res = await e.req('GET', `/api/v1/cases/${id}`, { as: HR });
  expect(res.status).toBe(200);
  return res.body as { status: string; active: Array<{ eid: string; element: string }>; variables: Record<string, any> };
};
const elements = (c: { active: Array<{ element: string }> }) => c.active.map((a) => a.element).sort();

/** One absence of a day, ended, and the return-to-work interview held: the case reaches the trigger table. */
async function absenceAndReturn(caseId: string, caseRef: string, day: string): Promise<Trigger> {
  const recorded = await e.req('POST', '/api/v1/messages', { as: HR, json: { name: 'absence-recorded', correlationKey: caseRef, variables: { firstDay: day, expectedWorkingDays: 1 } } });
  expect(recorded.status).toBe(200);
  expect(recorded.body.caseId).toBe(caseId);
  const ended = await e.req('POST', '/api/v1/messages', { as: HR, json: { name: 'absence-ended', correlationKey: caseRef, variables: { lastDay: day, workingDaysLost: 1 } } });
  expect(ended.status).toBe(200);
  const waiting = await getCase(caseId);
  expect(elements(waiting)).toEqual(['returnToWorkInterview']);
  const rtw = waiting.active.find((a) => a.element === 'returnToWorkInterview')!;
  const done = await e.req('POST', `/api/v1/cases/${caseId}/tasks/${rtw.eid}/complete`, { as: HEAD, json: { variables: { rtwNotes: 'Held on the day of return' } } });
  expect(done.status).toBe(200);
  return (await getCase(caseId)).variables.attendanceTrigger as Trigger;
}

/** A sickness case for teacher A with one earlier absence in the rolling 12 months. */
async function startCase(caseRef: string): Promise<string> {
  const res = await e.req('POST', '/api/v1/cases', {
    as: HR,
    json: { definitionKey: 'sickness-absence', subjectPersonId: PEOPLE.teacherA, variables: { caseRef, employer: 'la', absences: [{ firstDay: daysAgo(60), lastDay: daysAgo(60), workingDays: 1 }] } },
  });
  expect(res.status).toBe(201);
  expect(elements(res.body)).toEqual(['monitoring']);
  return res.body.id;
}

it('deploys the bundled trigger table and model; the source comes back as XML', async () => {
  const table = await e.req('POST', '/api/v1/definitions', { as: ADMIN, body: TABLE, contentType: 'application/xml' });
  expect(table.status).toBe(201);
  expect(table.body.definitions).toEqual([expect.objectContaining({ key: 'absence-trigger', version: 1, created: true })]);
  const model = await e.req('POST', '/api/v1/definitions', { as: ADMIN, json: { source: MODEL } });
  expect(model.status).toBe(201);
  expect(model.body.definitions).toEqual([expect.objectContaining({ key: 'sickness-absence', version: 1, created: true })]);
  const list = await e.req('GET', '/api/v1/definitions', { as: HR });
  expect(list.body.items).toEqual(expect.arrayContaining([
    expect.objectContaining({ key: 'absence-trigger', version: 1, kind: 'dmn' }),
    expect.objectContaining({ key: 'sickness-absence', version: 1, kind: 'bpmn' }),
  ]));
  const source = await e.req('GET', '/api/v1/definitions/absence-trigger/versions/1/source', { as: HR });
  expect(source.headers.get('content-type')).toMatch(/application\/xml/);
  expect(source.text).toBe(TABLE);
});

it('an LA replaces the table: later evaluations follow its rule, earlier results stay as stored', async () => {
  // Under the bundled table two occasions are below the trigger.
  const first = await startCase('E2E-SA-1');
  expect(await absenceAndReturn(first, 'E2E-SA-1', daysAgo(2))).toEqual({ trigger: false, action: 'none', reason: "Islaw'r sbardun: parhau i fonitro / Below the trigger: keep monitoring" });
  expect(elements(await getCase(first))).toEqual(['monitoring']);

  // The LA deploys its edited table: a new version of the same decision.
  const edited = await e.req('POST', '/api/v1/definitions', { as: ADMIN, body: EDITED, contentType: 'text/xml' });
  expect(edited.status).toBe(201);
  expect(edited.body.definitions).toEqual([expect.objectContaining({ key: 'absence-trigger', version: 2, created: true })]);
  // Deploying the bundled table again (as every `camau serve` does) returns its old version and leaves the LA's the latest.
  const again = await e.req('POST', '/api/v1/definitions', { as: ADMIN, body: TABLE, contentType: 'application/xml' });
  expect(again.status).toBe(200);
  expect(again.body.definitions).toEqual([expect.objectContaining({ key: 'absence-trigger', version: 1, created: false })]);

  // A new case with the same history meets the trigger.
  const second = await startCase('E2E-SA-2');
  const stage1 = { trigger: true, action: 'stage-1', reason: '2 achlysur neu fwy mewn 12 mis treigl / 2 or more occasions in a rolling 12 months' };
  expect(await absenceAndReturn(second, 'E2E-SA-2', daysAgo(2))).toEqual(stage1);
  expect(elements(await getCase(second))).toEqual(['arrangeStage1']);

  // The first case keeps the result it stored; its next absence is decided by the new table.
  expect((await getCase(first)).variables.attendanceTrigger).toMatchObject({ trigger: false, action: 'none' });
  expect(await absenceAndReturn(first, 'E2E-SA-1', daysAgo(1))).toEqual(stage1);
  expect(elements(await getCase(first))).toEqual(['arrangeStage1']);
  const verified = await e.req('GET', `/api/v1/cases/${first}/verify`, { as: HR });
  expect(verified.status).toBe(200);
  expect(verified.body).toMatchObject({ ok: true });
});

describe('what the deploy route refuses', () => {
  it('XML that is neither BPMN nor DMN → 422 naming its root element and both namespaces', async () => {
    for (const body of ['<html><body/></html>', '<?xml version="1.0"?>\n<!-- a note -->\n<x:definitions xmlns:x="urn:example" id="d"/>']) {
      const res = await e.req('POST', '/api/v1/definitions', { as: ADMIN, body, contentType: 'application/xml' });
      expectError(res, 422, 'INVALID_MODEL');
      const [diag] = res.body.error.details.diagnostics as Array<{ code: string; message: string }>;
      expect(diag.message).toMatch(/neither BPMN 2\.0 nor DMN/);
      expect(diag.message).toContain('http://www.omg.org/spec/BPMN/20100524/MODEL');
      expect(diag.message).toContain('https://www.omg.org/spec/DMN/20191111/MODEL/');
    }
  });

  it('a table with errors → 422 with every diagnostic; an older DMN version → 422 saying so; nothing is stored', async () => {
    const broken = TABLE.replace('<text>&gt;= 10</text>', '<text>&gt;= </text>').replace('<text>stage</text>', '<text>stage +</text>');
    const res = await e.req('POST', '/api/v1/definitions', { as: ADMIN, body: broken, contentType: 'application/xml' });
    expectError(res, 422, 'INVALID_MODEL');
    expect((res.body.error.details.diagnostics as Array<{ elementId: string }>).map((d) => d.elementId).sort()).toEqual(['Input_stage_expression', 'Rule_days_stage0_in2']);
    const dmn12 = TABLE.replace('https://www.omg.org/spec/DMN/20191111/MODEL/', 'http://www.omg.org/spec/DMN/20180521/MODEL/');
    const old = await e.req('POST', '/api/v1/definitions', { as: ADMIN, body: dmn12, contentType: 'application/xml' });
    expectError(old, 422, 'INVALID_MODEL');
    expect(old.body.error.details.diagnostics[0].message).toMatch(/DMN 1\.2; Camau reads DMN 1\.3/);
    const list = await e.req('GET', '/api/v1/definitions', { as: HR });
    expect(list.body.items.filter((d: { key: string }) => d.key === 'absence-trigger').map((d: { version: number }) => d.version)).toEqual([2, 1]);
  });
});
