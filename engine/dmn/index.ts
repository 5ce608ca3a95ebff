// DMN 1.3 decisions: compiled once from the XML Camunda Modeler writes (dmn-moddle), evaluated
// purely with FEEL (feelin) by business-rule tasks.
export type { CompiledDecision, CompiledDmn, DecisionOutcome, DecisionResultMap } from './model.js';
export { compileDmn } from './compile.js';
export { evaluateDecision } from './evaluate.js';
export { mapDecisionResult } from './result-map.js';
