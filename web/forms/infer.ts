// A form for a user task whose model declares none (the bundled procedures): the variables the
// task's documentation asks for ("Complete with: plan, actions (a list of { title, owner,
// dueWeeks }), staffActions."), the variables its output mappings read, and those the gateway
// right after it tests. A gateway that routes on one variable's value becomes a choice labelled
// with the gateway's and its flows' names ("Cynnydd digonol? / Enough progress?"); other
// variables get their type from how the conditions use them and their label from web/i18n
// (`vars.<name>`), else a generic bilingual label naming the variable.
import type { FormField, FormFieldType, FormOption, Labels, OptionValue, ProcessGraph, BpmnNode } from '../../engine/index.js';
import { labelsOf } from '../../engine/model/forms.js';
import { hasKey, translator } from '../i18n.js';
import { equalsLiteral, reads } from './reads.js';

/** Variables the engine itself sets (sign-off outcome, loop counters): never asked for. */
const ENGINE_SET = new Set(['signoffOutcome', 'signoffComment', 'signoffBy', 'loopCounter', 'nrOfInstances', 'nrOfActiveInstances', 'nrOfCompletedInstances']);

/** Words that open a list item in prose without naming a variable ("record why (endReason = ...)"). */
const PROSE = new Set(['true', 'false', 'null', 'why', 'who', 'what', 'how', 'when', 'whether', 'the', 'that', 'which']);

interface Asked { name: string; literals: string[]; boolean?: boolean; columns?: string[]; list?: boolean; optional?: boolean }

/** The names a task's documentation asks for, in order, with the literal values it lists for each. */
export function askedInDoc(doc: string | undefined): Asked[] {
  if (!doc) return [];
  const out: Asked[] = [];
  // A sentence that opens with "Complete with" or "Record", or a clause "...: record why (...)".
  for (const m of doc.matchAll(/(?:^|[.;:]\s+)(?:Complete with|Record|record)\b:?/gm)) {
    const segment = sentence(doc.slice(m.index + m[0].length).split('\n')[0]);
    // Names at the top level of a comma / "and" / "or" list, and camelCase names anywhere outside { }.
    const marks: Array<{ name: string; at: number }> = [];
    let depth = 0;
    let itemStart = 0;
    for (let i = 0; i <= segment.length; i++) {
      const ch = segment[i];
      if (ch === '(' || ch === '{') depth++;
      if (ch === ')' || ch === '}') depth--;
      const boundary = i === segment.length || (depth === 0 && (ch === ',' || segment.startsWith(' and ', i) || segment.startsWith(' or ', i)));
      if (!boundary) continue;
      const item = segment.slice(itemStart, i);
      const first = /^\s*([a-z][A-Za-z0-9]*)(?=\s*(?:[=:(,]|$))/.exec(item);
      if (first && !PROSE.has(first[1])) marks.push({ name: first[1], at: itemStart + first.index + first[0].indexOf(first[1]) });
      itemStart = i + (segment.startsWith(' and ', i) ? 5 : segment.startsWith(' or ', i) ? 4 : 1);
    }
    const noBraces = segment.replace(/\{[^}]*\}/g, (b) => ' '.repeat(b.length)).replace(/"[^"]*"/g, (q) => ' '.repeat(q.length));
    for (const c of noBraces.matchAll(/\b[a-z]+(?:[A-Z0-9][a-z0-9]*)+\b/g)) if (!marks.some((k) => k.at === c.index)) marks.push({ name: c[0], at: c.index });
    marks.sort((a, b) => a.at - b.at);
    marks.forEach((k, i) => {
      if (out.some((o) => o.name === k.name)) return;
      const upto = i + 1 < marks.length ? marks[i + 1].at : segment.length;
      const own = segment.slice(k.at + k.name.length, upto).replace(/\(e\.g\.[^)]*\)/g, '');
      const literals = [...own.matchAll(/"([^"]+)"/g)].map((q) => q[1]);
      const columns = /^\s*\([^{)]*\{([^}]*)\}/.exec(own)?.[1].split(',').map((s) => s.trim()).filter((s) => /^[A-Za-z_]\w*$/.test(s));
      const list = !columns && /^\s*\(a list of\b/.test(own);
      const boolean = /^\s*=\s*true or false\b/.test(own) || /^\s*=\s*(?:true|false)\b/.test(own);
      // "appeal = true (and appealGrounds)": asked only with another answer, so not required.
      const optional = /\(and\s+$/.test(segment.slice(0, k.at));
      out.push({ name: k.name, literals, boolean: boolean || undefined, columns: columns?.length ? columns : undefined, list: list || undefined, optional: optional || undefined });
    });
  }
  return out;
}

/** The first sentence: up to a ";" or a full stop (followed by a space or the end) outside brackets. */
function sentence(text: string): string {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(' || ch === '{') depth++;
    else if (ch === ')' || ch === '}') depth--;
    else if (depth === 0 && (ch === ';' || (ch === '.' && (i + 1 === text.length || text[i + 1] === ' ')))) return text.slice(0, i);
  }
  return text;
}

const cy = translator('cy');
const en = translator('en');

/** Camau's own label for a variable (web/i18n `vars.<name>`), else one that names it. */
export function variableLabel(name: string): Labels {
  if (hasKey('en', `vars.${name}`)) return { cy: cy(`vars.${name}`), en: en(`vars.${name}`) };
  return { cy: cy('form.valueOf', { name }), en: en('form.valueOf', { name }) };
}

function typeByName(name: string, topLevel: boolean): FormFieldType {
  if (/(?:Date|On)$/.test(name)) return 'date';
  if (/(?:Weeks|Days)$/.test(name)) return 'number';
  return topLevel && !/(?:By|Period|Ref|Name|owner|title)$/i.test(name) ? 'textarea' : 'textfield';
}

function plainField(name: string, type: FormFieldType): FormField {
  const f: FormField = { key: name, type, label: variableLabel(name), required: true };
  if (type === 'number' && /(?:Weeks|Days)$/.test(name)) { f.integer = true; f.min = 1; }
  return f;
}

const slug = (s: string) => s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** Every variable some element of the model writes (settings, script results): not the task's to ask. */
function writtenByModel(graphs: ProcessGraph[], except: string): Set<string> {
  const out = new Set<string>();
  for (const g of graphs) {
    for (const n of Object.values(g.nodes)) {
      if (n.id === except) continue;
      for (const o of n.outputs ?? []) out.add(o.target);
      if (n.script?.resultVariable) out.add(n.script.resultVariable);
      if (n.decision?.resultVariable) out.add(n.decision.resultVariable);
    }
  }
  return out;
}

export function inferForm(graphs: ProcessGraph[], g: ProcessGraph, node: BpmnNode, doc: string | undefined): FormField[] {
  const fields = new Map<string, FormField>();
  const asked = askedInDoc(doc);
  for (const a of asked) {
    if (ENGINE_SET.has(a.name)) continue;
    if (a.columns) {
      fields.set(a.name, { key: a.name, type: 'records', label: variableLabel(a.name), required: true, columns: a.columns.map((c) => plainField(c, typeByName(c, false))) });
    } else if (a.list) {
      fields.set(a.name, plainField(a.name, 'list'));
    } else if (a.boolean) {
      fields.set(a.name, { ...plainField(a.name, 'radio'), options: [{ value: true, label: { cy: cy('form.yes'), en: en('form.yes') } }, { value: false, label: { cy: cy('form.no'), en: en('form.no') } }] });
    } else if (a.literals.length >= 2) {
      fields.set(a.name, { ...plainField(a.name, 'radio'), options: a.literals.map((l) => ({ value: l, label: valueLabel(a.name, l) })) });
    } else {
      fields.set(a.name, plainField(a.name, typeByName(a.name, true)));
    }
    if (a.optional) delete fields.get(a.name)!.required;
  }
  const settings = writtenByModel(graphs, node.id);
  // A variable an earlier task's gateway already tests (the committee named when the hearing was
  // arranged, read again when the appeal is) is that task's to ask, not this one's.
  const ids = Object.keys(g.nodes);
  const earlier = new Set(ids.slice(0, ids.indexOf(node.id)).map((id) => g.nodes[id]).filter((m) => m.type === 'userTask')
    .flatMap((m) => gatewayConditions(g, m).flatMap((c) => reads(c).map((r) => r.name))));
  const consider = (name: string, type: FormFieldType | undefined) => {
    if (ENGINE_SET.has(name) || settings.has(name) || fields.has(name) || earlier.has(name)) return;
    fields.set(name, plainField(name, type ?? typeByName(name, true)));
  };
  for (const o of node.outputs ?? []) for (const r of o.source ? reads(o.source.source) : []) consider(r.name, r.type);
  for (const flowId of node.outgoing) {
    const gw = g.nodes[g.flows[flowId]?.target];
    if (!gw || (gw.type !== 'exclusiveGateway' && gw.type !== 'inclusiveGateway')) continue;
    const flows = gw.outgoing.map((id) => g.flows[id]).filter(Boolean);
    const tests = flows.filter((f) => f.condition).map((f) => ({ f, eq: equalsLiteral(f.condition!.source) }));
    const one = tests.length > 0 && tests.every((t) => t.eq && t.eq.name === tests[0].eq!.name) ? tests[0].eq!.name : undefined;
    if (one && !ENGINE_SET.has(one) && !settings.has(one)) {
      const docLiterals = asked.find((a) => a.name === one)?.literals ?? [];
      const used = tests.map((t) => t.eq!.value);
      const options: FormOption[] = flows.map((f) => {
        const label = f.name ? labelsOf(f.name) : undefined;
        const test = tests.find((t) => t.f.id === f.id);
        let value: OptionValue;
        if (test) value = test.eq!.value;
        else if (typeof used[0] === 'boolean' && used.length === 1) value = !used[0];
        else {
          const spare = docLiterals.filter((l) => !used.includes(l));
          value = spare.length === 1 ? spare[0] : slug(label?.en ?? label?.text ?? f.id);
        }
        return { value, label: label ?? valueLabel(one, String(value)) };
      });
      const legend = gw.name ? labelsOf(gw.name) : variableLabel(one);
      fields.set(one, { key: one, type: 'radio', label: legend, required: true, options });
      continue;
    }
    for (const t of tests) for (const r of reads(t.f.condition!.source)) consider(r.name, r.type);
  }
  return [...fields.values()];
}

/** The conditions of the exclusive or inclusive gateways right after a task. */
function gatewayConditions(g: ProcessGraph, n: BpmnNode): string[] {
  return n.outgoing.map((id) => g.nodes[g.flows[id]?.target]).filter((gw) => gw && (gw.type === 'exclusiveGateway' || gw.type === 'inclusiveGateway'))
    .flatMap((gw) => gw.outgoing.map((id) => g.flows[id]?.condition?.source).filter((c): c is string => !!c));
}

/** A value's label from web/i18n (`vars.<name>Values.<value>`), else the value itself. */
function valueLabel(name: string, value: string): Labels {
  const key = `vars.${name}Values.${value}`;
  return hasKey('en', key) ? { cy: cy(key), en: en(key) } : { text: value };
}
