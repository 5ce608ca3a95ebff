// A small bilingual review, as an XState v5 statechart run by the Camau engine:
//   drafting (task for a challenge adviser, due in 10 working days)
//   -> reviewing (joint sign-off by the HR adviser and the challenge adviser;
//                 a reminder 5 days after the review opens)
//   -> approved (final).  A return sends the plan back to drafting with the comment.
// WITHDRAW ends the case from any state (final state `withdrawn`).
import { assign, setup } from 'xstate';
import { notify } from '../../engine/statecharts/notify.js';

export interface ReviewInput {
  school?: string;
  authorId?: string;
}

export interface ReviewContext {
  school: string | null;
  /** Who drafts the plan (may not approve it). */
  authorId: string | null;
  plan: string | null;
  rounds: number;
  reminders: number;
  lastComment: string | null;
  outcome: 'approved' | 'withdrawn' | null;
}

export type ReviewEvent =
  | { type: 'SUBMIT'; plan?: string }
  | { type: 'DECIDE'; signoffOutcome: 'approved' | 'returned'; signoffComment?: string | null }
  | { type: 'WITHDRAW'; reason?: string };

/** Five days, in milliseconds: the review reminder. */
export const REMINDER_DELAY = 5 * 24 * 60 * 60 * 1000;

export const exampleReview = setup({
  types: {
    context: {} as ReviewContext,
    input: {} as ReviewInput,
    events: {} as ReviewEvent,
  },
  delays: { reminder: REMINDER_DELAY },
  guards: {
    approved: ({ event }) => event.type === 'DECIDE' && event.signoffOutcome === 'approved',
    returned: ({ event }) => event.type === 'DECIDE' && event.signoffOutcome === 'returned',
  },
}).createMachine({
  id: 'example-review',
  context: ({ input }) => ({
    school: input?.school ?? null,
    authorId: input?.authorId ?? null,
    plan: null,
    rounds: 0,
    reminders: 0,
    lastComment: null,
    outcome: null,
  }),
  initial: 'drafting',
  on: {
    WITHDRAW: { target: '.withdrawn', actions: notify({ template: 'review-withdrawn', toRoles: ['headteacher'] }) },
  },
  states: {
    drafting: {
      meta: {
        task: {
          name: 'Draft the improvement plan',
          names: { cy: "Drafftio'r cynllun gwella", en: 'Draft the improvement plan' },
          candidateGroups: ['challenge-adviser'],
          dueIn: 'P10D',
          calendar: 'working-days',
          completeEvent: 'SUBMIT',
        },
      },
      on: {
        SUBMIT: {
          target: 'reviewing',
          actions: assign({ plan: ({ event }) => event.plan ?? null, rounds: ({ context }) => context.rounds + 1 }),
        },
      },
    },
    reviewing: {
      meta: {
        task: {
          name: 'Sign off the improvement plan',
          names: { cy: "Cymeradwyo'r cynllun gwella", en: 'Sign off the improvement plan' },
          candidateGroups: ['hr-adviser', 'challenge-adviser'],
          signoffRoles: ['hr-adviser', 'challenge-adviser'],
          authorVariable: 'authorId',
          completeEvent: 'DECIDE',
        },
      },
      entry: notify<ReviewContext>(({ context }) => ({ template: 'plan-ready-for-review', toRoles: ['hr-adviser', 'challenge-adviser'], data: { school: context.school, round: context.rounds } })),
      after: {
        reminder: {
          actions: [assign({ reminders: ({ context }) => context.reminders + 1 }), notify({ template: 'review-reminder', toRoles: ['hr-adviser', 'challenge-adviser'] })],
        },
      },
      on: {
        DECIDE: [
          { guard: 'approved', target: 'approved' },
          { guard: 'returned', target: 'drafting', actions: assign({ lastComment: ({ event }) => (event.type === 'DECIDE' ? (event.signoffComment ?? null) : null) }) },
        ],
      },
    },
    approved: {
      type: 'final',
      entry: [assign({ outcome: 'approved' }), notify({ template: 'plan-approved', toRoles: ['headteacher', 'governor'] })],
    },
    withdrawn: {
      type: 'final',
      entry: assign({ outcome: 'withdrawn' }),
    },
  },
});

export default exampleReview;
