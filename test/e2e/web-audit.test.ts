// In a real browser, in Welsh and in English: an auditor finds a case, replays it to an earlier
// event with the step links and with the slider, sees the diagram redrawn for that moment,
// verifies the hash chain and exports the bundle. Others see only what their roles allow.
import { readEvents } from '../../db/repositories/events.js';
import { systemAccess } from '../../db/access.js';
import { accessFor } from '../../runtime/access.js';
import { completeTask } from '../../runtime/commands/complete-task.js';
import { signOff } from '../../runtime/commands/sign-off.js';
import { startCase } from '../../runtime/commands/start-case.js';
import { verifyHistory } from '../../engine/audit/index.js';
import { translator } from '../../web/i18n.js';
import { diagramReady, eidAt, markerOf, newPage, signIn, startWeb, type WebWorld } from './web-helpers.js';

let w: WebWorld;
let caseId: string;
/** The event after which the draft task was waiting, and the number of events. */
let draftWaiting: number;
let total: number;

beforeAll(async () => {
  w = await startWeb();
  const megan = await accessFor(w.rt, 'megan.adviser');
  const rhys = await accessFor(w.rt, 'rhys.hr');
  const s = await startCase(w.rt, megan.access, { definitionKey: 'intervention-plan', schoolId: 'school-ysgol-y-bryn', actor: { userId: 'megan.adviser' } });
  if (!s.ok) throw new Error(s.error.message);
  caseId = s.value.caseId;
  const d = await completeTask(w.rt, megan.access, caseId, eidAt(s.value.state, 'draft'), { plan: 'v1' }, { actor: { userId: 'megan.adviser' } });
  if (!d.ok) throw new Error(d.error.message);
  const agree = eidAt(d.value.state, 'agree');
  for (const [who, role] of [[megan, 'challenge-adviser'], [rhys, 'education-hr-officer']] as const) {
    const r = await signOff(w.rt, who.access, caseId, { eid: agree, role, userId: who.access.userId, decision: 'approve' }, { actor: { userId: who.access.userId, role } });
    if (!r.ok) throw new Error(r.error.message);
  }
  const events = await w.rt.db.transaction(systemAccess('test'), (trx) => readEvents(trx, caseId));
  total = events.length;
  draftWaiting = events.find((e) => e.type === 'element.waiting' && (e.payload as { wait?: { kind?: string } }).wait?.kind === 'userTask')!.seq;
}, 120_000);
afterAll(async () => { await w?.close(); });
afterEach(() => { expect(w.errors.splice(0)).toEqual([]); });

describe.each(['cy', 'en'] as const)('the audit timeline (%s)', (lang) => {
  const t = translator(lang);

  it('an auditor replays the case to an earlier event, verifies it and exports it', async () => {
    const { context, page } = await newPage(w, lang);
    await signIn(w, page, 'owen.auditor', lang);
    await page.goto(`${w.url}/cases`);
    await page.locator(`[data-testid="case-row"] a[href="/cases/${caseId}"]`).click();
    await page.getByRole('link', { name: t('case.historyLink') }).click();
    await page.waitForURL(new RegExp(`/cases/${caseId}/history$`));

    // Every event, with who and its hash; the latest is the current step.
    const rows = page.locator('[data-testid="events"] tbody tr');
    await expect(rows.count()).resolves.toBe(total);
    await expect(rows.first().innerText()).resolves.toContain(t('event.instance.started'));
    await expect(rows.first().innerText()).resolves.toContain('Megan Davies');
    await expect(page.locator('[aria-current="step"]').getAttribute('id')).resolves.toBe(`event-${total}`);
    await expect(page.locator('[data-testid="at-output"]').innerText()).resolves.toBe(t('history.at', { seq: total, of: total }));
    await diagramReady(page);
    expect(await markerOf(page, 'draft')).toContain('camau-done');
    expect(await markerOf(page, 'accept')).toContain('camau-active');

    // One step back with the step links
    await page.locator('[data-testid="step-back"]').click();
    await page.waitForURL(new RegExp(`at=${total - 1}`));
    await expect(page.locator('[data-testid="state-heading"]').innerText()).resolves.toBe(t('history.stateAt', { seq: total - 1 }));

    // The slider to the moment the draft was waiting: the diagram is redrawn for that state
    await page.locator('#at').fill(String(draftWaiting));
    await expect(page.locator('[data-testid="at-output"]').innerText()).resolves.toBe(t('history.at', { seq: draftWaiting, of: total }));
    await page.getByRole('button', { name: t('history.show'), exact: true }).click();
    await page.waitForURL(new RegExp(`at=${draftWaiting}$`));
    await expect(page.locator('[aria-current="step"]').getAttribute('id')).resolves.toBe(`event-${draftWaiting}`);
    await expect(page.locator('[data-testid="active-then"]').innerText()).resolves.toBe(lang === 'cy' ? "Drafftio'r cynllun" : 'Draft the plan');
    await diagramReady(page);
    expect(await markerOf(page, 'draft')).toContain('camau-active');
    expect(await markerOf(page, 'agree')).not.toMatch(/camau-(active|done)/);
    expect(await markerOf(page, 'start')).toContain('camau-done');

    // Verify the chain
    await page.locator('[data-testid="verify"]').click();
    const result = page.locator('[data-testid="verify-result"]');
    await expect(result.getAttribute('data-ok')).resolves.toBe('true');
    await expect(result.innerText()).resolves.toContain(t('history.verifyOk', { n: total }));
    expect(page.url()).toContain(`at=${draftWaiting}`);

    // Export: the bundle verifies offline
    const res = await context.request.get(`${w.url}/cases/${caseId}/export`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-disposition']).toContain(`case-${caseId}.json`);
    const bundle = await res.json();
    expect(bundle.format).toBe('camau-case-bundle/1');
    expect(bundle.events).toHaveLength(total);
    expect(verifyHistory(bundle.events, bundle.snapshot, bundle.head)).toMatchObject({ ok: true, events: total });
    await context.close();
  }, 120_000);

  it('others see only what their roles allow', async () => {
    // Another LA's HR officer cannot see the case at all; the chair of governors sees it but not its history.
    const { context, page } = await newPage(w, lang);
    await signIn(w, page, 'swansea.hr', lang);
    const res = await page.goto(`${w.url}/cases/${caseId}`);
    expect(res?.status()).toBe(404);
    await expect(page.locator('h1').innerText()).resolves.toBe(t('errorPage.notFound.title'));
    await context.close();
    const { context: c2, page: huw } = await newPage(w, lang);
    await signIn(w, huw, 'huw.chair', lang);
    expect((await huw.goto(`${w.url}/cases/${caseId}`))?.status()).toBe(200);
    await expect(huw.getByRole('link', { name: t('case.historyLink') }).count()).resolves.toBe(0);
    const denied = await huw.goto(`${w.url}/cases/${caseId}/history`);
    expect(denied?.status()).toBe(403);
    await expect(huw.locator('h1').innerText()).resolves.toBe(t('errorPage.forbidden.title'));
    expect((await c2.request.get(`${w.url}/cases/${caseId}/export`)).status()).toBe(403);
    await c2.close();
  }, 60_000);
});
