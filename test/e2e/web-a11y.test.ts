// Every page, in Welsh and in English, checked with axe-core in Chromium against WCAG 2.2 AA
// (wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa): zero violations, error states included. The
// main pages are photographed into docs/screenshots for the README.
import type { BrowserContext, Page } from 'playwright-core';
import { accessFor } from '../../runtime/access.js';
import { completeTask } from '../../runtime/commands/complete-task.js';
import { startCase } from '../../runtime/commands/start-case.js';
import { translator } from '../../web/i18n.js';
import { axe, diagramReady, eidAt, newPage, screenshot, signIn, startWeb, type WebWorld } from './web-helpers.js';
import { deployFormModels } from './web-form-models.js';

let w: WebWorld;
const ids = { draftCase: '', draftEid: '', agreeCase: '', agreeEid: '', incidentCase: '', reviewCase: '', formCase: '', formEid: '', planCase: '', planEid: '' };

async function start(user: string, definitionKey: string, variables: Record<string, unknown> = {}) {
  const u = await accessFor(w.rt, user);
  const r = await startCase(w.rt, u.access, { definitionKey, schoolId: 'school-ysgol-y-bryn', variables, actor: { userId: user } });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

beforeAll(async () => {
  w = await startWeb();
  const draft = await start('megan.adviser', 'intervention-plan', { concern: "Attendance has fallen at St Teilo's" });
  ids.draftCase = draft.caseId;
  ids.draftEid = eidAt(draft.state, 'draft');
  const agree = await start('megan.adviser', 'intervention-plan');
  const megan = await accessFor(w.rt, 'megan.adviser');
  const done = await completeTask(w.rt, megan.access, agree.caseId, eidAt(agree.state, 'draft'), { plan: 'Improve attendance' }, { actor: { userId: 'megan.adviser' } });
  if (!done.ok) throw new Error(done.error.message);
  ids.agreeCase = agree.caseId;
  ids.agreeEid = eidAt(done.value.state, 'agree');
  ids.incidentCase = (await start('rhys.hr', 'attendance-check')).caseId;
  ids.reviewCase = (await start('megan.adviser', 'example-review', { school: 'school-ysgol-y-bryn' })).caseId;
  await deployFormModels(w.rt);
  const visit = await start('megan.adviser', 'visit-embedded');
  ids.formCase = visit.caseId;
  ids.formEid = eidAt(visit.state, 'record');
  const plan = await start('megan.adviser', 'school-intervention-plan', { challengeAdviser: 'megan.adviser', caseRef: 'a11y' });
  ids.planCase = plan.caseId;
  ids.planEid = eidAt(plan.state, 'draftPlan');
}, 120_000);
afterAll(async () => { await w?.close(); });
afterEach(() => { expect(w.errors.splice(0)).toEqual([]); });

interface Check {
  name: string;
  user?: string;
  path: () => string;
  /** Brings the page to the state to check (an error summary, a verification result). */
  act?: (page: Page, t: ReturnType<typeof translator>) => Promise<void>;
  status?: number;
  shot?: boolean;
}

const CHECKS: Check[] = [
  { name: 'sign-in', path: () => '/sign-in', shot: true },
  { name: 'sign-in-error', path: () => '/sign-in', act: async (p, t) => { await p.getByRole('button', { name: t('signIn.button'), exact: true }).click(); await p.locator('.govuk-error-summary').waitFor(); } },
  { name: 'inbox', user: 'megan.adviser', path: () => '/', shot: true },
  { name: 'inbox-filtered', user: 'megan.adviser', path: () => '/?procedure=intervention-plan&due=week&show=me' },
  { name: 'task', user: 'megan.adviser', path: () => `/cases/${ids.draftCase}/tasks/${ids.draftEid}`, shot: true },
  { name: 'task-error', user: 'megan.adviser', path: () => `/cases/${ids.draftCase}/tasks/${ids.draftEid}`, act: async (p, t) => { await p.getByRole('button', { name: t('task.complete'), exact: true }).click(); await p.locator('.govuk-error-summary').waitFor(); } },
  { name: 'task-form', user: 'megan.adviser', path: () => `/cases/${ids.formCase}/tasks/${ids.formEid}`, shot: true },
  { name: 'task-form-error', user: 'megan.adviser', path: () => `/cases/${ids.formCase}/tasks/${ids.formEid}`, shot: true, act: async (p, t) => {
    await p.locator('#f-summary').fill('abc');
    await p.locator('#f-score').fill('eleven');
    await p.locator('#f-visitDate-day').fill('31');
    await p.locator('#f-visitDate-month').fill('2');
    await p.locator('#f-visitDate-year').fill('2027');
    await p.getByRole('button', { name: t('task.complete'), exact: true }).click();
    await p.locator('.govuk-error-summary').waitFor();
  } },
  { name: 'task-plan-form', user: 'megan.adviser', path: () => `/cases/${ids.planCase}/tasks/${ids.planEid}`, shot: true },
  { name: 'task-plan-form-error', user: 'megan.adviser', path: () => `/cases/${ids.planCase}/tasks/${ids.planEid}`, act: async (p, t) => {
    await p.locator('#f-actions-0-title').fill('Literacy groups');
    await p.locator('#f-actions-0-dueWeeks').fill('six');
    await p.getByRole('button', { name: t('task.complete'), exact: true }).click();
    await p.locator('.govuk-error-summary').waitFor();
  } },
  { name: 'sign-off', user: 'rhys.hr', path: () => `/cases/${ids.agreeCase}/tasks/${ids.agreeEid}`, shot: true },
  { name: 'sign-off-error', user: 'rhys.hr', path: () => `/cases/${ids.agreeCase}/tasks/${ids.agreeEid}`, shot: true, act: async (p, t) => { await p.locator('input[name="decision"][value="return"]').check(); await p.getByRole('button', { name: t('signoff.submit'), exact: true }).click(); await p.locator('.govuk-error-summary').waitFor(); } },
  { name: 'case', user: 'megan.adviser', path: () => `/cases/${ids.agreeCase}`, shot: true },
  { name: 'case-incident', user: 'rhys.hr', path: () => `/cases/${ids.incidentCase}`, shot: true },
  { name: 'case-statechart', user: 'megan.adviser', path: () => `/cases/${ids.reviewCase}` },
  { name: 'cases', user: 'owen.auditor', path: () => '/cases', shot: true },
  { name: 'history', user: 'owen.auditor', path: () => `/cases/${ids.agreeCase}/history?at=7&verify=1`, shot: true },
  { name: 'launch', user: 'eleri.head', path: () => '/launch', shot: true },
  { name: 'launch-error', user: 'megan.adviser', path: () => '/launch', act: async (p, t) => { await p.getByRole('button', { name: t('launch.submit'), exact: true }).click(); await p.locator('.govuk-error-summary').waitFor(); } },
  { name: 'launch-start-form-error', user: 'megan.adviser', path: () => '/launch', act: async (p, t) => {
    await p.locator('input[name="procedure"][value="support-start"]').check();
    await p.locator('input[name="subjectKind"][value="school"]').check();
    await p.locator('#school').selectOption('school-ysgol-y-bryn');
    await p.getByRole('button', { name: t('launch.submit'), exact: true }).click();
    await p.locator('#f-concern').waitFor();
    await p.getByRole('button', { name: t('launch.submit'), exact: true }).click();
    await p.locator('.govuk-error-summary').waitFor();
  } },
  { name: 'reports', user: 'owen.auditor', path: () => '/reports', shot: true },
  { name: 'reports-wales', user: 'wg.analyst', path: () => '/reports' },
  { name: 'not-found', user: 'megan.adviser', path: () => '/cases/00000000-0000-4000-8000-000000000000', status: 404 },
  { name: 'task-closed', user: 'megan.adviser', path: () => `/cases/${ids.agreeCase}/tasks/${ids.draftEid}`, status: 404 },
];

describe.each(['cy', 'en'] as const)('accessibility of every page (%s)', (lang) => {
  const t = translator(lang);
  // One signed-in browser context per user, reused by the checks.
  const contexts = new Map<string, BrowserContext>();
  async function pageAs(user: string | undefined): Promise<Page> {
    const key = user ?? '';
    let context = contexts.get(key);
    if (!context) {
      const p = await newPage(w, lang);
      context = p.context;
      if (user) await signIn(w, p.page, user, lang);
      else await p.page.goto(`${w.url}/sign-in?lang=${lang}`);
      await p.page.close();
      contexts.set(key, context);
    }
    return context.newPage();
  }
  afterAll(async () => { for (const c of contexts.values()) await c.close(); });

  it.each(CHECKS.map((c) => [c.name, c] as const))('%s has no WCAG 2.2 AA violations', async (name, check) => {
    const page = await pageAs(check.user);
    const res = await page.goto(`${w.url}${check.path()}`);
    expect(res?.status()).toBe(check.status ?? 200);
    await check.act?.(page, t);
    await diagramReady(page);
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    const text = await page.locator('body').innerText();
    expect(text).not.toMatch(/&(#\d+|amp|quot|lt|gt);/);
    expect(await axe(page)).toEqual([]);
    if (check.shot) await screenshot(page, lang === 'en' ? name : `${name}.cy`);
    await page.close();
  }, 60_000);
});
