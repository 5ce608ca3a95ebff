// DMN 1.3 XML -> compiled decisions. Like compileBpmn, every problem is collected and returned
// at once (element id, rule code, message): XML errors, moddle warnings, unsupported elements,
// FEEL syntax errors in input expressions, input entries and output entries, malformed tables,
// and requirements on decisions the file does not hold. A file that compiles only fails at run
// time on its data (a UNIQUE table with two matching rules, a value FEEL cannot handle).
import type { ModdleElement } from 'dmn-moddle';
import type { Diagnostic, Result } from '../types.js';
import { compileExpression, compileUnaryTests, type Expression } from '../expressions/index.js';
import { hashSource, idAtPosition, idInWarning, warningText } from '../model/compile.js';
import type { Aggregation, CompiledDecision, CompiledDmn, DecisionTable, HitPolicy, LiteralDecision, TableInput, TableOutput, TableRule, UnaryTest } from './model.js';
import { compileOutputValues } from './output-values.js';
import { parseDmn } from './parse.js';

const HIT_POLICIES = new Set<string>(['UNIQUE', 'FIRST', 'PRIORITY', 'ANY', 'COLLECT', 'RULE ORDER', 'OUTPUT ORDER']);
const AGGREGATIONS = new Set<string>(['SUM', 'MIN', 'MAX', 'COUNT']);
/** Parts of a decision requirements graph that only document it. */
const PASSIVE = new Set(['dmn:InputData', 'dmn:KnowledgeSource']);

export async function compileDmn(xml: string): Promise<Result<CompiledDmn, Diagnostic[]>> {
  const parsed = await parseDmn(xml);
  if (!parsed.ok) return { ok: false, failure: [{ code: 'xml-parse', message: `The XML could not be parsed: ${parsed.message}` }] };
  const c = new DmnCompiler(parsed.definitions.expressionLanguage);
  for (const w of parsed.warnings) c.diag('moddle-warning', w.element?.id ?? idInWarning(w.message) ?? idAtPosition(xml, w.message), warningText(w.message));
  const decisions = c.compile(parsed.definitions);
  if (c.diagnostics.length > 0) return { ok: false, failure: c.diagnostics };
  return { ok: true, value: freeze({ kind: 'dmn', hash: hashSource(xml), decisions }) };
}

/** Compiled decisions are shared by every evaluation (and every case): frozen all the way down. */
function freeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) freeze(v);
  }
  return value;
}

interface Logic {
  el: ModdleElement;
  logic: DecisionTable | LiteralDecision;
  requires: string[];
}

class DmnCompiler {
  diagnostics: Diagnostic[] = [];

  /** `expressionLanguage` of the definitions: the default for every expression in the file (FEEL when absent). */
  constructor(private language: string | undefined) {}

  diag(code: string, elementId: string | undefined, message: string): void {
    this.diagnostics.push(elementId ? { code, elementId, message } : { code, message });
  }

  compile(defs: ModdleElement): Record<string, CompiledDecision> {
    const logics = new Map<string, Logic>();
    const declared = new Set<string>();
    for (const el of (defs.drgElement ?? []) as ModdleElement[]) {
      if (PASSIVE.has(el.$type)) continue;
      if (el.$type !== 'dmn:Decision') {
        this.diag('unsupported-element', el.id, `${el.$type.slice(4)} ${el.id} is not supported; Camau evaluates decision tables and literal expressions`);
        continue;
      }
      declared.add(el.id);
      // Ids and variable names become keys of plain objects (results, variables).
      if (el.id === '__proto__' || el.variable?.name === '__proto__') this.diag('invalid-name', el.id, 'A decision and its variable may not be named __proto__');
      const requires = this.requirements(el);
      const logic = this.logic(el);
      if (logic) logics.set(el.id, { el, logic, requires });
    }
    if (declared.size === 0) this.diag('no-decision', defs.id, 'The file has no decision');
    return link(logics, declared, (code, id, message) => this.diag(code, id, message));
  }

  private requirements(el: ModdleElement): string[] {
    for (const k of (el.knowledgeRequirement ?? []) as ModdleElement[]) {
      this.diag('unsupported-element', k.id ?? el.id, `Decision ${el.id} requires business knowledge, which is not supported`);
    }
    return ((el.informationRequirement ?? []) as ModdleElement[])
      .map((r) => r.requiredDecision?.href)
      .filter((href): href is string => typeof href === 'string')
      .map((href) => href.replace(/^#/, ''));
  }

  private logic(el: ModdleElement): DecisionTable | LiteralDecision | undefined {
    const l: ModdleElement | undefined = el.decisionLogic;
    if (!l) { this.diag('decision-without-logic', el.id, `Decision ${el.id} has no decision table or literal expression`); return undefined; }
    if (l.$type === 'dmn:DecisionTable') return this.table(l, el.id);
    if (l.$type === 'dmn:LiteralExpression') {
      const expr = this.expr(l, l.id ?? el.id, `The literal expression of decision ${el.id}`);
      return expr ? { kind: 'literal', expr } : undefined;
    }
    this.diag('unsupported-element', l.id ?? el.id, `Decision ${el.id} is a ${l.$type.slice(4)}; Camau evaluates decision tables and literal expressions`);
    return undefined;
  }

  private table(t: ModdleElement, decisionId: string): DecisionTable | undefined {
    const before = this.diagnostics.length;
    const id: string = t.id ?? decisionId;
    const inputs = ((t.input ?? []) as ModdleElement[]).map((i, n) => this.input(i, n));
    const outputs = this.outputs(t, id);
    const hitPolicy = this.hitPolicy(t, id);
    const aggregation = this.aggregation(t, id, hitPolicy, outputs.length);
    const inputNames = ((t.input ?? []) as ModdleElement[]).map((i, n) => (i.label ? `"${i.label}"` : (i.id ?? `${n + 1}`)));
    const rules = ((t.rule ?? []) as ModdleElement[]).map((r, n) => this.rule(r, n, inputNames, outputs));
    if (this.diagnostics.length > before || !hitPolicy) return undefined;
    return {
      kind: 'table', id, hitPolicy, ...(aggregation ? { aggregation } : {}),
      inputs: inputs as TableInput[], outputs, rules: rules as TableRule[],
    };
  }

  private input(i: ModdleElement, n: number): TableInput | undefined {
    const id: string = i.id ?? `input ${n + 1}`;
    const what = `Input ${i.label ? `"${i.label}" ` : ''}(${id})`;
    const expr = this.expr(i.inputExpression, i.inputExpression?.id ?? id, what);
    if (!expr) return undefined;
    const typeRef: string | undefined = i.inputExpression?.typeRef;
    const inputVariable = i.$attrs?.['camunda:inputVariable'];
    return { id, ...(i.label ? { label: i.label } : {}), expr, ...(typeRef ? { typeRef } : {}), ...(inputVariable ? { inputVariable } : {}) };
  }

  private outputs(t: ModdleElement, tableId: string): TableOutput[] {
    const els = (t.output ?? []) as ModdleElement[];
    if (els.length === 0) this.diag('table-without-output', tableId, `Decision table ${tableId} has no output`);
    const seen = new Set<string>();
    return els.map((o, n) => {
      const id: string = o.id ?? `output ${n + 1}`;
      if (!o.name && els.length > 1) this.diag('output-without-name', id, `Output ${id} needs a name: a table with several outputs returns them by name`);
      const name: string = o.name ?? id;
      if (name === '__proto__') this.diag('invalid-name', id, `Output ${id} may not be named __proto__`);
      if (seen.has(name)) this.diag('duplicate-output-name', id, `Two outputs of ${tableId} are named "${name}"`);
      seen.add(name);
      const out: { id: string; name: string; default?: Expression; priorities?: UnaryTest[] } = { id, name };
      if (o.defaultOutputEntry) out.default = this.expr(o.defaultOutputEntry, o.defaultOutputEntry.id ?? id, `The default of output "${name}"`);
      const values = String(o.outputValues?.text ?? '').trim();
      if (values && (t.hitPolicy === 'PRIORITY' || t.hitPolicy === 'OUTPUT ORDER')) {
        const c = compileOutputValues(values);
        if (c.ok) out.priorities = c.tests;
        else this.diag('unary-tests-syntax', o.outputValues.id ?? id, `The output values of "${name}": ${c.message}`);
      }
      return out;
    });
  }

  private hitPolicy(t: ModdleElement, id: string): HitPolicy | undefined {
    const policy = String(t.hitPolicy ?? 'UNIQUE');
    if (!HIT_POLICIES.has(policy)) {
      this.diag('hit-policy', id, `Hit policy ${policy} of ${id} is not supported (UNIQUE, FIRST, PRIORITY, ANY, COLLECT, RULE ORDER, OUTPUT ORDER)`);
      return undefined;
    }
    const listsValues = ((t.output ?? []) as ModdleElement[]).some((o) => String(o.outputValues?.text ?? '').trim() !== '');
    if ((policy === 'PRIORITY' || policy === 'OUTPUT ORDER') && !listsValues) {
      this.diag('hit-policy', id, `Hit policy ${policy} of ${id} ranks results by the outputs' values lists, but no output lists its values`);
    }
    return policy as HitPolicy;
  }

  private aggregation(t: ModdleElement, id: string, policy: HitPolicy | undefined, outputCount: number): Aggregation | undefined {
    if (t.aggregation === undefined) return undefined;
    const a = String(t.aggregation);
    if (!AGGREGATIONS.has(a)) this.diag('hit-policy', id, `Aggregation ${a} of ${id} is not supported (SUM, MIN, MAX, COUNT)`);
    else if (policy !== 'COLLECT') this.diag('hit-policy', id, `Aggregation ${a} of ${id} needs the COLLECT hit policy, not ${policy}`);
    else if (outputCount > 1) this.diag('hit-policy', id, `Aggregation ${a} of ${id} needs a table with one output, not ${outputCount}`);
    return a as Aggregation;
  }

  private rule(r: ModdleElement, n: number, inputNames: string[], outputs: TableOutput[]): TableRule {
    const id: string = r.id ?? `rule ${n + 1}`;
    const entries = (r.inputEntry ?? []) as ModdleElement[];
    const outs = (r.outputEntry ?? []) as ModdleElement[];
    if (entries.length !== inputNames.length) this.diag('rule-shape', id, `Rule ${id} has ${entries.length} input entries for ${inputNames.length} inputs`);
    if (outs.length !== outputs.length) this.diag('rule-shape', id, `Rule ${id} has ${outs.length} output entries for ${outputs.length} outputs`);
    const tests = entries.map((e, i) => this.test(e, `Rule ${id}, input ${inputNames[i] ?? i + 1}`, id));
    const outputsOf = outs.map((e, i) => {
      if (String(e.text ?? '').trim() === '') return null;
      return this.expr(e, e.id ?? id, `Rule ${id}, output "${outputs[i]?.name ?? i + 1}"`) ?? null;
    });
    return { id, tests: tests.filter((t): t is UnaryTest => t !== undefined), outputs: outputsOf };
  }

  private test(e: ModdleElement, where: string, ruleId: string): UnaryTest | undefined {
    const language = e.expressionLanguage ?? this.language;
    if (language && !/feel/i.test(language)) {
      this.diag('unsupported-expression-language', e.id ?? ruleId, `${where}: input entries are FEEL unary tests, not ${language}`);
      return undefined;
    }
    const source = String(e.text ?? '');
    const c = compileUnaryTests(source);
    if (!c.ok) { this.diag('unary-tests-syntax', e.id ?? ruleId, `${where}: ${c.message}`); return undefined; }
    return { source, test: c.test };
  }

  /** A FEEL (or, where the model says so, JUEL) expression from a LiteralExpression element. */
  private expr(el: ModdleElement | undefined, id: string, what: string): Expression | undefined {
    const text = String(el?.text ?? '').trim();
    if (!text) { this.diag('expression-missing', id, `${what} has no expression`); return undefined; }
    const c = compileExpression(text, { defaultLanguage: 'feel', language: el?.expressionLanguage ?? this.language });
    if (!c.ok) { this.diag('expression-syntax', id, `${what}: ${c.message}`); return undefined; }
    return c.expr;
  }
}

/** Links each decision to the decisions it requires; a requirement outside the file, or a cycle, is a diagnostic. */
function link(logics: Map<string, Logic>, declared: Set<string>, diag: (code: string, id: string, message: string) => void): Record<string, CompiledDecision> {
  const out: Record<string, CompiledDecision> = {};
  const visiting = new Set<string>();
  const resolve = (id: string): CompiledDecision | undefined => {
    if (out[id]) return out[id];
    const l = logics.get(id);
    if (!l || visiting.has(id)) return undefined;
    visiting.add(id);
    const requires: CompiledDecision[] = [];
    for (const req of l.requires) {
      if (!declared.has(req)) { diag('requirement-missing', id, `Decision ${id} requires decision ${req}, which is not in this file`); continue; }
      if (visiting.has(req)) { diag('requirement-cycle', id, `Decision ${id} requires ${req}, which requires ${id} again`); continue; }
      const r = resolve(req);
      if (r) requires.push(r);
    }
    visiting.delete(id);
    const name: string | undefined = l.el.name;
    out[id] = { id, ...(name ? { name } : {}), resultName: l.el.variable?.name ?? id, logic: l.logic, requires };
    return out[id];
  };
  for (const id of logics.keys()) resolve(id);
  return out;
}
