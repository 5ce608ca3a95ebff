// Every validation error path over real HTTP, generated from the route registry where it can
// be (bad JSON, content type, body size, strict bodies and queries, paging caps, bad ids), plus
// model deployment refusals, unknown routes, request ids, health, and the OpenAPI document
// (validated with a real OpenAPI 3.1 validator and compared with the registry). Each error has
// the `{ error: { code, message, details? } }` shape and no response is a 500.
import { randomUUID } from 'node:crypto';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { ZodObject } from 'zod';
import type { RouteSpec } from '../../api/route.js';
import { apiRegistry } from '../../api/app.js';

// The routes' declarations (their handlers are never called through this list).
const routes = apiRegistry({ rt: undefined as never }).routes;
import { expectError, fixture, ORG, PEOPLE, pool, PRINCIPALS, serverErrors, startServer, type E2E } from './helpers.js';

const HR = PRINCIPALS.find((p) => p.role === 'education-hr-officer' && p.kind === 'la')!.id;
const ADMIN = PRINCIPALS.find((p) => p.role === 'admin')!.id;
const key = (r: RouteSpec) => `${r.method} ${r.path}`;

/** A body each JSON route accepts (so that one change to it is the only thing wrong). */
const VALID_BODY: Record<string, unknown> = {
  'post /cases': { definitionKey: 'rbac', schoolId: ORG.schoolA, variables: { key: 'valid' } },
  'post /cases/:id/cancel': { reason: 'no longer needed' },
  'post /messages': { name: 'rbac-nudge', correlationKey: 'nobody-waits-for-this' },
  'post /signals': { name: 'nothing-waits-for-this' },
  'post /cases/:id/tasks/:eid/assign': { userId: 'someone' },
  'post /cases/:id/tasks/:eid/complete': { variables: {} },
  'post /cases/:id/tasks/:eid/sign-off': { role: 'education-hr-officer', decision: 'approve' },
  'post /cases/:id/incidents/:incident/retry': {},
  'put /settings/:la/:workflowKey': { settings: {} },
};

describe('validation and errors over HTTP', () => {
  let e: E2E;
  let caseId: string;
  let work: string;
  let joint: string;
  const jsonRoutes = () => routes.filter((r) => r.body);
  const fill = (r: RouteSpec, params: Record<string, string> = {}) =>
    `/api/v1${r.path.replace(/:(\w+)/g, (_m, p: string) => params[p] ?? ({ id: caseId, eid: work, key: 'rbac', version: '1', incident: 'i1', la: ORG.laA, workflowKey: 'teacher-capability' } as Record<string, string>)[p])}`;

  beforeAll(async () => {
    e = await startServer();
    expect((await e.req('POST', '/api/v1/definitions', { as: ADMIN, body: fixture('rbac.bpmn'), contentType: 'application/xml' })).status).toBe(201);
    const c = await e.req('POST', '/api/v1/cases', { as: HR, json: { definitionKey: 'rbac', schoolId: ORG.schoolA, variables: { key: 'k' } } });
    expect(c.status).toBe(201);
    caseId = c.body.id;
    work = c.body.active.find((a: { element: string }) => a.element === 'work').eid;
    joint = c.body.active.find((a: { element: string }) => a.element === 'joint').eid;
  }, 60_000);
  afterAll(async () => {
    const errors = e ? serverErrors(e) : [];
    await e?.close();
    expect(errors).toEqual([]);
  });

  it('knows a valid body for every route that takes JSON', () => {
    expect(jsonRoutes().map(key).filter((k) => !(k in VALID_BODY))).toEqual([]);
  });

  it('bad JSON → 400 BAD_REQUEST, on every JSON route', async () => {
    await pool(jsonRoutes(), 4, async (r) => {
      for (const body of ['{"reason": ', '{reason: "x"}', "{'a':1}", '{"a":1}}', '\u0000']) {
        const res = await e.req(r.method.toUpperCase(), fill(r), { as: HR, body, contentType: 'application/json' });
        expectError(res, 400, 'BAD_REQUEST');
        expect(res.body.error.message).toMatch(/not valid JSON/);
      }
    });
  });

  it('a JSON value that is not an object → 400 VALIDATION_FAILED, on every JSON route', async () => {
    await pool(jsonRoutes(), 4, async (r) => {
      for (const body of ['null', '[]', '"text"', '42', 'true']) expectError(await e.req(r.method.toUpperCase(), fill(r), { as: HR, body, contentType: 'application/json' }), 400, 'VALIDATION_FAILED');
    });
  });

  it('a body that is not JSON → 415 UNSUPPORTED_MEDIA_TYPE, on every JSON route', async () => {
    await pool(jsonRoutes(), 4, async (r) => {
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x']) {
        const res = await e.req(r.method.toUpperCase(), fill(r), { as: HR, body: JSON.stringify(VALID_BODY[key(r)]), contentType });
        expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      }
      // JSON with a charset or a +json suffix is JSON.
      const ok = await e.req(r.method.toUpperCase(), fill(r), { as: HR, body: JSON.stringify({ ...(VALID_BODY[key(r)] as object), bogus: 1 }), contentType: 'application/merge-patch+json; charset=utf-8' });
      expectError(ok, 400, 'VALIDATION_FAILED');
    });
  });

  it('a body over 1 MB → 413 PAYLOAD_TOO_LARGE, on every JSON route, with and without an Idempotency-Key', async () => {
    const big = JSON.stringify({ reason: 'x'.repeat(1024 * 1024 + 10) });
    await pool(jsonRoutes(), 2, async (r) => {
      expectError(await e.req(r.method.toUpperCase(), fill(r), { as: HR, body: big, contentType: 'application/json' }), 413, 'PAYLOAD_TOO_LARGE');
      expectError(await e.req(r.method.toUpperCase(), fill(r), { as: HR, body: big, contentType: 'application/json', headers: { 'idempotency-key': randomUUID() } }), 413, 'PAYLOAD_TOO_LARGE');
    });
  });

  it('a model over 4 MB → 413; just under 1 MB of JSON is read', async () => {
    expectError(await e.req('POST', '/api/v1/definitions', { as: ADMIN, body: `<x>${'x'.repeat(4 * 1024 * 1024)}</x>`, contentType: 'application/xml' }), 413, 'PAYLOAD_TOO_LARGE');
    const nearly = JSON.stringify({ reason: 'x'.repeat(1024 * 1024 - 100) });
    expectError(await e.req('POST', `/api/v1/cases/${caseId}/cancel`, { as: HR, body: nearly, contentType: 'application/json' }), 400, 'VALIDATION_FAILED'); // reason is limited to 2000 characters
  });

  it('an unknown field → 400 VALIDATION_FAILED naming it, on every JSON route (strict schemas)', async () => {
    await pool(jsonRoutes(), 4, async (r) => {
      const res = await e.req(r.method.toUpperCase(), fill(r), { as: HR, json: { ...(VALID_BODY[key(r)] as object), bogusField: 1 } });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(JSON.stringify(res.body.error.details.issues)).toMatch(/bogusField/);
    });
  });

  it('a missing or mistyped field → 400 VALIDATION_FAILED with each issue and its path', async () => {
    const cases: Array<[string, string, unknown, string[]]> = [
      ['POST', '/api/v1/cases', {}, ['definitionKey']],
      ['POST', '/api/v1/cases', { definitionKey: 5, schoolId: ORG.schoolA, version: 1.5 }, ['definitionKey', 'version']],
      ['POST', '/api/v1/cases', { definitionKey: 'rbac', schoolId: ORG.schoolA, subjectPersonId: PEOPLE.teacherA }, ['']],
      ['POST', '/api/v1/cases', { definitionKey: 'rbac' }, ['']],
      ['POST', '/api/v1/cases', { definitionKey: 'rbac', schoolId: ORG.schoolA, variables: [] }, ['variables']],
      ['POST', '/api/v1/cases', { definitionKey: 'rbac', schoolId: ORG.schoolA, variables: { big: 'x'.repeat(300 * 1024) } }, ['variables']],
      ['POST', '/api/v1/cases', { definitionKey: '', schoolId: ORG.schoolA }, ['definitionKey']],
      ['POST', `/api/v1/cases/${caseId}/cancel`, { reason: '' }, ['reason']],
      ['POST', `/api/v1/cases/${caseId}/tasks/${joint}/sign-off`, { role: 'headteacher', decision: 'maybe' }, ['decision']],
      ['POST', `/api/v1/cases/${caseId}/tasks/${joint}/sign-off`, { decision: 'approve' }, ['role']],
      ['POST', `/api/v1/cases/${caseId}/tasks/${work}/complete`, { variables: 'done' }, ['variables']],
      ['POST', `/api/v1/cases/${caseId}/tasks/${work}/assign`, { userId: 7 }, ['userId']],
    ];
    for (const [method, path, json, paths] of cases) {
      const res = await e.req(method, path, { as: HR, json });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.body.error.details.issues.map((i: { path: string }) => i.path).sort()).toEqual([...paths].sort());
      for (const i of res.body.error.details.issues) expect(i.message).toEqual(expect.any(String));
    }
  });

  it('an unknown query parameter → 400, on every route with a query', async () => {
    await pool(routes.filter((r) => r.query), 4, async (r) => {
      const res = await e.req(r.method.toUpperCase(), `${fill(r)}?bogusParam=1`, { as: HR });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(JSON.stringify(res.body.error.details)).toMatch(/bogusParam/);
    });
  });

  it('paging is capped: pageSize over 100, zero or not a number → 400, on every paged route', async () => {
    const paged = routes.filter((r) => r.query && 'pageSize' in ((r.query as unknown as ZodObject).shape ?? {}));
    expect(paged.map(key).sort()).toEqual(['get /cases', 'get /incidents', 'get /tasks']);
    await pool(paged, 3, async (r) => {
      for (const q of ['pageSize=1000', 'pageSize=101', 'pageSize=0', 'pageSize=-1', 'pageSize=1.5', 'pageSize=ten', 'page=0', 'page=-3', 'page=abc', 'page=1&page=2']) {
        expectError(await e.req('GET', `${fill(r)}?${q}`, { as: HR }), 400, 'VALIDATION_FAILED');
      }
      const ok = await e.req('GET', `${fill(r)}?page=2&pageSize=100`, { as: HR });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ page: 2, pageSize: 100 });
    });
    for (const q of ['limit=501', 'limit=0', 'from=0', 'from=x']) expectError(await e.req('GET', `/api/v1/cases/${caseId}/events?${q}`, { as: HR }), 400, 'VALIDATION_FAILED');
    for (const q of ['status=open', 'la=']) expectError(await e.req('GET', `/api/v1/cases?${q}`, { as: HR }), 400, 'VALIDATION_FAILED');
    expectError(await e.req('GET', `/api/v1/cases/${caseId}/state?at=-1`, { as: HR }), 400, 'VALIDATION_FAILED');
    expectError(await e.req('GET', `/api/v1/cases/${caseId}/state?at=100000`, { as: HR }), 400, 'VALIDATION_FAILED');
  });

  it('a case id that is not a uuid, or no such case → 404, on every case route', async () => {
    const onCase = routes.filter((r) => r.path.includes(':id'));
    expect(onCase.length).toBeGreaterThan(10);
    await pool(onCase, 4, async (r) => {
      for (const id of ['not-a-uuid', "1' or '1'='1", randomUUID(), caseId.toUpperCase().replace(/.$/, (c) => (c === '0' ? '1' : '0'))]) {
        const res = await e.req(r.method.toUpperCase(), fill(r, { id: encodeURIComponent(id) }), { as: HR, ...(r.body ? { json: VALID_BODY[key(r)] } : {}) });
        expectError(res, 404, 'NOT_FOUND');
      }
    });
  });

  it('no such task, incident, definition, school or staff member → 404', async () => {
    for (const action of ['claim', 'unclaim', 'complete']) expectError(await e.req('POST', `/api/v1/cases/${caseId}/tasks/e999/${action}`, { as: HR, json: {} }), 404, 'NOT_FOUND');
    expectError(await e.req('GET', `/api/v1/cases/${caseId}/tasks/e999`, { as: HR }), 404, 'NOT_FOUND');
    expectError(await e.req('POST', `/api/v1/cases/${caseId}/incidents/i999/retry`, { as: HR, json: {} }), 404, 'NOT_FOUND');
    expectError(await e.req('GET', '/api/v1/definitions/no-such-process/versions/1/source', { as: HR }), 404, 'NOT_FOUND');
    expectError(await e.req('GET', '/api/v1/definitions/rbac/versions/99/source', { as: HR }), 404, 'NOT_FOUND');
    expectError(await e.req('GET', '/api/v1/definitions/rbac/versions/one/source', { as: HR }), 400, 'VALIDATION_FAILED');
    expectError(await e.req('POST', '/api/v1/cases', { as: HR, json: { definitionKey: 'no-such-process', schoolId: ORG.schoolA } }), 404, 'NOT_FOUND');
    expectError(await e.req('POST', '/api/v1/cases', { as: HR, json: { definitionKey: 'rbac', version: 99, schoolId: ORG.schoolA } }), 404, 'NOT_FOUND');
    for (const schoolId of ['no-such-school', ORG.laA, ORG.region]) expectError(await e.req('POST', '/api/v1/cases', { as: HR, json: { definitionKey: 'rbac', schoolId } }), 404, 'NOT_FOUND');
    expectError(await e.req('POST', '/api/v1/cases', { as: HR, json: { definitionKey: 'rbac', subjectPersonId: 'no-such-person' } }), 404, 'NOT_FOUND');
    expectError(await e.req('POST', '/api/v1/messages', { as: HR, json: { name: 'nothing-waits-for-this' } }), 404, 'NOT_FOUND');
  });

  it('the engine refuses what does not fit the case → 422 REJECTED, and nothing changes', async () => {
    const before = await e.req('GET', `/api/v1/cases/${caseId}`, { as: HR });
    // A jointly signed task cannot be completed, a return needs a comment, a role must be one that signs.
    const employer = PRINCIPALS.find((p) => p.role === 'la-employer')!.id;
    expectError(await e.req('POST', `/api/v1/cases/${caseId}/tasks/${joint}/complete`, { as: employer, json: {} }), 403, 'FORBIDDEN'); // not a role that signs it
    expectError(await e.req('POST', `/api/v1/cases/${caseId}/tasks/${joint}/complete`, { as: HR, json: {} }), 422, 'REJECTED'); // signs it, but by sign-off
    expectError(await e.req('POST', `/api/v1/cases/${caseId}/tasks/${joint}/sign-off`, { as: HR, json: { role: 'education-hr-officer', decision: 'return' } }), 422, 'REJECTED');
    expectError(await e.req('POST', `/api/v1/cases/${caseId}/tasks/${joint}/sign-off`, { as: HR, json: { role: 'education-hr-officer', decision: 'return', comment: '   ' } }), 422, 'REJECTED');
    // A role the caller does not hold for the case.
    expectError(await e.req('POST', `/api/v1/cases/${caseId}/tasks/${joint}/sign-off`, { as: HR, json: { role: 'headteacher', decision: 'approve' } }), 403, 'FORBIDDEN');
    const after = await e.req('GET', `/api/v1/cases/${caseId}`, { as: HR });
    expect(after.body.version).toBe(before.body.version);
  });

  it('an Idempotency-Key over 200 characters → 400', async () => {
    expectError(await e.req('POST', '/api/v1/signals', { as: ADMIN, json: { name: 'x' }, headers: { 'idempotency-key': 'k'.repeat(201) } }), 400, 'BAD_REQUEST');
  });

  it('an unknown route → 404 JSON; under /api/v1 only once authenticated (401 before), so an anonymous caller learns nothing', async () => {
    for (const [method, path, as] of [
      ['GET', '/api/v1/nope', HR], ['POST', '/api/v1/cases/x/y/z', HR], ['GET', '/api/v2/cases', HR],
      ['GET', '/nope', undefined], ['GET', '/api/v1', HR], ['GET', '/api/v1/', HR], ['GET', `/api/v1/cases/${caseId}/tasks`, HR],
    ] as const) {
      const res = await e.req(method, path, { as });
      expectError(res, 404, 'NOT_FOUND');
      expect(res.body.error.message).toMatch(/^No route/);
    }
    for (const [method, path] of [['GET', '/api/v1/nope'], ['DELETE', '/api/v1/cases'], ['PUT', `/api/v1/cases/${caseId}`]] as const) {
      expectError(await e.req(method, path, {}), 401, 'UNAUTHENTICATED');
    }
  });

  it('a method a path does not accept → 405 in the error shape', async () => {
    for (const [method, path] of [['DELETE', '/api/v1/cases'], ['PUT', `/api/v1/cases/${caseId}`]] as const) {
      expectError(await e.req(method, path, { as: HR }), 405, 'METHOD_NOT_ALLOWED');
    }
  });

  describe('deploying a model', () => {
    it('a broken model → 422 INVALID_MODEL with every diagnostic (element, rule, message), and nothing is stored', async () => {
      const res = await e.req('POST', '/api/v1/definitions', { as: ADMIN, body: fixture('broken.bpmn'), contentType: 'application/xml' });
      expectError(res, 422, 'INVALID_MODEL');
      const diags = res.body.error.details.diagnostics as Array<{ code: string; elementId: string; message: string }>;
      expect(diags.map((d) => [d.elementId, d.code]).sort()).toEqual([
        ['agree', 'signoff-without-roles'], ['f-yes', 'expression-syntax'], ['remind', 'reminder-without-period'], ['wait', 'timer-syntax'],
      ]);
      for (const d of diags) expect(d.message.length).toBeGreaterThan(10);
      expect(res.body.error.message).toMatch(/4 problems/);
      const list = await e.req('GET', '/api/v1/definitions', { as: ADMIN });
      expect(list.body.items.map((d: { key: string }) => d.key)).not.toContain('broken');
      // The same model as JSON { source } is refused the same way.
      const asJson = await e.req('POST', '/api/v1/definitions', { as: ADMIN, json: { source: fixture('broken.bpmn') } });
      expectError(asJson, 422, 'INVALID_MODEL');
      expect(asJson.body.error.details.diagnostics).toHaveLength(4);
    });

    it('XML that does not parse, or is not BPMN, or has no executable process → 422', async () => {
      for (const [body, code] of [
        ['<bpmn:definitions', 'xml-parse'],
        ['<html><body/></html>', 'xml-parse'],
        ['<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"/>', 'no-executable-process'],
      ]) {
        const res = await e.req('POST', '/api/v1/definitions', { as: ADMIN, body, contentType: 'text/xml' });
        expectError(res, 422, 'INVALID_MODEL');
        expect(res.body.error.details.diagnostics.map((d: { code: string }) => d.code)).toContain(code);
      }
    });

    it('entity expansion (billion laughs) is refused, not expanded', async () => {
      const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"><bpmn:process id="lol" name="&lol9;" isExecutable="true"><bpmn:startEvent id="s"/></bpmn:process></bpmn:definitions>`;
      const res = await e.req('POST', '/api/v1/definitions', { as: ADMIN, body: lol, contentType: 'application/xml' });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.text.length).toBeLessThan(10_000);
    });

    it('an empty body → 400; JSON without a string source → 400; JSON { source } with a good model → deployed', async () => {
      expectError(await e.req('POST', '/api/v1/definitions', { as: ADMIN, body: '  ', contentType: 'application/xml' }), 400, 'BAD_REQUEST');
      for (const json of [{}, { source: 5 }, { source: '' }]) expectError(await e.req('POST', '/api/v1/definitions', { as: ADMIN, json }), 400, 'VALIDATION_FAILED');
      expectError(await e.req('POST', '/api/v1/definitions', { as: ADMIN, body: fixture('signoff.bpmn'), contentType: 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
      const ok = await e.req('POST', '/api/v1/definitions', { as: ADMIN, json: { source: fixture('signoff.bpmn') } });
      expect(ok.status).toBe(201);
      expect(ok.body.definitions).toEqual([expect.objectContaining({ key: 'e2e-signoff', version: 1, created: true })]);
      const again = await e.req('POST', '/api/v1/definitions', { as: ADMIN, body: fixture('signoff.bpmn'), contentType: 'application/xml' });
      expect(again.status).toBe(200);
      expect(again.body.definitions).toEqual([expect.objectContaining({ key: 'e2e-signoff', version: 1, created: false })]);
      const source = await e.req('GET', '/api/v1/definitions/e2e-signoff/versions/1/source', { as: HR });
      expect(source.headers.get('content-type')).toMatch(/application\/xml/);
      expect(source.text).toBe(fixture('signoff.bpmn'));
    });
  });

  it('request ids: a sensible X-Request-Id is echoed, anything else replaced', async () => {
    const echoed = await e.req('GET', '/healthz', { headers: { 'x-request-id': 'abc-123.x' } });
    expect(echoed.headers.get('x-request-id')).toBe('abc-123.x');
    const replaced = await e.req('GET', '/nope', { headers: { 'x-request-id': 'bad id <script>' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(replaced.status).toBe(404);
  });

  it('health and readiness', async () => {
    expect((await e.req('GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await e.req('GET', '/readyz')).body).toEqual({ status: 'ready', checks: { database: 'ok' } });
    const metrics = await e.req('GET', '/metrics');
    expect(metrics.headers.get('content-type')).toMatch(/text\/plain/);
    expect(metrics.text).toMatch(/^# HELP /m);
  });

  describe('the OpenAPI document', () => {
    let doc: any;
    beforeAll(async () => {
      const res = await e.req('GET', '/openapi.json');
      expect(res.status).toBe(200);
      doc = res.body;
    });

    it('is valid OpenAPI 3.1', async () => {
      const validator = new Validator();
      const res = await validator.validate(doc);
      expect(res.errors ?? []).toEqual([]);
      expect(res.valid).toBe(true);
      expect(validator.version).toBe('3.1');
    });

    it('documents every registered route and nothing else', () => {
      const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`)).sort();
      const registered = routes.map((r) => `${r.method} /api/v1${r.path.replace(/:(\w+)/g, '{$1}')}`).sort();
      expect(documented).toEqual(registered);
      expect(registered.length).toBe(routes.length); // no route registered twice
    });

    it('each operation: a unique operationId, its path parameters, its query parameters, its request body, bearer security and error responses', () => {
      const ids = new Set<string>();
      for (const r of routes) {
        const op = doc.paths[`/api/v1${r.path.replace(/:(\w+)/g, '{$1}')}`][r.method];
        expect(ids.has(op.operationId)).toBe(false);
        ids.add(op.operationId);
        const params = op.parameters as Array<{ name: string; in: string; required: boolean }>;
        for (const m of r.path.matchAll(/:(\w+)/g)) expect(params).toContainEqual(expect.objectContaining({ name: m[1], in: 'path', required: true }));
        if (r.query) expect(params.filter((p) => p.in === 'query').map((p) => p.name).sort()).toEqual(Object.keys((r.query as unknown as ZodObject).shape).sort());
        if (r.body) expect(Object.keys(op.requestBody.content)).toEqual(['application/json']);
        if (r.rawBody) expect(Object.keys(op.requestBody.content)).toContain(r.rawBody.contentType);
        if (r.method === 'post') expect(params).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }));
        expect(op.security).toEqual([{ bearer: [] }]);
        for (const code of Object.keys(r.responses)) expect(op.responses[code]).toBeDefined();
        for (const code of ['400', '401', '403', '404']) expect(op.responses[code]).toBeDefined();
      }
      expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    });

    it('the docs page lists every operation', async () => {
      const page = await e.req('GET', '/docs');
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      for (const r of routes) expect(page.text).toContain(`${r.method.toUpperCase()} /api/v1${r.path.replace(/:(\w+)/g, '{$1}')}`);
    });
  });
});
