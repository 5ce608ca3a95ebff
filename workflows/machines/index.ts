// Statecharts bundled with Camau, by machine id. Their code ships with the build; the database
// only records which version of a module a case started on.
import type { AnyStateMachine } from 'xstate';
import { exampleReview } from './example-review.js';

export const bundledMachines: Record<string, AnyStateMachine> = {
  [exampleReview.id]: exampleReview,
};
