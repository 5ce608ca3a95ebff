// Authentication: a bearer JWT verified with jose. In production against an OIDC issuer's JWKS
// (AUTH_ISSUER, AUTH_AUDIENCE, AUTH_JWKS_URL); in development with a local HS256 key
// (CAMAU_DEV_KEY, or one generated into the data folder) that `camau token` signs with.
// The token says who you are; what you may do comes from role assignments (runtime/access.ts).
import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Context, Next } from 'koa';
import { ApiError } from './errors.js';

export interface AuthConfig {
  issuer: string;
  audience: string;
  /** A JWKS (production) or a symmetric key (development). */
  key: JWTVerifyGetKey | Uint8Array;
  algorithms: string[];
}

export const DEV_ISSUER = 'camau-dev';
export const DEV_AUDIENCE = 'camau';

export function authFromEnv(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  if (env.AUTH_JWKS_URL) {
    if (!env.AUTH_ISSUER || !env.AUTH_AUDIENCE) throw new Error('AUTH_JWKS_URL needs AUTH_ISSUER and AUTH_AUDIENCE');
    return { issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE, key: createRemoteJWKSet(new URL(env.AUTH_JWKS_URL)), algorithms: ['RS256', 'ES256', 'PS256', 'EdDSA'] };
  }
  return { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, key: devKey(env), algorithms: ['HS256'] };
}

/** The development signing key: CAMAU_DEV_KEY, or a random one kept in the data folder. */
export function devKey(env: NodeJS.ProcessEnv = process.env): Uint8Array {
  if (env.CAMAU_DEV_KEY) return new TextEncoder().encode(env.CAMAU_DEV_KEY);
  const file = join(env.CAMAU_DATA_DIR ?? './.camau', 'dev-jwt.key');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  return new TextEncoder().encode(readFileSync(file, 'utf8').trim());
}

export async function devToken(userId: string, key: Uint8Array, ttl = '8h'): Promise<string> {
  return new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(userId).setIssuer(DEV_ISSUER).setAudience(DEV_AUDIENCE).setIssuedAt().setExpirationTime(ttl).sign(key);
}

/**
 * A token once verified is taken at its word again, without the signature check, for at most
 * this long and never past its own expiry (a client sends the same token with every request).
 */
const VERIFIED_FOR_MS = 30_000;
/** Tokens kept; the oldest go first. */
const KEPT = 10_000;

export function authenticate(cfg: AuthConfig) {
  // Exact token text → its subject, and until when it may be taken without checking again.
  const verified = new Map<string, { sub: string; until: number }>();
  return async (ctx: Context, next: Next) => {
    const header = ctx.get('authorization');
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new ApiError('UNAUTHENTICATED', 'Send a bearer token: Authorization: Bearer <token>');
    const token = m[1];
    const known = verified.get(token);
    if (known && known.until > Date.now()) {
      ctx.state.userId = known.sub;
    } else {
      verified.delete(token);
      try {
        const { payload } = cfg.key instanceof Uint8Array
          ? await jwtVerify(token, cfg.key, { issuer: cfg.issuer, audience: cfg.audience, algorithms: cfg.algorithms })
          : await jwtVerify(token, cfg.key, { issuer: cfg.issuer, audience: cfg.audience, algorithms: cfg.algorithms });
        if (typeof payload.sub !== 'string' || !payload.sub.trim()) throw new Error('the token names no subject (sub must be a string)');
        ctx.state.userId = payload.sub;
        // jwtVerify checked exp (and nbf) against now; a token without exp is kept for the usual while.
        const until = Math.min(Date.now() + VERIFIED_FOR_MS, typeof payload.exp === 'number' ? payload.exp * 1000 : Infinity);
        verified.set(token, { sub: payload.sub, until });
        if (verified.size > KEPT) verified.delete(verified.keys().next().value as string);
      } catch (e) {
        throw new ApiError('UNAUTHENTICATED', `The token was not accepted: ${(e as Error).message}`);
      }
    }
    await next();
  };
}
