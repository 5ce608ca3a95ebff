// Task forms in a real browser, in Welsh and in English: a Camunda 8 embedded form and a Camunda 7
// generated form are filled with wrong values (the error summary names every field at fault, in
// the page's language), corrected, and the task completes with typed variables; the bundled
// intervention plan, which declares no form, gets one from its model (a list of actions); a start
// form is asked for on the launch page; a linked form is read from the forms directory, and a
// form nobody has falls back to raw variables.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { systemAccess } from '../../db/access.js';
import { accessFor } from '../../runtime/access.js';
import { startCase } from '../../runtime/commands/start-case.js';
import { translator } from '../../web/i18n.js';
import { deployFormModels, VISIT_FORM } from './web-form-models.js';
import { eidAt, newPage, signIn, startWeb, type WebWorld } from './web-helpers.js';

const SCHOOL = 'school-ysgol-y-bryn';
let w: WebWorld;
const formsDir = mkdtempSync(join(tmpdir(), 'camau-forms-'));

beforeAll(async () => {
  writeFileSync(join(formsDir, 'visit.form'), JSON.stringify(VISIT_FORM));
  process.env.CAMAU_FORMS_DIR = formsDir;
  w = await startWeb();
  await deployFormModels(w.rt);
}, 120_000);
afterAll(async () => { delete process.env.CAMAU_FORMS_DIR; await w?.close(); });
afterEach(() => { expect(w.errors.splice(0)).toEqual([]); });

async function start(definitionKey: string, variables: Record<string, unknown> = {}) {
  const u = await accessFor(w.rt, 'megan.adviser');
  const r = await startCase(w.rt, u.access, { definitionKey, schoolId: SCHOOL, variables, actor: { userId: 'megan.adviser' } });
  if (!r.ok) throw new Error(r.error.message);
  return { caseId: r.value.caseId, state: r.value.state };
}

async function vars(caseId: string): Promise<Record<string, unknown>> {
  const row = await w.rt.db.transaction(systemAccess('test'), (trx) => trx('cases').where({ id: caseId }).first('snapshot', 'status'));
  return { ...row.snapshot.vars, _status: row.status };
}

async function openTask(page: Page, caseId: string, eid: string) {
  await page.goto(`${w.url}/cases/${caseId}/tasks/${eid}`);
}

/** Every error-summary link points at a field of the page. */
async function summaryLinksResolve(page: Page): Promise<string[]> {
  const hrefs = await page.locator('.govuk-error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
  for (const h of hrefs) expect(await page.locator(h).count()).toBe(1);
  return hrefs;
}

describe.each(['cy', 'en'] as const)('task forms in the browser (%s)', (lang) => {
  const t = translator(lang);
  const L = (cy: string, en: string) => (lang === 'cy' ? cy : en);
  const complete = (p: Page) => p.getByRole('button', { name: t('task.complete'), exact: true }).click();

  it('a Camunda 8 embedded form: wrong values are summarised by field, then the task completes with typed variables', async () => {
    const { caseId, state } = await start('visit-embedded');
    const { context, page } = await newPage(w, lang);
    await signIn(w, page, 'megan.adviser', lang);
    await openTask(page, caseId, eidAt(state, 'record'));
    const form = page.locator('[data-testid="task-form"]');
    await expect(form.innerText()).resolves.toContain(L("Crynodeb o'r ymweliad", 'Summary of the visit'));
    await expect(form.innerText()).resolves.toContain(L('Sgôr', 'Score'));
    await expect(page.locator('#variables').count()).resolves.toBe(0);

    const summaryLabel = L("Crynodeb o'r ymweliad", 'Summary of the visit');
    const scoreLabel = L('Sgôr', 'Score');
    const dateLabel = L("Dyddiad yr ymweliad", 'Date of the visit');
    await page.locator('#f-summary').fill('abc');
    await page.locator('#f-score').fill('eleven');
    await page.locator('#f-visitDate-day').fill('31');
    await page.locator('#f-visitDate-month').fill('2');
    await page.locator('#f-visitDate-year').fill('2027');
    await complete(page);
    const summary = page.locator('.govuk-error-summary');
    const text = await summary.innerText();
    expect(text).toContain(t('form.errors.minLength', { label: summaryLabel, min: 5 }));
    expect(text).toContain(t('form.errors.number', { label: scoreLabel }));
    expect(text).toContain(t('form.errors.choose', { label: L('Barn', 'Judgement') }));
    expect(text).toContain(t('form.errors.date', { label: dateLabel }));
    expect(await summaryLinksResolve(page)).toEqual(['#f-summary', '#f-score', '#f-rating', '#f-visitDate-day']);
    await expect(page.locator('#f-score-error').innerText()).resolves.toContain(t('form.errors.number', { label: scoreLabel }));
    // What was typed is shown back.
    await expect(page.locator('#f-summary').inputValue()).resolves.toBe('abc');
    await expect(page.locator('#f-visitDate-day').inputValue()).resolves.toBe('31');

    await page.locator('#f-summary').fill('Visited year 5');
    await page.locator('#f-score').fill('11');
    await page.locator('#f-urgent').check();
    await page.locator(`input[name="f.rating"]`).first().check();
    await page.locator('#f-area').selectOption({ label: L('Arweinyddiaeth', 'Leadership') });
    await page.locator('#f-visitDate-day').fill('4');
    await page.locator('#f-visitDate-month').fill('3');
    await complete(page);
    await expect(summary.innerText()).resolves.toContain(t('form.errors.max', { label: scoreLabel, max: 10 }));
    await expect(page.locator('.govuk-error-summary li').count()).resolves.toBe(1);
    await expect(page.locator('#f-urgent').isChecked()).resolves.toBe(true);

    await page.locator('#f-score').fill('7');
    await complete(page);
    await page.waitForURL(/done=completed/);
    const v = await vars(caseId);
    expect(v).toMatchObject({ summary: 'Visited year 5', score: 7, urgent: true, rating: 'good', area: 'leadership', visitDate: '2027-03-04', _status: 'completed' });
    expect(v).not.toHaveProperty('notes');
    await context.close();
  }, 90_000);

  it('a Camunda 7 form (camunda:formData): long, boolean, date, enum and string fields', async () => {
    const { caseId, state } = await start('support-c7');
    const { context, page } = await newPage(w, lang);
    await signIn(w, page, 'megan.adviser', lang);
    await openTask(page, caseId, eidAt(state, 'plan'));
    await page.locator('#f-weeks').fill('1.5');
    await page.locator('#f-reason').fill('A reason that is far too long');
    await complete(page);
    const text = await page.locator('.govuk-error-summary').innerText();
    const weeks = L('Wythnosau o gymorth', 'Weeks of support');
    expect(text).toContain(t('form.errors.integer', { label: weeks }));
    expect(text).toContain(t('form.errors.required', { label: L('Dyddiad dechrau', 'Start date') }));
    expect(text).toContain(t('form.errors.maxLength', { label: L('Rheswm', 'Reason'), max: 20 }));
    await summaryLinksResolve(page);

    await page.locator('#f-weeks').fill('3');
    await page.locator('#f-agreed').check();
    await page.locator('#f-startDate-day').fill('4');
    await page.locator('#f-startDate-month').fill('1');
    await page.locator('#f-startDate-year').fill('2027');
    await page.getByLabel(L('Ffurfiol', 'Formal'), { exact: true }).check();
    await page.locator('#f-reason').fill('Plan');
    await complete(page);
    await page.waitForURL(/done=completed/);
    expect(await vars(caseId)).toMatchObject({ weeks: 3, agreed: true, startDate: '2027-01-04', stage: 'formal', reason: 'Plan', _status: 'completed' });
    await context.close();
  }, 90_000);

  it('the bundled intervention plan declares no form: the draft asks for the plan, its actions and the staff actions', async () => {
    const { caseId, state } = await start('school-intervention-plan', { challengeAdviser: 'megan.adviser', caseRef: `form-${lang}` });
    const { context, page } = await newPage(w, lang);
    await signIn(w, page, 'megan.adviser', lang);
    await openTask(page, caseId, eidAt(state, 'draftPlan'));
    const form = page.locator('[data-testid="task-form"]');
    for (const key of ['plan', 'actions', 'staffActions', 'title', 'owner', 'dueWeeks']) await expect(form.innerText()).resolves.toContain(t(`vars.${key}`));

    await page.locator('#f-plan').fill('Raise standards in literacy');
    await page.locator('#f-actions-0-title').fill('Literacy groups in years 5 and 6');
    await page.locator('#f-actions-0-owner').fill('eleri.head');
    await page.locator('#f-actions-0-dueWeeks').fill('six');
    await complete(page);
    const text = await page.locator('.govuk-error-summary').innerText();
    expect(text).toContain(t('form.errors.number', { label: t('form.errors.itemLabel', { label: t('vars.dueWeeks'), n: 1 }) }));
    expect(text).toContain(t('form.errors.required', { label: t('vars.staffActions') }));
    expect(await summaryLinksResolve(page)).toEqual(['#f-actions-0-dueWeeks', '#f-staffActions']);

    await page.locator('#f-actions-0-dueWeeks').fill('6');
    await page.locator('#f-actions-1-title').fill('Coaching for two teachers');
    await page.locator('#f-actions-1-owner').fill('eleri.head');
    await page.locator('#f-actions-1-dueWeeks').fill('10');
    await page.locator('#f-staffActions').fill('Coaching and support for two teachers');
    await complete(page);
    await page.waitForURL(/done=completed/);
    expect(await vars(caseId)).toMatchObject({
      plan: 'Raise standards in literacy',
      staffActions: 'Coaching and support for two teachers',
      actions: [{ title: 'Literacy groups in years 5 and 6', owner: 'eleri.head', dueWeeks: 6 }, { title: 'Coaching for two teachers', owner: 'eleri.head', dueWeeks: 10 }],
    });
    await context.close();
  }, 90_000);

  it('a procedure with a start form: the launch page asks for it, checks it, and the case starts with typed variables', async () => {
    const { context, page } = await newPage(w, lang);
    await signIn(w, page, 'megan.adviser', lang);
    await page.goto(`${w.url}/launch`);
    await page.locator('input[name="procedure"][value="support-start"]').check();
    await page.locator('input[name="subjectKind"][value="school"]').check();
    await page.locator('#school').selectOption(SCHOOL);
    const startButton = page.getByRole('button', { name: t('launch.submit'), exact: true });
    await startButton.click();
    await expect(page.locator('main').innerText()).resolves.toContain(t('launch.startFormHeading'));
    await expect(page.locator('.govuk-error-summary').count()).resolves.toBe(0);
    await expect(page.locator('input[name="procedure"][value="support-start"]').isChecked()).resolves.toBe(true);
    await page.locator('#f-weeks').fill('0');
    await startButton.click();
    const text = await page.locator('.govuk-error-summary').innerText();
    expect(text).toContain(t('form.errors.required', { label: L('Y pryder', 'The concern') }));
    expect(text).toContain(t('form.errors.min', { label: L('Wythnosau o gymorth', 'Weeks of support'), min: 1 }));
    await summaryLinksResolve(page);
    await page.locator('#f-concern').fill('Attendance has fallen');
    await page.locator('#f-weeks').fill('4');
    await startButton.click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}\?done=started$/);
    const caseId = /\/cases\/([0-9a-f-]{36})/.exec(page.url())![1];
    expect(await vars(caseId)).toMatchObject({ concern: 'Attendance has fallen', weeks: 4, _status: 'active' });
    await context.close();
  }, 90_000);

  it('a linked form is read from the forms directory; a form nobody has falls back to raw variables', async () => {
    const linked = await start('visit-linked');
    const { context, page } = await newPage(w, lang);
    await signIn(w, page, 'megan.adviser', lang);
    await openTask(page, linked.caseId, eidAt(linked.state, 'record'));
    await expect(page.locator('#f-summary').count()).resolves.toBe(1);
    await expect(page.locator('#f-visitDate-day').count()).resolves.toBe(1);

    const unknown = await start('visit-unknown');
    await openTask(page, unknown.caseId, eidAt(unknown.state, 'record'));
    await expect(page.locator('main').innerText()).resolves.toContain(t('form.rawNotice', { reason: t('form.rawLinkedMissing', { id: 'nobody-has-this-form' }) }));
    await page.locator('#variables').fill('summary: Visited\nscore: 4');
    await complete(page);
    await page.waitForURL(/done=completed/);
    expect(await vars(unknown.caseId)).toMatchObject({ summary: 'Visited', score: 4, _status: 'completed' });
    await context.close();
  }, 90_000);
});
