// JWT attacks over real HTTP: every token that must not be accepted gets 401 with the error
// shape and WWW-Authenticate; a valid token for a user Camau does not know is not an error
// (it simply holds no roles: empty inbox, 403 on actions, 404 on cases), never a 500.
import { randomUUID } from 'node:crypto';
import { SignJWT, base64url } from 'jose';
import { DEV_AUDIENCE, DEV_ISSUER } from '../../api/auth.js';
import { expectError, fixture, KEY, ORG, PRINCIPALS, serverErrors, startServer, type E2E } from './helpers.js';

const HR = PRINCIPALS.find((p) => p.role === 'education-hr-officer')!.id;
const ADMIN = PRINCIPALS.find((p) => p.role === 'admin')!.id;
const enc = (o: object) => base64url.encode(JSON.stringify(o));
const now = () => Math.floor(Date.now() / 1000);

/** A token signed with the dev key, with the claims overridden as given (undefined drops one). */
async function signed(claims: Record<string, unknown>, opts: { key?: Uint8Array; alg?: string } = {}): Promise<string> {
  const payload: Record<string, unknown> = { sub: HR, iss: DEV_ISSUER, aud: DEV_AUDIENCE, iat: now(), exp: now() + 600, ...claims };
  for (const k of Object.keys(payload)) if (payload[k] === undefined) delete payload[k];
  return new SignJWT(payload).setProtectedHeader({ alg: opts.alg ?? 'HS256' }).sign(opts.key ?? KEY);
}

describe('JWT attacks', () => {
  let e: E2E;
  let caseId: string;

  beforeAll(async () => {
    e = await startServer();
    expect((await e.req('POST', '/api/v1/definitions', { as: ADMIN, body: fixture('signoff.bpmn'), contentType: 'application/xml' })).status).toBe(201);
    const c = await e.req('POST', '/api/v1/cases', { as: HR, json: { definitionKey: 'e2e-signoff', schoolId: ORG.schoolA } });
    expect(c.status).toBe(201);
    caseId = c.body.id;
  }, 60_000);
  afterAll(async () => {
    const errors = e ? serverErrors(e) : [];
    await e?.close();
    expect(errors).toEqual([]);
  });

  it('accepts a valid token (the control), with the scheme in any case', async () => {
    expect((await e.req('GET', '/api/v1/cases', { authorization: `Bearer ${await signed({})}` })).status).toBe(200);
    expect((await e.req('GET', '/api/v1/cases', { authorization: `bearer ${await signed({})}` })).status).toBe(200);
  });

  const attacks: Array<[string, () => Promise<string>]> = [
    ['no Authorization header', async () => ''],
    ['alg "none" with no signature', async () => `Bearer ${enc({ alg: 'none', typ: 'JWT' })}.${enc({ sub: HR, iss: DEV_ISSUER, aud: DEV_AUDIENCE, exp: now() + 600 })}.`],
    ['alg "None" with the signature of a valid token', async () => {
      const [, , sig] = (await signed({})).split('.');
      return `Bearer ${enc({ alg: 'None' })}.${enc({ sub: HR, iss: DEV_ISSUER, aud: DEV_AUDIENCE, exp: now() + 600 })}.${sig}`;
    }],
    ['signed with a wrong key', async () => `Bearer ${await signed({}, { key: new TextEncoder().encode('not-the-test-key') })}`],
    ['signed with the right key but HS512 (not an allowed algorithm)', async () => `Bearer ${await signed({}, { alg: 'HS512' })}`],
    ['a payload changed after signing (sub swapped for the admin)', async () => {
      const [h, , s] = (await signed({})).split('.');
      return `Bearer ${h}.${enc({ sub: ADMIN, iss: DEV_ISSUER, aud: DEV_AUDIENCE, exp: now() + 600 })}.${s}`;
    }],
    ['expired', async () => `Bearer ${await signed({ iat: now() - 7200, exp: now() - 3600 })}`],
    ['not valid yet (nbf in an hour)', async () => `Bearer ${await signed({ nbf: now() + 3600 })}`],
    ['wrong audience', async () => `Bearer ${await signed({ aud: 'another-service' })}`],
    ['no audience', async () => `Bearer ${await signed({ aud: undefined })}`],
    ['wrong issuer', async () => `Bearer ${await signed({ iss: 'https://evil.example' })}`],
    ['no issuer', async () => `Bearer ${await signed({ iss: undefined })}`],
    ['no sub', async () => `Bearer ${await signed({ sub: undefined })}`],
    ['an empty sub', async () => `Bearer ${await signed({ sub: '' })}`],
    ['malformed: "Bearer" and nothing', async () => 'Bearer'],
    ['malformed: "Bearer " and spaces', async () => 'Bearer    '],
    ['malformed: another scheme (Basic)', async () => `Basic ${Buffer.from(`${HR}:secret`).toString('base64')}`],
    ['malformed: the token without a scheme', async () => signed({})],
    ['malformed: two tokens', async () => `Bearer ${await signed({})} ${await signed({})}`],
    ['malformed: not a JWT', async () => 'Bearer not-a-jwt'],
    ['malformed: three parts of garbage', async () => 'Bearer a.b.c'],
    ['malformed: a header that is not JSON', async () => `Bearer ${base64url.encode('{not json')}.${enc({ sub: HR })}.x`],
    ['malformed: a JWE-shaped token (five parts)', async () => `Bearer ${enc({ alg: 'dir', enc: 'A256GCM' })}.a.b.c.d`],
  ];

  it.each(attacks)('%s → 401 UNAUTHENTICATED with WWW-Authenticate, on a read and on a command', async (_name, make) => {
    const authorization = await make();
    for (const [method, path, json] of [['GET', '/api/v1/cases', undefined], ['GET', `/api/v1/cases/${caseId}`, undefined], ['POST', '/api/v1/cases', { definitionKey: 'e2e-signoff', schoolId: ORG.schoolA }]] as const) {
      const res = await e.req(method, path, { authorization, ...(json ? { json } : {}) });
      expectError(res, 401, 'UNAUTHENTICATED');
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('nothing was created by a refused token', async () => {
    const cases = await e.req('GET', '/api/v1/cases?definitionKey=e2e-signoff', { as: HR });
    expect(cases.body.total).toBe(1);
  });

  describe('a valid token for a user Camau does not know', () => {
    const stranger = `stranger-${randomUUID()}`;
    it('has an empty inbox', async () => {
      const res = await e.req('GET', '/api/v1/tasks', { as: stranger });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ items: [], total: 0 });
    });
    it('cannot see a case (404, as if it did not exist)', async () => {
      expectError(await e.req('GET', `/api/v1/cases/${caseId}`, { as: stranger }), 404, 'NOT_FOUND');
      expectError(await e.req('GET', `/api/v1/cases/${caseId}/events`, { as: stranger }), 404, 'NOT_FOUND');
    });
    it('is refused every action and every list that needs a role (403)', async () => {
      for (const [method, path, json] of [
        ['GET', '/api/v1/cases', undefined],
        ['GET', '/api/v1/definitions', undefined],
        ['GET', '/api/v1/incidents', undefined],
        ['GET', '/api/v1/reports/open-cases', undefined],
        ['POST', '/api/v1/cases', { definitionKey: 'e2e-signoff', schoolId: ORG.schoolA }],
        ['POST', '/api/v1/messages', { name: 'anything' }],
        ['POST', '/api/v1/signals', { name: 'anything' }],
      ] as const) {
        const res = await e.req(method, path, { as: stranger, ...(json ? { json } : {}) });
        expectError(res, 403, 'FORBIDDEN');
      }
      const deploy = await e.req('POST', '/api/v1/definitions', { as: stranger, body: fixture('signoff.bpmn'), contentType: 'application/xml' });
      expectError(deploy, 403, 'FORBIDDEN');
    });
    it('cannot act on a task of a case it cannot see (404)', async () => {
      const view = await e.req('GET', `/api/v1/cases/${caseId}`, { as: HR });
      const eid = view.body.active[0].eid;
      expectError(await e.req('POST', `/api/v1/cases/${caseId}/tasks/${eid}/sign-off`, { as: stranger, json: { role: 'education-hr-officer', decision: 'approve' } }), 404, 'NOT_FOUND');
    });
  });

  it('health, readiness and the OpenAPI document need no token', async () => {
    for (const path of ['/healthz', '/readyz', '/openapi.json', '/docs', '/metrics']) expect((await e.req('GET', path)).status).toBe(200);
  });
});
