// CSRF protection for every form: a random nonce in an HttpOnly cookie, and in each form a token
// that is the HMAC of that nonce and the signed-in user. A POST is accepted only when the token
// matches the cookie and the session it was issued for (a token from another browser, or from
// before signing in, is refused).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import { cookieOptions } from './session.js';

export const CSRF_COOKIE = 'camau_csrf';
export const CSRF_FIELD = '_csrf';

export class Csrf {
  constructor(private key: Buffer) {}

  private nonce(ctx: Context): string {
    let n = ctx.cookies.get(CSRF_COOKIE);
    if (!n || !/^[0-9a-f]{32}$/.test(n)) {
      n = ctx.state.csrfNonce as string | undefined;
      if (!n) {
        n = randomBytes(16).toString('hex');
        ctx.cookies.set(CSRF_COOKIE, n, cookieOptions(ctx));
      }
    }
    ctx.state.csrfNonce = n;
    return n;
  }

  private mac(nonce: string, userId: string): string {
    return createHmac('sha256', this.key).update(`${nonce}|${userId}`).digest('base64url');
  }

  /** The token to put in the page's forms. */
  token(ctx: Context, userId = ''): string {
    return this.mac(this.nonce(ctx), userId);
  }

  verify(ctx: Context, sent: unknown, userId = ''): boolean {
    const nonce = ctx.cookies.get(CSRF_COOKIE);
    if (!nonce || typeof sent !== 'string' || !sent) return false;
    const want = Buffer.from(this.mac(nonce, userId));
    const got = Buffer.from(sent);
    return got.length === want.length && timingSafeEqual(got, want);
  }
}
