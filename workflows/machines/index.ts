// Statecharts bundled with Camau, by machine id. Their code ships with the build; the database
// only records which version of a module a case started on. A machine's module is
// workflows/machines/<id>.ts (workflows/deploy.ts reads it from there).
import type { AnyStateMachine } from 'xstate';
import { exampleReview } from './example-review.js';
import { appraisalStatechart } from './appraisal-statechart.js';

export const bundledMachines: Record<string, AnyStateMachine> = {
  [exampleReview.id]: exampleReview,
  [appraisalStatechart.id]: appraisalStatechart,
};
