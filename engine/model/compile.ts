// BPMN XML -> validated, immutable executable graph. Every problem is collected and returned
// at once (element id, rule code, message); a model that compiles never fails at run time
// for a reason that could have been seen here.
import type { ModdleElement } from 'bpmn-moddle';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { Diagnostic, Result } from '../types.js';
import { compileExpression, compileValue, type Expression, type ExpressionLanguage } from '../expressions/index.js';
import { checkTimerSpec } from '../time/index.js';
import { checkConstraints } from './constraints.js';
import { parseBpmn } from './parse.js';
import { attr, camundaParameters, extension, extensions, localisedNames } from './extensions.js';
import { computeUpstream } from './reachability.js';
import { declaredForm } from './forms.js';
import { synthesiseDeadlines } from './deadlines.js';
import type { CompiledBpmn, EventDef, EventKind, Flavour, Flow, LoopDef, Mapping, Node, NodeType, ProcessGraph, UserTaskDef } from './graph.js';
import type { DecisionResultMap } from '../dmn/index.js';

export interface CompileOptions {
  /** Language of bare expressions (no `=`, no `${}`) in plain BPMN files. Default FEEL. */
  defaultExpressionLanguage?: ExpressionLanguage;
  /** Script formats the host runs itself (through a scriptRunner); other non-FEEL scripts are rejected. */
  hostScriptFormats?: string[];
  /** Accept scripts without a format as host scripts (conformance probes). */
  hostScriptsWithoutFormat?: boolean;
}

const NODE_TYPES: Record<string, NodeType> = {
  'bpmn:StartEvent': 'startEvent', 'bpmn:EndEvent': 'endEvent',
  'bpmn:IntermediateCatchEvent': 'intermediateCatchEvent', 'bpmn:IntermediateThrowEvent': 'intermediateThrowEvent',
  'bpmn:BoundaryEvent': 'boundaryEvent', 'bpmn:Task': 'task', 'bpmn:UserTask': 'userTask',
  'bpmn:ServiceTask': 'serviceTask', 'bpmn:ScriptTask': 'scriptTask', 'bpmn:SendTask': 'sendTask',
  'bpmn:ReceiveTask': 'receiveTask', 'bpmn:BusinessRuleTask': 'businessRuleTask', 'bpmn:ManualTask': 'manualTask',
  'bpmn:CallActivity': 'callActivity', 'bpmn:SubProcess': 'subProcess', 'bpmn:Transaction': 'transaction',
  'bpmn:AdHocSubProcess': 'adHocSubProcess', 'bpmn:ExclusiveGateway': 'exclusiveGateway',
  'bpmn:ParallelGateway': 'parallelGateway', 'bpmn:InclusiveGateway': 'inclusiveGateway',
  'bpmn:EventBasedGateway': 'eventBasedGateway', 'bpmn:ComplexGateway': 'complexGateway',
};

/** Flow elements that carry no behaviour: data and artifacts. */
const PASSIVE = new Set(['bpmn:SequenceFlow', 'bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference']);

const EVENT_KINDS: Record<string, EventKind> = {
  'bpmn:TimerEventDefinition': 'timer', 'bpmn:MessageEventDefinition': 'message', 'bpmn:SignalEventDefinition': 'signal',
  'bpmn:ErrorEventDefinition': 'error', 'bpmn:EscalationEventDefinition': 'escalation',
  'bpmn:ConditionalEventDefinition': 'conditional', 'bpmn:CompensateEventDefinition': 'compensate',
  'bpmn:LinkEventDefinition': 'link', 'bpmn:TerminateEventDefinition': 'terminate', 'bpmn:CancelEventDefinition': 'cancel',
};

const CAMUNDA_DECISION_RESULTS = ['singleEntry', 'singleResult', 'collectEntries', 'resultList'];

const ACTIVITIES = new Set<NodeType>(['task', 'userTask', 'serviceTask', 'scriptTask', 'sendTask', 'receiveTask', 'businessRuleTask', 'manualTask', 'callActivity', 'subProcess', 'transaction', 'adHocSubProcess']);
export const isActivity = (t: NodeType) => ACTIVITIES.has(t);
const SCOPES = new Set<NodeType>(['subProcess', 'transaction', 'adHocSubProcess']);
export const isScope = (t: NodeType) => SCOPES.has(t);

/** moddle puts the cause of "unparsable content" on a nested line; keep it, without the position noise. */
export function warningText(message: string): string {
  const lines = message.split('\n').map((l) => l.trim()).filter(Boolean);
  const nested = lines.find((l) => l.startsWith('nested error:'));
  const where = lines.find((l) => l.startsWith('line:'));
  return [lines[0], nested?.replace('nested error: ', ''), where].filter(Boolean).join('; ');
}

export function idInWarning(message: string): string | undefined {
  return /duplicate ID <([^>]+)>/.exec(message)?.[1];
}

/** The id attribute of the tag a warning points at ("line: 3", "column: 12", both 0-based). */
export function idAtPosition(xml: string, message: string): string | undefined {
  const line = /line: (\d+)/.exec(message);
  const column = /column: (\d+)/.exec(message);
  if (!line || !column) return undefined;
  const text = xml.split('\n')[Number(line[1])];
  if (text === undefined) return undefined;
  const tag = text.slice(Number(column[1])).split('>')[0];
  return /\bid="([^"]+)"/.exec(tag)?.[1];
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

export function hashSource(source: string): string {
  return bytesToHex(sha256(utf8ToBytes(source)));
}

export async function compileBpmn(xml: string, options: CompileOptions = {}): Promise<Result<CompiledBpmn, Diagnostic[]>> {
  const parsed = await parseBpmn(xml);
  if (!parsed.ok) return { ok: false, failure: [{ code: 'xml-parse', message: `The XML could not be parsed: ${parsed.message}` }] };
  const c = new Compiler(parsed.flavour, options);
  for (const w of parsed.warnings) {
    // An itemDefinition's structureRef names an external type (e.g. xsd:string), not a BPMN element;
    // moddle reports it as an unresolved reference, but it is not one.
    if (/unresolved reference/.test(w.message) && w.property === 'bpmn:structureRef') continue;
    // A declared encoding other than UTF-8 cannot change a document that is plain ASCII.
    if (/^unsupported document encoding/.test(w.message) && isAscii(xml)) continue;
    c.diag('moddle-warning', w.element?.id ?? idInWarning(w.message) ?? idAtPosition(xml, w.message), warningText(w.message));
  }
  for (const d of checkConstraints(parsed.definitions)) c.diagnostics.push(d);
  const compiled = c.compile(parsed.definitions, hashSource(xml));
  if (c.diagnostics.length > 0) return { ok: false, failure: c.diagnostics };
  return { ok: true, value: compiled };
}

class Compiler {
  diagnostics: Diagnostic[] = [];
  private lang: ExpressionLanguage;
  private messages: Record<string, string> = {};
  private signals: Record<string, string> = {};
  private errors: Record<string, { code?: string; name?: string }> = {};
  private escalations: Record<string, { code?: string; name?: string }> = {};
  /** Event definitions declared at definitions level (referenced by MI behaviour). */
  private rootEventDefs: Record<string, ModdleElement> = {};

  constructor(private flavour: Flavour, private options: CompileOptions) {
    this.lang = flavour === 'zeebe' ? 'feel' : flavour === 'camunda' ? 'juel' : (options.defaultExpressionLanguage ?? 'feel');
  }

  diag(code: string, elementId: string | undefined, message: string): void {
    this.diagnostics.push(elementId ? { code, elementId, message } : { code, message });
  }

  compile(defs: ModdleElement, hash: string): CompiledBpmn {
    const roots: ModdleElement[] = defs.rootElements ?? [];
    for (const r of roots) {
      if (r.$type === 'bpmn:Message') this.messages[r.id] = r.name ?? r.id;
      if (r.$type === 'bpmn:Signal') this.signals[r.id] = r.name ?? r.id;
      if (r.$type === 'bpmn:Error') this.errors[r.id] = { code: r.errorCode, name: r.name };
      if (r.$type === 'bpmn:Escalation') this.escalations[r.id] = { code: r.escalationCode, name: r.name };
      if (EVENT_KINDS[r.$type]) this.rootEventDefs[r.id] = r;
    }
    const out: CompiledBpmn = { kind: 'bpmn', flavour: this.flavour, hash, processes: {}, executable: [], globalTasks: {}, messages: this.messages };
    for (const r of roots) {
      switch (r.$type) {
        case 'bpmn:Process': {
          const g = this.process(r);
          out.processes[g.id] = g;
          if (g.executable) out.executable.push(g.id);
          break;
        }
        case 'bpmn:GlobalScriptTask': case 'bpmn:GlobalUserTask': case 'bpmn:GlobalManualTask': case 'bpmn:GlobalTask': case 'bpmn:GlobalBusinessRuleTask': {
          const type = r.$type === 'bpmn:GlobalScriptTask' ? 'scriptTask' : r.$type === 'bpmn:GlobalUserTask' ? 'userTask' : r.$type === 'bpmn:GlobalManualTask' ? 'manualTask' : r.$type === 'bpmn:GlobalBusinessRuleTask' ? 'businessRuleTask' : 'task';
          const n = this.baseNode(r, type, null);
          if (type === 'scriptTask') this.scriptTask(r, n, r.scriptLanguage);
          if (type === 'userTask') n.userTask = this.userTask(r);
          out.globalTasks[r.id] = n;
          break;
        }
        case 'bpmn:Choreography': case 'bpmn:GlobalConversation': case 'bpmn:GlobalChoreographyTask':
          this.diag('unsupported-element', r.id, `${r.$type.slice(5)} ${r.id} is not executable; Camau runs processes`);
          break;
        case 'bpmn:Collaboration':
          for (const c of [...(r.conversations ?? []), ...(r.choreographyRef ?? [])]) this.diag('unsupported-element', c.id, `${c.$type.slice(5)} ${c.id} is not supported`);
          break;
        default:
          break;
      }
    }
    if (out.executable.length === 0) this.diag('no-executable-process', undefined, 'The file has no executable process (a bpmn:process with isExecutable="true")');
    for (const g of Object.values(out.processes)) this.checkCalls(g, out);
    return out;
  }

  private process(p: ModdleElement): ProcessGraph {
    const g: ProcessGraph = { id: p.id, name: p.name, executable: p.isExecutable === true, nodes: {}, flows: {}, children: [], eventSubProcesses: [], upstream: {}, links: {} };
    this.container(p, null, g);
    this.wireFlows(g);
    synthesiseDeadlines(g, (d) => this.diagnostics.push(d));
    this.wireBoundaries(g);
    this.compensation(p, g);
    g.upstream = computeUpstream(g);
    return g;
  }

  /** Nodes and flows of a process or sub-process. */
  private container(el: ModdleElement, scope: string | null, g: ProcessGraph): string[] {
    const children: string[] = [];
    const eventSubs: string[] = [];
    for (const fe of (el.flowElements ?? []) as ModdleElement[]) {
      if (fe.$type === 'bpmn:SequenceFlow') {
        g.flows[fe.id] = this.flow(fe);
        continue;
      }
      if (PASSIVE.has(fe.$type)) continue;
      const type = NODE_TYPES[fe.$type];
      if (!type) {
        this.diag('unsupported-element', fe.id, `${fe.$type.replace('bpmn:', '')} ${fe.id} is not supported`);
        continue;
      }
      const n = this.node(fe, type, scope, g);
      g.nodes[n.id] = n;
      if (n.triggeredByEvent) eventSubs.push(n.id);
      else children.push(n.id);
    }
    if (scope === null) {
      g.children = children;
      g.eventSubProcesses = eventSubs;
    } else {
      const s = g.nodes[scope] ?? undefined;
      if (s) { s.children = children; s.eventSubProcesses = eventSubs; }
    }
    for (const id of [...children, ...eventSubs]) {
      const n = g.nodes[id];
      if (n.type === 'intermediateCatchEvent' && n.events?.[0]?.kind === 'link') g.links[`${scope ?? ''}|${n.events[0].name}`] = id;
    }
    return children;
  }

  private flow(fe: ModdleElement): Flow {
    const f: Flow = { id: fe.id, source: fe.sourceRef?.id, target: fe.targetRef?.id };
    if (fe.name) f.name = fe.name;
    if (fe.conditionExpression) {
      const src = fe.sourceRef;
      const srcType = src ? NODE_TYPES[src.$type] : undefined;
      if (srcType && (srcType === 'eventBasedGateway' || srcType.endsWith('Event'))) {
        this.diag('condition-not-allowed', fe.id, `Sequence flow ${fe.id} leaves ${src.id} (${srcType}), where BPMN does not allow a condition`);
      } else if (src?.default?.id === fe.id) {
        this.diag('condition-not-allowed', fe.id, `Sequence flow ${fe.id} is the default flow of ${src.id} and may not have a condition`);
      } else {
        f.condition = this.condition(fe.conditionExpression.body, fe.id, fe.conditionExpression.language);
      }
    }
    return f;
  }

  private baseNode(fe: ModdleElement, type: NodeType, scope: string | null): Node {
    const n: Node = {
      id: fe.id, type, scope, name: fe.name,
      incoming: (fe.incoming ?? []).map((f: ModdleElement) => f.id),
      outgoing: (fe.outgoing ?? []).map((f: ModdleElement) => f.id),
      boundaries: [],
      startQuantity: fe.startQuantity ?? 1,
      completionQuantity: fe.completionQuantity ?? 1,
    };
    if (fe.default) n.defaultFlow = fe.default.id;
    if (fe.isForCompensation) n.isForCompensation = true;
    const names = localisedNames(fe);
    if (names && type === 'userTask') n.userTask = { ...(n.userTask ?? {}), names };
    return n;
  }

  private node(fe: ModdleElement, type: NodeType, scope: string | null, g: ProcessGraph): Node {
    const n = this.baseNode(fe, type, scope);
    if (n.startQuantity < 1) this.diag('invalid-token-quantity', n.id, `${n.id} has startQuantity ${n.startQuantity}; it must be at least 1`);
    if (n.completionQuantity < 1) this.diag('invalid-token-quantity', n.id, `${n.id} has completionQuantity ${n.completionQuantity}; it must be at least 1`);
    if (fe.eventDefinitions || fe.eventDefinitionRef || type.endsWith('Event')) this.events(fe, n);
    if (isActivity(type)) {
      this.io(fe, n);
      if (fe.loopCharacteristics) n.loop = this.loop(fe.loopCharacteristics, n.id);
    }
    if (type === 'startEvent') {
      const form = declaredForm(fe);
      if (form.invalid) this.diag('form-invalid', n.id, `Start event ${n.id}: ${form.invalid}`);
      if (form.form || form.formId || form.unsupported) n.startForm = { form: form.form, formId: form.formId, formUnsupported: form.unsupported };
    }
    switch (type) {
      case 'userTask':
        n.userTask = { ...this.userTask(fe), ...(n.userTask ?? {}) };
        n.deadlines = this.deadlines(fe, n.userTask.calendar);
        break;
      case 'serviceTask': case 'sendTask': this.jobTask(fe, n); break;
      case 'businessRuleTask':
        n.decision = this.calledDecision(fe, n.id);
        if (!n.decision) this.jobTask(fe, n);
        break;
      case 'intermediateThrowEvent': case 'endEvent':
        if (extension(fe, 'zeebe:TaskDefinition') && n.events?.some((e) => e.kind === 'message')) this.jobTask(fe, n);
        break;
      case 'scriptTask': this.scriptTask(fe, n, fe.scriptFormat); break;
      case 'receiveTask':
        n.message = this.messageOf(fe, fe.messageRef, n.id);
        if (fe.instantiate) n.instantiate = true;
        break;
      case 'callActivity': this.callActivity(fe, n); break;
      case 'subProcess': case 'transaction': case 'adHocSubProcess':
        if (fe.triggeredByEvent) n.triggeredByEvent = true;
        g.nodes[n.id] = n;
        this.container(fe, n.id, g);
        if (type === 'adHocSubProcess') {
          n.adHoc = {
            sequential: fe.ordering === 'Sequential',
            cancelRemaining: fe.cancelRemainingInstances !== false,
            completionCondition: fe.completionCondition ? this.condition(fe.completionCondition.body, n.id, fe.completionCondition.language) : undefined,
          };
        }
        break;
      case 'complexGateway':
        if (fe.activationCondition) n.activationCondition = this.condition(fe.activationCondition.body, n.id, fe.activationCondition.language);
        break;
      case 'boundaryEvent':
        n.attachedTo = fe.attachedToRef?.id;
        n.interrupting = fe.cancelActivity !== false;
        break;
      case 'startEvent':
        n.interrupting = fe.isInterrupting !== false;
        break;
      default: break;
    }
    const notify = extension(fe, 'camau:Notify');
    if (notify) {
      if (!notify.template || !notify.to) this.diag('notify-incomplete', n.id, `camau:notify on ${n.id} needs a template and the roles to send to ("to")`);
      else n.notify = { template: notify.template, toRoles: String(notify.to).split(',').map((x: string) => x.trim()).filter(Boolean) };
    }
    return n;
  }

  private events(fe: ModdleElement, n: Node): void {
    const defs: ModdleElement[] = [...(fe.eventDefinitions ?? []), ...(fe.eventDefinitionRef ?? [])];
    n.events = defs.length === 0 ? [{ kind: 'none' }] : defs.map((d) => this.eventDef(d, n.id));
    if (fe.parallelMultiple) n.parallelMultiple = true;
  }

  private eventDef(d: ModdleElement, id: string): EventDef {
    const kind = EVENT_KINDS[d.$type];
    if (!kind) {
      this.diag('unsupported-element', id, `${d.$type} on ${id} is not supported`);
      return { kind: 'none' };
    }
    const e: EventDef = { kind };
    switch (kind) {
      case 'timer': {
        const which = d.timeDate ? 'date' : d.timeDuration ? 'duration' : d.timeCycle ? 'cycle' : undefined;
        if (!which) { this.diag('timer-missing-value', id, `Timer ${id} has no timeDate, timeDuration or timeCycle`); break; }
        const body = String((d.timeDate ?? d.timeDuration ?? d.timeCycle).body ?? '').trim();
        const calendar = attr(d, 'camau', 'calendar');
        const v = compileValue(body, { defaultLanguage: this.lang === 'feel' ? 'feel' : 'juel' });
        if (!v.ok) { this.diag('expression-syntax', id, `Timer ${id}: ${v.message}`); break; }
        if ('literal' in v) {
          const spec = { kind: which, value: v.literal } as const;
          const chk = checkTimerSpec(spec);
          if (!chk.ok) this.diag('timer-syntax', id, `Timer ${id}: ${chk.message}`);
          e.timer = { ...spec, calendar };
        } else {
          e.timer = { kind: which, value: body, expr: v.expr, calendar };
        }
        if (calendar && !['calendar-days', 'working-days', 'school-days'].includes(calendar)) {
          this.diag('unknown-calendar', id, `Timer ${id} names calendar "${calendar}"; use calendar-days, working-days or school-days`);
        }
        break;
      }
      case 'message': {
        const m = this.messageOf(undefined, d.messageRef, id);
        e.name = m?.name;
        e.correlationKey = m?.correlationKey;
        break;
      }
      case 'signal': e.name = d.signalRef ? this.signals[d.signalRef.id] ?? d.signalRef.name ?? d.signalRef.id : undefined; break;
      case 'error':
        e.code = d.errorRef ? (d.errorRef.errorCode ?? undefined) : undefined;
        e.errorCodeVariable = attr(d, 'camunda', 'errorCodeVariable');
        e.errorMessageVariable = attr(d, 'camunda', 'errorMessageVariable');
        break;
      case 'escalation': e.code = d.escalationRef ? (d.escalationRef.escalationCode ?? undefined) : undefined; break;
      case 'conditional':
        if (!d.condition?.body) this.diag('condition-missing', id, `Conditional event ${id} has no condition`);
        else e.condition = this.condition(d.condition.body, id, d.condition.language);
        break;
      case 'compensate': e.activityRef = d.activityRef?.id; break;
      case 'link': e.name = d.name; break;
      default: break;
    }
    return e;
  }

  private messageOf(el: ModdleElement | undefined, ref: ModdleElement | undefined, id: string): { name: string; correlationKey?: Expression } | undefined {
    if (!ref) return undefined;
    const name = this.messages[ref.id] ?? ref.name ?? ref.id;
    const sub = extension(ref, 'zeebe:Subscription');
    const key = sub?.correlationKey ?? attr(el, 'camau', 'correlationKey');
    return { name, correlationKey: key ? this.valueExpr(key, id) : undefined };
  }

  private expr(text: unknown, id: string, language?: string): Expression | undefined {
    const src = String(text ?? '').trim();
    if (!src) { this.diag('expression-missing', id, `${id} has an empty expression`); return undefined; }
    const r = compileExpression(src, { defaultLanguage: this.lang, language });
    if (!r.ok) { this.diag('expression-syntax', id, `${id}: ${r.message}`); return undefined; }
    return r.expr;
  }

  /** A condition must be able to be true or false: a constant number or string never is (BPMN EXT.071). */
  private condition(text: unknown, id: string, language?: string): Expression | undefined {
    const src = String(text ?? '').trim().replace(/^=\s*/, '').replace(/^\$\{\s*(.*?)\s*\}$/, '$1');
    if (/^(-?\d+(\.\d+)?|"[^"]*"|'[^']*')$/.test(src)) {
      this.diag('condition-not-boolean', id, `The condition of ${id} is the constant ${src}, which is never true or false`);
      return undefined;
    }
    return this.expr(text, id, language);
  }

  /** A value that is always an expression: Zeebe `=x` or a bare FEEL/JUEL text. */
  private valueExpr(text: string, id: string): Expression | undefined {
    return this.expr(text, id);
  }

  /** A value that may be a literal or an expression. */
  private literalOrExpr(text: string | undefined, id: string): Expression | string | undefined {
    if (text === undefined || text === '') return undefined;
    const v = compileValue(text, { defaultLanguage: this.lang });
    if (!v.ok) { this.diag('expression-syntax', id, `${id}: ${v.message}`); return undefined; }
    return 'literal' in v ? v.literal : v.expr;
  }

  private io(fe: ModdleElement, n: Node): void {
    const zio = extension(fe, 'zeebe:IoMapping');
    if (zio) {
      const map = (ps: ModdleElement[] | undefined) => (ps ?? []).map((p) => ({ target: p.target, source: this.valueExpr(p.source ?? '=null', n.id) }));
      n.inputs = map(zio.inputParameters);
      n.outputs = map(zio.outputParameters);
    }
    if (this.flavour === 'camunda') {
      const map = (ps: Array<{ name: string; value?: string }>): Mapping[] => ps.map((p) => {
        const v = this.literalOrExpr(p.value, n.id);
        return typeof v === 'string' || v === undefined ? { target: p.name, literal: v ?? null } : { target: p.name, source: v };
      });
      const ins = camundaParameters(fe, 'inputParameters');
      const outs = camundaParameters(fe, 'outputParameters');
      if (ins.length) n.inputs = map(ins);
      if (outs.length) n.outputs = map(outs);
    }
  }

  private loop(lc: ModdleElement, id: string): LoopDef {
    if (lc.$type === 'bpmn:StandardLoopCharacteristics') {
      const max = lc.loopMaximum;
      return {
        kind: 'standard',
        counterBase: this.counterBase(),
        testBefore: lc.testBefore === true,
        condition: lc.loopCondition ? this.condition(lc.loopCondition.body, id, lc.loopCondition.language) : undefined,
        maximum: typeof max === 'number' ? max : max !== undefined ? Number(max) : undefined,
      };
    }
    const l: LoopDef = { kind: 'multiInstance', sequential: lc.isSequential === true, counterBase: this.counterBase() };
    if (lc.loopCardinality) l.cardinality = this.expr(lc.loopCardinality.body, id, lc.loopCardinality.language);
    if (lc.completionCondition) l.completionCondition = this.condition(lc.completionCondition.body, id, lc.completionCondition.language);
    const z = extension(lc, 'zeebe:LoopCharacteristics');
    if (z) {
      if (z.inputCollection) l.collection = this.valueExpr(z.inputCollection, id);
      l.elementVariable = z.inputElement;
      l.outputCollection = z.outputCollection;
      if (z.outputElement) l.outputElement = this.valueExpr(z.outputElement, id);
    }
    const cc = attr(lc, 'camunda', 'collection');
    if (cc) {
      // Camunda 7: a variable name or an expression.
      l.collection = this.expr(/[${]/.test(cc) ? cc : `\${${cc}}`, id);
      l.elementVariable = attr(lc, 'camunda', 'elementVariable');
    }
    if (lc.inputDataItem?.name) l.elementVariable ??= lc.inputDataItem.name;
    if (!l.cardinality && !l.collection) this.diag('multi-instance-without-input', id, `Multi-instance ${id} needs a loopCardinality or an input collection`);
    if (lc.behavior && lc.behavior !== 'All') {
      l.behavior = lc.behavior;
      const ev = (ref: ModdleElement | undefined) => {
        const d = ref ? this.rootEventDefs[ref.id] ?? ref : undefined;
        if (!d) return undefined;
        const k = EVENT_KINDS[d.$type];
        if (k === 'signal') return { kind: 'signal' as const, name: d.signalRef ? this.signals[d.signalRef.id] ?? d.signalRef.id : d.id };
        if (k === 'escalation') return { kind: 'escalation' as const, name: d.escalationRef?.escalationCode ?? d.id };
        return undefined;
      };
      l.noneBehaviorEvent = ev(lc.noneBehaviorEventRef);
      l.oneBehaviorEvent = ev(lc.oneBehaviorEventRef);
    }
    return l;
  }

  private counterBase(): 0 | 1 {
    return this.flavour === 'camunda' ? 0 : 1;
  }

  private userTask(fe: ModdleElement): UserTaskDef {
    const t: UserTaskDef = {};
    const id = fe.id;
    const za = extension(fe, 'zeebe:AssignmentDefinition');
    const zs = extension(fe, 'zeebe:TaskSchedule');
    const zf = extension(fe, 'zeebe:FormDefinition');
    t.assignee = this.literalOrExpr(za?.assignee ?? attr(fe, 'camunda', 'assignee'), id);
    t.candidateGroups = this.literalOrExpr(za?.candidateGroups ?? attr(fe, 'camunda', 'candidateGroups'), id);
    t.candidateUsers = this.literalOrExpr(za?.candidateUsers ?? attr(fe, 'camunda', 'candidateUsers'), id);
    t.dueDate = this.literalOrExpr(zs?.dueDate ?? attr(fe, 'camunda', 'dueDate') ?? attr(fe, 'camau', 'due'), id);
    t.followUpDate = this.literalOrExpr(zs?.followUpDate ?? attr(fe, 'camunda', 'followUpDate'), id);
    t.formKey = zf?.formKey ?? zf?.formId ?? attr(fe, 'camunda', 'formKey');
    const form = declaredForm(fe);
    if (form.invalid) this.diag('form-invalid', id, `User task ${id}: ${form.invalid}`);
    t.form = form.form;
    t.formId = form.formId;
    t.formUnsupported = form.unsupported;
    t.calendar = attr(fe, 'camau', 'calendar');
    const so = extension(fe, 'camau:Signoff');
    if (so) {
      t.signoffRoles = String(so.roles ?? '').split(',').map((r) => r.trim()).filter(Boolean);
      if (t.signoffRoles.length === 0) this.diag('signoff-without-roles', id, `Joint sign-off on ${id} names no roles`);
      t.authorVariable = so.authorVariable;
    }
    for (const k of Object.keys(t) as Array<keyof UserTaskDef>) if (t[k] === undefined) delete t[k];
    return t;
  }

  /** camau:reminder (before the due date and/or every period) and camau:escalation (a period after it). */
  private deadlines(fe: ModdleElement, taskCalendar: string | undefined): Node['deadlines'] {
    const out: NonNullable<Node['deadlines']> = [];
    const roles = (s: unknown, fallback: string[]) => (s ? String(s).split(',').map((x) => x.trim()).filter(Boolean) : fallback);
    for (const r of extensions(fe, 'camau:Reminder')) {
      const toRoles = roles(r.to, ['assignee']);
      const base = { toRoles, template: r.template ?? 'task-reminder', calendar: r.calendar ?? taskCalendar };
      if (r.before) out.push({ kind: 'before', period: r.before, ...base });
      if (r.every) out.push({ kind: 'every', period: r.every, ...base });
      if (!r.before && !r.every) this.diag('reminder-without-period', fe.id, `The reminder on ${fe.id} needs "before" and/or "every"`);
    }
    const esc = extension(fe, 'camau:Escalation');
    if (esc) {
      if (!esc.after) this.diag('escalation-without-period', fe.id, `The escalation on ${fe.id} needs "after" (a period after the due date)`);
      else out.push({ kind: 'escalation', period: esc.after, toRoles: roles(esc.role, ['la-employer']), template: esc.template ?? 'task-overdue-escalation', calendar: esc.calendar ?? taskCalendar });
    }
    return out.length ? out : undefined;
  }

  private jobTask(fe: ModdleElement, n: Node): void {
    const zt = extension(fe, 'zeebe:TaskDefinition');
    const headers = extension(fe, 'zeebe:TaskHeaders');
    const camundaType = attr(fe, 'camunda', 'topic') ?? attr(fe, 'camunda', 'class') ?? attr(fe, 'camunda', 'delegateExpression') ?? attr(fe, 'camunda', 'expression');
    // A send task that only sends a notification (camau:notify) needs no worker.
    if (n.type === 'sendTask' && extension(fe, 'camau:Notify') && !zt && !camundaType) return;
    if (n.type === 'sendTask' && fe.messageRef && !zt && !camundaType) {
      // A plain BPMN send task with a message: the engine publishes it and moves on.
      n.message = this.messageOf(fe, fe.messageRef, n.id);
      return;
    }
    const type = zt?.type ?? camundaType ?? fe.implementation ?? n.id;
    n.job = {
      type: zt?.type ? this.literalOrExpr(zt.type, n.id) ?? n.id : type,
      retries: Number(zt?.retries ?? 3),
      headers: headers ? Object.fromEntries((headers.values ?? []).map((h: ModdleElement) => [h.key, h.value])) : undefined,
    };
  }

  /** zeebe:calledDecision or camunda:decisionRef; undefined for a business-rule task that is a job (zeebe:taskDefinition, camunda:class...). */
  private calledDecision(fe: ModdleElement, id: string): Node['decision'] {
    if (extension(fe, 'zeebe:TaskDefinition')) return undefined;
    const zc = extension(fe, 'zeebe:CalledDecision');
    const ref: string | undefined = zc ? zc.decisionId : attr(fe, 'camunda', 'decisionRef');
    if (ref === undefined) return undefined;
    // A fixed id, or an expression (Zeebe `=triggerDecision`, Camunda 7 `${...}`) evaluated
    // when the task runs, so that each LA's cases can call that LA's own table.
    const decisionId = this.literalOrExpr(String(ref).trim(), id);
    if (String(ref).trim() === '') this.diag('decision-id', id, `Business-rule task ${id} names no decision`);
    const binding = attr(fe, 'camunda', 'decisionRefBinding');
    if (binding && binding !== 'latest') this.diag('unsupported-decision-binding', id, `Business-rule task ${id} binds its decision by "${binding}"; Camau calls the latest deployed version`);
    const resultVariable = zc ? zc.resultVariable : attr(fe, 'camunda', 'resultVariable');
    if (zc && !resultVariable) this.diag('decision-without-result-variable', id, `Business-rule task ${id} needs a resultVariable for the decision's result`);
    // Zeebe stores the decision's value; Camunda 7 shapes it as mapDecisionResult says.
    const map = zc ? 'value' : (attr(fe, 'camunda', 'mapDecisionResult') ?? 'resultList');
    if (!zc && !CAMUNDA_DECISION_RESULTS.includes(map)) {
      this.diag('unsupported-decision-result', id, `Business-rule task ${id}: mapDecisionResult "${map}" is not one of ${CAMUNDA_DECISION_RESULTS.join(', ')}`);
    }
    return { id: decisionId ?? '', ...(resultVariable ? { resultVariable } : {}), map: map as DecisionResultMap };
  }

  private scriptTask(fe: ModdleElement, n: Node, format: string | undefined): void {
    const zs = extension(fe, 'zeebe:Script');
    if (zs) {
      n.script = { expr: this.valueExpr(zs.expression, n.id), resultVariable: zs.resultVariable };
      return;
    }
    const body = String(fe.script ?? '').trim();
    const resultVariable = attr(fe, 'camunda', 'resultVariable');
    const fmt = (format ?? '').toLowerCase();
    if (fmt === 'feel') {
      n.script = { expr: this.expr(`=${body.replace(/^=/, '')}`, n.id), resultVariable };
    } else if ((fmt && this.options.hostScriptFormats?.includes(fmt)) || (!fmt && this.options.hostScriptsWithoutFormat)) {
      n.script = { format: fmt || undefined, body, resultVariable };
    } else {
      this.diag('unsupported-script', n.id, `Script task ${n.id} is written in "${format ?? 'an unnamed language'}"; Camau runs FEEL scripts only (scriptFormat="feel" or zeebe:script)`);
    }
  }

  private callActivity(fe: ModdleElement, n: Node): void {
    const zc = extension(fe, 'zeebe:CalledElement');
    const target = zc?.processId ?? fe.calledElement;
    if (!target) { this.diag('call-without-target', n.id, `Call activity ${n.id} names no called process`); return; }
    const binding = attr(fe, 'camunda', 'calledElementBinding') === 'version' ? 'version' : attr(fe, 'camunda', 'calledElementBinding') === 'deployment' ? 'deployment' : 'latest';
    const version = attr(fe, 'camunda', 'calledElementVersion');
    const ins = extensions(fe, 'camunda:In');
    const outs = extensions(fe, 'camunda:Out');
    const mapping = (ps: ModdleElement[]): Mapping[] => ps.filter((p) => p.target).map((p) => {
      const src = p.sourceExpression ? this.expr(p.sourceExpression, n.id) : this.expr(`\${${p.source}}`, n.id);
      return { target: p.target, source: src };
    });
    n.call = {
      processId: this.literalOrExpr(String(target), n.id) ?? String(target),
      binding,
      version: version !== undefined ? Number(version) : undefined,
      // Zeebe propagates all variables both ways by default; Camunda 7 only with camunda:in/out variables="all".
      propagateAll: zc ? zc.propagateAllChildVariables !== false : false,
      inAll: zc ? zc.propagateAllParentVariables !== false : this.flavour !== 'camunda' || ins.some((p) => p.variables === 'all'),
      outAll: zc ? zc.propagateAllChildVariables !== false : this.flavour !== 'camunda' || outs.some((p) => p.variables === 'all'),
      inMappings: mapping(ins),
      outMappings: mapping(outs),
    };
  }

  /**
   * Incoming and outgoing flows come from the sequence flows themselves (in document order):
   * the <incoming>/<outgoing> child elements are optional and often missing in hand-written XML.
   */
  private wireFlows(g: ProcessGraph): void {
    for (const n of Object.values(g.nodes)) { n.incoming = []; n.outgoing = []; }
    for (const f of Object.values(g.flows)) {
      g.nodes[f.source]?.outgoing.push(f.id);
      g.nodes[f.target]?.incoming.push(f.id);
    }
    for (const n of Object.values(g.nodes)) {
      if (n.type.endsWith('Gateway') && n.outgoing.length === 0) this.diag('cannot-route', n.id, `Gateway ${n.id} has no outgoing sequence flow`);
      if (n.defaultFlow && !n.outgoing.includes(n.defaultFlow)) this.diag('cannot-route', n.id, `The default flow of ${n.id} does not leave it`);
    }
  }

  /** Boundary events are listed on the activity they are attached to. */
  private wireBoundaries(g: ProcessGraph): void {
    for (const n of Object.values(g.nodes)) {
      if (n.type !== 'boundaryEvent') continue;
      const host = n.attachedTo ? g.nodes[n.attachedTo] : undefined;
      if (!host) { this.diag('boundary-without-host', n.id, `Boundary event ${n.id} is not attached to an activity of this process`); continue; }
      host.boundaries.push(n.id);
    }
  }

  /** A compensation boundary event is associated with the activity that compensates its host. */
  private compensation(p: ModdleElement, g: ProcessGraph): void {
    const assocs: ModdleElement[] = [];
    const collect = (c: ModdleElement) => {
      for (const a of (c.artifacts ?? []) as ModdleElement[]) if (a.$type === 'bpmn:Association') assocs.push(a);
      for (const fe of (c.flowElements ?? []) as ModdleElement[]) if (fe.flowElements || fe.artifacts) collect(fe);
    };
    collect(p);
    for (const a of assocs) {
      const b = g.nodes[a.sourceRef?.id];
      const handler = g.nodes[a.targetRef?.id];
      if (!b || !handler || b.type !== 'boundaryEvent' || b.events?.[0]?.kind !== 'compensate') continue;
      const host = b.attachedTo ? g.nodes[b.attachedTo] : undefined;
      if (host) host.compensationHandler = handler.id;
    }
  }

  /** Call activities naming a process of this file are checked now; others when called (an incident). */
  private checkCalls(g: ProcessGraph, out: CompiledBpmn): void {
    for (const n of Object.values(g.nodes)) {
      if (n.type !== 'callActivity' || !n.call) continue;
      if (typeof n.call.processId === 'string' && out.globalTasks[n.call.processId]) {
        n.globalTask = n.call.processId;
      }
    }
  }
}
