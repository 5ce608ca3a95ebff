// Small DMN files for the decision tests, written from a compact description of each table.
// Rules are numbered r1, r2... (prefixed with the decision id, `band_r1`, when the file has
// several decisions); their entries r1_i1 (inputs) and r1_o1 (outputs).
import { compileDmn, evaluateDecision, type CompiledDmn, type DecisionOutcome } from '../../../engine/dmn/index.js';
import type { Diagnostic } from '../../../engine/types.js';

export const env = { now: '2026-11-02T09:00:00.000Z' };

export interface TableSpec {
  hitPolicy?: string;
  aggregation?: string;
  inputs: Array<{ expr: string; typeRef?: string; label?: string; inputVariable?: string }>;
  outputs: Array<{ name?: string; values?: string; default?: string }>;
  /** Input entries, then output entries, per rule. */
  rules: Array<[string[], string[]]>;
}

export interface DecisionSpec {
  id: string;
  name?: string;
  variable?: string;
  table?: TableSpec;
  literal?: string;
  requires?: string[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const text = (s: string) => `<text>${esc(s)}</text>`;

function tableXml(id: string, t: TableSpec, r: string): string {
  const attrs = `${t.hitPolicy ? ` hitPolicy="${t.hitPolicy}"` : ''}${t.aggregation ? ` aggregation="${t.aggregation}"` : ''}`;
  const inputs = t.inputs.map((i, n) =>
    `<input id="${id}_in${n + 1}"${i.label ? ` label="${esc(i.label)}"` : ''}${i.inputVariable ? ` camunda:inputVariable="${i.inputVariable}"` : ''}>` +
    `<inputExpression id="${id}_in${n + 1}_expr"${i.typeRef ? ` typeRef="${i.typeRef}"` : ''}>${text(i.expr)}</inputExpression></input>`).join('');
  const outputs = t.outputs.map((o, n) =>
    `<output id="${id}_out${n + 1}"${o.name ? ` name="${o.name}"` : ''}>` +
    `${o.values ? `<outputValues id="${id}_out${n + 1}_values">${text(o.values)}</outputValues>` : ''}` +
    `${o.default ? `<defaultOutputEntry id="${id}_out${n + 1}_default">${text(o.default)}</defaultOutputEntry>` : ''}</output>`).join('');
  const rules = t.rules.map(([ins, outs], n) =>
    `<rule id="${r}${n + 1}">${ins.map((e, i) => `<inputEntry id="${r}${n + 1}_i${i + 1}">${text(e)}</inputEntry>`).join('')}` +
    `${outs.map((e, i) => `<outputEntry id="${r}${n + 1}_o${i + 1}">${text(e)}</outputEntry>`).join('')}</rule>`).join('');
  return `<decisionTable id="${id}_table"${attrs}>${inputs}${outputs}${rules}</decisionTable>`;
}

export function dmnXml(decisions: DecisionSpec[]): string {
  const body = decisions.map((d) => {
    const reqs = (d.requires ?? []).map((r, n) => `<informationRequirement id="${d.id}_req${n + 1}"><requiredDecision href="#${r}" /></informationRequirement>`).join('');
    const logic = d.table ? tableXml(d.id, d.table, decisions.length > 1 ? `${d.id}_r` : 'r') : d.literal !== undefined ? `<literalExpression id="${d.id}_literal">${text(d.literal)}</literalExpression>` : '';
    const variable = d.variable ? `<variable id="${d.id}_var" name="${d.variable}" />` : '';
    return `<decision id="${d.id}"${d.name ? ` name="${d.name}"` : ''}>${variable}${reqs}${logic}</decision>`;
  }).join('\n  ');
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:camunda="http://camunda.org/schema/1.0/dmn" id="defs" name="Test decisions" namespace="http://camunda.org/schema/1.0/dmn">
  ${body}
</definitions>`;
}

export async function compiled(decisions: DecisionSpec[]): Promise<CompiledDmn> {
  const c = await compileDmn(dmnXml(decisions));
  if (!c.ok) throw new Error(`decisions rejected:\n${c.failure.map((d) => `${d.code} [${d.elementId}]: ${d.message}`).join('\n')}`);
  return c.value;
}

export async function diagnostics(xml: string): Promise<Diagnostic[]> {
  const c = await compileDmn(xml);
  if (c.ok) throw new Error('expected the file to be rejected');
  return c.failure;
}

/** Evaluates decision `d` of a one-table file. */
export async function decide(table: TableSpec, vars: Record<string, unknown>): Promise<DecisionOutcome> {
  const dmn = await compiled([{ id: 'd', table }]);
  return evaluateDecision(dmn.decisions.d, vars, env);
}

/** The value of a successful evaluation (fails the test otherwise). */
export async function valueOf(table: TableSpec, vars: Record<string, unknown>): Promise<unknown> {
  const r = await decide(table, vars);
  if (!r.ok) throw new Error(`evaluation failed: ${r.message}`);
  return r.value;
}
