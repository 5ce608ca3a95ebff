// End-to-end tests over real HTTP: the Koa app listening on 127.0.0.1 (an ephemeral port)
// against a fresh PostgreSQL database, called with fetch and bearer tokens signed with a fixed
// development key. Every response is recorded, so a file can assert that none was a 500.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { createApp } from '../../api/app.js';
import { DEV_AUDIENCE, DEV_ISSUER, devToken, type AuthConfig } from '../../api/auth.js';
import { systemAccess } from '../../db/access.js';
import { insertOrganisations, insertPeople, insertUser } from '../../db/repositories/organisations.js';
import { systemClock } from '../../runtime/clock.js';
import { DefinitionCache } from '../../runtime/definitions.js';
import type { Runtime } from '../../runtime/runtime.js';
import type { Queues } from '../../workers/queues/types.js';
import { bundledCalendars } from '../../workflows/calendars/runtime.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ORG as BASE_ORG, PEOPLE as BASE_PEOPLE, seed } from '../helpers/seed.js';

export const KEY = new TextEncoder().encode('test-key');
export const AUTH: AuthConfig = { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, key: KEY, algorithms: ['HS256'] };

/** The test world of test/helpers/seed.ts plus a second region (LA C, school C) that nobody below works in. */
export const ORG = { ...BASE_ORG, region2: 'region-gogledd', laC: 'la-conwy', schoolC: 'school-ysgol-c' };
export const PEOPLE = { ...BASE_PEOPLE, teacherA2: 'person-teacher-a2', teacherC: 'person-teacher-c' };

/** A user holding exactly one role at one organisation. */
export interface Principal {
  id: string;
  role: string;
  org: string;
  kind: 'region' | 'la' | 'school';
}

const principal = (role: string, org: string, kind: Principal['kind']): Principal => ({ id: `p.${role}@${org}`, role, org, kind });

/** One user per role the product names (issue 5): region roles at region 1, LA roles at LA A, school roles at school A, Welsh Government and admin at region 1. */
export const PRINCIPALS: Principal[] = [
  ...['managing-director', 'lead-head-of-hr', 'lead-education-hr-officer', 'challenge-adviser', 'auditor'].map((r) => principal(r, ORG.region, 'region')),
  ...['education-hr-officer', 'lead-education-hr-officer', 'la-employer'].map((r) => principal(r, ORG.laA, 'la')),
  ...['headteacher', 'chair-of-governors', 'governor'].map((r) => principal(r, ORG.schoolA, 'school')),
  principal('welsh-government', ORG.region, 'region'),
  principal('admin', ORG.region, 'region'),
];

/** Seeds test/helpers/seed.ts, the second region and one user per principal. */
export async function seedWorld(t: TestDb, extraUsers: Array<{ id: string; roles: Array<[string, string]> }> = []): Promise<void> {
  await seed(t.db);
  await t.db.transaction(systemAccess('e2e seed'), async (trx) => {
    await insertOrganisations(trx, [{ id: ORG.region2, kind: 'region', name: 'North Wales' }]);
    await insertOrganisations(trx, [{ id: ORG.laC, kind: 'la', name: 'Conwy', parent_id: ORG.region2 }]);
    await insertOrganisations(trx, [{ id: ORG.schoolC, kind: 'school', name: 'Ysgol C', parent_id: ORG.laC, category: 'community' }]);
    await insertPeople(trx, [
      { id: PEOPLE.teacherA2, la_id: ORG.laA, organisation_id: ORG.schoolA2, kind: 'staff', name: 'Teacher A2', language: 'en' },
      { id: PEOPLE.teacherC, la_id: ORG.laC, organisation_id: ORG.schoolC, kind: 'staff', name: 'Teacher C', language: 'en' },
    ]);
    for (const p of PRINCIPALS) await insertUser(trx, { id: p.id, display_name: `${p.role} at ${p.org}` }, [{ role: p.role, organisation_id: p.org }]);
    for (const u of extraUsers) await insertUser(trx, { id: u.id, display_name: u.id }, u.roles.map(([role, organisation_id]) => ({ role, organisation_id })));
    // A colleague without roles, to whom tasks can be assigned.
    await insertUser(trx, { id: 'someone-else', display_name: 'Someone else' }, []);
  });
}

export interface Recorded {
  method: string;
  path: string;
  status: number;
}

export interface Res<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface ReqOptions {
  /** A user id (a token is signed for it), a raw Authorization header value via `authorization`, or neither. */
  as?: string;
  authorization?: string;
  json?: unknown;
  body?: string | Uint8Array;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface E2E {
  url: string;
  rt: Runtime;
  t: TestDb;
  responses: Recorded[];
  token(userId: string): Promise<string>;
  req<T = any>(method: string, path: string, opts?: ReqOptions): Promise<Res<T>>;
  close(): Promise<void>;
}

export function e2eRuntime(t: TestDb): Runtime {
  return { db: t.db, clock: systemClock, definitions: new DefinitionCache(), newId: randomUUID, calendars: bundledCalendars };
}

/** A fresh database, seeded, and the API listening on 127.0.0.1. */
export async function startServer(opts: { queues?: (rt: Runtime) => Queues; seed?: (t: TestDb) => Promise<void> } = {}): Promise<E2E> {
  const t = await createTestDb('pg');
  await (opts.seed ?? ((x) => seedWorld(x)))(t);
  const rt = e2eRuntime(t);
  const app = createApp({ rt, auth: AUTH, queues: opts.queues?.(rt), log: pino({ level: process.env.E2E_LOG ?? 'silent' }) });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tokens = new Map<string, string>();
  const responses: Recorded[] = [];
  const token = async (userId: string) => {
    if (!tokens.has(userId)) tokens.set(userId, await devToken(userId, KEY));
    return tokens.get(userId)!;
  };
  return {
    url, rt, t, responses, token,
    async req(method, path, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.as) headers.authorization = `Bearer ${await token(o.as)}`;
      if (o.authorization !== undefined) headers.authorization = o.authorization;
      let body: string | Uint8Array | undefined = o.body;
      if (o.json !== undefined) {
        body = JSON.stringify(o.json);
        headers['content-type'] ??= 'application/json';
      }
      if (o.contentType) headers['content-type'] = o.contentType;
      const r = await fetch(url + path, { method, headers, body: body as BodyInit | undefined });
      const text = await r.text();
      let parsed: unknown = text;
      if ((r.headers.get('content-type') ?? '').includes('json')) {
        try { parsed = JSON.parse(text); } catch { parsed = text; }
      }
      responses.push({ method, path, status: r.status });
      return { status: r.status, headers: r.headers, body: parsed as any, text };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.drop();
    },
  };
}

/** Asserts the error shape `{ error: { code, message, details? } }`, the status and the code. */
export function expectError(res: Res, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.error?.code, ...(res.status === status ? {} : { message: res.body?.error?.message }) }).toEqual({ status, code });
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  expect(typeof res.body.error.message).toBe('string');
  expect(res.body.error.message.length).toBeGreaterThan(0);
  expect(Object.keys(res.body)).toEqual(['error']);
  for (const k of Object.keys(res.body.error)) expect(['code', 'message', 'details']).toContain(k);
  if ('details' in res.body.error) expect(typeof res.body.error.details).toBe('object');
  expect(res.headers.get('x-request-id')).toBeTruthy();
}

/** Responses that were 500s (a 500 is always a bug: DESIGN §7). */
export const serverErrors = (e: E2E) => e.responses.filter((r) => r.status >= 500);

export const fixture = (name: string) => readFileSync(new URL(`../fixtures/api/${name}`, import.meta.url), 'utf8');

/** Runs `fn` over `items` with at most `n` at a time. */
export async function pool<T, R>(items: T[], n: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  }));
  return out;
}

/** The element instance id of the open wait at element `el` in a case view or snapshot. */
export function eidOf(view: { active?: Array<{ eid: string; element: string }> }, el: string): string {
  const a = view.active?.find((x) => x.element === el);
  if (!a) throw new Error(`no active ${el} in ${JSON.stringify(view.active)}`);
  return a.eid;
}
