// Browser tests of the web pages: the real Koa app (API and pages) on 127.0.0.1 against a fresh
// PostgreSQL database with the demo region, the example review statechart and the intervention
// plan fixture (a joint sign-off) deployed; Chromium from Debian driven by playwright-core.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import pino from 'pino';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createApp } from '../../api/app.js';
import { DEV_AUDIENCE, DEV_ISSUER, type AuthConfig } from '../../api/auth.js';
import { deployBpmn, deployMachine } from '../../runtime/commands/deploy-definition.js';
import { systemClock } from '../../runtime/clock.js';
import { DefinitionCache } from '../../runtime/definitions.js';
import type { Runtime } from '../../runtime/runtime.js';
import { bundledCalendars } from '../../workflows/calendars/runtime.js';
import { bundledMachines } from '../../workflows/machines/index.js';
import { seedDemo } from '../../workflows/demo/seed.js';
import { mountWeb, type WebOptions } from '../../web/index.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

export const KEY = new TextEncoder().encode('web-test-key');
const AUTH: AuthConfig = { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, key: KEY, algorithms: ['HS256'] };
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

const fixture = (p: string) => readFileSync(new URL(`../fixtures/${p}`, import.meta.url), 'utf8');

export interface WebWorld {
  url: string;
  rt: Runtime;
  t: TestDb;
  browser: Browser;
  /** Server-side errors logged while the tests ran (a 500 is always a bug). */
  errors: unknown[];
  close(): Promise<void>;
}

export async function startWeb(opts: { web?: WebOptions } = {}): Promise<WebWorld> {
  const t = await createTestDb('pg');
  await seedDemo(t.db);
  const rt: Runtime = { db: t.db, clock: systemClock, definitions: new DefinitionCache(bundledMachines), newId: randomUUID, calendars: bundledCalendars };
  for (const f of ['web/intervention-plan.bpmn', 'web/missing-decision.bpmn', 'durable/plan.bpmn', 'durable/review-sub.bpmn']) {
    const r = await deployBpmn(rt, fixture(f), 'admin');
    if (!r.ok) throw new Error(`${f}: ${r.error.message}`);
  }
  const m = await deployMachine(rt, 'example-review', readFileSync(new URL('../../workflows/machines/example-review.ts', import.meta.url), 'utf8'), 'admin');
  if (!m.ok) throw new Error(m.error.message);
  const errors: unknown[] = [];
  const log = pino({ level: 'error' }, { write: (s: string) => { errors.push(s); } });
  const app = createApp({ rt, auth: AUTH, log, extra: (router) => mountWeb(router, rt, { key: KEY, devSignIn: true, oidc: null, log, ...opts.web }) });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  return {
    url, rt, t, browser, errors,
    async close() {
      await browser.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.drop();
    },
  };
}

/** A fresh browser context (its own cookies) with the language the browser asks for. */
export async function newPage(w: WebWorld, lang: 'cy' | 'en' = 'en'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await w.browser.newContext({ locale: lang === 'cy' ? 'cy-GB' : 'en-GB', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  return { context, page };
}

/** Signs in through the development sign-in page as one of the demo users. */
export async function signIn(w: WebWorld, page: Page, userId: string, lang?: 'cy' | 'en'): Promise<void> {
  await page.goto(`${w.url}/sign-in${lang ? `?lang=${lang}` : ''}`);
  await page.locator(`input[name="user"][value="${userId}"]`).check();
  await page.locator('form[action="/sign-in"] button[type="submit"]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
}

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/** axe-core injected into the page, WCAG 2.2 AA rules only. */
export async function axe(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const res = await (window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: AxeViolation[] }> } }).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'] });
    return res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
}

export const SCREENSHOTS = new URL('../../docs/screenshots/', import.meta.url).pathname;

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}

/** Waits for the bpmn-js diagram, if the page has one, to be drawn. */
export async function diagramReady(page: Page): Promise<void> {
  if (await page.locator('#diagram').count()) await page.locator('#diagram[data-ready="true"]').waitFor({ timeout: 15000 });
}

/** The element instance id of the open wait at element `el`. */
export function eidAt(state: { elements: Record<string, { id: string; el: string; wait?: unknown }> }, el: string): string {
  const e = Object.values(state.elements).find((x) => x.el === el && x.wait);
  if (!e) throw new Error(`nothing waits at ${el}`);
  return e.id;
}

/** The classes bpmn-js gave an element of the drawn diagram. */
export async function markerOf(page: Page, elementId: string): Promise<string> {
  return (await page.locator(`#diagram g.djs-element[data-element-id="${elementId}"]`).first().getAttribute('class')) ?? '';
}
