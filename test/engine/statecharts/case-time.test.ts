// A statechart counting days on the case's calendars (engine/statecharts/case-time.ts): guards,
// delays and assignments see the step's time and the host's calendars; a task takes its due date
// and assignee from the context; outside a step, and for a calendar that is not loaded, there is
// no case time.
import { assign, setup, type AnyEventObject } from 'xstate';
import { caseTime, CaseTimeError } from '../../../engine/statecharts/case-time.js';
import { checkMachine } from '../../../engine/statecharts/check.js';
import { Case, NOW, definition } from './helpers.js';

type Ctx = { owner: string; meetingDate: string | null; dueAt: string | null };

/** Arrange a meeting at least 3 working days ahead (else refused); the owner must hold it by 17:00 that day; chase them 1 working day later. */
const meeting = setup({
  types: { context: {} as Ctx, input: {} as { owner: string }, events: {} as AnyEventObject },
  delays: { chase: ({ context }) => caseTime().msUntil(caseTime().add(String(context.dueAt), 'P1D', 'working-days')) },
}).createMachine({
  id: 'meeting',
  context: ({ input }) => ({ owner: input.owner, meetingDate: null, dueAt: null }),
  initial: 'arranging',
  states: {
    arranging: {
      meta: { task: { names: { cy: 'Trefnu', en: 'Arrange' }, completeEvent: 'ARRANGED' } },
      on: {
        ARRANGED: {
          guard: ({ event }) => {
            const t = caseTime();
            return t.counts(event.date, 'working-days') && event.date >= t.add(t.now, 'P3D', 'working-days').slice(0, 10);
          },
          target: 'holding',
          actions: assign({ meetingDate: ({ event }) => String(event.date), dueAt: ({ event }) => `${String(event.date)}T17:00:00` }),
        },
      },
    },
    holding: {
      id: 'hold',
      meta: { task: { names: { cy: 'Cynnal', en: 'Hold' }, assigneeVariable: 'owner', dueVariable: 'dueAt', completeEvent: 'HELD' } },
      after: { chase: { target: 'holding', reenter: true } },
      on: { HELD: 'done' },
    },
    done: { type: 'final' },
  },
});

const START = { type: 'start', variables: { owner: 'u-eleri' } } as const;

describe('case time in a statechart', () => {
  it('is lent only while the engine runs a step', () => {
    expect(() => caseTime()).toThrow(CaseTimeError);
  });

  it('lets a guard count working days from the step\'s time (Mon 2 Nov 2026 09:00)', () => {
    const c = new Case(definition(meeting));
    c.run(START);
    // 3 working days after Mon 2 Nov is Thu 5 Nov: Wed 4 Nov gives too little notice, Sat 7 Nov is
    // not a working day; the guard holds, so the machine does not take the event.
    for (const date of ['2026-11-04', '2026-11-07']) {
      expect(c.fail({ type: 'complete', eid: c.task('meeting.arranging'), variables: { date } }).code).toBe('NOT_WAITING');
    }
    c.run({ type: 'complete', eid: c.task('meeting.arranging'), variables: { date: '2026-11-05' } });
    expect(c.s.machine).toMatchObject({ value: 'holding' });
  });

  it('gives a task the assignee and due date the context holds, and a delay counted on the calendar', () => {
    const c = new Case(definition(meeting));
    c.run(START);
    c.run({ type: 'complete', eid: c.task('meeting.arranging'), variables: { date: '2026-11-05' } });
    const wait = c.s.elements[c.task('hold')].wait;
    expect(wait?.kind === 'userTask' && wait.task).toMatchObject({ assignee: 'u-eleri', dueAt: '2026-11-05T17:00:00.000Z' });
    // Fri 6 Nov 17:00 (GMT): one working day after the due date.
    expect(Object.values(c.s.timers).map((t) => [t.el, t.dueAt])).toEqual([['hold', '2026-11-06T17:00:00.000Z']]);
  });

  it('refuses the command, changing nothing, when the machine needs a calendar the host has not lent', () => {
    const c = new Case(definition(meeting), NOW, false);
    c.run(START);
    const f = c.fail({ type: 'complete', eid: c.task('meeting.arranging'), variables: { date: '2026-11-05' } });
    expect(f.message).toMatch(/Calendar "working-days" is not loaded for this case/);
  });

  it('checks the new task fields when the machine is loaded', () => {
    const bad = setup({}).createMachine({ id: 'bad', initial: 'a', states: { a: { meta: { task: { dueVariable: 3, assigneeVariable: '' } }, on: { COMPLETE: 'a' } } } });
    expect(checkMachine(bad).map((d) => d.message)).toEqual([
      'meta.task.assigneeVariable of bad.a must be a non-empty string',
      'meta.task.dueVariable of bad.a must be a non-empty string',
    ]);
  });
});
