// The example review statechart (workflows/machines/example-review.ts) through the engine:
// tasks, joint sign-off, delayed reminders as engine timers, final states and cancellation.
// Every step is checked against the replay invariant by the Case harness.
import { activeElements } from '../../../engine/inspect.js';
import { REMINDER_DELAY } from '../../../workflows/machines/example-review.js';
import { Case, DAY, NOW, at, ofType, types } from './helpers.js';

const DRAFTING = 'example-review.drafting';
const REVIEWING = 'example-review.reviewing';
const START = { type: 'start', variables: { school: 'Ysgol Gymraeg Aberystwyth', authorId: 'u-dafydd' } } as const;

/** A case that has submitted its first draft and waits for sign-off. */
function inReview(roundTrip = false): Case {
  const c = new Case(undefined, NOW, true, roundTrip);
  c.run(START);
  c.now = at(NOW, 2 * 60 * 60 * 1000);
  c.run({ type: 'complete', eid: c.task(DRAFTING), variables: { plan: 'Plan v1' } });
  return c;
}

describe('example review: start', () => {
  it('starts in drafting with one open task', () => {
    const c = new Case();
    const out = c.run(START);
    expect(out.events[0]).toEqual({
      type: 'instance.started',
      process: 'example-review',
      def: c.def.ref,
      variables: { school: 'Ysgol Gymraeg Aberystwyth', authorId: 'u-dafydd' },
    });
    expect(types(out.events)).toEqual(['instance.started', 'variables.set', 'machine.transitioned', 'element.activated', 'element.waiting']);
    expect(out.state.status).toBe('active');
    expect(out.state.process).toBe('example-review');
    expect(out.state.def).toEqual(c.def.ref);
    expect(out.events).toContainEqual({ type: 'element.activated', eid: 'e1', el: DRAFTING, parent: null });
    expect(out.effects).toEqual([
      {
        type: 'taskCreated',
        eid: 'e1',
        el: DRAFTING,
        // P10D in working days from Monday 2 November 2026, 09:00.
        task: { name: 'Draft the improvement plan', names: { cy: "Drafftio'r cynllun gwella", en: 'Draft the improvement plan' }, candidateGroups: ['challenge-adviser'], dueAt: '2026-11-16T09:00:00.000Z' },
      },
    ]);
    expect(activeElements(out.state)).toEqual([DRAFTING]);
  });

  it('persists the snapshot through machine.transitioned, with a readable state', () => {
    const out = new Case().run(START);
    const t = out.events.find((e) => e.type === 'machine.transitioned');
    expect(t).toMatchObject({ type: 'machine.transitioned', state: 'drafting', snapshot: { status: 'active', value: 'drafting' } });
    expect(out.state.machine).toEqual(t && 'snapshot' in t ? t.snapshot : undefined);
  });

  it('mirrors the machine context in the variables', () => {
    const out = new Case().run(START);
    const ctx = (out.state.machine as { context: Record<string, unknown> }).context;
    expect(out.state.vars).toEqual(ctx);
    expect(out.state.vars).toEqual({
      school: 'Ysgol Gymraeg Aberystwyth', authorId: 'u-dafydd', plan: null, rounds: 0, reminders: 0, lastComment: null, outcome: null,
    });
    // Only the keys the input did not already hold are set.
    expect(out.events[1]).toEqual({ type: 'variables.set', scope: null, variables: { plan: null, rounds: 0, reminders: 0, lastComment: null, outcome: null } });
  });

  it('raises an incident when the due date calendar is not loaded, and still opens the task', () => {
    const c = new Case(undefined, NOW, false);
    const out = c.run(START);
    const eid = c.task(DRAFTING);
    expect(out.events).toContainEqual({
      type: 'incident.raised',
      incident: { id: 'i2', code: 'calendar-not-loaded', message: 'Calendar "working-days" is not loaded for this case', el: DRAFTING, eid },
    });
    expect(ofType(out.effects, 'taskCreated')[0].task.dueAt).toBeUndefined();
    expect(ofType(out.effects, 'incidentRaised')).toHaveLength(1);
    // The incident can be resolved; the task stays.
    c.run({ type: 'resolveIncident', incidentId: 'i2' });
    expect(c.s.incidents).toEqual({});
    expect(c.fail({ type: 'resolveIncident', incidentId: 'i2' }).code).toBe('UNKNOWN_INCIDENT');
    expect(activeElements(c.s)).toEqual([DRAFTING]);
  });

  it('cannot start twice, nor take commands before starting', () => {
    const c = new Case();
    expect(c.fail({ type: 'complete', eid: 'e1' }).code).toBe('NOT_STARTED');
    c.run(START);
    expect(c.fail(START).code).toBe('ALREADY_STARTED');
    expect(c.fail({ type: 'start', startEventId: 'x' } as never).code).toBe('ALREADY_STARTED');
    expect(new Case().fail({ type: 'start', startEventId: 'StartEvent_1' }).code).toBe('NO_START_EVENT');
  });
});

describe('example review: completing the draft', () => {
  it('completes the drafting task, opens the sign-off task, notifies and schedules the reminder', () => {
    const c = new Case();
    c.run(START);
    const draft = c.task(DRAFTING);
    c.now = '2026-11-03T10:30:00.000Z';
    const out = c.run({ type: 'complete', eid: draft, variables: { plan: 'Plan v1' } });

    expect(types(out.events)).toEqual(['element.completed', 'timer.scheduled', 'variables.set', 'machine.transitioned', 'element.activated', 'element.waiting']);
    expect(out.events[0]).toEqual({ type: 'element.completed', eid: draft, el: DRAFTING });
    expect(out.state.done).toEqual({ [DRAFTING]: 1 });
    expect(out.state.vars).toMatchObject({ plan: 'Plan v1', rounds: 1 });

    const review = c.task(REVIEWING);
    expect(out.effects).toEqual([
      { type: 'taskClosed', eid: draft, el: DRAFTING, outcome: 'completed' },
      { type: 'notify', template: 'plan-ready-for-review', toRoles: ['hr-adviser', 'challenge-adviser'], data: { school: 'Ysgol Gymraeg Aberystwyth', round: 1 } },
      { type: 'scheduleTimer', timerId: c.timers()[0], dueAt: '2026-11-08T10:30:00.000Z', el: REVIEWING },
      {
        type: 'taskCreated',
        eid: review,
        el: REVIEWING,
        task: {
          name: 'Sign off the improvement plan',
          names: { cy: "Cymeradwyo'r cynllun gwella", en: 'Sign off the improvement plan' },
          candidateGroups: ['hr-adviser', 'challenge-adviser'],
          signoffRoles: ['hr-adviser', 'challenge-adviser'],
          signoffs: [],
          authorId: 'u-dafydd',
        },
      },
    ]);
    expect(activeElements(out.state)).toEqual([REVIEWING]);
    expect(out.state.machine).toMatchObject({ value: 'reviewing' });
  });

  it('schedules the reminder 5 days after ctx.now and remembers the xstate event', () => {
    const c = inReview();
    const [timerId] = c.timers();
    expect(c.s.timers[timerId]).toEqual({
      timerId,
      el: REVIEWING,
      owner: null,
      dueAt: at(c.now, REMINDER_DELAY),
      machineEvent: {
        event: { type: 'xstate.after.reminder.example-review.reviewing' },
        sendId: 'xstate.after.reminder.example-review.reviewing',
      },
    });
    expect(at(c.now, REMINDER_DELAY)).toBe(at(c.now, 5 * DAY));
  });

  it('ids come from state.next and are never reused', () => {
    const c = inReview();
    const ids = [...Object.keys(c.s.elements), ...c.timers()];
    expect(ids).toEqual(['e3', 't2']); // e1 was the drafting task
    expect(c.s.next).toBe(4);
  });

  it('rejects complete on a task that needs joint sign-off', () => {
    const c = inReview();
    const f = c.fail({ type: 'complete', eid: c.task(REVIEWING) });
    expect(f.code).toBe('SIGNOFF_REJECTED');
    expect(f.message).toMatch(/hr-adviser, challenge-adviser/);
  });

  it('rejects complete on an unknown or closed task', () => {
    const c = new Case();
    c.run(START);
    const draft = c.task(DRAFTING);
    c.run({ type: 'complete', eid: draft });
    expect(c.fail({ type: 'complete', eid: draft }).code).toBe('UNKNOWN_ELEMENT_INSTANCE');
    expect(c.fail({ type: 'complete', eid: 'e999' }).code).toBe('UNKNOWN_ELEMENT_INSTANCE');
  });
});

describe('example review: joint sign-off', () => {
  it('approve + approve completes the review and the instance', () => {
    const c = inReview();
    const review = c.task(REVIEWING);
    const [timerId] = c.timers();

    const first = c.run({ type: 'signOff', eid: review, role: 'hr-adviser', userId: 'u-hr', decision: 'approve' });
    expect(types(first.events)).toEqual(['task.updated']);
    expect(first.effects).toEqual([]);
    expect(activeElements(c.s)).toEqual([REVIEWING]);

    c.now = at(c.now, DAY);
    const second = c.run({ type: 'signOff', eid: review, role: 'challenge-adviser', userId: 'u-ca', decision: 'approve' });
    expect(types(second.events)).toEqual([
      'task.updated', 'element.completed', 'timer.cancelled', 'variables.set', 'machine.transitioned', 'instance.completed',
    ]);
    expect(second.events[0]).toMatchObject({
      type: 'task.updated',
      task: { signoffs: [
        { role: 'hr-adviser', userId: 'u-hr', decision: 'approve' },
        { role: 'challenge-adviser', userId: 'u-ca', decision: 'approve', at: c.now },
      ] },
    });
    expect(second.effects).toEqual([
      { type: 'taskClosed', eid: review, el: REVIEWING, outcome: 'completed' },
      { type: 'cancelTimer', timerId },
      { type: 'notify', template: 'plan-approved', toRoles: ['headteacher', 'governor'] },
    ]);
    expect(c.s.status).toBe('completed');
    expect(c.s.vars.outcome).toBe('approved');
    expect(c.s.elements).toEqual({});
    expect(c.s.timers).toEqual({});
    expect(c.s.machine).toMatchObject({ status: 'done', value: 'approved' });
    expect(c.s.done).toEqual({ [DRAFTING]: 1, [REVIEWING]: 1 });
    expect(c.fail({ type: 'fireTimer', timerId }).code).toBe('INSTANCE_NOT_ACTIVE');
  });

  it('a return sends the plan back to drafting with the comment', () => {
    const c = inReview();
    const review = c.task(REVIEWING);
    const [timerId] = c.timers();
    c.run({ type: 'signOff', eid: review, role: 'hr-adviser', userId: 'u-hr', decision: 'approve' });
    const out = c.run({ type: 'signOff', eid: review, role: 'challenge-adviser', userId: 'u-ca', decision: 'return', comment: 'Targets need dates' });

    expect(types(out.events)).toEqual([
      'task.updated', 'element.completed', 'timer.cancelled', 'variables.set', 'machine.transitioned', 'element.activated', 'element.waiting',
    ]);
    expect(c.s.vars.lastComment).toBe('Targets need dates');
    expect(c.s.timers).toEqual({});
    expect(ofType(out.effects, 'cancelTimer')).toEqual([{ type: 'cancelTimer', timerId }]);
    const redraft = c.task(DRAFTING);
    expect(redraft).not.toBe(review);
    expect(activeElements(c.s)).toEqual([DRAFTING]);
    expect(c.s.machine).toMatchObject({ value: 'drafting' });

    // A second round: a fresh sign-off task with no sign-offs, and a fresh reminder.
    c.run({ type: 'complete', eid: redraft, variables: { plan: 'Plan v2' } });
    const again = c.task(REVIEWING);
    expect(again).not.toBe(review);
    expect(c.s.elements[again].wait).toMatchObject({ kind: 'userTask', task: { signoffs: [] } });
    expect(c.timers()).toHaveLength(1);
    expect(c.timers()[0]).not.toBe(timerId);
    expect(c.s.vars).toMatchObject({ rounds: 2, plan: 'Plan v2' });
  });

  it('applies the sign-off rules: no signing for two roles, no approving your own work, returns need a comment', () => {
    const c = inReview();
    const review = c.task(REVIEWING);
    expect(c.fail({ type: 'signOff', eid: review, role: 'hr-adviser', userId: 'u-dafydd', decision: 'approve' }).message).toMatch(/authored/);
    expect(c.fail({ type: 'signOff', eid: review, role: 'governor', userId: 'u-x', decision: 'approve' }).code).toBe('SIGNOFF_REJECTED');
    expect(c.fail({ type: 'signOff', eid: review, role: 'hr-adviser', userId: 'u-x', decision: 'return' }).message).toMatch(/comment/);
    c.run({ type: 'signOff', eid: review, role: 'hr-adviser', userId: 'u-hr', decision: 'approve' });
    expect(c.fail({ type: 'signOff', eid: review, role: 'challenge-adviser', userId: 'u-hr', decision: 'approve' }).message).toMatch(/two roles/);
    expect(c.fail({ type: 'signOff', eid: review, role: 'hr-adviser', userId: 'u-hr2', decision: 'approve' }).message).toMatch(/already approved/);
  });

  it('sign-off on a task without roles is rejected', () => {
    const c = new Case();
    c.run(START);
    expect(c.fail({ type: 'signOff', eid: c.task(DRAFTING), role: 'hr-adviser', userId: 'u', decision: 'approve' }).code).toBe('SIGNOFF_REJECTED');
  });
});

describe('example review: timers', () => {
  it('firing the reminder notifies again and keeps the review open', () => {
    const c = inReview();
    const review = c.task(REVIEWING);
    const [timerId] = c.timers();
    c.now = c.s.timers[timerId].dueAt;
    const out = c.run({ type: 'fireTimer', timerId });
    expect(types(out.events)).toEqual(['timer.fired', 'variables.set', 'machine.transitioned']);
    expect(out.events[1]).toEqual({ type: 'variables.set', scope: null, variables: { reminders: 1 } });
    expect(out.effects).toEqual([{ type: 'notify', template: 'review-reminder', toRoles: ['hr-adviser', 'challenge-adviser'] }]);
    expect(c.task(REVIEWING)).toBe(review);
    expect(c.s.timers).toEqual({});
  });

  it('firing a timer twice, a cancelled timer or an unknown timer is a no-op', () => {
    const c = inReview();
    const review = c.task(REVIEWING);
    const [timerId] = c.timers();
    c.run({ type: 'signOff', eid: review, role: 'hr-adviser', userId: 'u-hr', decision: 'return', comment: 'Redo' });
    expect(c.s.timers).toEqual({});
    const before = c.s;
    const out = c.run({ type: 'fireTimer', timerId });
    expect(out.events).toEqual([]);
    expect(out.effects).toEqual([]);
    expect(out.state).toEqual(before);
    expect(c.run({ type: 'fireTimer', timerId: 't999' }).events).toEqual([]);
  });

  it('leaving the state by WITHDRAW cancels the reminder', () => {
    const c = inReview();
    const [timerId] = c.timers();
    const review = c.task(REVIEWING);
    const out = c.run({ type: 'correlateMessage', name: 'WITHDRAW', variables: { reason: 'School closed' } });
    expect(types(out.events)).toEqual(['element.terminated', 'timer.cancelled', 'variables.set', 'machine.transitioned', 'instance.completed']);
    expect(out.effects).toEqual([
      { type: 'taskClosed', eid: review, el: REVIEWING, outcome: 'cancelled' },
      { type: 'cancelTimer', timerId },
      { type: 'notify', template: 'review-withdrawn', toRoles: ['headteacher'] },
    ]);
    expect(c.s.vars.outcome).toBe('withdrawn');
    expect(c.s.status).toBe('completed');
  });
});

describe('example review: events from outside', () => {
  it('WITHDRAW is taken in any state, as a message or a signal', () => {
    const c = new Case();
    c.run(START);
    const draft = c.task(DRAFTING);
    const out = c.run({ type: 'signal', name: 'WITHDRAW' });
    expect(out.events[0]).toEqual({ type: 'element.terminated', eid: draft, el: DRAFTING });
    expect(out.state.status).toBe('completed');
    expect(out.state.done).toEqual({});
    expect(activeElements(out.state)).toEqual([]);
  });

  it('an event the machine does not take is NO_SUBSCRIPTION and changes nothing', () => {
    const c = inReview();
    const f = c.fail({ type: 'correlateMessage', name: 'PUBLISH', variables: { x: 1 } });
    expect(f.code).toBe('NO_SUBSCRIPTION');
    expect(f.message).toMatch(/reviewing/);
    expect(c.fail({ type: 'signal', name: 'SUBMIT' }).code).toBe('NO_SUBSCRIPTION'); // drafting's event, not reviewing's
    // DECIDE is taken only with an outcome the guards accept.
    expect(c.fail({ type: 'correlateMessage', name: 'DECIDE', variables: { signoffOutcome: 'maybe' } }).code).toBe('NO_SUBSCRIPTION');
    // xstate's own events cannot be sent from outside (e.g. to skip a delay).
    expect(c.fail({ type: 'correlateMessage', name: 'xstate.after.reminder.example-review.reviewing' }).code).toBe('NO_SUBSCRIPTION');
  });

  it('a message may carry the completion event past the task (the machine decides)', () => {
    const c = inReview();
    const review = c.task(REVIEWING);
    const out = c.run({ type: 'correlateMessage', name: 'DECIDE', variables: { signoffOutcome: 'approved' } });
    // The task was not completed through the engine, so it is terminated, not completed.
    expect(out.events[0]).toEqual({ type: 'element.terminated', eid: review, el: REVIEWING });
    expect(c.s.status).toBe('completed');
  });
});

describe('example review: cancel and other commands', () => {
  it('cancel terminates open tasks and timers, then the instance', () => {
    const c = inReview();
    const review = c.task(REVIEWING);
    const [timerId] = c.timers();
    const out = c.run({ type: 'cancel', reason: 'Opened in error' });
    expect(out.events).toEqual([
      { type: 'element.terminated', eid: review, el: REVIEWING },
      { type: 'timer.cancelled', timerId },
      { type: 'instance.terminated', reason: 'Opened in error' },
    ]);
    expect(out.effects).toEqual([
      { type: 'taskClosed', eid: review, el: REVIEWING, outcome: 'cancelled' },
      { type: 'cancelTimer', timerId },
    ]);
    expect(c.s.status).toBe('terminated');
    expect(c.fail({ type: 'signal', name: 'WITHDRAW' }).code).toBe('INSTANCE_NOT_ACTIVE');
    expect(c.fail({ type: 'fireTimer', timerId }).code).toBe('INSTANCE_NOT_ACTIVE');
  });

  it.each([
    [{ type: 'throwError', eid: 'e1', code: 'X' }],
    [{ type: 'failJob', eid: 'e1', retries: 0, message: 'x' }],
    [{ type: 'callEnded', eid: 'e1', outcome: 'completed' }],
    [{ type: 'callEnded', eid: 'e1', outcome: 'terminated' }],
    [{ type: 'callFailed', eid: 'e1', message: 'x' }],
    [{ type: 'setVariables', variables: { a: 1 } }],
  ] as const)('%j is INVALID_COMMAND with a clear message', (cmd) => {
    const c = new Case();
    c.run(START);
    const f = c.fail(cmd as never);
    expect(f.code).toBe('INVALID_COMMAND');
    expect(f.message).toMatch(/does not apply to a statechart workflow/);
  });

  it('updateTask sets and clears the assignee', () => {
    const c = new Case();
    c.run(START);
    const draft = c.task(DRAFTING);
    c.run({ type: 'updateTask', eid: draft, assignee: 'u-ca' });
    expect(c.s.elements[draft].wait).toMatchObject({ kind: 'userTask', task: { assignee: 'u-ca', name: 'Draft the improvement plan' } });
    c.run({ type: 'updateTask', eid: draft, assignee: null });
    expect(c.s.elements[draft].wait).not.toHaveProperty('task.assignee');
    expect(c.fail({ type: 'updateTask', eid: 'e77', assignee: 'x' }).code).toBe('UNKNOWN_ELEMENT_INSTANCE');
  });

  it('a definition whose machine id is not its key is refused', () => {
    const c = new Case({ ...new Case().def, ref: { kind: 'xstate', key: 'other', version: 1, hash: 'h' } });
    expect(c.fail(START).code).toBe('INVALID_COMMAND');
  });
});

describe('example review: persistence', () => {
  it('the state survives a JSON round trip between every step and carries on to the end', () => {
    const c = inReview(true);
    const review = c.task(REVIEWING);
    const [timerId] = c.timers();
    c.now = c.s.timers[timerId].dueAt;
    c.run({ type: 'fireTimer', timerId });
    c.run({ type: 'signOff', eid: review, role: 'hr-adviser', userId: 'u-hr', decision: 'return', comment: 'Add costs' });
    c.run({ type: 'complete', eid: c.task(DRAFTING), variables: { plan: 'Plan v2' } });
    const again = c.task(REVIEWING);
    c.run({ type: 'signOff', eid: again, role: 'hr-adviser', userId: 'u-hr', decision: 'approve' });
    c.run({ type: 'signOff', eid: again, role: 'challenge-adviser', userId: 'u-ca', decision: 'approve' });
    expect(c.s.status).toBe('completed');
    expect(c.s.vars).toMatchObject({ rounds: 2, reminders: 1, plan: 'Plan v2', lastComment: 'Add costs', outcome: 'approved' });
    expect(c.s.done).toEqual({ [DRAFTING]: 2, [REVIEWING]: 2 });
  });

  it('is deterministic: the same commands give the same events and effects', () => {
    const script = (c: Case) => {
      c.run(START);
      c.run({ type: 'complete', eid: c.task(DRAFTING), variables: { plan: 'P' } });
      c.run({ type: 'fireTimer', timerId: c.timers()[0] });
      c.run({ type: 'signOff', eid: c.task(REVIEWING), role: 'hr-adviser', userId: 'u-hr', decision: 'approve' });
      return c.log;
    };
    expect(script(new Case())).toEqual(script(new Case(undefined, NOW, true, true)));
  });
});
