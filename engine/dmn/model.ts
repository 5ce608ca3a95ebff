// What a DMN 1.3 file compiles to: its decisions, each a decision table or a literal
// expression, with every expression and unary test compiled once, when the file is deployed.
// Built once per deployed version and shared by every evaluation; never changed afterwards.
import type { EvalEnv, Expression } from '../expressions/index.js';

export interface CompiledDmn {
  readonly kind: 'dmn';
  /** SHA-256 of the source, as for BPMN: the same source is the same version. */
  readonly hash: string;
  readonly decisions: Readonly<Record<string, CompiledDecision>>;
}

export interface CompiledDecision {
  readonly id: string;
  readonly name?: string;
  /** Name under which a decision that requires this one sees its result: the DMN variable name, else the id. */
  readonly resultName: string;
  readonly logic: DecisionTable | LiteralDecision;
  /** Decisions of the same file this one requires (information requirements), evaluated first. */
  readonly requires: readonly CompiledDecision[];
}

export type HitPolicy = 'UNIQUE' | 'FIRST' | 'PRIORITY' | 'ANY' | 'COLLECT' | 'RULE ORDER' | 'OUTPUT ORDER';
export type Aggregation = 'SUM' | 'MIN' | 'MAX' | 'COUNT';

/** A compiled FEEL unary test (an input entry, or one entry of an output's values list). */
export interface UnaryTest {
  readonly source: string;
  test(input: unknown, vars: Record<string, unknown>, env: EvalEnv): boolean;
}

export interface TableInput {
  readonly id: string;
  readonly label?: string;
  readonly expr: Expression;
  readonly typeRef?: string;
  /** Camunda 7 `camunda:inputVariable`: a name under which input entries also see the input value. */
  readonly inputVariable?: string;
}

export interface TableOutput {
  readonly id: string;
  /** The output's name; the key of its value in a rule's result. */
  readonly name: string;
  /** Output values in decreasing priority (PRIORITY and OUTPUT ORDER), one test per listed value. */
  readonly priorities?: readonly UnaryTest[];
  /** Value when no rule matches (`defaultOutputEntry`). */
  readonly default?: Expression;
}

export interface TableRule {
  readonly id: string;
  /** One test per input; `-` and empty entries match anything. */
  readonly tests: readonly UnaryTest[];
  /** One expression per output; null for an empty cell (the value null). */
  readonly outputs: ReadonlyArray<Expression | null>;
}

export interface DecisionTable {
  readonly kind: 'table';
  readonly id: string;
  readonly hitPolicy: HitPolicy;
  readonly aggregation?: Aggregation;
  readonly inputs: readonly TableInput[];
  readonly outputs: readonly TableOutput[];
  readonly rules: readonly TableRule[];
}

export interface LiteralDecision {
  readonly kind: 'literal';
  readonly expr: Expression;
}

/** One rule's result: output name -> value. */
export type RuleResult = Record<string, unknown>;

export type DecisionOutcome =
  | {
      ok: true;
      /** The DMN value: one output's value or a context of outputs; a list for multi-hit policies; null when nothing matched. */
      value: unknown;
      /** Ids of the rules whose outputs make the result, in result order. */
      matchedRules: string[];
      /** The same result as rule results (what Camunda 7's mapDecisionResult works on); one entry after an aggregation. */
      results: RuleResult[];
    }
  | { ok: false; message: string };

/**
 * How a business-rule task stores a decision's result: `value` (Zeebe) stores the DMN value;
 * the others are Camunda 7's `camunda:mapDecisionResult`.
 */
export type DecisionResultMap = 'value' | 'singleEntry' | 'singleResult' | 'collectEntries' | 'resultList';
