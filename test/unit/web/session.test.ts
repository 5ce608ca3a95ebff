// Sessions and CSRF tokens: signed, tamper-evident, expiring, and bound to the browser and user.
import { Csrf } from '../../../web/csrf.js';
import { safeNext } from '../../../web/page.js';
import { Sessions, SESSION_TTL_S, seal, subkey, unseal } from '../../../web/session.js';
import { parseVariables } from '../../../web/variables.js';

const root = new TextEncoder().encode('unit-test-key');

/** Just enough of a Koa context for cookies. */
function fakeCtx(cookies: Record<string, string> = {}, secure = false) {
  const set: Record<string, { value: string; opts: Record<string, unknown> }> = {};
  return {
    secure,
    state: {} as Record<string, unknown>,
    set,
    cookies: {
      get: (n: string) => (n in set ? set[n].value : cookies[n]),
      set: (n: string, value: string, opts: Record<string, unknown>) => { set[n] = { value, opts }; },
    },
  };
}

describe('web sessions', () => {
  const key = subkey(root, 'session');

  it('round-trips a session and refuses a tampered or foreign one', () => {
    const sealed = seal(key, { userId: 'megan.adviser', iat: 1 });
    expect(unseal(key, sealed)).toEqual({ userId: 'megan.adviser', iat: 1 });
    const [body, mac] = sealed.split('.');
    const forged = Buffer.from(JSON.stringify({ userId: 'admin', iat: 1 })).toString('base64url');
    expect(unseal(key, `${forged}.${mac}`)).toBeUndefined();
    expect(unseal(key, `${body}.${mac.slice(0, -2)}xx`)).toBeUndefined();
    expect(unseal(subkey(root, 'csrf'), sealed)).toBeUndefined();
    expect(unseal(key, 'garbage')).toBeUndefined();
  });

  it('sets an HttpOnly, SameSite=Lax cookie, Secure over TLS only, holding the user id and language', () => {
    const now = 1_800_000_000_000;
    const sessions = new Sessions(key, () => now);
    for (const secure of [false, true]) {
      const ctx = fakeCtx({}, secure);
      sessions.write(ctx as never, { userId: 'rhys.hr', lang: 'cy' });
      const c = ctx.set.camau_session;
      expect(c.opts).toMatchObject({ httpOnly: true, sameSite: 'lax', secure, path: '/' });
      expect(unseal(key, c.value)).toEqual({ userId: 'rhys.hr', lang: 'cy', iat: now / 1000 });
      expect(sessions.read(ctx as never)).toEqual({ userId: 'rhys.hr', lang: 'cy', iat: now / 1000 });
    }
  });

  it('expires after the session lifetime', () => {
    let now = 1_800_000_000_000;
    const sessions = new Sessions(key, () => now);
    const ctx = fakeCtx();
    sessions.write(ctx as never, { userId: 'owen.auditor' });
    now += (SESSION_TTL_S - 1) * 1000;
    expect(sessions.read(ctx as never)?.userId).toBe('owen.auditor');
    now += 2000;
    expect(sessions.read(ctx as never)).toBeUndefined();
  });
});

describe('web CSRF tokens', () => {
  const csrf = new Csrf(subkey(root, 'csrf'));

  it('accepts the token of this browser and user only', () => {
    const ctx = fakeCtx();
    const token = csrf.token(ctx as never, 'megan.adviser');
    expect(ctx.set.camau_csrf.opts).toMatchObject({ httpOnly: true, sameSite: 'lax' });
    expect(csrf.verify(ctx as never, token, 'megan.adviser')).toBe(true);
    expect(csrf.verify(ctx as never, token, 'rhys.hr')).toBe(false);
    expect(csrf.verify(ctx as never, token, '')).toBe(false);
    expect(csrf.verify(ctx as never, `${token}x`, 'megan.adviser')).toBe(false);
    expect(csrf.verify(ctx as never, undefined, 'megan.adviser')).toBe(false);
    const other = fakeCtx();
    csrf.token(other as never, 'megan.adviser');
    expect(csrf.verify(other as never, token, 'megan.adviser')).toBe(false);
  });
});

describe('web helpers', () => {
  it('sends people back only to paths on this site', () => {
    expect(safeNext('/cases/1?x=2')).toBe('/cases/1?x=2');
    for (const bad of ['//evil.example', 'https://evil.example', '/\\evil', 'evil', '/sign-in', undefined, 3]) expect(safeNext(bad)).toBe('/');
  });

  it('reads variables as JSON or name: value lines', () => {
    expect(parseVariables('')).toEqual({ ok: true, value: {} });
    expect(parseVariables('{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseVariables('plan: Improve attendance\nweeks: 6\nok = true\nlist: [1, 2]')).toEqual({ ok: true, value: { plan: 'Improve attendance', weeks: 6, ok: true, list: [1, 2] } });
    expect(parseVariables('plan Improve')).toEqual({ ok: false, line: 1 });
    expect(parseVariables('a: 1\n9bad: 2')).toEqual({ ok: false, line: 2 });
    expect(parseVariables('[1]')).toEqual({ ok: false, line: 1 });
  });
});
