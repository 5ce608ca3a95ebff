// One entry point for every kind of workflow: BPMN processes and XState statecharts share
// the same state shape, events, effects, tasks and timers.
import type { Command, InstanceState, Result, StepContext, StepOutput } from './types.js';
import { stepBpmn, type BpmnDefinition } from './bpmn/step.js';
import { stepMachine, type MachineDefinition } from './statecharts/step.js';

export type Definition = BpmnDefinition | MachineDefinition;
export type { BpmnDefinition, MachineDefinition };

export function step(definition: Definition, state: InstanceState | null, command: Command, ctx: StepContext): Result<StepOutput> {
  return definition.kind === 'bpmn' ? stepBpmn(definition, state, command, ctx) : stepMachine(definition, state, command, ctx);
}
