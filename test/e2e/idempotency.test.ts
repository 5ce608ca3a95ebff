// Idempotency-Key, If-Match and concurrent commands over real HTTP: a retried POST returns the
// first response and does nothing twice; keys are per user; two people signing off one task at
// the same moment are both recorded and the task completes once; a stale If-Match is 412.
import { randomUUID } from 'node:crypto';
import { systemAccess } from '../../db/access.js';
import { expectError, fixture, ORG, PRINCIPALS, serverErrors, startServer, seedWorld, type E2E, type Res } from './helpers.js';
import { USERS } from '../helpers/seed.js';

const ADMIN = PRINCIPALS.find((p) => p.role === 'admin')!.id;
const ADVISER = USERS.adviser; // challenge-adviser, region
const ADVISER2 = 'adviser-2'; // challenge-adviser, region
const HR = USERS.hrA; // education-hr-officer, LA A
const HR2 = 'hr-a-2'; // education-hr-officer, LA A
const DUAL = 'dual-role'; // challenge-adviser at the region and education-hr-officer at LA A

interface HistoryItem { seq: number; type: string; payload: Record<string, any> }

describe('idempotency, If-Match and concurrency over HTTP', () => {
  let e: E2E;

  beforeAll(async () => {
    e = await startServer({
      seed: (t) => seedWorld(t, [
        { id: ADVISER2, roles: [['challenge-adviser', ORG.region]] },
        { id: HR2, roles: [['education-hr-officer', ORG.laA]] },
        { id: DUAL, roles: [['challenge-adviser', ORG.region], ['education-hr-officer', ORG.laA]] },
      ]),
    });
    expect((await e.req('POST', '/api/v1/definitions', { as: ADMIN, body: fixture('signoff.bpmn'), contentType: 'application/xml' })).status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    const errors = e ? serverErrors(e) : [];
    await e?.close();
    expect(errors).toEqual([]);
  });

  const start = async (as = HR, variables: Record<string, unknown> = {}) => {
    const res = await e.req('POST', '/api/v1/cases', { as, json: { definitionKey: 'e2e-signoff', schoolId: ORG.schoolA, variables } });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, agree: res.body.active.find((a: { element: string }) => a.element === 'agree').eid as string, version: res.body.version as number };
  };
  const history = async (id: string): Promise<HistoryItem[]> => {
    const res = await e.req('GET', `/api/v1/cases/${id}/events?limit=500`, { as: HR });
    expect(res.status).toBe(200);
    return res.body.items;
  };
  const casesWithKey = (businessKey: string) => e.t.db.transaction(systemAccess('test'), (trx) => trx('cases').where({ business_key: businessKey }).pluck('id'));
  const signOff = (id: string, eid: string, as: string, role: string, headers: Record<string, string> = {}, decision = 'approve') =>
    e.req('POST', `/api/v1/cases/${id}/tasks/${eid}/sign-off`, { as, json: { role, decision, ...(decision === 'return' ? { comment: 'Please revise' } : {}) }, headers });

  describe('Idempotency-Key', () => {
    it('a retried start returns the first response, marked replayed, and starts one case with one history', async () => {
      const idem = randomUUID();
      const businessKey = `bk-${idem}`;
      const body = { definitionKey: 'e2e-signoff', schoolId: ORG.schoolA, businessKey, variables: { note: 'first' } };
      const first = await e.req('POST', '/api/v1/cases', { as: HR, json: body, headers: { 'idempotency-key': idem } });
      expect(first.status).toBe(201);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      const events = await history(first.body.id);
      for (let i = 0; i < 3; i++) {
        const again = await e.req('POST', '/api/v1/cases', { as: HR, json: body, headers: { 'idempotency-key': idem } });
        expect(again.status).toBe(201);
        expect(again.headers.get('idempotent-replayed')).toBe('true');
        expect(again.body).toEqual(first.body);
      }
      expect(await casesWithKey(businessKey)).toEqual([first.body.id]);
      expect(await history(first.body.id)).toEqual(events);
    });

    it('a retried command (a sign-off) is applied once', async () => {
      const c = await start();
      const idem = randomUUID();
      const first = await signOff(c.id, c.agree, HR, 'education-hr-officer', { 'idempotency-key': idem });
      expect(first.status).toBe(200);
      const events = await history(c.id);
      const again = await signOff(c.id, c.agree, HR, 'education-hr-officer', { 'idempotency-key': idem });
      expect(again.status).toBe(200);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await history(c.id)).toEqual(events);
      // Without the key the same request is a new one, and the sign-off rules refuse it.
      expectError(await signOff(c.id, c.agree, HR, 'education-hr-officer'), 422, 'REJECTED');
    });

    it('the same key with a different body, or for another route, → 409 CONFLICT, and nothing is done', async () => {
      const idem = randomUUID();
      const businessKey = `bk-${idem}`;
      expect((await e.req('POST', '/api/v1/cases', { as: HR, json: { definitionKey: 'e2e-signoff', schoolId: ORG.schoolA, businessKey }, headers: { 'idempotency-key': idem } })).status).toBe(201);
      const changed = await e.req('POST', '/api/v1/cases', { as: HR, json: { definitionKey: 'e2e-signoff', schoolId: ORG.schoolA2, businessKey }, headers: { 'idempotency-key': idem } });
      expectError(changed, 409, 'CONFLICT');
      const elsewhere = await e.req('POST', '/api/v1/signals', { as: ADMIN, json: { name: 'x' }, headers: { 'idempotency-key': idem } });
      expect(elsewhere.status).toBe(200); // another user: a key of their own
      const otherRoute = await e.req('POST', '/api/v1/messages', { as: HR, json: { name: 'x' }, headers: { 'idempotency-key': idem } });
      expectError(otherRoute, 409, 'CONFLICT');
      expect(await casesWithKey(businessKey)).toHaveLength(1);
    });

    it('keys are per user: the same key and body from another user is their own request', async () => {
      const idem = randomUUID();
      const body = { definitionKey: 'e2e-signoff', schoolId: ORG.schoolA, businessKey: `bk-${idem}` };
      const mine = await e.req('POST', '/api/v1/cases', { as: HR, json: body, headers: { 'idempotency-key': idem } });
      const theirs = await e.req('POST', '/api/v1/cases', { as: HR2, json: body, headers: { 'idempotency-key': idem } });
      expect([mine.status, theirs.status]).toEqual([201, 201]);
      expect(theirs.headers.get('idempotent-replayed')).toBeNull();
      expect(theirs.body.id).not.toBe(mine.body.id);
      expect((await casesWithKey(`bk-${idem}`)).sort()).toEqual([mine.body.id, theirs.body.id].sort());
      // And one user cannot read another's stored response by guessing the key.
      const adviser = await e.req('POST', '/api/v1/cases', { as: ADVISER, json: body, headers: { 'idempotency-key': idem } });
      expect(adviser.headers.get('idempotent-replayed')).toBeNull();
      expect([mine.body.id, theirs.body.id]).not.toContain(adviser.body.id);
    });

    it('a refused request keeps no key: the corrected request with the same key runs', async () => {
      const idem = randomUUID();
      expectError(await e.req('POST', '/api/v1/cases', { as: HR, json: { definitionKey: 'e2e-signoff', schoolId: ORG.schoolA, bogus: 1 }, headers: { 'idempotency-key': idem } }), 400, 'VALIDATION_FAILED');
      expectError(await e.req('POST', '/api/v1/cases', { as: HR, json: { definitionKey: 'e2e-signoff', schoolId: ORG.schoolB }, headers: { 'idempotency-key': idem } }), 403, 'FORBIDDEN');
      const ok = await e.req('POST', '/api/v1/cases', { as: HR, json: { definitionKey: 'e2e-signoff', schoolId: ORG.schoolA }, headers: { 'idempotency-key': idem } });
      expect(ok.status).toBe(201);
      expect(ok.headers.get('idempotent-replayed')).toBeNull();
    });

    it('the same key sent several times at once starts one case; the others wait their turn (409) or replay it', async () => {
      const idem = randomUUID();
      const businessKey = `bk-${idem}`;
      const body = { definitionKey: 'e2e-signoff', schoolId: ORG.schoolA, businessKey };
      const all = await Promise.all(Array.from({ length: 6 }, () => e.req('POST', '/api/v1/cases', { as: HR, json: body, headers: { 'idempotency-key': idem } })));
      const ids = await casesWithKey(businessKey);
      expect(ids).toHaveLength(1);
      for (const r of all) {
        if (r.status === 409) expectError(r, 409, 'IDEMPOTENCY_IN_PROGRESS');
        else {
          expect(r.status).toBe(201);
          expect(r.body.id).toBe(ids[0]);
        }
      }
      expect(all.filter((r) => r.status === 201 && !r.headers.get('idempotent-replayed'))).toHaveLength(1);
    });

    it('GET ignores an Idempotency-Key', async () => {
      const idem = randomUUID();
      const a = await e.req('GET', '/api/v1/cases?pageSize=1', { as: HR, headers: { 'idempotency-key': idem } });
      const b = await e.req('GET', '/api/v1/cases?pageSize=1', { as: HR, headers: { 'idempotency-key': idem } });
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(b.headers.get('idempotent-replayed')).toBeNull();
    });
  });

  describe('joint sign-off under concurrency', () => {
    const completions = (events: HistoryItem[], eid: string) => events.filter((ev) => ev.type === 'element.completed' && ev.payload.eid === eid);
    const activations = (events: HistoryItem[], el: string) => events.filter((ev) => ev.type === 'element.activated' && ev.payload.el === el);

    it('two people signing for different roles at the same moment: both recorded, the task completes once', async () => {
      for (let round = 0; round < 5; round++) {
        const c = await start();
        const [a, b] = await Promise.all([signOff(c.id, c.agree, ADVISER, 'challenge-adviser'), signOff(c.id, c.agree, HR, 'education-hr-officer')]);
        expect([a.status, b.status]).toEqual([200, 200]);
        const events = await history(c.id);
        expect(completions(events, c.agree)).toHaveLength(1);
        expect(activations(events, 'next')).toHaveLength(1);
        const signed = events.filter((ev) => ev.type === 'task.updated' && ev.payload.eid === c.agree).at(-1)!.payload.task.signoffs;
        expect(signed.map((s: { role: string; userId: string; decision: string }) => [s.role, s.userId, s.decision]).sort()).toEqual([
          ['challenge-adviser', ADVISER, 'approve'], ['education-hr-officer', HR, 'approve'],
        ]);
        const view = await e.req('GET', `/api/v1/cases/${c.id}`, { as: HR });
        expect(view.body.active.map((s: { element: string }) => s.element)).toEqual(['next']);
        expect(view.body.variables).toMatchObject({ signoffOutcome: 'approved' });
        expect(view.body.version).toBe(3);
        const inbox = await e.req('GET', '/api/v1/tasks?pageSize=100', { as: HR2 });
        expect(inbox.body.items.filter((t: { caseId: string }) => t.caseId === c.id).map((t: { element: string }) => t.element)).toEqual(['next']);
        expect((await e.req('GET', `/api/v1/cases/${c.id}/verify`, { as: HR })).body).toMatchObject({ ok: true });
      }
    });

    it('two sign-offs sent with the same If-Match at the same moment: one is applied, the other 412', async () => {
      const c = await start();
      const headers = { 'if-match': `"${c.version}"` };
      const results = await Promise.all([signOff(c.id, c.agree, ADVISER, 'challenge-adviser', headers), signOff(c.id, c.agree, HR, 'education-hr-officer', headers)]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
      const stale = results.find((r) => r.status === 412)!;
      expectError(stale, 412, 'PRECONDITION_FAILED');
      expect(stale.body.error.details).toEqual({ currentVersion: c.version + 1 });
      const ok = results.find((r) => r.status === 200)!;
      expect(ok.headers.get('etag')).toBe(`"${c.version + 1}"`);
      const events = await history(c.id);
      expect(completions(events, c.agree)).toHaveLength(0);
      expect(events.filter((ev) => ev.type === 'task.updated')).toHaveLength(1);
    });

    it('two people signing for the same role at the same moment: one is recorded, the other refused (422)', async () => {
      const c = await start();
      const results = await Promise.all([signOff(c.id, c.agree, HR, 'education-hr-officer'), signOff(c.id, c.agree, HR2, 'education-hr-officer')]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 422]);
      expectError(results.find((r) => r.status === 422)!, 422, 'REJECTED');
      const view = await e.req('GET', `/api/v1/cases/${c.id}/tasks/${c.agree}`, { as: HR });
      expect(view.body.task.signoff).toMatchObject({ roles: ['challenge-adviser', 'education-hr-officer'], outstanding: ['challenge-adviser'] });
      expect(view.body.task.signoff.signoffs).toHaveLength(1);
    });

    it('one person may not sign for two roles; the author may not approve; a return needs a comment and sends it back', async () => {
      const c = await start(HR, { author: ADVISER });
      expect((await signOff(c.id, c.agree, DUAL, 'education-hr-officer')).status).toBe(200);
      const twice = await signOff(c.id, c.agree, DUAL, 'challenge-adviser');
      expectError(twice, 422, 'REJECTED');
      expect(twice.body.error.message).toMatch(/two roles/);
      const author = await signOff(c.id, c.agree, ADVISER, 'challenge-adviser');
      expectError(author, 422, 'REJECTED');
      expect(author.body.error.message).toMatch(/authored/);
      expectError(await e.req('POST', `/api/v1/cases/${c.id}/tasks/${c.agree}/sign-off`, { as: ADVISER2, json: { role: 'challenge-adviser', decision: 'return' } }), 422, 'REJECTED');
      const returned = await signOff(c.id, c.agree, ADVISER2, 'challenge-adviser', {}, 'return');
      expect(returned.status).toBe(200);
      expect(returned.body.variables).toMatchObject({ signoffOutcome: 'returned', signoffComment: 'Please revise', signoffBy: ADVISER2 });
      expect(returned.body.active.map((s: { element: string }) => s.element)).toEqual(['next']); // this model goes on either way
    });
  });

  describe('If-Match', () => {
    const claimAs = PRINCIPALS.find((p) => p.role === 'education-hr-officer')!.id;

    it('the current version (strong or weak) is accepted and the new ETag returned; a stale one → 412 and nothing changes', async () => {
      const c = await start();
      const view = await e.req('GET', `/api/v1/cases/${c.id}`, { as: HR });
      expect(view.headers.get('etag')).toBe(`"${c.version}"`);
      const signed = await signOff(c.id, c.agree, HR, 'education-hr-officer', { 'if-match': view.headers.get('etag')! });
      expect(signed.status).toBe(200);
      expect(signed.headers.get('etag')).toBe(`"${c.version + 1}"`);
      const before = await history(c.id);
      for (const stale of [`"${c.version}"`, `W/"${c.version}"`, String(c.version), '"999"', '"0"']) {
        expectError(await signOff(c.id, c.agree, ADVISER, 'challenge-adviser', { 'if-match': stale }), 412, 'PRECONDITION_FAILED');
        expectError(await e.req('POST', `/api/v1/cases/${c.id}/cancel`, { as: HR, json: { reason: 'x' }, headers: { 'if-match': stale } }), 412, 'PRECONDITION_FAILED');
      }
      expect(await history(c.id)).toEqual(before);
      const weak = await signOff(c.id, c.agree, ADVISER, 'challenge-adviser', { 'if-match': `W/"${c.version + 1}"` });
      expect(weak.status).toBe(200);
      const next = weak.body.active[0].eid;
      expect((await e.req('POST', `/api/v1/cases/${c.id}/tasks/${next}/claim`, { as: claimAs, headers: { 'if-match': `"${c.version + 2}"` } })).status).toBe(200);
      expectError(await e.req('POST', `/api/v1/cases/${c.id}/tasks/${next}/complete`, { as: claimAs, json: {}, headers: { 'if-match': `"${c.version + 2}"` } }), 412, 'PRECONDITION_FAILED');
    });

    it('an If-Match that is not a version → 400 BAD_REQUEST, and nothing changes', async () => {
      const c = await start();
      for (const bad of ['abc', 'W/"x"', '"1", "2"', '-1', '1.5', 'W/']) {
        expectError(await signOff(c.id, c.agree, HR, 'education-hr-officer', { 'if-match': bad }), 400, 'BAD_REQUEST');
        expectError(await e.req('POST', `/api/v1/cases/${c.id}/cancel`, { as: HR, json: { reason: 'x' }, headers: { 'if-match': bad } }), 400, 'BAD_REQUEST');
      }
      const view: Res = await e.req('GET', `/api/v1/cases/${c.id}`, { as: HR });
      expect(view.body).toMatchObject({ status: 'active', version: c.version });
    });
  });
});
