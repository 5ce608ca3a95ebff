// The expression layer: FEEL (feelin) and a safe JUEL subset, compiled at deploy time and
// evaluated purely over instance variables.
export { type Compiled, type EvalEnv, type Expression, ExpressionError, type ExpressionErrorCode, type ExpressionLanguage } from './expression.js';
export { compileExpression, compileValue } from './language.js';
export { compileUnaryTests, type CompiledUnaryTests } from './feel.js';
export { toJson } from './json.js';
