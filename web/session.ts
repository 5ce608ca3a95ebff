// The session: a cookie holding only the user id, the chosen language and when it was issued,
// signed with an HMAC (a key derived from the development key or CAMAU_SESSION_KEY). HttpOnly,
// SameSite=Lax, and Secure whenever the request came over TLS.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import type { Lang } from './i18n.js';

export const SESSION_COOKIE = 'camau_session';
/** Sessions last a working day. */
export const SESSION_TTL_S = 12 * 60 * 60;

export interface Session {
  userId: string;
  lang?: Lang;
  /** Issued at, seconds since the epoch. */
  iat: number;
}

/** A key for one purpose, derived from the root key, so a session signature is never a valid JWT or CSRF token. */
export function subkey(root: Uint8Array, purpose: string): Buffer {
  return createHmac('sha256', root).update(`camau-web:${purpose}`).digest();
}

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export function seal(key: Buffer, value: unknown): string {
  const body = b64(JSON.stringify(value));
  return `${body}.${b64(createHmac('sha256', key).update(body).digest())}`;
}

export function unseal<T>(key: Buffer, sealed: string | undefined): T | undefined {
  if (!sealed) return undefined;
  const dot = sealed.indexOf('.');
  if (dot <= 0) return undefined;
  const body = sealed.slice(0, dot);
  const mac = Buffer.from(sealed.slice(dot + 1), 'base64url');
  const want = createHmac('sha256', key).update(body).digest();
  if (mac.length !== want.length || !timingSafeEqual(mac, want)) return undefined;
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

export const cookieOptions = (ctx: Context, maxAgeS?: number) => ({
  httpOnly: true,
  sameSite: 'lax' as const,
  secure: ctx.secure,
  path: '/',
  overwrite: true,
  ...(maxAgeS ? { maxAge: maxAgeS * 1000 } : {}),
});

export class Sessions {
  constructor(private key: Buffer, private now: () => number = () => Date.now()) {}

  read(ctx: Context): Session | undefined {
    const s = unseal<Session>(this.key, ctx.cookies.get(SESSION_COOKIE));
    if (!s || typeof s.userId !== 'string' || typeof s.iat !== 'number') return undefined;
    const age = this.now() / 1000 - s.iat;
    if (age < -60 || age > SESSION_TTL_S) return undefined;
    return s;
  }

  write(ctx: Context, s: Omit<Session, 'iat'> & { iat?: number }): Session {
    const session: Session = { userId: s.userId, ...(s.lang ? { lang: s.lang } : {}), iat: s.iat ?? Math.floor(this.now() / 1000) };
    ctx.cookies.set(SESSION_COOKIE, seal(this.key, session), cookieOptions(ctx, SESSION_TTL_S));
    return session;
  }

  clear(ctx: Context): void {
    ctx.cookies.set(SESSION_COOKIE, '', { ...cookieOptions(ctx), maxAge: 0 });
  }
}
