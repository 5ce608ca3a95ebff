// Boundary events on user tasks, service tasks, sub-processes, multi-instance bodies and call
// activities: timers (interrupting, non-interrupting, cycles), messages with correlation keys,
// errors (by code, catch-all, propagated out of an inner sub-process or a called process),
// escalations (interrupting, non-interrupting, uncaught).
import { instance, scenarioSuite, type ScenarioRun } from '../../helpers/scenarios.js';
import { Driver } from '../../helpers/driver.js';
import { BOUNDARY_MODELS } from './suites.js';

const only = (run: ScenarioRun) => [...run.world.instances.values()][0];
/** The instance a call activity of `parent` started. */
const childOf = (run: ScenarioRun, parent: string) => {
  const p = instance(run.world, parent);
  const children = [...run.world.instances.values()].filter((i) => i.state.calledBy?.caseId === p.id);
  expect(children).toHaveLength(1);
  return children[0];
};

scenarioSuite(BOUNDARY_MODELS, {
  extras: {
    'boundary-timer.cycle-non-interrupting': (run) => {
      // R3/PT1H fires exactly three times and never interrupts the job.
      expect(only(run).state.done).toMatchObject({ Timer_remind: 3, Event_reminded: 3, End_reminded: 3, Task_fetch: 1 });
    },
    'boundary-timer.interrupting': (run) => {
      const s = only(run).state;
      expect(s.done.Timer_remind).toBeUndefined();
      expect(s.done.Task_review).toBeUndefined();
      expect(s.status).toBe('completed');
    },
    'boundary-message.correlated-per-instance': (run) => {
      expect(instance(run.world, 'second').state.done.Event_info).toBe(2);
      expect(instance(run.world, 'second').state.done.Task_note).toBe(2);
      expect(instance(run.world, 'first').state.done.Event_info).toBeUndefined();
      // Both instances have ended: nobody is left to take a message.
      expect(run.world.publish('claim-info-update', 'C-200', {})).toBe(false);
    },
    'boundary-error.uncaught-job-error': (run) => {
      const s = only(run).state;
      expect(s.status).toBe('failed');
      expect(s.failure).toMatchObject({ code: 'PICKER_BROKEN', el: 'Task_pick' });
      expect(s.elements).toEqual({});
    },
    'boundary-error.propagated-from-inner-subprocess': (run) => {
      const s = only(run).state;
      // The error ended both sub-processes; the boundary event on the outer one took the token.
      expect(s.elements).toEqual({});
      expect(s.done).toMatchObject({ Task_pick: 1, Error_stock: 1, Task_backorder: 1 });
      expect(s.done.Sub_pick).toBeUndefined();
      expect(s.status).toBe('completed');
    },
    'boundary-escalation.uncaught-continues': (run) => {
      const thrown = only(run).events.filter((e) => e.type === 'escalation.thrown');
      expect(thrown).toEqual([{ type: 'escalation.thrown', code: 'FYI', el: 'Throw_fyi', caught: false }]);
    },
    'boundary-escalation.non-interrupting': (run) => {
      const thrown = only(run).events.filter((e) => e.type === 'escalation.thrown');
      expect(thrown).toEqual([{ type: 'escalation.thrown', code: 'NEED_HELP', el: 'Throw_help', caught: true }]);
    },
    'boundary-multi-instance.deadline-interrupts-body': (run) => {
      const s = only(run).state;
      // One vote was in; the body and its two open votes were interrupted.
      expect(s.done.Task_vote).toBe(1);
      expect(s.done.Timer_voteReminder).toBe(1);
      expect(s.status).toBe('completed');
    },
    'call-boundaries.timer-cancels-child': (run) => {
      expect(childOf(run, 'referral').state.status).toBe('terminated');
      expect(childOf(run, 'referral').state.done.Task_assess).toBeUndefined();
    },
    'call-boundaries.child-error': (run) => {
      // The error ends the called instance and is handled by the caller's boundary event.
      expect(childOf(run, 'referral').state.status).toBe('terminated');
      expect(instance(run.world, 'referral').state.status).toBe('completed');
    },
    'call-boundaries.child-escalation': (run) => {
      expect(childOf(run, 'referral').state.status).toBe('completed');
      expect(instance(run.world, 'referral').state.done.Esc_needInput).toBe(1);
    },
  },
});

describe('multi-instance user task', () => {
  test('each instance is assigned from its own input element', async () => {
    const d = await Driver.forModel('boundary-multi-instance');
    const out = d.send({ type: 'start', variables: { voters: ['ana', 'bryn', 'cerys'] } });
    const created = out.effects.filter((e) => e.type === 'taskCreated');
    expect(created.map((e) => (e.type === 'taskCreated' ? e.task.assignee : undefined))).toEqual(['ana', 'bryn', 'cerys']);
    const inner = d.at('Task_vote').filter((e) => e.wait?.kind === 'userTask');
    expect(inner.map((e) => e.vars?.voter)).toEqual(['ana', 'bryn', 'cerys']);
    expect(inner.map((e) => e.vars?.loopCounter)).toEqual([1, 2, 3]);
  });

  test('an interrupting boundary timer on the body cancels every open instance', async () => {
    const d = await Driver.forModel('boundary-multi-instance', undefined, '2026-04-06T09:00:00.000Z');
    d.send({ type: 'start', variables: { voters: ['ana', 'bryn', 'cerys'] } });
    const deadline = Object.values(d.s.timers).find((t) => t.el === 'Timer_voteDeadline')!;
    const out = d.send({ type: 'fireTimer', timerId: deadline.timerId });
    const closed = out.effects.filter((e) => e.type === 'taskClosed');
    expect(closed).toHaveLength(3);
    expect(closed.every((e) => e.type === 'taskClosed' && e.outcome === 'cancelled')).toBe(true);
    // The reminder timer belonged to the interrupted body and is cancelled too.
    expect(out.effects).toContainEqual(expect.objectContaining({ type: 'cancelTimer' }));
    expect(d.s.timers).toEqual({});
    expect(d.at('Task_vote')).toEqual([]);
    expect(d.waiting('Task_decideAlone')).toBeDefined();
  });
});
