// Sign-in, sessions, CSRF, language and the security headers of the pages, over real HTTP; and
// OIDC sign-in in the browser against a small issuer run by the test (authorization code flow
// with PKCE, state and nonce; RS256 ID tokens from its JWKS).
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createApp } from '../../api/app.js';
import { DEV_AUDIENCE, DEV_ISSUER, devToken } from '../../api/auth.js';
import { mountWeb } from '../../web/index.js';
import { translator } from '../../web/i18n.js';
import { KEY, newPage, startWeb, type WebWorld } from './web-helpers.js';

/** Requests with a cookie jar, redirects not followed. */
function browserless(base: string) {
  const jar = new Map<string, string>();
  return {
    jar,
    async req(method: string, path: string, opts: { form?: Record<string, string>; headers?: Record<string, string> } = {}) {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      if (jar.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      if (opts.form) headers['content-type'] = 'application/x-www-form-urlencoded';
      const res = await fetch(base + path, { method, headers, body: opts.form ? new URLSearchParams(opts.form).toString() : undefined, redirect: 'manual' });
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const i = pair.indexOf('=');
        const v = pair.slice(i + 1);
        if (v === '' || /max-age=0|expires=Thu, 01 Jan 1970/i.test(c)) jar.delete(pair.slice(0, i));
        else jar.set(pair.slice(0, i), v);
      }
      return { res, text: await res.text(), cookies: res.headers.getSetCookie() };
    },
  };
}

/** Text as the pages write it (HTML-escaped). */
const html = (s: string) => s.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;');
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const langOf = (html: string) => /<html lang="(\w+)"/.exec(html)?.[1];

/** A minimal OpenID Provider: discovery, authorize (answers at once as `who`), token, JWKS. */
async function startIssuer(clientId: string, clientSecret: string) {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, { nonce: string; challenge: string; redirect: string; who: Record<string, unknown> }>();
  const state = { who: {} as Record<string, unknown>, tokenRequests: 0 };
  let issuer = '';
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url!, issuer);
    const json = (status: number, body: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, { issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`, response_types_supported: ['code'], subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'], code_challenge_methods_supported: ['S256'], token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'] });
    }
    if (url.pathname === '/jwks') return json(200, { keys: [jwk] });
    if (url.pathname === '/authorize') {
      const p = url.searchParams;
      if (p.get('client_id') !== clientId || p.get('code_challenge_method') !== 'S256' || !p.get('nonce') || !p.get('state')) return json(400, { error: 'invalid_request' });
      const code = randomUUID();
      codes.set(code, { nonce: p.get('nonce')!, challenge: p.get('code_challenge')!, redirect: p.get('redirect_uri')!, who: state.who });
      res.writeHead(302, { location: `${p.get('redirect_uri')}?code=${code}&state=${encodeURIComponent(p.get('state')!)}` });
      return res.end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      state.tokenRequests++;
      let body = '';
      for await (const chunk of req) body += chunk;
      const f = new URLSearchParams(body);
      const basic = req.headers.authorization?.startsWith('Basic ') ? Buffer.from(req.headers.authorization.slice(6), 'base64').toString().split(':').map(decodeURIComponent) : [f.get('client_id'), f.get('client_secret')];
      const grant = codes.get(f.get('code') ?? '');
      codes.delete(f.get('code') ?? '');
      if (basic[0] !== clientId || basic[1] !== clientSecret || !grant || grant.redirect !== f.get('redirect_uri')
        || createHash('sha256').update(f.get('code_verifier') ?? '').digest('base64url') !== grant.challenge) return json(400, { error: 'invalid_grant' });
      const idToken = await new SignJWT({ nonce: grant.nonce, ...grant.who }).setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(issuer).setAudience(clientId).setSubject(String(grant.who.sub)).setIssuedAt().setExpirationTime('5m').sign(privateKey);
      return json(200, { access_token: randomUUID(), token_type: 'Bearer', expires_in: 300, id_token: idToken });
    }
    json(404, { error: 'not_found' });
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { issuer, state, close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

let w: WebWorld;
let idp: Awaited<ReturnType<typeof startIssuer>>;

beforeAll(async () => {
  idp = await startIssuer('camau-web', 'top-secret');
  w = await startWeb({ web: { oidc: { issuer: idp.issuer, clientId: 'camau-web', clientSecret: 'top-secret' } } });
}, 120_000);
afterAll(async () => { await w?.close(); await idp?.close(); });
afterEach(() => { expect(w.errors.splice(0)).toEqual([]); });

describe('development sign-in, sessions and CSRF', () => {
  it('signs in with a CSRF-protected form and sets a signed HttpOnly, SameSite=Lax session cookie', async () => {
    const b = browserless(w.url);
    const page = await b.req('GET', '/sign-in');
    expect(page.res.status).toBe(200);
    expect(page.res.headers.get('content-security-policy')).toMatch(/default-src 'self'; script-src 'self' 'nonce-[^']+'/);
    expect(page.res.headers.get('x-frame-options')).toBe('DENY');
    expect(page.cookies.find((c) => c.startsWith('camau_csrf='))).toMatch(/httponly/i);
    expect(page.cookies.find((c) => c.startsWith('camau_csrf='))).toMatch(/samesite=lax/i);

    const noToken = await b.req('POST', '/sign-in', { form: { user: 'megan.adviser' } });
    expect(noToken.res.status).toBe(403);
    expect(noToken.text).toContain(html(translator('cy')('errorPage.csrf.title')));
    const other = browserless(w.url);
    const foreign = csrfOf((await other.req('GET', '/sign-in')).text);
    expect((await b.req('POST', '/sign-in', { form: { user: 'megan.adviser', _csrf: foreign } })).res.status).toBe(403);

    const ok = await b.req('POST', '/sign-in', { form: { user: 'megan.adviser', _csrf: csrfOf(page.text), next: '/cases' } });
    expect(ok.res.status).toBe(303);
    expect(ok.res.headers.get('location')).toBe('/cases');
    const session = ok.cookies.find((c) => c.startsWith('camau_session='))!;
    expect(session).toMatch(/httponly/i);
    expect(session).toMatch(/samesite=lax/i);
    expect(session).not.toMatch(/secure/i);
    // Only the user id and the language are in it.
    const body = JSON.parse(Buffer.from(b.jar.get('camau_session')!.split('.')[0], 'base64url').toString());
    expect(Object.keys(body).sort()).toEqual(['iat', 'lang', 'userId']);
    expect((await b.req('GET', '/cases')).res.status).toBe(200);

    // A token from before signing in is no longer accepted once signed in.
    expect((await b.req('POST', '/sign-out', { form: { _csrf: csrfOf(page.text) } })).res.status).toBe(403);
    const signedIn = await b.req('GET', '/');
    const out = await b.req('POST', '/sign-out', { form: { _csrf: csrfOf(signedIn.text) } });
    expect(out.res.status).toBe(303);
    expect(b.jar.has('camau_session')).toBe(false);
    expect((await b.req('GET', '/')).res.headers.get('location')).toBe('/sign-in?next=%2F');
  }, 30_000);

  it('refuses a tampered session, an unknown user and a sign-in that names no one', async () => {
    const b = browserless(w.url);
    const page = await b.req('GET', '/sign-in?next=%2F%2Fevil.example');
    const sent = await b.req('POST', '/sign-in', { form: { _csrf: csrfOf(page.text) } });
    expect(sent.res.status).toBe(400);
    expect(sent.text).toContain('govuk-error-summary');
    expect((await b.req('POST', '/sign-in', { form: { user: 'nobody', _csrf: csrfOf(page.text) } })).res.status).toBe(400);
    const ok = await b.req('POST', '/sign-in', { form: { user: 'owen.auditor', _csrf: csrfOf(page.text), next: '//evil.example' } });
    expect(ok.res.headers.get('location')).toBe('/');
    const [body, mac] = b.jar.get('camau_session')!.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), userId: 'admin' })).toString('base64url');
    b.jar.set('camau_session', `${forged}.${mac}`);
    expect((await b.req('GET', '/reports')).res.status).toBe(303);
  }, 30_000);

  it('redirects to sign-in and back; forms need a signed-in user', async () => {
    const b = browserless(w.url);
    const r = await b.req('GET', '/cases?status=active');
    expect(r.res.status).toBe(303);
    expect(r.res.headers.get('location')).toBe('/sign-in?next=%2Fcases%3Fstatus%3Dactive');
    const page = await b.req('GET', r.res.headers.get('location')!);
    expect(page.text).toContain('name="next" value="/cases?status=active"');
  }, 30_000);

  it('serves assets from the packages, and nothing outside them', async () => {
    const b = browserless(w.url);
    const css = await b.req('GET', '/assets/govuk/govuk-frontend.min.css');
    expect(css.res.status).toBe(200);
    expect(css.res.headers.get('content-type')).toMatch(/text\/css/);
    expect((await b.req('GET', '/assets/bpmn-js/bpmn-navigated-viewer.production.min.js')).res.status).toBe(200);
    expect((await b.req('GET', '/assets/fonts/bold-b542beb274-v2.woff2')).res.headers.get('content-type')).toBe('font/woff2');
    expect((await b.req('GET', '/assets/camau/..%2F..%2Fpackage.json')).res.status).toBe(404);
    expect((await b.req('GET', '/assets/govuk/../../package.json')).res.status).toBe(404);
  }, 30_000);

  it('leaves the API beside the pages as it was: bearer tokens, JSON, no page cookies', async () => {
    const token = await devToken('megan.adviser', KEY);
    const res = await fetch(`${w.url}/api/v1/definitions`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(res.headers.getSetCookie()).toEqual([]);
    const anonymous = await fetch(`${w.url}/api/v1/tasks`);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.code).toBe('UNAUTHENTICATED');
    expect((await fetch(`${w.url}/healthz`)).status).toBe(200);
  }, 30_000);

  it('the pick-a-user sign-in can be turned off (as in production)', async () => {
    const app = createApp({ rt: w.rt, auth: { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, key: KEY, algorithms: ['HS256'] }, log: pino({ level: 'silent' }), extra: (router) => mountWeb(router, w.rt, { key: KEY, devSignIn: false, oidc: null }) });
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    try {
      const b = browserless(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      const page = await b.req('GET', '/sign-in');
      expect(page.text).not.toContain('name="user"');
      expect(page.text).toContain(html(translator('cy')('signIn.notConfigured')));
      // No form to take a token from, and no sign-in without one.
      expect([403, 404]).toContain((await b.req('POST', '/sign-in', { form: { user: 'admin', _csrf: csrfOf(page.text) } })).res.status);
      expect(b.jar.has('camau_session')).toBe(false);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 30_000);
});

describe('language', () => {
  const signInAs = async (user: string, acceptLanguage: string) => {
    const b = browserless(w.url);
    const page = await b.req('GET', '/sign-in', { headers: { 'accept-language': acceptLanguage } });
    await b.req('POST', '/sign-in', { form: { user, _csrf: csrfOf(page.text) }, headers: { 'accept-language': acceptLanguage } });
    return { b, page };
  };

  it('defaults to the browser before sign-in and to the user preference after (both: Welsh first)', async () => {
    for (const [user, accept, before, after] of [['rhys.hr', 'en-GB', 'en', 'cy'], ['gareth.md', 'cy', 'cy', 'en'], ['megan.adviser', 'en-GB', 'en', 'cy']] as const) {
      const { b, page } = await signInAs(user, accept);
      expect(langOf(page.text)).toBe(before);
      expect(langOf((await b.req('GET', '/', { headers: { 'accept-language': accept } })).text)).toBe(after);
    }
  }, 30_000);

  it('switches with ?lang= on every page and remembers the choice, through signing out and in again', async () => {
    const { b } = await signInAs('rhys.hr', 'cy');
    const sw = await b.req('GET', '/cases?lang=en&status=active');
    expect(sw.res.status).toBe(303);
    expect(sw.res.headers.get('location')).toBe('/cases?status=active');
    const page = await b.req('GET', '/cases?status=active');
    expect(langOf(page.text)).toBe('en');
    expect(page.text).toContain('href="/cases?status=active&amp;lang=cy"');
    expect(page.text).toContain('lang="cy" hreflang="cy"');
    await b.req('POST', '/sign-out', { form: { _csrf: csrfOf(page.text) } });
    const again = await b.req('GET', '/sign-in');
    expect(langOf(again.text)).toBe('en');
    await b.req('POST', '/sign-in', { form: { user: 'rhys.hr', _csrf: csrfOf(again.text) } });
    expect(langOf((await b.req('GET', '/')).text)).toBe('en');
  }, 30_000);
});

describe('OIDC sign-in', () => {
  it('signs in through the issuer (code flow with PKCE), matching the user by verified email', async () => {
    idp.state.who = { sub: 'idp-7f3a', email: 'rhys.hr@camau.example', email_verified: true };
    const { context, page } = await newPage(w, 'en');
    await page.goto(`${w.url}/sign-in?lang=en&next=%2Fcases`);
    await page.getByRole('button', { name: translator('en')('signIn.oidcButton') }).click();
    await page.waitForURL(`${w.url}/cases`);
    await expect(page.locator('[data-testid="signed-in-as"]').innerText()).resolves.toBe('Rhys Evans');
    expect(idp.state.tokenRequests).toBeGreaterThan(0);
    await context.close();
  }, 60_000);

  it('matches by subject, and refuses someone with no Camau account or a forged callback', async () => {
    idp.state.who = { sub: 'owen.auditor' };
    const { context, page } = await newPage(w, 'cy');
    await page.goto(`${w.url}/sign-in/oidc`);
    await page.waitForURL(`${w.url}/`);
    await expect(page.locator('[data-testid="signed-in-as"]').innerText()).resolves.toBe('Owen Lloyd');
    await context.close();

    idp.state.who = { sub: 'stranger', email: 'stranger@elsewhere.example', email_verified: true };
    const { context: c2, page: p2 } = await newPage(w, 'cy');
    const res = await p2.goto(`${w.url}/sign-in/oidc`);
    expect(res?.status()).toBe(403);
    await expect(p2.locator('h1').innerText()).resolves.toBe(translator('cy')('errorPage.noAccount.title'));
    const forged = await p2.goto(`${w.url}/sign-in/oidc/callback?code=x&state=y`);
    expect(forged?.status()).toBe(403);
    await expect(p2.locator('h1').innerText()).resolves.toBe(translator('cy')('errorPage.oidc.title'));
    await c2.close();
  }, 60_000);
});
