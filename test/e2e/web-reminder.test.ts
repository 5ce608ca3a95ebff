// A governor sees the reminder task, in Welsh and in English: the bundled intervention plan is
// drafted and jointly agreed, the headteacher and the chair of governors are asked to accept it,
// and its reminder timer fires (as the timer worker would fire it when due). The chair of
// governors of the demo school finds the task in the inbox and, on the task page, the reminder
// that was sent; the notification went to the governors' roles.
import { systemAccess } from '../../db/access.js';
import { insertUser } from '../../db/repositories/organisations.js';
import { accessFor } from '../../runtime/access.js';
import { completeTask } from '../../runtime/commands/complete-task.js';
import { fireTimer } from '../../runtime/commands/fire-timer.js';
import { signOff } from '../../runtime/commands/sign-off.js';
import { startCase } from '../../runtime/commands/start-case.js';
import type { InstanceState } from '../../engine/index.js';
import { translator } from '../../web/i18n.js';
import { DEMO } from '../../workflows/demo/seed.js';
import { BUNDLED_PLAN } from './web-form-models.js';
import { deployBpmn } from '../../runtime/commands/deploy-definition.js';
import { eidAt, newPage, signIn, startWeb, type WebWorld } from './web-helpers.js';

const SECOND_ADVISER = 'gwen.adviser';
let w: WebWorld;

beforeAll(async () => {
  w = await startWeb();
  const d = await deployBpmn(w.rt, BUNDLED_PLAN, 'admin');
  if (!d.ok) throw new Error(d.error.message);
  // A second challenge adviser signs for the role: the plan's author may not.
  await w.rt.db.transaction(systemAccess('test'), (trx) => insertUser(trx, { id: SECOND_ADVISER, display_name: 'Gwen Morris', email: 'gwen@camau.example', language: 'cy' }, [{ role: 'challenge-adviser', organisation_id: DEMO.region }]));
}, 120_000);
afterAll(async () => { await w?.close(); });
afterEach(() => { expect(w.errors.splice(0)).toEqual([]); });

const must = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

/** A plan drafted and agreed: the acceptance task open for the headteacher and the chair of governors, its reminder fired. */
async function planAwaitingAcceptance(ref: string): Promise<{ caseId: string; state: InstanceState }> {
  const actor = (userId: string, role?: string) => ({ actor: { userId, role } });
  const megan = await accessFor(w.rt, 'megan.adviser');
  const started = must(await startCase(w.rt, megan.access, { definitionKey: 'school-intervention-plan', schoolId: DEMO.schools.bryn, variables: { challengeAdviser: 'megan.adviser', caseRef: ref }, actor: { userId: 'megan.adviser' } }));
  const caseId = started.caseId;
  const drafted = must(await completeTask(w.rt, megan.access, caseId, eidAt(started.state, 'draftPlan'), {
    plan: 'Raise standards in literacy', staffActions: 'Coaching for two teachers', actions: [{ title: 'Literacy groups', owner: 'eleri.head', dueWeeks: 6 }],
  }, actor('megan.adviser')));
  const agree = eidAt(drafted.state, 'agreeStaffActions');
  const rhys = await accessFor(w.rt, 'rhys.hr');
  must(await signOff(w.rt, rhys.access, caseId, { eid: agree, role: 'education-hr-officer', userId: 'rhys.hr', decision: 'approve' }, actor('rhys.hr', 'education-hr-officer')));
  const gwen = await accessFor(w.rt, SECOND_ADVISER);
  const agreed = must(await signOff(w.rt, gwen.access, caseId, { eid: agree, role: 'challenge-adviser', userId: SECOND_ADVISER, decision: 'approve' }, actor(SECOND_ADVISER, 'challenge-adviser')));
  const timer = Object.values(agreed.state.timers).find((x) => x.el === 'acceptPlan__reminder1');
  if (!timer) throw new Error(`no reminder timer: ${JSON.stringify(agreed.state.timers)}`);
  const fired = must(await fireTimer(w.rt, caseId, timer.timerId));
  return { caseId, state: fired.state };
}

describe.each(['cy', 'en'] as const)('a governor sees the reminder task (%s)', (lang) => {
  const t = translator(lang);
  const acceptName = lang === 'cy' ? 'Derbyn y cynllun' : 'Accept the plan';

  it('the chair of governors finds the task the reminder is about, and the reminder, after it fired', async () => {
    const { caseId, state } = await planAwaitingAcceptance(`reminder-${lang}`);
    expect(state.done['acceptPlan__reminder1_notify']).toBe(1);
    // The reminder went out to the governors, the chair and the headteacher.
    const notes = await w.rt.db.transaction(systemAccess('test'), (trx) => trx('outbox').where({ case_id: caseId, kind: 'notify' }));
    expect(notes.map((n) => n.payload)).toContainEqual(expect.objectContaining({ template: 'task-reminder', toRoles: ['governors', 'chair-of-governors', 'headteacher'], data: expect.objectContaining({ task: 'acceptPlan' }) }));

    const { context, page } = await newPage(w, lang);
    await signIn(w, page, 'huw.chair', lang);
    const row = page.locator(`tr[data-element="acceptPlan"]:has(a[href^="/cases/${caseId}/"])`);
    await expect(row.innerText()).resolves.toContain(acceptName);
    await expect(row.innerText()).resolves.toContain(t('inbox.jointSignOff'));
    await row.getByRole('link', { name: acceptName }).click();
    await expect(page.locator('h1').innerText()).resolves.toBe(acceptName);
    await expect(page.locator('[data-testid="reminders"]').innerText()).resolves.toBe(t('task.reminded', { count: 1 }));
    await expect(page.locator('main').innerText()).resolves.toContain(t('signoff.signingAs', { role: t('role.chair-of-governors') }));
    await context.close();
  }, 90_000);
});
