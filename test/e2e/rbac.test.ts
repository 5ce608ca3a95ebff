// The RBAC matrix over real HTTP: every role × every route in the registry (api/route.ts) ×
// cases in the caller's own organisations and in others → the expected status, and for lists
// whether the case is in them. The expectation comes from the rule table below, written from
// the product rules (issue 5, shared/domain/PRIMER.md), not from api/permissions.ts, so a wrong
// capability there shows up here as a mismatched cell.
import { randomUUID } from 'node:crypto';
import type { RouteSpec } from '../../api/route.js';
import { apiRegistry } from '../../api/app.js';

// The routes' declarations (their handlers are never called through this list).
const routes = apiRegistry({ rt: undefined as never }).routes;
import { systemAccess } from '../../db/access.js';
import { startCase } from '../../runtime/commands/start-case.js';
import type { InstanceState } from '../../engine/index.js';
import { expectError, fixture, ORG, PEOPLE, pool, PRINCIPALS, serverErrors, startServer, type E2E, type Res } from './helpers.js';

// ---------------------------------------------------------------------------------------------
// The rule table.
//
// Who may do what (by role, wherever held; "for a case" means held at the case's school, LA or
// region). Written out from the product description, role by role:
//   - Welsh Government monitors in aggregate only: national reports, nothing about one case.
//   - admin deploys definitions and fixes the machinery (incidents, signals); reads no case work.
//   - auditors read and verify history; they change nothing.
//   - governors take part in case work at their school but do not read its audit history.
//   - HR (the LA's education HR officers, the lead education HR officer, the region's lead head
//     of HR) and the LA as employer run cases: cancel, message, assign, retry incidents.
const HR = ['education-hr-officer', 'lead-education-hr-officer', 'lead-head-of-hr'];
const CASEWORKERS = [...HR, 'la-employer', 'managing-director', 'challenge-adviser', 'headteacher', 'chair-of-governors', 'governor', 'auditor'];
const MAY = {
  deploy: ['admin'],
  readDefinitions: [...CASEWORKERS, 'admin'],
  // School-improvement work is launched by the consortium, HR, the LA or the head.
  startSchoolCase: ['challenge-adviser', 'managing-director', 'lead-head-of-hr', 'lead-education-hr-officer', 'education-hr-officer', 'la-employer', 'headteacher'],
  // Staff procedures are launched by the employer side: LA HR and employer, the head, the chair (headteacher cases).
  startStaffCase: ['education-hr-officer', 'lead-education-hr-officer', 'la-employer', 'headteacher', 'chair-of-governors'],
  readCases: CASEWORKERS,
  cancel: [...HR, 'la-employer', 'managing-director'],
  message: [...HR, 'la-employer', 'headteacher', 'challenge-adviser'],
  broadcast: ['admin', 'lead-education-hr-officer', 'lead-head-of-hr'],
  assign: [...HR, 'la-employer', 'headteacher'],
  readHistory: [...HR, 'la-employer', 'managing-director', 'challenge-adviser', 'headteacher', 'auditor'],
  incidents: [...HR, 'admin'],
  regionReports: ['managing-director', 'lead-head-of-hr', 'lead-education-hr-officer', 'challenge-adviser', 'auditor'],
  nationalReports: ['welsh-government'],
} as const;
type Action = keyof typeof MAY;

// Who sees which case (row-level security; "a case outside your organisations is 404, not 403"):
//   - an LA role sees every case of its LA;
//   - a school role sees every case of its school;
//   - a region role sees the school-level cases of its region's LAs, never a staff case
//     (employee data stays with the employing LA: PRIMER, "Data protection");
//   - a user with no roles sees nothing.
// Then, for a case one sees: lacking the capability for the case's organisations → 403.
// Tasks: claim / complete need the task offered to a role held for the case (else 403); a sign-off
// is refused by the sign-off rules (422) for a role the task does not name. Starting a case needs a
// start role held for the subject (else 403); a staff case only from the school or the LA.
// Reports: the Welsh Government's view is Wales-wide without schools; a region role held at a
// region gives its region's LAs; anyone else 403. No bearer token: 401 everywhere.

/** Facts of the model the matrix runs on (test/fixtures/api/rbac.bpmn). */
const WORK_OFFERED_TO = ['la-employer', 'chair-of-governors', 'challenge-adviser'];
const JOINT_SIGNED_BY = ['education-hr-officer', 'headteacher', 'managing-director'];
// ---------------------------------------------------------------------------------------------

interface Who { id: string; role?: string; org?: string; kind?: 'region' | 'la' | 'school' }
const NOBODY: Who = { id: 'p.nobody-without-roles' };
const WHO: Who[] = [...PRINCIPALS, NOBODY];

interface Subject { id: string; school: string; la: string; region: string; person?: string }
const SUBJECTS: Subject[] = [
  { id: 'A.school', school: ORG.schoolA, la: ORG.laA, region: ORG.region },
  { id: 'A.staff', school: ORG.schoolA, la: ORG.laA, region: ORG.region, person: PEOPLE.teacherA },
  { id: 'A2.school', school: ORG.schoolA2, la: ORG.laA, region: ORG.region },
  { id: 'B.school', school: ORG.schoolB, la: ORG.laB, region: ORG.region },
  { id: 'B.staff', school: ORG.schoolB, la: ORG.laB, region: ORG.region, person: PEOPLE.teacherB },
  { id: 'C.school', school: ORG.schoolC, la: ORG.laC, region: ORG.region2 },
];

const may = (w: Who, a: Action) => !!w.role && (MAY[a] as readonly string[]).includes(w.role);
const holdsFor = (w: Who, s: Subject) => !!w.org && [s.school, s.la, s.region].includes(w.org);
const mayFor = (w: Who, a: Action, s: Subject) => may(w, a) && holdsFor(w, s);
function sees(w: Who, s: Subject): boolean {
  if (w.kind === 'la') return w.org === s.la;
  if (w.kind === 'school') return w.org === s.school;
  if (w.kind === 'region') return w.org === s.region && !s.person;
  return false;
}
/** A command or read on one case. */
const onCase = (w: Who, s: Subject, a: Action) => (!sees(w, s) ? 404 : mayFor(w, a, s) ? 200 : 403);
const offered = (w: Who, s: Subject, to: string[]) => holdsFor(w, s) && !!w.role && to.includes(w.role);
/** The variables of a case: a school case's for anyone who reads it; a staff case's only for those who may read its history. */
const seesVariables = (c: Cell) => !c.s!.person || mayFor(c.who, 'readHistory', c.s!);

// ---------------------------------------------------------------------------------------------
// The world: probe cases (never changed by a cell that should succeed), a case with an incident
// per subject, and a fresh case for every cell expected to change one.

interface CaseRef { id: string; key: string; work?: string; joint?: string; incident?: string }
interface Cell { route: string; who: Who; s?: Subject }
const cellKey = (c: Cell) => `${c.who.id} | ${c.s?.id ?? '-'}`;

interface Driver {
  scoped: boolean;
  expect(c: Cell): string;
  /** Variables for a case of its own, when the cell is expected to change one. */
  fresh?: (c: Cell) => Record<string, unknown> | undefined;
  run(c: Cell, x: Ctx): Promise<string>;
}

interface Ctx {
  e: E2E;
  probe: Record<string, CaseRef>;
  incidentProbe: Record<string, CaseRef>;
  fresh: Map<string, CaseRef>;
  memo: Map<string, Promise<any>>;
}

/** A request made once per principal, its answer shared by that principal's cells. */
function once<T>(x: Ctx, key: string, fn: () => Promise<T>): Promise<T> {
  if (!x.memo.has(key)) x.memo.set(key, fn());
  return x.memo.get(key)!;
}

const caseOf = (c: Cell, x: Ctx, incident = false): CaseRef => x.fresh.get(`${c.route} | ${cellKey(c)}`) ?? (incident ? x.incidentProbe : x.probe)[c.s!.id];
const subjectBody = (s: Subject) => (s.person ? { subjectPersonId: s.person } : { schoolId: s.school });

async function allPages(x: Ctx, who: Who, path: string): Promise<{ status: number; items: any[]; res: Res }> {
  const items: any[] = [];
  for (let page = 1; ; page++) {
    const res = await x.e.req('GET', `${path}${path.includes('?') ? '&' : '?'}page=${page}&pageSize=100`, { as: who.id });
    if (res.status !== 200) return { status: res.status, items, res };
    items.push(...res.body.items);
    if (res.body.items.length < 100) return { status: 200, items, res };
  }
}

/** The status, checking the error shape of a 4xx. */
function outcome(res: Res, detail?: () => string): string {
  if (res.status >= 400) {
    expect(res.body?.error?.code).toEqual(expect.any(String));
    return String(res.status);
  }
  return detail ? `${res.status} ${detail()}` : String(res.status);
}

const caseRoute = (action: Action, method: 'GET' | 'POST', path: (r: CaseRef) => string, opts: { body?: () => unknown; incident?: boolean } = {}): Driver => ({
  scoped: true,
  expect: (c) => String(onCase(c.who, c.s!, action)),
  ...(method === 'POST' ? { fresh: (c: Cell) => (onCase(c.who, c.s!, action) === 200 ? (opts.incident ? { badDue: 'not a date' } : {}) : undefined) } : {}),
  run: async (c, x) => {
    const ref = caseOf(c, x, opts.incident);
    return outcome(await x.e.req(method, path(ref), { as: c.who.id, ...(opts.body ? { json: opts.body() } : {}) }));
  },
});

/** An LA's policy settings (issue 6 item 6): the admin, or the LA acting as employer for its own LA; nobody else. */
const settingsRoute = (method: 'GET' | 'PUT'): Driver => ({
  scoped: true,
  expect: (c) => (c.who.role === 'admin' || (c.who.role === 'la-employer' && c.who.org === c.s!.la) ? '200' : '403'),
  run: async (c, x) => outcome(await once(x, `settings ${method} ${c.who.id} ${c.s!.la}`, () =>
    x.e.req(method, `/api/v1/settings/${c.s!.la}/teacher-capability`, { as: c.who.id, ...(method === 'PUT' ? { json: { settings: { noticeDays: 5 } } } : {}) }))),
});

const report = (name: string): Driver => ({
  scoped: false,
  expect: (c) => {
    const national = may(c.who, 'nationalReports');
    const regional = may(c.who, 'regionReports') && c.who.kind === 'region';
    if (!national && !regional) return '403';
    if (name !== 'open-cases') return `200 ${national ? 'wales' : 'region'}`;
    return national ? `200 wales ${[ORG.laB, ORG.laC, ORG.laA].sort().join(',')} no-school` : `200 region ${[ORG.laB, ORG.laA].sort().join(',')} by-school`;
  },
  run: async (c, x) => {
    const res = await x.e.req('GET', `/api/v1/reports/${name}`, { as: c.who.id });
    return outcome(res, () => {
      if (name !== 'open-cases') return res.body.scope;
      const las = [...new Set(res.body.rows.map((r: { la: string }) => r.la))].sort().join(',');
      return `${res.body.scope} ${las} ${res.body.rows.some((r: object) => 'school' in r) ? 'by-school' : 'no-school'}`;
    });
  },
});

const DRIVERS: Record<string, Driver> = {
  'post /definitions': {
    scoped: false,
    expect: (c) => (may(c.who, 'deploy') ? '200' : '403'), // the same source again: 200, its existing version
    run: async (c, x) => outcome(await x.e.req('POST', '/api/v1/definitions', { as: c.who.id, body: fixture('rbac.bpmn'), contentType: 'application/xml' })),
  },
  'get /definitions': {
    scoped: false,
    expect: (c) => (may(c.who, 'readDefinitions') ? '200' : '403'),
    run: async (c, x) => outcome(await x.e.req('GET', '/api/v1/definitions', { as: c.who.id })),
  },
  'get /definitions/:key/versions/:version/source': {
    scoped: false,
    expect: (c) => (may(c.who, 'readDefinitions') ? '200' : '403'),
    run: async (c, x) => outcome(await x.e.req('GET', '/api/v1/definitions/rbac/versions/1/source', { as: c.who.id })),
  },
  'post /cases': {
    scoped: true,
    expect: (c) => {
      const s = c.s!;
      const ok = s.person ? mayFor(c.who, 'startStaffCase', s) && c.who.kind !== 'region' : mayFor(c.who, 'startSchoolCase', s);
      return ok ? '201 visible' : '403';
    },
    run: async (c, x) => {
      const res = await x.e.req('POST', '/api/v1/cases', { as: c.who.id, json: { definitionKey: 'rbac-fresh', ...subjectBody(c.s!), variables: { key: randomUUID() } } });
      return outcome(res, () => (res.body.la === c.s!.la && res.body.school === c.s!.school && res.headers.get('location') === `/api/v1/cases/${res.body.id}` ? 'visible' : JSON.stringify(res.body)));
    },
  },
  'get /cases': {
    scoped: true,
    expect: (c) => (!may(c.who, 'readCases') ? '403' : sees(c.who, c.s!) ? '200 listed' : '200 unlisted'),
    run: async (c, x) => {
      const r = await once(x, `cases ${c.who.id}`, () => allPages(x, c.who, '/api/v1/cases?definitionKey=rbac'));
      return outcome(r.res, () => (r.items.some((i) => i.id === x.probe[c.s!.id].id) ? 'listed' : 'unlisted'));
    },
  },
  // Variables of a staff case are personal data: only for those who may read its history.
  'get /cases/:id': {
    scoped: true,
    expect: (c) => { const st = onCase(c.who, c.s!, 'readCases'); return st === 200 ? `200 ${seesVariables(c) ? 'vars' : 'no-vars'}` : String(st); },
    run: async (c, x) => { const res = await x.e.req('GET', `/api/v1/cases/${x.probe[c.s!.id].id}`, { as: c.who.id }); return outcome(res, () => ('variables' in res.body ? 'vars' : 'no-vars')); },
  },
  'post /cases/:id/cancel': caseRoute('cancel', 'POST', (r) => `/api/v1/cases/${r.id}/cancel`, { body: () => ({ reason: 'RBAC matrix' }) }),
  'post /messages': {
    scoped: true,
    expect: (c) => (!may(c.who, 'message') ? '403' : sees(c.who, c.s!) ? '200' : '404'),
    fresh: (c) => (may(c.who, 'message') && sees(c.who, c.s!) ? {} : undefined),
    run: async (c, x) => {
      const ref = caseOf(c, x);
      const res = await x.e.req('POST', '/api/v1/messages', { as: c.who.id, json: { name: 'rbac-nudge', correlationKey: ref.key } });
      return outcome(res, () => (res.body.caseId === ref.id ? '' : `delivered to ${res.body.caseId}`)).trim();
    },
  },
  // One broadcast per principal; each subject's probe case either received it or not.
  'post /signals': {
    scoped: true,
    expect: (c) => (!may(c.who, 'broadcast') ? '403' : sees(c.who, c.s!) ? '200 delivered' : '200 not delivered'),
    run: async (c, x) => {
      const res = await once(x, `signal ${c.who.id}`, () => x.e.req('POST', '/api/v1/signals', { as: c.who.id, json: { name: 'rbac-ping' } }));
      return outcome(res, () => (res.body.delivered.includes(x.probe[c.s!.id].id) ? 'delivered' : 'not delivered'));
    },
  },
  'get /tasks': {
    scoped: true,
    expect: (c) => {
      const visible = sees(c.who, c.s!);
      const inbox = [visible && offered(c.who, c.s!, WORK_OFFERED_TO) ? 'work' : '', visible && offered(c.who, c.s!, JOINT_SIGNED_BY) ? 'joint' : ''].filter(Boolean);
      return `200 [${inbox.join(',')}]`;
    },
    run: async (c, x) => {
      const probe = x.probe[c.s!.id];
      const r = await once(x, `tasks ${c.who.id}`, () => allPages(x, c.who, '/api/v1/tasks?definitionKey=rbac'));
      return outcome(r.res, () => `[${r.items.filter((t) => t.caseId === probe.id).map((t) => t.element).sort().join(',')}]`);
    },
  },
  'get /cases/:id/tasks/:eid': {
    scoped: true,
    expect: (c) => {
      if (!sees(c.who, c.s!)) return '404';
      const worker = offered(c.who, c.s!, WORK_OFFERED_TO);
      return worker || mayFor(c.who, 'readCases', c.s!) ? `200 ${worker || seesVariables(c) ? 'vars' : 'no-vars'}` : '403';
    },
    run: async (c, x) => {
      const r = caseOf(c, x);
      const res = await x.e.req('GET', `/api/v1/cases/${r.id}/tasks/${r.work}`, { as: c.who.id });
      return outcome(res, () => ('variables' in res.body.case ? 'vars' : 'no-vars'));
    },
  },
  'post /cases/:id/tasks/:eid/claim': taskAction('claim', (c) => (offered(c.who, c.s!, WORK_OFFERED_TO) ? 200 : 403)),
  // The task is held by someone else: only a manager may take it back.
  'post /cases/:id/tasks/:eid/unclaim': taskAction('unclaim', (c) => (mayFor(c.who, 'assign', c.s!) ? 200 : 403), { preAssignee: 'someone-else' }),
  'post /cases/:id/tasks/:eid/assign': taskAction('assign', (c) => (mayFor(c.who, 'assign', c.s!) ? 200 : 403), {}, { userId: 'someone-else' }),
  'post /cases/:id/tasks/:eid/complete': taskAction('complete', (c) => (offered(c.who, c.s!, WORK_OFFERED_TO) ? 200 : 403), {}, { variables: { done: true } }),
  'post /cases/:id/tasks/:eid/sign-off': {
    scoped: true,
    expect: (c) => String(!sees(c.who, c.s!) ? 404 : JOINT_SIGNED_BY.includes(c.who.role!) ? 200 : 422),
    fresh: (c) => (sees(c.who, c.s!) && JOINT_SIGNED_BY.includes(c.who.role!) ? {} : undefined),
    run: async (c, x) => {
      const r = caseOf(c, x);
      return outcome(await x.e.req('POST', `/api/v1/cases/${r.id}/tasks/${r.joint}/sign-off`, { as: c.who.id, json: { role: c.who.role ?? 'headteacher', decision: 'approve' } }));
    },
  },
  'get /cases/:id/events': caseRoute('readHistory', 'GET', (r) => `/api/v1/cases/${r.id}/events`),
  'get /cases/:id/state': caseRoute('readHistory', 'GET', (r) => `/api/v1/cases/${r.id}/state?at=1`),
  'get /cases/:id/verify': caseRoute('readHistory', 'GET', (r) => `/api/v1/cases/${r.id}/verify`),
  'get /cases/:id/export': caseRoute('readHistory', 'GET', (r) => `/api/v1/cases/${r.id}/export`),
  'get /incidents': {
    scoped: true,
    expect: (c) => (!may(c.who, 'incidents') ? '403' : sees(c.who, c.s!) ? '200 listed' : '200 unlisted'),
    run: async (c, x) => {
      const r = await once(x, `incidents ${c.who.id}`, () => allPages(x, c.who, '/api/v1/incidents?status=open'));
      return outcome(r.res, () => (r.items.some((i) => i.caseId === x.incidentProbe[c.s!.id].id) ? 'listed' : 'unlisted'));
    },
  },
  'post /cases/:id/incidents/:incident/retry': caseRoute('incidents', 'POST', (r) => `/api/v1/cases/${r.id}/incidents/${r.incident}/retry`, { body: () => ({ variables: { badDue: 'P5D' } }), incident: true }),
  'get /reports/open-cases': report('open-cases'),
  'get /reports/stages': report('stages'),
  'get /reports/overdue-tasks': report('overdue-tasks'),
  'get /reports/stage-times': report('stage-times'),
  'get /reports/signoff-turnaround': report('signoff-turnaround'),
  'get /settings/:la/:workflowKey': settingsRoute('GET'),
  'put /settings/:la/:workflowKey': settingsRoute('PUT'),
};

function taskAction(action: string, rule: (c: Cell) => 200 | 403, vars: Record<string, unknown> = {}, body?: unknown): Driver {
  const expect = (c: Cell) => (!sees(c.who, c.s!) ? 404 : rule(c));
  return {
    scoped: true,
    expect: (c) => String(expect(c)),
    fresh: (c) => (expect(c) === 200 ? vars : undefined),
    run: async (c, x) => {
      const r = caseOf(c, x);
      return outcome(await x.e.req('POST', `/api/v1/cases/${r.id}/tasks/${r.work}/${action}`, { as: c.who.id, ...(body ? { json: body } : {}) }));
    },
  };
}

const routeKey = (r: RouteSpec) => `${r.method} ${r.path}`;

describe('RBAC matrix over HTTP', () => {
  let x: Ctx;

  beforeAll(async () => {
    const e = await startServer();
    x = { e, probe: {}, incidentProbe: {}, fresh: new Map(), memo: new Map() };
    const admin = PRINCIPALS.find((p) => p.role === 'admin')!.id;
    const deployed = await e.req('POST', '/api/v1/definitions', { as: admin, body: fixture('rbac.bpmn'), contentType: 'application/xml' });
    expect(deployed.status).toBe(201);
    // Cases of their own use the same model without the signal, so a broadcast reaches only the probes.
    const freshModel = fixture('rbac.bpmn').replace('id="rbac"', 'id="rbac-fresh"').replace(/<bpmn:subProcess id="ping"[\s\S]*?<\/bpmn:subProcess>/, '').replace(/<bpmn:signal [^>]*\/>/, '');
    expect(freshModel).not.toMatch(/signalEventDefinition|<bpmn:signal /);
    expect((await e.req('POST', '/api/v1/definitions', { as: admin, body: freshModel, contentType: 'application/xml' })).status).toBe(201);
    expect(routes.length).toBeGreaterThan(0);

    const start = async (s: Subject, definitionKey: string, variables: Record<string, unknown>): Promise<CaseRef> => {
      const key = randomUUID();
      const r = await startCase(e.rt, systemAccess('rbac matrix setup'), { definitionKey, ...subjectBody(s), variables: { key, ...variables }, actor: { userId: 'setup' } });
      if (!r.ok) throw new Error(r.error.message);
      const st: InstanceState = r.value.state;
      const eid = (el: string) => Object.values(st.elements).find((i) => i.el === el)?.id;
      return { id: r.value.caseId, key, work: eid('work'), joint: eid('joint'), incident: Object.values(st.incidents)[0]?.id };
    };
    const wanted: Array<{ key: string; s: Subject; vars: Record<string, unknown> }> = [];
    for (const r of routes) {
      const d = DRIVERS[routeKey(r)];
      if (!d?.fresh) continue;
      for (const who of WHO) for (const s of SUBJECTS) {
        const c: Cell = { route: routeKey(r), who, s };
        const vars = d.fresh(c);
        if (vars) wanted.push({ key: `${c.route} | ${cellKey(c)}`, s, vars });
      }
    }
    await pool(wanted, 16, async (w) => { x.fresh.set(w.key, await start(w.s, 'rbac-fresh', w.vars)); });
    for (const s of SUBJECTS) {
      x.probe[s.id] = await start(s, 'rbac', {});
      x.incidentProbe[s.id] = await start(s, 'rbac-fresh', { badDue: 'not a date' });
      expect(x.incidentProbe[s.id].incident).toBeDefined();
    }
  }, 60_000);

  afterAll(async () => {
    const errors = x ? serverErrors(x.e) : [];
    await x?.e.close();
    expect(errors).toEqual([]);
  });

  it('has a rule for every registered route, and no rule for a route that is gone', () => {
    expect(routes.map(routeKey).filter((k) => !DRIVERS[k])).toEqual([]);
    expect(Object.keys(DRIVERS).filter((k) => !routes.some((r) => routeKey(r) === k))).toEqual([]);
  });

  it('without a bearer token every route is 401 with WWW-Authenticate', async () => {
    const ref = { id: randomUUID(), eid: 'e1', key: 'rbac', version: '1', incident: 'i1' } as Record<string, string>;
    await pool(routes, 8, async (r) => {
      const path = `/api/v1${r.path.replace(/:(\w+)/g, (_m, p: string) => ref[p])}`;
      const res = await x.e.req(r.method.toUpperCase(), path, { ...(r.method === 'post' ? { json: {} } : {}) });
      expectError(res, 401, 'UNAUTHENTICATED');
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    });
  });

  // One test per route: its whole row of cells, compared as one table. The tests are declared
  // from the rule drivers; the first test above holds the drivers and the registry to exactly the
  // same routes.
  for (const key of Object.keys(DRIVERS)) {
    const d = DRIVERS[key];
    const cells: Cell[] = WHO.flatMap((who) => (d.scoped ? SUBJECTS.map((s) => ({ route: key, who, s })) : [{ route: key, who }]));
    const checked = cells;
    it(`${key} (${checked.length} cells)`, async () => {
      const expected = Object.fromEntries(checked.map((c) => [cellKey(c), d.expect(c)]));
      const actual = Object.fromEntries(await pool(checked, 16, async (c) => [cellKey(c), await d.run(c, x)] as const));
      expect(actual).toEqual(expected);
    }, 30_000);
  }
});
