// Task commands over real HTTP with an Idempotency-Key: the key's record is written with the
// command (api/idempotency.ts 'in-command'), so a retry, even one sent at the same moment, is
// answered with the first response and the task completes once; the same key for another
// request is refused and does nothing; a refused command keeps no key.
import { randomUUID } from 'node:crypto';
import { expectError, fixture, ORG, PRINCIPALS, serverErrors, startServer, type E2E } from './helpers.js';

const ADMIN = PRINCIPALS.find((p) => p.role === 'admin')!.id;
const HR = PRINCIPALS.find((p) => p.role === 'education-hr-officer' && p.kind === 'la')!.id;
const EMPLOYER = PRINCIPALS.find((p) => p.role === 'la-employer')!.id; // the rbac model's "work" task is offered to la-employer

describe('task commands with an Idempotency-Key', () => {
  let e: E2E;

  beforeAll(async () => {
    e = await startServer();
    expect((await e.req('POST', '/api/v1/definitions', { as: ADMIN, body: fixture('rbac.bpmn'), contentType: 'application/xml' })).status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    const errors = e ? serverErrors(e) : [];
    await e?.close();
    expect(errors).toEqual([]);
  });

  const start = async () => {
    const res = await e.req('POST', '/api/v1/cases', { as: HR, json: { definitionKey: 'rbac', schoolId: ORG.schoolA, variables: { key: randomUUID() } } });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, version: res.body.version as number, work: res.body.active.find((a: { element: string }) => a.element === 'work').eid as string };
  };
  const completions = async (id: string, eid: string) => {
    const res = await e.req('GET', `/api/v1/cases/${id}/events?limit=500`, { as: HR });
    return res.body.items.filter((ev: { type: string; payload: { eid?: string } }) => ev.type === 'element.completed' && ev.payload.eid === eid).length;
  };
  const complete = (id: string, eid: string, key: string, variables: Record<string, unknown> = { done: true }, headers: Record<string, string> = {}) =>
    e.req('POST', `/api/v1/cases/${id}/tasks/${eid}/complete`, { as: EMPLOYER, json: { variables }, headers: { 'idempotency-key': key, ...headers } });

  it('the same completion sent five times at once completes the task once; every answer is the first response', async () => {
    const c = await start();
    const key = randomUUID();
    const all = await Promise.all(Array.from({ length: 5 }, () => complete(c.id, c.work, key)));
    expect(all.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const first = all.filter((r) => !r.headers.get('idempotent-replayed'));
    expect(first).toHaveLength(1);
    for (const r of all) {
      expect(r.body).toEqual(first[0].body);
      expect(r.headers.get('etag')).toBe(`"${c.version + 1}"`);
    }
    expect(first[0].body.active.map((s: { eid: string }) => s.eid)).not.toContain(c.work);
    expect(await completions(c.id, c.work)).toBe(1);
    // Later, too.
    const again = await complete(c.id, c.work, key);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first[0].body);
  });

  it('the key of a task command used for another request → 409 CONFLICT, and nothing is done', async () => {
    const c = await start();
    const key = randomUUID();
    expect((await e.req('POST', `/api/v1/cases/${c.id}/tasks/${c.work}/claim`, { as: EMPLOYER, headers: { 'idempotency-key': key } })).status).toBe(200);
    expectError(await complete(c.id, c.work, key), 409, 'CONFLICT');
    expectError(await complete(c.id, c.work, key, { done: false }), 409, 'CONFLICT');
    expect(await completions(c.id, c.work)).toBe(0);
    const view = await e.req('GET', `/api/v1/cases/${c.id}/tasks/${c.work}`, { as: EMPLOYER });
    expect(view.body.task).toMatchObject({ eid: c.work, assignee: EMPLOYER });
  });

  it('a refused task command keeps no key: the corrected request with the same key runs', async () => {
    const c = await start();
    const key = randomUUID();
    expectError(await complete(c.id, c.work, key, { done: true }, { 'if-match': `"${c.version + 5}"` }), 412, 'PRECONDITION_FAILED');
    const ok = await complete(c.id, c.work, key, { done: true }, { 'if-match': `"${c.version}"` });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('idempotent-replayed')).toBeNull();
    expect(await completions(c.id, c.work)).toBe(1);
  });
});
