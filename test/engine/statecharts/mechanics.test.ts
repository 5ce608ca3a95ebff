// How the statechart engine maps xstate onto the shared model, with small machines made for
// each case: re-entry, guards, parallel regions, custom delayed events, failures, checks.
import fc from 'fast-check';
import { assign, cancel, raise, setup, fromPromise } from 'xstate';
import { activeElements } from '../../../engine/inspect.js';
import { checkMachine } from '../../../engine/statecharts/check.js';
import { notify } from '../../../engine/statecharts/notify.js';
import { stateString } from '../../../engine/statecharts/snapshot.js';
import type { Command } from '../../../engine/types.js';
import { exampleReview } from '../../../workflows/machines/example-review.js';
import { Case, NOW, at, definition, ofType, types } from './helpers.js';

const task = (name: string, extra: Record<string, unknown> = {}) => ({ task: { name, candidateGroups: ['hr-adviser'], ...extra } });

describe('task states', () => {
  const machine = setup({
    types: { context: {} as { n: number; note?: string | null }, events: {} as { type: 'COMPLETE'; ok?: boolean } | { type: 'REDO' } | { type: 'NOTE'; note: string } | { type: 'STAY' } },
  }).createMachine({
    id: 'tasks',
    context: { n: 0 },
    initial: 'work',
    states: {
      work: {
        meta: task('Work'),
        on: {
          COMPLETE: { guard: ({ event }) => event.ok === true, target: 'next' },
          REDO: { target: 'work', reenter: true },
          NOTE: { actions: assign({ note: ({ event }) => event.note }) },
        },
      },
      next: {
        meta: task('Next', { completeEvent: 'STAY' }),
        on: { STAY: { actions: assign({ n: ({ context }) => context.n + 1 }) } },
      },
    },
  });
  const def = definition(machine);

  it('a completion the machine does not take is NOT_WAITING and produces nothing', () => {
    const c = new Case(def);
    c.run({ type: 'start' });
    const f = c.fail({ type: 'complete', eid: c.task('tasks.work'), variables: { ok: false } });
    expect(f.code).toBe('NOT_WAITING');
    expect(f.message).toMatch(/COMPLETE/);
    c.run({ type: 'complete', eid: c.task('tasks.work'), variables: { ok: true } });
    expect(activeElements(c.s)).toEqual(['tasks.next']);
  });

  it('a variable named `type` cannot change the completion event', () => {
    const c = new Case(def);
    c.run({ type: 'start' });
    c.run({ type: 'complete', eid: c.task('tasks.work'), variables: { ok: true, type: 'REDO' } });
    expect(activeElements(c.s)).toEqual(['tasks.next']);
  });

  it('re-entering the task state closes its task and opens a new one', () => {
    const c = new Case(def);
    c.run({ type: 'start' });
    const first = c.task('tasks.work');
    const out = c.run({ type: 'signal', name: 'REDO' });
    const second = c.task('tasks.work');
    expect(second).not.toBe(first);
    expect(out.events).toContainEqual({ type: 'element.terminated', eid: first, el: 'tasks.work' });
    expect(ofType(out.effects, 'taskClosed')).toEqual([{ type: 'taskClosed', eid: first, el: 'tasks.work', outcome: 'cancelled' }]);
    expect(ofType(out.effects, 'taskCreated').map((e) => e.eid)).toEqual([second]);
  });

  it('an event handled without leaving the state keeps the task open', () => {
    const c = new Case(def);
    c.run({ type: 'start' });
    const first = c.task('tasks.work');
    const out = c.run({ type: 'correlateMessage', name: 'NOTE', variables: { note: 'called the school' } });
    expect(types(out.events)).toEqual(['variables.set', 'machine.transitioned']);
    expect(c.task('tasks.work')).toBe(first);
    expect(c.s.vars.note).toBe('called the school');
  });

  it('a completion the machine takes without leaving the state completes the task and opens a fresh one', () => {
    const c = new Case(def);
    c.run({ type: 'start' });
    c.run({ type: 'complete', eid: c.task('tasks.work'), variables: { ok: true } });
    const first = c.task('tasks.next');
    const out = c.run({ type: 'complete', eid: first });
    expect(out.events[0]).toEqual({ type: 'element.completed', eid: first, el: 'tasks.next' });
    expect(c.task('tasks.next')).not.toBe(first);
    expect(c.s.vars.n).toBe(1);
    expect(c.s.done['tasks.next']).toBe(1);
  });
});

describe('parallel regions and nested states', () => {
  const machine = setup({}).createMachine({
    id: 'par',
    type: 'parallel',
    states: {
      hr: { initial: 'check', states: { check: { meta: task('HR check'), on: { COMPLETE: 'ok' } }, ok: { type: 'final' } } },
      school: { initial: 'visit', states: { visit: { meta: task('School visit', { completeEvent: 'VISITED' }), on: { VISITED: 'ok' } }, ok: { type: 'final' } } },
    },
  });

  it('opens one task per active region and completes when every region is final', () => {
    const c = new Case(definition(machine));
    const out = c.run({ type: 'start' });
    expect(activeElements(c.s)).toEqual(['par.hr.check', 'par.school.visit']);
    expect(out.events.find((e) => e.type === 'machine.transitioned')).toMatchObject({ state: 'hr.check, school.visit' });
    c.run({ type: 'complete', eid: c.task('par.school.visit') });
    expect(activeElements(c.s)).toEqual(['par.hr.check']);
    expect(c.s.status).toBe('active');
    c.run({ type: 'complete', eid: c.task('par.hr.check') });
    expect(c.s.status).toBe('completed');
  });

  it('reads state values', () => {
    expect(stateString('a')).toBe('a');
    expect(stateString({ review: 'drafting' })).toBe('review.drafting');
    expect(stateString({ a: { b: 'c' }, d: 'e' })).toBe('a.b.c, d.e');
  });
});

describe('delayed events', () => {
  const machine = setup({
    types: { context: {} as { pings: number }, events: {} as { type: 'PING' } | { type: 'STOP' } | { type: 'ARM' } },
  }).createMachine({
    id: 'delays',
    context: { pings: 0 },
    initial: 'waiting',
    states: {
      waiting: {
        entry: raise({ type: 'PING' }, { delay: 60_000, id: 'ping' }),
        on: {
          PING: { actions: [assign({ pings: ({ context }) => context.pings + 1 }), raise({ type: 'PING' }, { delay: 60_000, id: 'ping' })] },
          STOP: { actions: cancel('ping') },
          ARM: { target: 'armed' },
        },
      },
      armed: { after: { 1000: 'waiting', 2000: 'gone' } },
      gone: { type: 'final' },
    },
  });

  it('a raise with a delay is an engine timer on the machine; cancel() cancels it', () => {
    const c = new Case(definition(machine));
    const out = c.run({ type: 'start' });
    const [t1] = c.timers();
    expect(ofType(out.effects, 'scheduleTimer')).toEqual([{ type: 'scheduleTimer', timerId: t1, dueAt: at(NOW, 60_000), el: 'delays' }]);
    expect(c.s.timers[t1].machineEvent).toEqual({ event: { type: 'PING' }, sendId: 'ping' });

    c.now = at(NOW, 60_000);
    c.run({ type: 'fireTimer', timerId: t1 });
    expect(c.s.vars.pings).toBe(1);
    const [t2] = c.timers();
    expect(t2).not.toBe(t1);
    expect(c.s.timers[t2].dueAt).toBe(at(NOW, 120_000));

    const stop = c.run({ type: 'signal', name: 'STOP' });
    expect(stop.events).toContainEqual({ type: 'timer.cancelled', timerId: t2 });
    expect(ofType(stop.effects, 'cancelTimer')).toEqual([{ type: 'cancelTimer', timerId: t2 }]);
    expect(c.run({ type: 'fireTimer', timerId: t2 }).events).toEqual([]);
  });

  it('several `after` delays on one state; the first to fire cancels the others', () => {
    const c = new Case(definition(machine));
    c.run({ type: 'start' });
    c.run({ type: 'signal', name: 'STOP' });
    c.run({ type: 'signal', name: 'ARM' });
    const timers = Object.values(c.s.timers);
    expect(timers.map((t) => [t.el, t.dueAt])).toEqual([['delays.armed', at(NOW, 1000)], ['delays.armed', at(NOW, 2000)]]);
    const out = c.run({ type: 'fireTimer', timerId: timers[0].timerId });
    expect(out.events).toContainEqual({ type: 'timer.cancelled', timerId: timers[1].timerId });
    expect(c.s.machine).toMatchObject({ value: 'waiting' });
    expect(c.run({ type: 'fireTimer', timerId: timers[1].timerId }).events).toEqual([]);
  });

  it('a timer whose event the machine no longer takes is consumed and changes nothing else', () => {
    const c = new Case(definition(machine));
    c.run({ type: 'start' });
    const [t1] = c.timers();
    c.run({ type: 'signal', name: 'ARM' }); // the ping raise is not cancelled by leaving `waiting`
    expect(c.s.timers[t1]).toBeDefined();
    const out = c.run({ type: 'fireTimer', timerId: t1 });
    expect(out.events).toEqual([{ type: 'timer.fired', timerId: t1 }]);
  });
});

describe('start, finish and failures', () => {
  it('a machine that is final at once completes in the start step and tells its caller', () => {
    const machine = setup({}).createMachine({ id: 'instant', context: ({ input }: { input: { a?: number } }) => ({ a: input.a ?? 0 }), initial: 'end', states: { end: { type: 'final' } } });
    const c = new Case(definition(machine));
    const out = c.run({ type: 'start', variables: { a: 7 }, calledBy: { caseId: 'c1', eid: 'e5' } });
    expect(types(out.events)).toEqual(['instance.started', 'machine.transitioned', 'instance.completed']);
    expect(out.effects).toEqual([{ type: 'notifyParent', parent: { caseId: 'c1', eid: 'e5' }, outcome: 'completed', variables: { a: 7 } }]);
  });

  it('a machine that throws is INVALID_COMMAND and nothing changes', () => {
    const machine = setup({}).createMachine({
      id: 'throws',
      initial: 'a',
      states: { a: { on: { BOOM: { actions: assign(() => { throw new Error('bad assign'); }) } } } },
    });
    const c = new Case(definition(machine));
    c.run({ type: 'start' });
    const f = c.fail({ type: 'signal', name: 'BOOM' });
    expect(f.code).toBe('INVALID_COMMAND');
    expect(f.message).toMatch(/bad assign/);
  });

  it('a context value set to undefined (which JSON cannot hold) reads null', () => {
    const machine = setup({ types: { context: {} as Record<string, unknown> } }).createMachine({
      id: 'drop',
      context: { a: 1, b: 2 },
      initial: 's',
      states: { s: { on: { DROP: { actions: assign({ b: () => undefined }) } } } },
    });
    const c = new Case(definition(machine));
    c.run({ type: 'start' });
    const out = c.run({ type: 'signal', name: 'DROP' });
    expect(out.events[0]).toEqual({ type: 'variables.set', scope: null, variables: { b: null } });
  });

  it('a named notify action from setup() becomes a notify effect', () => {
    const machine = setup({ actions: { tellGovernors: notify({ template: 'escalated', toRoles: ['governor'], data: { level: 2 } }) } }).createMachine({
      id: 'named',
      initial: 'a',
      states: { a: { on: { GO: { target: 'b', actions: 'tellGovernors' } } }, b: {} },
    });
    const c = new Case(definition(machine));
    c.run({ type: 'start' });
    expect(c.run({ type: 'signal', name: 'GO' }).effects).toEqual([{ type: 'notify', template: 'escalated', toRoles: ['governor'], data: { level: 2 } }]);
  });

  it('a due date may be a fixed date; a bad one raises an incident', () => {
    const machine = setup({}).createMachine({
      id: 'dues',
      type: 'parallel',
      states: { a: { meta: task('A', { dueIn: '2026-12-11T16:00:00Z' }) }, b: { meta: task('B', { dueIn: 'next week' }) } },
    });
    const c = new Case(definition(machine));
    const out = c.run({ type: 'start' });
    expect(c.s.elements[c.task('dues.a')].wait).toMatchObject({ task: { dueAt: '2026-12-11T16:00:00.000Z' } });
    expect(ofType(out.effects, 'incidentRaised').map((e) => e.incident.code)).toEqual(['invalid-due-date']);
  });
});

describe('checkMachine', () => {
  it('finds nothing wrong with the example', () => {
    expect(checkMachine(exampleReview)).toEqual([]);
  });

  it('reports what the engine cannot run or will not understand', () => {
    const machine = setup({ actors: { fetcher: fromPromise(async () => 1) } }).createMachine({
      id: 'bad',
      initial: 'a',
      states: {
        a: { invoke: { src: 'fetcher' }, meta: { task: { name: 'A', candidateGroups: 'hr', calendar: 'moon-days', dueIn: 'soon' } }, on: { COMPLETE: 'b' } },
        b: { meta: { task: { name: 'B', completeEvent: 'DONE', signoffRoles: [] } } },
        c: { meta: { task: 'C' } },
      },
    });
    const codes = checkMachine(machine).map((d) => [d.code, d.elementId]);
    expect(codes).toEqual([
      ['unsupported-invoke', 'bad.a'],
      ['task-meta-invalid', 'bad.a'],
      ['invalid-due-date', 'bad.a'],
      ['unknown-calendar', 'bad.a'],
      ['signoff-without-roles', 'bad.b'],
      ['task-never-completes', 'bad.b'],
      ['task-meta-invalid', 'bad.c'],
    ]);
  });
});

describe('replay invariant under random command sequences', () => {
  const roles = ['hr-adviser', 'challenge-adviser'] as const;
  const users = ['u-hr', 'u-ca', 'u-dafydd'] as const;
  type Pick = { kind: number; a: number; b: number; c: number; dt: number };
  const pick = fc.record({ kind: fc.nat(7), a: fc.nat(5), b: fc.nat(5), c: fc.nat(5), dt: fc.nat(10 * 24 * 3600) });

  function command(c: Case, p: Pick): Command {
    const eids = Object.keys(c.s.elements);
    const timers = Object.keys(c.s.timers);
    const eid = eids[p.a % Math.max(1, eids.length)] ?? 'e0';
    switch (p.kind) {
      case 0: return { type: 'complete', eid, variables: { plan: `plan ${p.b}` } };
      case 1:
      case 2: return { type: 'signOff', eid, role: roles[p.b % 2], userId: users[p.c % 3], decision: p.kind === 1 ? 'approve' : 'return', comment: p.c % 2 ? 'fix it' : undefined };
      case 3: return { type: 'fireTimer', timerId: timers[p.a % Math.max(1, timers.length)] ?? `t${p.a}` };
      case 4: return { type: 'correlateMessage', name: ['WITHDRAW', 'DECIDE', 'SUBMIT', 'NOPE'][p.b % 4], variables: { signoffOutcome: p.c % 2 ? 'approved' : 'returned' } };
      case 5: return { type: 'updateTask', eid, assignee: p.c % 2 ? users[p.b % 3] : null };
      case 6: return { type: 'cancel' };
      default: return { type: 'fireTimer', timerId: `t${p.b}` };
    }
  }

  it('replay(events) equals the state after every step, with or without a JSON round trip', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(pick, { maxLength: 25 }), (roundTrip, picks) => {
        const c = new Case(undefined, NOW, true, roundTrip);
        c.run({ type: 'start', variables: { school: 'Ysgol', authorId: 'u-dafydd' } });
        for (const p of picks) {
          c.now = at(c.now, p.dt * 1000);
          c.try(command(c, p)); // the harness checks replay on success and no change on failure
          if (c.s.status !== 'active') break;
        }
      }),
      { numRuns: 150 },
    );
  });
});
