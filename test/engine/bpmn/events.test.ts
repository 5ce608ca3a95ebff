// Events: event sub-processes (interrupting and not; timer, message, error, escalation), error
// end events, terminate end events, message catch events and receive tasks with correlation
// keys, signals, timers (date, duration, cycle), link events and compensation.
import { instance, scenarioSuite, type ScenarioRun } from '../../helpers/scenarios.js';
import { Driver } from '../../helpers/driver.js';
import { EVENT_MODELS } from './suites.js';

const only = (run: ScenarioRun) => [...run.world.instances.values()][0];
const completedInOrder = (run: ScenarioRun, ids: string[]) =>
  run.result.trace.filter((t) => t.kind === 'element.completed' && ids.includes(String(t.el))).map((t) => t.el);

scenarioSuite(EVENT_MODELS, {
  extras: {
    'event-subprocess.message-interrupts': (run) => {
      const s = only(run).state;
      expect(s.status).toBe('completed');
      expect(s.subs).toEqual({});
      expect(s.done.Sub_review).toBeUndefined();
    },
    'event-subprocess.timer-non-interrupting': (run) => {
      expect(only(run).state.done).toMatchObject({ Start_remind: 1, Task_remind: 1, Task_process: 1, Task_decide: 1 });
    },
    'event-subprocess-non-interrupting.message-twice': (run) => {
      expect(instance(run.world, 'f2').state.done).toMatchObject({ Start_note: 2, Task_readNote: 2 });
      expect(instance(run.world, 'f3').state.done.Start_note).toBeUndefined();
    },
    'event-subprocess-non-interrupting.timer-cycle': (run) => {
      expect(only(run).state.done).toMatchObject({ Start_tick: 2, End_tick: 2 });
    },
    'error-end-uncaught.fails-instance': (run) => {
      const s = only(run).state;
      expect(s.status).toBe('failed');
      expect(s.failure).toMatchObject({ code: 'INVALID', el: 'End_invalid' });
      expect(s.elements).toEqual({});
    },
    'error-end-uncaught.valid': (run) => {
      expect(only(run).state.status).toBe('completed');
    },
    'terminate.top-level': (run) => {
      const s = only(run).state;
      expect(s.elements).toEqual({});
      expect(s.status).not.toBe('failed');
    },
    'terminate.inside-subprocess': (run) => {
      // The terminate end event ended the sub-process's other branch, not the process.
      expect(only(run).state.done).toMatchObject({ Sub_race: 1, Task_order: 1, Task_parallel: 1 });
      expect(only(run).state.status).toBe('completed');
    },
    'message-catch.two-instances': (run) => {
      expect(instance(run.world, 'k1').state.vars).toMatchObject({ caseRef: 'K1', pages: 3, signedBy: 'ana' });
      expect(instance(run.world, 'k2').state.vars.signedBy).toBeUndefined();
    },
    'signal-broadcast.two-instances': (run) => {
      expect(instance(run.world, 'a').state.done.Catch_termEnds).toBe(1);
      expect(instance(run.world, 'b').state.done.Catch_termEnds).toBe(1);
    },
    'signal-broadcast.thrown-by-another-instance': (run) => {
      expect(run.world.instances.size).toBe(3);
    },
    'timers.date-duration-cycle': (run) => {
      // R2/<start>/P1D fires twice; R/P5D fires every five days until the task ends.
      expect(only(run).state.done).toMatchObject({ Timer_bounded: 2, Timer_unbounded: 3, Timer_date: 1, Timer_duration: 1 });
    },
    'link-events.redraft-then-publish': (run) => {
      expect(only(run).state.done).toMatchObject({ Task_draft: 2, Throw_retry: 1, Catch_redraft: 1, Throw_continue: 1, Catch_publish: 1 });
    },
    'compensation.payment-fails': (run) => {
      // Handlers run newest first, then the throw event completes.
      expect(completedInOrder(run, ['Task_cancelFlight', 'Task_cancelHotel', 'Throw_undo'])).toEqual(['Task_cancelFlight', 'Task_cancelHotel', 'Throw_undo']);
    },
  },
});

describe('timers through step()', () => {
  test('a timer fired after it was cancelled is a no-op', async () => {
    const d = await Driver.forModel('boundary-timer', undefined, '2026-06-01T09:00:00.000Z');
    const started = d.send({ type: 'start', variables: { reviewWindow: 'PT2H' } });
    const scheduled = started.effects.find((e) => e.type === 'scheduleTimer');
    expect(scheduled).toMatchObject({ type: 'scheduleTimer', el: 'Timer_remind', dueAt: '2026-06-01T10:00:00.000Z' });
    const timerId = scheduled!.type === 'scheduleTimer' ? scheduled!.timerId : '';

    // Completing the job closes its boundary timer.
    const completed = d.complete('Task_fetch');
    expect(completed.effects).toContainEqual({ type: 'cancelTimer', timerId });
    expect(d.s.timers[timerId]).toBeUndefined();

    const before = JSON.stringify(d.s);
    d.now = '2026-06-01T10:00:00.000Z';
    const late = d.send({ type: 'fireTimer', timerId });
    expect(late.events).toEqual([]);
    expect(late.effects).toEqual([]);
    expect(JSON.stringify(d.s)).toBe(before);
    expect(d.s.done.Timer_remind).toBeUndefined();
  });

  test('a timer fired twice acts once', async () => {
    const d = await Driver.forModel('event-gateway', undefined, '2026-02-02T10:00:00.000Z');
    d.send({ type: 'start', variables: { orderId: 'ORD-9' } });
    d.complete('Task_invoice');
    const [timer] = Object.values(d.s.timers);
    d.now = timer.dueAt;
    d.send({ type: 'fireTimer', timerId: timer.timerId });
    expect(d.waiting('Task_chase')).toBeDefined();
    const again = d.send({ type: 'fireTimer', timerId: timer.timerId });
    expect(again.events).toEqual([]);
    expect(d.s.done.Event_timeout).toBe(1);
  });

  test('an unknown timer id is a no-op, not an error', async () => {
    const d = await Driver.forModel('timers', undefined, '2026-12-01T09:00:00.000Z');
    d.send({ type: 'start', variables: { waitDays: 1, followUp: '2027-01-01T00:00:00Z' } });
    const out = d.send({ type: 'fireTimer', timerId: 't-does-not-exist' });
    expect(out.events).toEqual([]);
  });
});

describe('signals through step()', () => {
  test('a signal throw inside one instance reaches its own catch and is broadcast as an effect', async () => {
    const d = await Driver.forModel('signal-broadcast', 'announcer');
    const out = d.send({ type: 'start' });
    expect(out.effects).toContainEqual(expect.objectContaining({ type: 'broadcastSignal', name: 'term-ends', el: 'Throw_termEnds' }));
    expect(d.s.status).toBe('completed');
  });
});

describe('event sub-process inside a multi-instance sub-process', () => {
  test('a message reaches only the instance whose local variable matches the correlation key', async () => {
    const d = await Driver.forModel('subprocess-scoped-events');
    d.send({ type: 'start', variables: { pupils: [{ id: 'P1' }, { id: 'P2' }] } });
    const inner = d.at('Sub_pupil').filter((e) => !e.loop);
    expect(inner.map((e) => e.vars?.pupilId)).toEqual(['P1', 'P2']);
    const subs = Object.values(d.s.subs).filter((s) => s.el === 'Start_parentCall');
    expect(subs.map((s) => s.correlationKey).sort()).toEqual(['P1', 'P2']);

    d.send({ type: 'correlateMessage', name: 'parent-called', correlationKey: 'P2' });
    const [esp] = d.at('Esp_parentCall');
    expect(esp.parent).toBe(inner[1].id);
    // Non-interrupting: both pupils' work goes on, and P2 can be called again.
    expect(d.at('Task_support').filter((e) => e.wait)).toHaveLength(2);
    expect(Object.values(d.s.subs).filter((s) => s.el === 'Start_parentCall')).toHaveLength(2);
  });
});
