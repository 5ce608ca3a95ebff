// The pure core's public face (shared/DESIGN.md §1):
//   step(definition, state, command, ctx) -> Result<{ events, effects }, Failure>
//   apply(state, event) -> state
//   replay(events) -> state
export * from './types.js';
export { apply, replay, initialState } from './bpmn/apply.js';
export { compileBpmn, hashSource, type CompileOptions } from './model/compile.js';
export type { CompiledBpmn, ProcessGraph, Node as BpmnNode } from './model/graph.js';
export { calledDecisions, callsDecisionsByExpression } from './model/called-decisions.js';
export { parseCamundaForm, FIELD_KEY, type TaskForm, type FormField, type FormFieldType, type FormOption, type Labels, type OptionValue } from './model/forms.js';
export { compileDmn, evaluateDecision, type CompiledDmn, type CompiledDecision } from './dmn/index.js';
export { signalSubscriptions, messageSubscriptions } from './bpmn/signals.js';
export { outstandingRoles } from './signoff/rules.js';
export { step, type Definition, type BpmnDefinition, type MachineDefinition } from './step.js';
export { activeElements, openWaits } from './inspect.js';
export { notify } from './statecharts/notify.js';
export { checkMachine } from './statecharts/check.js';
