// In a real browser, in Welsh and in English: a challenge adviser starts an intervention plan
// from the launch page, claims and completes the draft, and signs off the staff actions jointly
// with an education HR officer (error summaries on the way); the headteacher then receives the
// plan and the case completes. A return with a comment sends the plan back to drafting.
import { accessFor } from '../../runtime/access.js';
import { completeTask } from '../../runtime/commands/complete-task.js';
import { startCase } from '../../runtime/commands/start-case.js';
import { translator } from '../../web/i18n.js';
import { diagramReady, eidAt, markerOf, newPage, signIn, startWeb, type WebWorld } from './web-helpers.js';

const SCHOOL = 'school-ysgol-y-bryn';
let w: WebWorld;

beforeAll(async () => { w = await startWeb(); }, 120_000);
afterAll(async () => { await w?.close(); });
afterEach(() => { expect(w.errors.splice(0)).toEqual([]); });

describe.each(['cy', 'en'] as const)('joint sign-off in the browser (%s)', (lang) => {
  const t = translator(lang);
  const names = lang === 'cy'
    ? { draft: "Drafftio'r cynllun", agree: 'Cytuno ar y camau staff', accept: 'Derbyn y cynllun', asked: 'Ysgrifennwch y cynllun ymyrraeth' }
    : { draft: 'Draft the plan', agree: 'Agree the staff actions', accept: 'Receive the plan', asked: 'Write the intervention plan' };

  it('starts a plan, drafts it, and two advisers sign it off; the headteacher receives it', async () => {
    const { context: mc, page: megan } = await newPage(w, lang);
    await signIn(w, megan, 'megan.adviser', lang);
    expect(await megan.getAttribute('html', 'lang')).toBe(lang);

    // Launch
    await megan.goto(`${w.url}/launch`);
    await megan.locator('input[name="procedure"][value="intervention-plan"]').check();
    await megan.locator('input[name="subjectKind"][value="school"]').check();
    await megan.locator('#school').selectOption(SCHOOL);
    await megan.locator('#variables').fill('concern: Attendance has fallen');
    await megan.getByRole('button', { name: t('launch.submit'), exact: true }).click();
    await megan.waitForURL(/\/cases\/[0-9a-f-]{36}\?done=started$/);
    const caseId = /\/cases\/([0-9a-f-]{36})/.exec(megan.url())![1];
    await expect(megan.locator('.govuk-notification-banner').innerText()).resolves.toContain(t('notice.started'));
    await diagramReady(megan);
    expect(await markerOf(megan, 'draft')).toContain('camau-active');
    expect(await markerOf(megan, 'start')).toContain('camau-done');

    // Inbox: filter, claim
    await megan.goto(`${w.url}/?procedure=intervention-plan`);
    const draftRow = megan.locator(`tr[data-element="draft"]:has(a[href^="/cases/${caseId}/"])`);
    await expect(draftRow.innerText()).resolves.toContain(names.draft);
    await draftRow.getByRole('button', { name: new RegExp(t('task.claim')) }).click();
    await megan.waitForURL(/done=claimed/);
    await expect(megan.locator('.govuk-notification-banner').innerText()).resolves.toContain(t('notice.claimed'));
    await expect(draftRow.getByRole('button', { name: new RegExp(t('task.unclaim')) }).count()).resolves.toBe(1);

    // Task page: what is asked; a mistake in the form; complete
    await draftRow.getByRole('link', { name: names.draft }).click();
    await expect(megan.locator('h1').innerText()).resolves.toBe(names.draft);
    await expect(megan.locator('main').innerText()).resolves.toContain(names.asked);
    // The model declares no form: the page asks for what its documentation names (plan).
    await megan.getByRole('button', { name: t('task.complete'), exact: true }).click();
    const planMissing = t('form.errors.required', { label: t('vars.plan') });
    await expect(megan.locator('.govuk-error-summary').innerText()).resolves.toContain(planMissing);
    await expect(megan.locator('#f-plan-error').innerText()).resolves.toContain(planMissing);
    expect(await megan.title()).toMatch(new RegExp(`^${t('common.errorPrefix')}`));
    await megan.locator('#f-plan').fill('Improve attendance');
    await megan.getByRole('button', { name: t('task.complete'), exact: true }).click();
    await megan.waitForURL(/done=completed/);
    await expect(megan.locator('.govuk-notification-banner').innerText()).resolves.toContain(t('notice.completed'));

    // Joint sign-off by the challenge adviser: error summaries first
    await megan.locator(`tr[data-element="agree"] a[href^="/cases/${caseId}/"]`).click();
    await expect(megan.locator('h1').innerText()).resolves.toBe(names.agree);
    const table = megan.locator('[data-testid="signoff-table"]');
    await expect(table.innerText()).resolves.toContain(t('role.challenge-adviser'));
    await expect(table.innerText()).resolves.toContain(t('role.education-hr-officer'));
    await expect(table.locator('.govuk-tag--yellow').count()).resolves.toBe(2);
    await megan.getByRole('button', { name: t('signoff.submit'), exact: true }).click();
    await expect(megan.locator('.govuk-error-summary').innerText()).resolves.toContain(t('signoff.errors.chooseDecision'));
    await megan.locator('input[name="decision"][value="return"]').check();
    await megan.getByRole('button', { name: t('signoff.submit'), exact: true }).click();
    const summary = megan.locator('.govuk-error-summary');
    await expect(summary.innerText()).resolves.toContain(t('common.errorSummaryTitle'));
    await expect(summary.innerText()).resolves.toContain(t('signoff.errors.commentRequired'));
    await expect(megan.locator('#comment-error').innerText()).resolves.toContain(t('signoff.errors.commentRequired'));
    await megan.locator('input[name="decision"][value="approve"]').check();
    await megan.getByRole('button', { name: t('signoff.submit'), exact: true }).click();
    await megan.waitForURL(/done=approved/);
    await expect(megan.locator('.govuk-notification-banner').innerText()).resolves.toContain(t('notice.approved'));
    // Nothing is left for her in that sign-off.
    await expect(megan.locator(`tr[data-element="agree"] a[href^="/cases/${caseId}/"]`).count()).resolves.toBe(0);

    // The education HR officer sees who has signed, and approves
    const { context: rc, page: rhys } = await newPage(w, lang);
    await signIn(w, rhys, 'rhys.hr', lang);
    const agreeLink = rhys.locator(`tr[data-element="agree"] a[href^="/cases/${caseId}/"]`);
    await expect(rhys.locator(`tr[data-element="agree"]:has(a[href^="/cases/${caseId}/"])`).innerText()).resolves.toContain(t('inbox.jointSignOff'));
    await agreeLink.click();
    const row = rhys.locator('[data-testid="signoff-table"] tr', { hasText: t('role.challenge-adviser') });
    await expect(row.innerText()).resolves.toContain(t('signoff.approved'));
    await expect(row.innerText()).resolves.toContain('Megan Davies');
    await expect(rhys.locator('main').innerText()).resolves.toContain(t('signoff.signingAs', { role: t('role.education-hr-officer') }));
    await rhys.locator('input[name="decision"][value="approve"]').check();
    await rhys.getByRole('button', { name: t('signoff.submit'), exact: true }).click();
    await rhys.waitForURL(/done=approved/);

    // The case moved on: the diagram shows it
    await megan.goto(`${w.url}/cases/${caseId}`);
    await diagramReady(megan);
    expect(await markerOf(megan, 'agree')).toContain('camau-done');
    expect(await markerOf(megan, 'accept')).toContain('camau-active');
    await expect(megan.locator('[data-testid="active-steps"]').innerText()).resolves.toContain(names.accept);

    // The headteacher receives the plan; the case completes
    const { context: ec, page: eleri } = await newPage(w, lang);
    await signIn(w, eleri, 'eleri.head', lang);
    await eleri.locator(`tr[data-element="accept"] a[href^="/cases/${caseId}/"]`).click();
    await eleri.getByRole('button', { name: t('task.complete'), exact: true }).click();
    await eleri.waitForURL(/done=completed/);
    await eleri.goto(`${w.url}/cases/${caseId}`);
    await expect(eleri.locator('.govuk-summary-list').first().innerText()).resolves.toContain(t('status.completed'));
    await Promise.all([mc.close(), rc.close(), ec.close()]);
  }, 120_000);

  it('a return with a comment sends the plan back to drafting', async () => {
    const megan = await accessFor(w.rt, 'megan.adviser');
    const started = await startCase(w.rt, megan.access, { definitionKey: 'intervention-plan', schoolId: SCHOOL, actor: { userId: 'megan.adviser' } });
    if (!started.ok) throw new Error(started.error.message);
    const caseId = started.value.caseId;
    const done = await completeTask(w.rt, megan.access, caseId, eidAt(started.value.state, 'draft'), { plan: 'v1' }, { actor: { userId: 'megan.adviser' } });
    if (!done.ok) throw new Error(done.error.message);

    const { context, page: rhys } = await newPage(w, lang);
    await signIn(w, rhys, 'rhys.hr', lang);
    await rhys.locator(`tr[data-element="agree"] a[href^="/cases/${caseId}/"]`).click();
    await rhys.locator('input[name="decision"][value="return"]').check();
    await rhys.locator('#comment').fill('Add a date to each action');
    await rhys.getByRole('button', { name: t('signoff.submit'), exact: true }).click();
    await rhys.waitForURL(/done=returned/);
    await expect(rhys.locator('.govuk-notification-banner').innerText()).resolves.toContain(t('notice.returned'));
    await context.close();

    const { context: mc, page } = await newPage(w, lang);
    await signIn(w, page, 'megan.adviser', lang);
    await expect(page.locator(`tr[data-element="draft"] a[href^="/cases/${caseId}/"]`).count()).resolves.toBe(1);
    await page.goto(`${w.url}/cases/${caseId}`);
    await page.locator('.govuk-details__summary').click();
    await expect(page.locator('.govuk-details').innerText()).resolves.toContain('Add a date to each action');
    await mc.close();
  }, 120_000);
});
