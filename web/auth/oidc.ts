// OIDC sign-in for production: the authorization code flow with PKCE, state and nonce against
// AUTH_ISSUER (openid-client). The ID token's subject is the Camau user id; failing that, its
// verified email names the user. The flow's secrets wait in a short-lived signed cookie.
import type Router from '@koa/router';
import type { Context } from 'koa';
import * as client from 'openid-client';
import { systemAccess } from '../../db/access.js';
import { ApiError } from '../../api/errors.js';
import { forgetDirectory } from '../orgs.js';
import { safeNext, type WebDeps } from '../page.js';
import { cookieOptions, seal, unseal } from '../session.js';
import { startSession } from './dev.js';

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  /** Where the issuer sends people back; default: this site's /sign-in/oidc/callback. */
  redirectUri?: string;
  scope?: string;
}

export function oidcFromEnv(env: NodeJS.ProcessEnv): OidcConfig | null {
  if (!env.AUTH_ISSUER || !env.OIDC_CLIENT_ID) return null;
  return { issuer: env.AUTH_ISSUER, clientId: env.OIDC_CLIENT_ID, clientSecret: env.OIDC_CLIENT_SECRET, redirectUri: env.OIDC_REDIRECT_URI, scope: env.OIDC_SCOPE };
}

const FLOW_COOKIE = 'camau_oidc';

interface Flow {
  verifier: string;
  state: string;
  nonce: string;
  next: string;
  exp: number;
}

export function oidcRoutes(router: Router, deps: WebDeps, cfg: OidcConfig, key: Buffer): void {
  let config: Promise<client.Configuration> | undefined;
  const discover = () => {
    config ??= client.discovery(new URL(cfg.issuer), cfg.clientId, cfg.clientSecret, undefined,
      new URL(cfg.issuer).protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : undefined);
    config.catch(() => { config = undefined; });
    return config;
  };
  const redirectUri = (ctx: Context) => cfg.redirectUri ?? `${ctx.protocol}://${ctx.host}/sign-in/oidc/callback`;

  router.get('/sign-in/oidc', async (ctx) => {
    const c = await discover();
    const flow: Flow = { verifier: client.randomPKCECodeVerifier(), state: client.randomState(), nonce: client.randomNonce(), next: safeNext(ctx.query.next), exp: Date.now() + 10 * 60_000 };
    ctx.cookies.set(FLOW_COOKIE, seal(key, flow), cookieOptions(ctx, 600));
    const url = client.buildAuthorizationUrl(c, {
      redirect_uri: redirectUri(ctx), scope: cfg.scope ?? 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(flow.verifier), code_challenge_method: 'S256',
      state: flow.state, nonce: flow.nonce,
    });
    ctx.redirect(url.href);
  });

  router.get('/sign-in/oidc/callback', async (ctx) => {
    const flow = unseal<Flow>(key, ctx.cookies.get(FLOW_COOKIE));
    ctx.cookies.set(FLOW_COOKIE, '', { ...cookieOptions(ctx), maxAge: 0 });
    if (!flow || flow.exp < Date.now()) throw new ApiError('FORBIDDEN', 'oidc');
    const c = await discover();
    const here = new URL(ctx.originalUrl, redirectUri(ctx));
    let claims: client.IDToken | undefined;
    try {
      const tokens = await client.authorizationCodeGrant(c, here, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true });
      claims = tokens.claims();
    } catch (e) {
      deps.log?.warn({ err: e }, 'oidc sign-in refused');
      throw new ApiError('FORBIDDEN', 'oidc');
    }
    if (!claims) throw new ApiError('FORBIDDEN', 'oidc');
    const email = typeof claims.email === 'string' && claims.email_verified !== false ? claims.email : undefined;
    const user = await deps.rt.db.transaction(systemAccess('web: oidc sign-in'), async (trx) =>
      (await trx('users').where({ id: claims!.sub }).first('id', 'language'))
      ?? (email ? await trx('users').whereRaw('lower(email) = lower(?)', [email]).first('id', 'language') : undefined));
    if (!user) throw new ApiError('FORBIDDEN', 'no-account');
    forgetDirectory();
    startSession(ctx, deps, user);
    ctx.status = 303;
    ctx.redirect(flow.next);
  });
}
