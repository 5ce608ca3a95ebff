// The web pages for people (shared/DESIGN.md §6): server-rendered GOV.UK Frontend pages on the
// same Koa app as the API, calling the same runtime commands. Welsh and English; every form
// works without JavaScript, which only enhances (the BPMN diagram, the replay slider).
import Router from '@koa/router';
import type { Logger } from 'pino';
import { devKey } from '../api/auth.js';
import type { Runtime } from '../runtime/runtime.js';
import { devSignInRoutes } from './auth/dev.js';
import { oidcFromEnv, oidcRoutes, type OidcConfig } from './auth/oidc.js';
import { Csrf } from './csrf.js';
import { pageErrors } from './errors.js';
import { checkCsrf, pageContext, requireUser, type WebDeps } from './page.js';
import { Sessions, subkey } from './session.js';
import { staticRoutes } from './static.js';
import { inboxRoutes } from './pages/inbox.js';
import { taskRoutes } from './pages/task.js';
import { caseRoutes } from './pages/case.js';
import { historyRoutes } from './pages/history.js';
import { launchRoutes } from './pages/launch.js';
import { reportRoutes } from './pages/reports.js';

export interface WebOptions {
  /** The root key sessions and CSRF tokens are signed with (derived keys); default CAMAU_SESSION_KEY or the development key. */
  key?: Uint8Array;
  /** Offer the pick-a-user sign-in; default: NODE_ENV is not production, or CAMAU_DEV_SIGNIN=1. */
  devSignIn?: boolean;
  /** OIDC sign-in; default from AUTH_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI. */
  oidc?: OidcConfig | null;
  log?: Logger;
  env?: NodeJS.ProcessEnv;
}

function rootKey(opts: WebOptions, env: NodeJS.ProcessEnv): Uint8Array {
  if (opts.key) return opts.key;
  if (env.CAMAU_SESSION_KEY) return new TextEncoder().encode(env.CAMAU_SESSION_KEY);
  return devKey(env);
}

export function webRouter(rt: Runtime, opts: WebOptions = {}): Router {
  const env = opts.env ?? process.env;
  const key = rootKey(opts, env);
  const oidc = opts.oidc === undefined ? oidcFromEnv(env) : opts.oidc;
  const deps: WebDeps = {
    rt,
    sessions: new Sessions(subkey(key, 'session')),
    csrf: new Csrf(subkey(key, 'csrf')),
    devSignIn: opts.devSignIn ?? (env.NODE_ENV !== 'production' || env.CAMAU_DEV_SIGNIN === '1'),
    oidc: !!oidc,
    log: opts.log,
  };

  const assets = new Router();
  staticRoutes(assets);

  const pages = new Router();
  pages.use(pageContext(deps));
  pages.use(pageErrors(deps));
  pages.use(checkCsrf(deps));
  devSignInRoutes(pages, deps);
  if (oidc) oidcRoutes(pages, deps, oidc, subkey(key, 'oidc'));
  const signedIn = new Router();
  signedIn.use(requireUser);
  inboxRoutes(signedIn, deps);
  taskRoutes(signedIn, deps);
  caseRoutes(signedIn, deps);
  historyRoutes(signedIn, deps);
  launchRoutes(signedIn, deps);
  reportRoutes(signedIn, deps);
  pages.use(signedIn.routes());

  const web = new Router();
  web.use(assets.routes());
  web.use(pages.routes());
  return web;
}

/** Mounts the pages on the app's open router (api/app.ts `extra`). */
export function mountWeb(router: Router, rt: Runtime, opts: WebOptions = {}): void {
  const web = webRouter(rt, opts);
  router.use(web.routes());
  router.use(web.allowedMethods());
}
