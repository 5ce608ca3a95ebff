// Teacher appraisal (School Teacher Appraisal (Wales) Regulations 2011; PRIMER "Procedures" 4) as
// an XState v5 statechart: the code-first twin of workflows/bpmn/appraisal.bpmn. A yearly cycle:
// objectives at the start; a review meeting with at least noticeDays school days' written notice;
// the teacher's record at least recordDays school days before it; the written statement within
// statementDays school days after it; an appeal to the headteacher within appealDays school days;
// then the next year's cycle, or the case ends.
//
// The BPMN model and this machine run one set of scenarios (workflows/bpmn/scenarios/appraisal.*),
// which name tasks and timers by element id. So a task here is the state whose id is the BPMN
// user task's id; a timer is the `after` of a state whose id is the BPMN timer event's id
// (`recordNotInTime`, `noAppeal`, and `<task>__reminder1` / `<task>__escalation`, the ids Camau
// gives the boundary timers of camau:reminder and camau:escalation); the escalation task is the
// state `<task>__escalation_task`. A step with a reminder or an escalation is a parallel state:
// the task in one region, each deadline in another, so their timers run side by side as the
// boundary timers of the BPMN task do, and end with the step. An escalation task outlives its
// step, as the token on BPMN's escalation path does: it lives in a region of its own beside the
// procedure, and the case ends only when the procedure has ended and no escalation task is open.
// The context holds the same variables as the BPMN model (what a task completes with is kept as
// it is, like BPMN's process variables).
//
// One difference: a date the school calendar has no data for raises an incident in BPMN but
// refuses the command here (caseTime() throws, so the machine cannot decide).
//
// Everything is in this one module on purpose: its source is what a deployment hashes
// (workflows/deploy.ts), so any change to the procedure makes a new version.
import { assign, raise, setup, type AnyEventObject } from 'xstate';
import { notify } from '../../engine/statecharts/notify.js';
import { caseTime } from '../../engine/statecharts/case-time.js';
import type { TaskMeta } from '../../engine/statecharts/tasks.js';
import { localParts, parseDateTime } from '../../engine/time/index.js';

/** The policy values of a case and their defaults (the primer's, and Camau's where it gives none): as scripts/bundled-bpmn/appraisal.mjs. */
export const APPRAISAL_DEFAULTS = {
  objectivesDays: 20,
  noticeDays: 10,
  recordDays: 5,
  statementDays: 10,
  appealDays: 10,
  appealDecisionDays: 10,
  amendDays: 5,
} as const;

type Settings = { -readonly [K in keyof typeof APPRAISAL_DEFAULTS]: number };

export interface AppraisalInput extends Partial<Settings> {
  caseRef?: string;
  /** User id of the teacher appraised: their tasks are assigned to them. */
  appraisee?: string;
  cycle?: number;
}

/** The case's variables: settings, what the tasks completed with, and the due dates the machine worked out. */
export type AppraisalContext = Settings & {
  cycle: number;
  settingsRecordedAt: string;
  /** Escalation tasks open: the case ends when the procedure has ended and this is 0. */
  openEscalations: number;
  [variable: string]: unknown;
};

const SCHOOL = 'school-days';
const OVERDUE_TO = ['chair-of-governors'];

/** An instant: an ISO instant, or a local date and time as the BPMN model's FEEL writes it. */
function instant(value: unknown): string {
  const at = parseDateTime(String(value));
  if (!at.ok) throw new Error(`appraisal: "${String(value)}" is not a date`);
  return at.value;
}

const localDate = (at: string) => localParts(at).date;

/** `n` school days after now, as FEEL's "P" + string(n) + "D" in school days. */
const schoolDaysFromNow = (n: number) => caseTime().add(caseTime().now, `P${n}D`, SCHOOL);

/** The meeting is on a school day and gives at least noticeDays school days' notice from today. */
function noticeOk(context: AppraisalContext, meetingDate: unknown): boolean {
  if (typeof meetingDate !== 'string' || !parseDateTime(meetingDate).ok) return false;
  const t = caseTime();
  return t.counts(meetingDate, SCHOOL) && meetingDate.slice(0, 10) >= localDate(t.add(t.now, `P${context.noticeDays}D`, SCHOOL));
}

/**
 * The record's deadline: 17:00 on the school day recordDays school days before the meeting (which
 * is a school day), the day BPMN's FEEL finds as the last that still leaves recordDays.
 */
function recordDue(meetingDate: string, recordDays: number): string {
  return `${localDate(caseTime().subtract(instant(meetingDate), `P${recordDays}D`, SCHOOL))}T17:00:00`;
}

/** Everything a task completed with becomes a variable of the case, as in BPMN. */
const absorb = assign(({ event }: { event: AnyEventObject }) => {
  const { type: _type, ...variables } = event;
  return variables;
});

interface Deadlines {
  /** The context key holding the task's due date (set by the step's entry). */
  dueKey: string;
  /** Works out the due date when the step starts. */
  due: (context: AppraisalContext) => string;
  /** A reminder to the assignee this many school days before the due date. */
  reminderBefore?: number;
  /** An escalation task and notification for the chair of governors one school day after it. */
  escalate?: boolean;
}

/**
 * A step: the task state `id` (completed by `completeEvent`), with its deadlines as parallel
 * regions. `extra` adds to the step's own state node (an interrupting timer, its transitions).
 */
function step(id: string, task: TaskMeta, d: Deadlines, extra: Record<string, unknown>) {
  const names = task.names ?? {};
  const about = { task: id, taskName: names.en ?? id };
  const regions: Record<string, unknown> = {
    work: { initial: 'open', states: { open: { id, meta: { task: { ...task, dueVariable: d.dueKey } } } } },
  };
  if (d.reminderBefore !== undefined) {
    const before = d.reminderBefore;
    const at = ({ context }: { context: AppraisalContext }) => caseTime().subtract(instant(context[d.dueKey]), `P${before}D`, SCHOOL);
    regions.reminder = {
      initial: 'check',
      states: {
        // A reminder whose moment has passed is not sent late (as BPMN's reminders).
        check: { always: [{ guard: (args: { context: AppraisalContext }) => Date.parse(at(args)) <= Date.parse(caseTime().now), target: 'done' }, { target: 'waiting' }] },
        waiting: { id: `${id}__reminder1`, after: { [`${id}Reminder`]: { target: 'done', actions: notify({ template: 'task-reminder', toRoles: ['assignee'], data: about }) } } },
        done: {},
      },
    };
    delays[`${id}Reminder`] = (args) => caseTime().msUntil(at(args));
  }
  if (d.escalate) {
    regions.escalation = {
      initial: 'waiting',
      states: {
        waiting: { id: `${id}__escalation`, after: { [`${id}Escalation`]: { target: 'fired', actions: [notify({ template: 'task-overdue-escalation', toRoles: OVERDUE_TO, data: about }), raise({ type: `${id}.ESCALATE` })] } } },
        fired: {},
      },
    };
    delays[`${id}Escalation`] = ({ context }) => caseTime().msUntil(caseTime().add(instant(context[d.dueKey]), 'P1D', SCHOOL));
    escalations[`${id}Escalations`] = {
      initial: 'none',
      states: {
        none: { on: { [`${id}.ESCALATE`]: { target: 'open', actions: countEscalations(1) } } },
        open: {
          id: `${id}__escalation_task`,
          meta: {
            task: {
              name: `Escalated: ${names.en ?? id}`,
              names: { cy: `Wedi'i uwchgyfeirio: ${names.cy ?? id}`, en: `Escalated: ${names.en ?? id}` },
              candidateGroups: OVERDUE_TO,
              completeEvent: `${id}.ESCALATION_HANDLED`,
            },
          },
          on: { [`${id}.ESCALATION_HANDLED`]: { target: 'none', actions: countEscalations(-1) } },
        },
      },
    };
  }
  return {
    type: 'parallel',
    entry: assign(({ context }: { context: AppraisalContext }) => ({ [d.dueKey]: d.due(context) })),
    states: regions,
    ...extra,
  };
}

const countEscalations = (by: number) => assign(({ context }: { context: AppraisalContext }) => ({ openEscalations: context.openEscalations + by }));

/** The escalation tasks' regions beside the procedure, filled in by step(). */
const escalations: Record<string, unknown> = {};

/** Named delays, filled in by step() and below: milliseconds from now, worked out on the case's calendars. */
const delays: Record<string, (args: { context: AppraisalContext }) => number> = {
  recordNotInTime: ({ context }) => caseTime().msUntil(instant(context.recordDue)),
  noAppeal: ({ context }) => caseTime().msUntil(instant(context.appealOrAcceptDue)),
};

const reviewer = ['headteacher'];

const states = {
  objectives: step('setObjectives', {
    names: { cy: 'Pennu amcanion y cylch', en: "Set the cycle's objectives" },
    candidateGroups: reviewer,
    completeEvent: 'OBJECTIVES_SET',
  }, { dueKey: 'setObjectivesDue', due: (c) => schoolDaysFromNow(c.objectivesDays), reminderBefore: 2, escalate: true }, {
    on: { OBJECTIVES_SET: { target: 'notice', actions: absorb } },
  }),
  notice: {
    id: 'giveNotice',
    meta: {
      task: {
        names: { cy: "Rhoi rhybudd ysgrifenedig o'r cyfarfod adolygu", en: 'Give written notice of the review meeting' },
        candidateGroups: reviewer,
        completeEvent: 'NOTICE_GIVEN',
      },
    },
    on: {
      NOTICE_GIVEN: [
        {
          guard: ({ context, event }: { context: AppraisalContext; event: AnyEventObject }) => noticeOk(context, event.meetingDate),
          target: 'record',
          actions: [absorb, assign(({ context }: { context: AppraisalContext }) => ({ recordDue: recordDue(String(context.meetingDate), context.recordDays) }))],
        },
        // Too little notice, or not a school day: refused; the reviewer gives notice again.
        { target: 'notice', reenter: true, actions: absorb },
      ],
    },
  },
  record: step('submitRecord', {
    names: { cy: 'Cyflwyno cofnod yr athro', en: "Submit the teacher's record" },
    assigneeVariable: 'appraisee',
    completeEvent: 'RECORD_SUBMITTED',
  }, { dueKey: 'recordDue', due: (c) => String(c.recordDue), reminderBefore: 2 }, {
    id: 'recordNotInTime',
    after: { recordNotInTime: 'recordLate' },
    on: { RECORD_SUBMITTED: { target: 'meeting', actions: absorb } },
  }),
  recordLate: step('recordLate', {
    names: { cy: 'Penderfynu heb y cofnod', en: 'Decide without the record' },
    candidateGroups: reviewer,
    completeEvent: 'LATE_RECORD_DECIDED',
  }, { dueKey: 'recordLateDue', due: (c) => instant(`${String(c.meetingDate)}T09:00:00`), escalate: true }, {
    on: {
      LATE_RECORD_DECIDED: [
        { guard: ({ event }: { event: AnyEventObject }) => event.lateRecord === 'rearrange', target: 'notice', actions: absorb },
        { target: 'meeting', actions: absorb },
      ],
    },
  }),
  meeting: step('holdMeeting', {
    names: { cy: 'Cynnal y cyfarfod adolygu', en: 'Hold the review meeting' },
    candidateGroups: reviewer,
    completeEvent: 'MEETING_HELD',
  }, { dueKey: 'holdMeetingDue', due: (c) => instant(`${String(c.meetingDate)}T17:00:00`), escalate: true }, {
    on: { MEETING_HELD: { target: 'statement', actions: absorb } },
  }),
  statement: step('writeStatement', {
    names: { cy: "Ysgrifennu'r datganiad arfarnu", en: 'Write the appraisal statement' },
    candidateGroups: reviewer,
    completeEvent: 'STATEMENT_WRITTEN',
  }, { dueKey: 'writeStatementDue', due: (c) => schoolDaysFromNow(c.statementDays), reminderBefore: 2, escalate: true }, {
    on: { STATEMENT_WRITTEN: { target: 'appealWindow', actions: absorb } },
  }),
  appealWindow: {
    id: 'noAppeal',
    entry: assign(({ context }: { context: AppraisalContext }) => ({ appealOrAcceptDue: schoolDaysFromNow(context.appealDays) })),
    after: { noAppeal: 'closing' },
    initial: 'open',
    states: {
      open: {
        id: 'appealOrAccept',
        meta: {
          task: {
            names: { cy: 'Apelio neu dderbyn y datganiad', en: 'Appeal or accept the statement' },
            assigneeVariable: 'appraisee',
            dueVariable: 'appealOrAcceptDue',
            completeEvent: 'STATEMENT_ANSWERED',
          },
        },
      },
    },
    on: {
      STATEMENT_ANSWERED: [
        { guard: ({ event }: { event: AnyEventObject }) => event.appeal === true, target: 'appeal', actions: absorb },
        { target: 'closing', actions: absorb },
      ],
    },
  },
  appeal: step('hearAppeal', {
    names: { cy: 'Penderfynu ar yr apêl', en: 'Decide the appeal' },
    candidateGroups: ['headteacher'],
    completeEvent: 'APPEAL_DECIDED',
  }, { dueKey: 'hearAppealDue', due: (c) => schoolDaysFromNow(c.appealDecisionDays), reminderBefore: 2, escalate: true }, {
    on: {
      APPEAL_DECIDED: [
        { guard: ({ event }: { event: AnyEventObject }) => event.appealOutcome === 'upheld', target: 'amend', actions: absorb },
        { target: 'closing', actions: absorb },
      ],
    },
  }),
  amend: step('amendStatement', {
    names: { cy: "Diwygio'r datganiad", en: 'Amend the statement' },
    candidateGroups: reviewer,
    completeEvent: 'STATEMENT_AMENDED',
  }, { dueKey: 'amendStatementDue', due: (c) => schoolDaysFromNow(c.amendDays), escalate: true }, {
    on: { STATEMENT_AMENDED: { target: 'closing', actions: absorb } },
  }),
  closing: {
    id: 'closeCycle',
    meta: {
      task: {
        names: { cy: "Cau'r cylch", en: 'Close the cycle' },
        candidateGroups: ['headteacher'],
        completeEvent: 'CYCLE_CLOSED',
      },
    },
    on: {
      CYCLE_CLOSED: [
        { guard: ({ event }: { event: AnyEventObject }) => event.nextCycle === true, target: 'objectives', actions: [absorb, assign(({ context }: { context: AppraisalContext }) => ({ cycle: context.cycle + 1 }))] },
        { target: 'ending', actions: absorb },
      ],
    },
  },
  // The procedure has ended; the case ends once no escalation task is open.
  ending: { always: { guard: ({ context }: { context: AppraisalContext }) => context.openEscalations === 0, target: '#appraisalEnded' } },
};

export const appraisalStatechart = setup({
  types: {
    context: {} as AppraisalContext,
    input: {} as AppraisalInput,
    events: {} as AnyEventObject,
  },
  delays,
}).createMachine({
  id: 'appraisal-statechart',
  // The start variables, and each setting as given at the start or its default (BPMN's recordSettings).
  context: ({ input }) => {
    const given = (input ?? {}) as AppraisalInput & Record<string, unknown>;
    const settings = Object.fromEntries(Object.entries(APPRAISAL_DEFAULTS).map(([k, v]) => [k, typeof given[k] === 'number' ? given[k] : v])) as Settings;
    return { ...given, ...settings, cycle: typeof given.cycle === 'number' ? given.cycle : 1, settingsRecordedAt: caseTime().now, openEscalations: 0 };
  },
  initial: 'running',
  // The config is built by step() from plain objects; xstate checks it when the machine is created.
  states: {
    running: { type: 'parallel', states: { procedure: { initial: 'objectives', states }, ...escalations } as Record<string, any> },
    appraisalEnded: { id: 'appraisalEnded', type: 'final' },
  },
});

export default appraisalStatechart;
