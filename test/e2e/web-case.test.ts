// The case page, launch, reports and the inbox's paging in a real browser: an incident retried
// from its button once its cause is fixed (the decision deployed, so once, in Welsh) (and the button only for roles that may retry); a
// staff case started by an HR officer; a statechart case without a diagram; the reports' tables
// and charts with their filters; twenty-odd tasks over two pages.
import { readFileSync } from 'node:fs';
import { accessFor } from '../../runtime/access.js';
import { deployDmn } from '../../runtime/commands/deploy-definition.js';
import { startCase } from '../../runtime/commands/start-case.js';
import { translator } from '../../web/i18n.js';
import { newPage, signIn, startWeb, type WebWorld } from './web-helpers.js';

let w: WebWorld;
beforeAll(async () => { w = await startWeb(); }, 120_000);
afterAll(async () => { await w?.close(); });
afterEach(() => { expect(w.errors.splice(0)).toEqual([]); });

async function start(user: string, definitionKey: string, subject: { schoolId?: string; subjectPersonId?: string } = { schoolId: 'school-ysgol-y-bryn' }) {
  const u = await accessFor(w.rt, user);
  const r = await startCase(w.rt, u.access, { definitionKey, ...subject, actor: { userId: user } });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.caseId;
}

describe.each(['cy', 'en'] as const)('the case page and friends (%s)', (lang) => {
  const t = translator(lang);

  it('an HR officer starts a case for a member of staff; errors are summarised first', async () => {
    const { context, page } = await newPage(w, lang);
    await signIn(w, page, 'rhys.hr', lang);
    await page.goto(`${w.url}/launch`);
    await page.getByRole('button', { name: t('launch.submit'), exact: true }).click();
    const summary = page.locator('.govuk-error-summary');
    await expect(summary.innerText()).resolves.toContain(t('launch.errors.procedure'));
    await expect(summary.innerText()).resolves.toContain(t('launch.errors.subjectKind'));
    await page.locator('input[name="procedure"][value="intervention-plan"]').check();
    await page.locator('input[name="subjectKind"][value="staff"]').check();
    // Staff of the LA's schools only: Carmarthenshire's, not Swansea's.
    const staff = await page.locator('#staff option').allInnerTexts();
    expect(staff.some((s) => s.startsWith('Dafydd Williams'))).toBe(true);
    expect(staff.some((s) => s.startsWith('Tom Parry'))).toBe(false);
    await page.locator('#staff').selectOption('person-dafydd');
    await page.locator('#variables').fill('{"concern": "Capability"}');
    await page.getByRole('button', { name: t('launch.submit'), exact: true }).click();
    await page.waitForURL(/done=started/);
    await expect(page.locator('.govuk-caption-l').innerText()).resolves.toContain('Dafydd Williams');
    await context.close();
  }, 60_000);

  it('shows a statechart case without a diagram, and the reports with charts and filters', async () => {
    const caseId = await start('megan.adviser', 'example-review');
    const { context, page } = await newPage(w, lang);
    await signIn(w, page, 'owen.auditor', lang);
    await page.goto(`${w.url}/cases/${caseId}`);
    await expect(page.locator('#diagram').count()).resolves.toBe(0);
    await expect(page.locator('h1').innerText()).resolves.toBe(t('procedure.example-review'));
    await expect(page.locator('[data-testid="active-steps"]').innerText()).resolves.toContain(lang === 'cy' ? "Drafftio'r cynllun gwella" : 'Draft the improvement plan');

    await page.goto(`${w.url}/reports`);
    await expect(page.locator('#open-cases-table').innerText()).resolves.toContain(t('procedure.example-review'));
    await expect(page.locator('svg#chart-open[role="img"] title').textContent()).resolves.toBe(t('reports.openCases.chart'));
    await expect(page.locator('svg#chart-open rect').count()).resolves.toBeGreaterThan(0);
    await page.locator('#la').selectOption('la-abertawe');
    await page.getByRole('button', { name: t('inbox.apply'), exact: true }).click();
    await page.waitForURL(/la=la-abertawe/);
    await expect(page.locator('#open-cases-table').count()).resolves.toBe(0);
    await expect(page.locator('main').innerText()).resolves.toContain(t('reports.noRows'));
    await context.close();

    // The Welsh Government sees Wales by procedure and LA, never a school.
    const { context: c2, page: wg } = await newPage(w, lang);
    await signIn(w, wg, 'wg.analyst', lang);
    await wg.goto(`${w.url}/reports`);
    await expect(wg.locator('#school').count()).resolves.toBe(0);
    await expect(wg.locator('#open-cases-table thead').innerText()).resolves.not.toContain(t('case.school'));
    await c2.close();
  }, 60_000);
});

it('retries an incident once its cause is fixed; only roles that may retry see the button (in Welsh)', async () => {
  const lang = 'cy';
  const t = translator(lang);
  const caseId = await start('rhys.hr', 'attendance-check');
  const { context: mc, page: megan } = await newPage(w, lang);
  await signIn(w, megan, 'megan.adviser', lang);
  await megan.goto(`${w.url}/cases/${caseId}`);
  await expect(megan.locator('[data-testid="incidents"]').innerText()).resolves.toContain('decision-not-found');
  await expect(megan.getByRole('button', { name: new RegExp(t('case.retry')) }).count()).resolves.toBe(0);
  await mc.close();

  const { context, page } = await newPage(w, lang);
  await signIn(w, page, 'rhys.hr', lang);
  await page.goto(`${w.url}/cases/${caseId}`);
  await expect(page.locator('[data-testid="active-steps"]').innerText()).resolves.toContain(t('kind.incident'));
  const deployed = await deployDmn(w.rt, readFileSync(new URL('../fixtures/web/attendance-threshold.dmn', import.meta.url), 'utf8'), 'admin');
  expect(deployed.ok).toBe(true);
  await page.getByRole('button', { name: new RegExp(t('case.retry')) }).click();
  await page.waitForURL(/done=retried/);
  await expect(page.locator('.govuk-notification-banner').innerText()).resolves.toContain(t('notice.retried'));
  await expect(page.locator('[data-testid="incidents"]').count()).resolves.toBe(0);
  await expect(page.locator('[data-testid="active-steps"]').innerText()).resolves.toContain('Adolygu');
  await context.close();
}, 90_000);

it('pages the inbox twenty tasks at a time', async () => {
  for (let i = 0; i < 22; i++) await start('megan.adviser', 'intervention-plan', { schoolId: 'school-ysgol-glan-mor' });
  const { context, page } = await newPage(w, 'en');
  await signIn(w, page, 'megan.adviser', 'en');
  await page.goto(`${w.url}/?school=school-ysgol-glan-mor`);
  await expect(page.locator('#task-count').innerText()).resolves.toBe('22 tasks');
  await expect(page.locator('[data-testid="task-row"]').count()).resolves.toBe(20);
  await page.locator('.govuk-pagination__next a').click();
  await page.waitForURL(/page=2/);
  expect(new URL(page.url()).searchParams.get('school')).toBe('school-ysgol-glan-mor');
  await expect(page.locator('[data-testid="task-row"]').count()).resolves.toBe(2);
  await context.close();
}, 90_000);
