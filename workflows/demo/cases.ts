// The demo cases: each bundled workflow in a different stage, started and driven through the
// runtime commands as the demo users would (start, complete, sign off, messages, and the timers
// firing when they come due), so that every case has a real, verifiable history. Each case runs
// on a clock of its own that starts on its date in the autumn term of 2026 and moves forward
// only to the steps' dates, firing the timers due on the way.
//
// Safe to run again: a case is identified by its reference (the business key and `caseRef`), and
// one that exists is left alone. A workflow added later gets demo cases by adding entries to
// DEMO_CASES.
import type { Actor } from '../../engine/audit/index.js';
import type { InstanceState, Variables } from '../../engine/index.js';
import { systemAccess } from '../../db/access.js';
import { accessFor } from '../../runtime/access.js';
import { ManualClock } from '../../runtime/clock.js';
import { completeTask } from '../../runtime/commands/complete-task.js';
import { correlateMessage } from '../../runtime/commands/correlate-message.js';
import { fireTimer } from '../../runtime/commands/fire-timer.js';
import { signOff } from '../../runtime/commands/sign-off.js';
import { startCase } from '../../runtime/commands/start-case.js';
import type { Outcome } from '../../runtime/errors.js';
import type { CaseChange } from '../../runtime/execute.js';
import type { Runtime } from '../../runtime/runtime.js';
import { DEMO } from './seed.js';

const S = DEMO.schools;

/** A step, at its time (the clock moves there first and the timers due by then fire). */
type Step = { at?: string } & (
  | { complete: string; as: string; variables?: Variables }
  | { signOff: string; as: string; role: string; decision?: 'approve' | 'return'; comment?: string }
  /** A message correlated on the case's reference. */
  | { message: string; as: string; variables?: Variables }
);

export interface DemoCase {
  ref: string;
  workflow: string;
  /** The school of a school-level case, or the staff member of a staff case. */
  school?: string;
  person?: string;
  startedBy: string;
  at: string;
  variables?: Variables;
  steps: Step[];
  /** Where the case is left, in Welsh and English, and the tasks and events it then waits at (none once ended). */
  stage: { cy: string; en: string };
  waiting: string[];
}

const actions = (owner: string) => [
  { title: 'Grwpiau ymyrraeth llythrennedd ym mlynyddoedd 5 a 6 / Literacy intervention groups in years 5 and 6', owner, dueWeeks: 6 },
  { title: 'Hyfforddiant i ddau athro / Coaching for two teachers', owner, dueWeeks: 10 },
];

export const DEMO_CASES: DemoCase[] = [
  {
    ref: 'SIP-DEMO-1', workflow: 'school-intervention-plan', school: S.bryn, startedBy: 'megan.adviser', at: '2026-11-09T09:00:00Z',
    variables: { challengeAdviser: 'megan.adviser', concern: 'Safonau llythrennedd yng nghyfnod allweddol 2 / Standards in literacy at key stage 2' },
    steps: [
      { at: '2026-11-12T14:00:00Z', complete: 'draftPlan', as: 'megan.adviser', variables: { plan: 'Codi safonau llythrennedd / Raise standards in literacy', staffActions: 'Hyfforddiant a chymorth i ddau athro / Coaching and support for two teachers', actions: actions('eleri.head') } },
      { at: '2026-11-16T10:00:00Z', signOff: 'agreeStaffActions', as: 'rhys.hr', role: 'education-hr-officer' },
    ],
    stage: { cy: "Yn aros i ail ymgynghorydd her lofnodi'r camau staff (dylan.adviser)", en: 'Waiting for a second challenge adviser to sign off the staff actions (dylan.adviser)' },
    waiting: ['agreeStaffActions'],
  },
  {
    ref: 'SIP-DEMO-2', workflow: 'school-intervention-plan', school: S.glanmor, startedBy: 'megan.adviser', at: '2026-09-14T09:00:00Z',
    variables: { challengeAdviser: 'megan.adviser', concern: 'Presenoldeb / Attendance' },
    steps: [
      { at: '2026-09-17T14:00:00Z', complete: 'draftPlan', as: 'megan.adviser', variables: { plan: 'Gwella presenoldeb / Improve attendance', staffActions: 'Swyddog lles i ddilyn absenoldebau / A welfare officer follows up absences', actions: actions('bethan.head') } },
      { at: '2026-09-21T10:00:00Z', signOff: 'agreeStaffActions', as: 'swansea.hr', role: 'education-hr-officer' },
      { at: '2026-09-22T10:00:00Z', signOff: 'agreeStaffActions', as: 'dylan.adviser', role: 'challenge-adviser' },
      { at: '2026-09-24T16:00:00Z', signOff: 'acceptPlan', as: 'bethan.head', role: 'headteacher' },
      { at: '2026-09-28T18:00:00Z', signOff: 'acceptPlan', as: 'lowri.chair', role: 'chair-of-governors' },
      { at: '2026-10-16T15:00:00Z', complete: 'carryOutAction', as: 'bethan.head', variables: { actionNote: 'Grwpiau yn rhedeg / Groups running' } },
      { at: '2026-11-18T10:00:00Z', complete: 'reviewProgress', as: 'megan.adviser', variables: { progress: 'sufficient' } },
    ],
    stage: { cy: 'Cynllun mewn grym: un cam ar ôl, adolygiad bob hanner tymor', en: 'Plan in force: one action left, reviewed every half term' },
    waiting: ['carryOutAction'],
  },
  {
    ref: 'SIP-DEMO-3', workflow: 'school-intervention-plan', school: S.cleddau, startedBy: 'dylan.adviser', at: '2026-09-07T09:00:00Z',
    variables: { challengeAdviser: 'dylan.adviser', concern: 'Ymddygiad ac arweinyddiaeth / Behaviour and leadership' },
    steps: [
      { at: '2026-09-10T14:00:00Z', complete: 'draftPlan', as: 'dylan.adviser', variables: { plan: 'Gwella ymddygiad ac arweinyddiaeth / Improve behaviour and leadership', staffActions: 'Hyfforddi arweinwyr / Coaching for leaders', actions: [{ title: 'Polisi ymddygiad / Behaviour policy', owner: 'cerys.head', dueWeeks: 12 }] } },
      { at: '2026-09-14T10:00:00Z', signOff: 'agreeStaffActions', as: 'pembs.hr', role: 'education-hr-officer' },
      { at: '2026-09-14T11:00:00Z', signOff: 'agreeStaffActions', as: 'megan.adviser', role: 'challenge-adviser' },
      { at: '2026-09-16T16:00:00Z', signOff: 'acceptPlan', as: 'cerys.head', role: 'headteacher' },
      { at: '2026-09-17T18:00:00Z', signOff: 'acceptPlan', as: 'david.chair', role: 'chair-of-governors' },
      { at: '2026-11-06T10:00:00Z', complete: 'reviewProgress', as: 'dylan.adviser', variables: { progress: 'insufficient' } },
      { at: '2026-11-09T10:00:00Z', complete: 'laConsiders', as: 'pembs.employer', variables: { laDecision: 'warning-notice' } },
      { at: '2026-11-13T09:00:00Z', complete: 'prepareNotice', as: 'pembs.employer', variables: { grounds: "Nid yw camau'r cynllun wedi'u cyflawni (a.2) / The plan's actions have not been carried out (s.2)", requiredAction: 'Cyflawni camau’r cynllun / Carry out the actions of the plan', compliancePeriod: 'P15D', intendedAction: 'Penodi llywodraethwyr ychwanegol (a.6) / Appoint additional governors (s.6)' } },
    ],
    stage: { cy: 'Hysbysiad rhybuddio wedi’i roi: y cyfnod cydymffurfio yn rhedeg', en: 'Warning notice given: the compliance period is running' },
    waiting: ['recordCompliance'],
  },
  {
    ref: 'CAP-DEMO-1', workflow: 'teacher-capability', person: 'person-dafydd', startedBy: 'rhys.hr', at: '2026-11-16T09:00:00Z',
    variables: { employer: 'la' },
    steps: [],
    stage: { cy: 'Cam anffurfiol: rhaglen gymorth', en: 'Informal stage: support programme' },
    waiting: ['informalStage'],
  },
  {
    ref: 'CAP-DEMO-2', workflow: 'teacher-capability', person: 'person-tom', startedBy: 'swansea.hr', at: '2026-09-14T09:00:00Z',
    variables: { employer: 'la' },
    steps: [
      { at: '2026-10-12T15:00:00Z', complete: 'informalStage', as: 'bethan.head', variables: { informalOutcome: 'formal' } },
      { at: '2026-10-13T10:00:00Z', complete: 'arrangeStage1', as: 'bethan.head', variables: { stage1Date: '2026-10-21', meetingLocation: 'Ysgol Glan Môr' } },
      { at: '2026-10-21T14:00:00Z', complete: 'holdStage1', as: 'bethan.head', variables: { accompaniedBy: 'NEU Cymru', stage1Outcome: 'warning', monitoringWeeks: 6 } },
    ],
    stage: { cy: 'Cyfnod monitro ac adolygu (6 wythnos ysgol)', en: 'Monitoring and review period (6 school weeks)' },
    waiting: ['monitoringPeriod'],
  },
  {
    // Short periods given at the start (the LA's defaults apply to every other value).
    ref: 'CAP-DEMO-3', workflow: 'teacher-capability', person: 'person-sarah', startedBy: 'rhys.hr', at: '2026-09-14T08:00:00Z',
    variables: { employer: 'governing-body', informalWeeks: 1, monitoringWeeks: 1, noticeDays: 2, appealDays: 5 },
    steps: [
      { complete: 'informalStage', as: 'mark.head', variables: { informalOutcome: 'formal' } },
      { complete: 'arrangeStage1', as: 'mark.head', variables: { stage1Date: '2026-09-17' } },
      { at: '2026-09-17T09:00:00Z', complete: 'holdStage1', as: 'mark.head', variables: { accompaniedBy: 'UCAC', stage1Outcome: 'warning' } },
      { at: '2026-09-25T08:00:00Z', complete: 'arrangeReview', as: 'mark.head', variables: { reviewDate: '2026-09-30' } },
      { at: '2026-09-30T09:00:00Z', complete: 'holdReview', as: 'mark.head', variables: { accompaniedBy: 'UCAC', reviewOutcome: 'final-warning' } },
      { at: '2026-10-08T08:00:00Z', complete: 'secondReview', as: 'mark.head', variables: { secondOutcome: 'refer' } },
      { complete: 'arrangeDecision', as: 'peter.chair', variables: { dismissalCommittee: ['Peter Rowlands', 'Gwyn Jones', 'Elin Watkins'], decisionDate: '2026-10-13' } },
      { at: '2026-10-13T09:00:00Z', complete: 'dismissalDecision', as: 'peter.chair', variables: { accompaniedBy: 'UCAC', dismissalOutcome: 'dismiss' } },
      { at: '2026-10-14T09:00:00Z', message: 'capability-appeal', as: 'rhys.hr', variables: { appealGrounds: 'Nid oedd y targedau yn gyraeddadwy / The targets were not achievable' } },
      { complete: 'arrangeAppeal', as: 'peter.chair', variables: { appealCommittee: ['Rhodri Price', 'Siân Lewis', 'Alun Davies'], appealDate: '2026-11-25' } },
    ],
    stage: { cy: "Apêl: y pwyllgor apêl yn ei gwrando ar 25 Tachwedd", en: 'Appeal: the appeal committee hears it on 25 November' },
    waiting: ['hearAppeal'],
  },
  {
    ref: 'CAP-DEMO-4', workflow: 'teacher-capability', person: 'person-gwen', startedBy: 'powys.hr', at: '2026-09-21T09:00:00Z',
    variables: { employer: 'la' },
    steps: [
      { at: '2026-10-23T15:00:00Z', complete: 'informalStage', as: 'ioan.head', variables: { informalOutcome: 'improved' } },
    ],
    stage: { cy: 'Wedi gwella yn y cam anffurfiol: achos ar gau', en: 'Improved at the informal stage: case closed' },
    waiting: [],
  },
  {
    ref: 'HCAP-DEMO-1', workflow: 'headteacher-capability', person: 'person-rhian', startedBy: 'pembs.hr', at: '2026-11-02T09:00:00Z',
    variables: { employer: 'governing-body' },
    steps: [],
    stage: { cy: 'Cam anffurfiol dan arweiniad cadeirydd y llywodraethwyr', en: 'Informal stage led by the chair of governors' },
    waiting: ['informalStage'],
  },
  {
    ref: 'SA-DEMO-1', workflow: 'sickness-absence', person: 'person-owain', startedBy: 'rhys.hr', at: '2026-11-02T09:00:00Z',
    variables: { employer: 'la' },
    steps: [
      { at: '2026-11-09T08:30:00Z', message: 'absence-recorded', as: 'rhys.hr', variables: { firstDay: '2026-11-09', expectedWorkingDays: 3 } },
      { at: '2026-11-12T08:30:00Z', message: 'absence-ended', as: 'rhys.hr', variables: { lastDay: '2026-11-11', workingDaysLost: 3 } },
    ],
    stage: { cy: "Wedi dychwelyd: cyfweliad dychwelyd i'r gwaith o fewn 3 diwrnod gwaith", en: 'Back at work: a return-to-work interview within 3 working days' },
    waiting: ['returnToWorkInterview'],
  },
  {
    ref: 'APP-DEMO-1', workflow: 'appraisal', person: 'person-gwen', startedBy: 'ioan.head', at: '2026-09-07T09:00:00Z',
    variables: { appraisee: 'gwen.teacher' },
    steps: [
      { at: '2026-09-21T15:00:00Z', complete: 'setObjectives', as: 'ioan.head', variables: { objectives: ['Codi cyrhaeddiad mewn mathemateg / Raise attainment in mathematics', 'Arwain y strategaeth ddarllen / Lead the reading strategy'] } },
    ],
    stage: { cy: "Amcanion wedi'u pennu: y cyfarfod adolygu i'w drefnu", en: 'Objectives set: the review meeting is to be arranged' },
    waiting: ['giveNotice'],
  },
];

/** The open wait at an element (the first, for a multi-instance activity). */
function openEid(state: InstanceState, el: string): string {
  const e = Object.values(state.elements).find((x) => x.el === el && x.wait);
  if (!e) throw new Error(`nothing waits at ${el} (waiting: ${Object.values(state.elements).filter((x) => x.wait).map((x) => x.el).join(', ') || 'nothing'})`);
  return e.id;
}

function value<T>(o: Outcome<T>, what: string): T {
  if (!o.ok) throw new Error(`demo case: ${what}: ${o.error.code} ${o.error.message} ${JSON.stringify(o.error.details ?? {})}`);
  return o.value;
}

/** Moves the case's clock to `at`, firing on the way every timer of the case that comes due. */
async function advance(rt: Runtime & { clock: ManualClock }, caseId: string, at: string): Promise<void> {
  for (;;) {
    const next = await rt.db.transaction(systemAccess('demo seed'), (trx) =>
      trx('timers').where({ case_id: caseId, status: 'pending' }).where('due_at', '<=', new Date(at)).orderBy('due_at').first());
    if (!next) break;
    rt.clock.set(new Date(next.due_at).toISOString());
    value(await fireTimer(rt, caseId, next.timer_id), `timer ${next.element_id}`);
  }
  rt.clock.set(at);
}

/** Starts and drives one demo case; returns its id, or undefined if it already exists. */
async function runCase(base: Runtime, c: DemoCase): Promise<string | undefined> {
  const existing = await base.db.transaction(systemAccess('demo seed'), (trx) => trx('cases').where({ business_key: c.ref }).first());
  if (existing) return undefined;
  // The instant as the database gives it back (milliseconds included): history hashes cover it.
  const rt = { ...base, clock: new ManualClock(new Date(c.at).toISOString()) };
  const as = async (userId: string) => ({ access: (await accessFor(rt, userId)).access, actor: { userId } as Actor });
  const starter = await as(c.startedBy);
  let change: CaseChange = value(await startCase(rt, starter.access, {
    definitionKey: c.workflow, ...(c.school ? { schoolId: c.school } : { subjectPersonId: c.person }), businessKey: c.ref,
    variables: { caseRef: c.ref, ...(c.variables ?? {}) }, actor: starter.actor,
  }), `${c.ref} start`);
  const id = change.caseId;
  for (const s of c.steps) {
    if (s.at) await advance(rt, id, s.at);
    const current = await rt.db.transaction(systemAccess('demo seed'), (trx) => trx('cases').where({ id }).first());
    const state = current.snapshot as InstanceState;
    if ('complete' in s) {
      const u = await as(s.as);
      change = value(await completeTask(rt, u.access, id, openEid(state, s.complete), s.variables ?? {}, { actor: u.actor }), `${c.ref} ${s.complete}`);
    } else if ('signOff' in s) {
      const u = await as(s.as);
      change = value(await signOff(rt, u.access, id, { eid: openEid(state, s.signOff), role: s.role, userId: s.as, decision: s.decision ?? 'approve', ...(s.comment ? { comment: s.comment } : {}) }, { actor: { ...u.actor, role: s.role } }), `${c.ref} sign-off ${s.signOff}`);
    } else {
      const u = await as(s.as);
      change = value(await correlateMessage(rt, u.access, { name: s.message, correlationKey: c.ref, variables: s.variables ?? {}, actor: u.actor }), `${c.ref} message ${s.message}`);
    }
  }
  return change.caseId;
}

/** Starts the demo cases that do not exist yet; returns each case with its id and whether it was created now. */
export async function seedDemoCases(rt: Runtime, cases: DemoCase[] = DEMO_CASES): Promise<Array<{ demo: DemoCase; caseId: string; created: boolean }>> {
  const out: Array<{ demo: DemoCase; caseId: string; created: boolean }> = [];
  for (const c of cases) {
    const created = await runCase(rt, c);
    const caseId = created ?? (await rt.db.transaction(systemAccess('demo seed'), (trx) => trx('cases').where({ business_key: c.ref }).first())).id;
    out.push({ demo: c, caseId, created: created !== undefined });
  }
  return out;
}
