// The contract of the pure core (shared/DESIGN.md §1):
//   step(definition, state, command, ctx) -> Result<{ events, effects }, Failure>
//   apply(state, event) -> state
//   replay(definition, events) === snapshot
// Everything here is plain JSON so that state, events and effects persist as they are.

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Variables = Record<string, unknown>;

/** Time and identity come into the core only through this argument. */
export interface StepContext {
  /** The current instant, ISO-8601 UTC (e.g. 2026-11-02T09:00:00.000Z). */
  now: string;
  /** Who issued the command; recorded by the runtime, not interpreted by the engine. */
  actor?: { userId?: string; role?: string; organisationId?: string };
  /** Pure services the host lends the engine: calendars (working and school days), DMN decisions and script runners. */
  host?: EngineHost;
}

export interface EngineHost {
  /** The calendar a model names (`calendar-days`, `working-days`, `school-days`); undefined if not loaded. */
  calendar?(id: string): import('./time/index.js').Calendar | undefined;
  /** The deployed DMN decision a business-rule task calls; undefined if it is not deployed (an incident). */
  decision?(id: string): import('./dmn/index.js').CompiledDecision | undefined;
  /** Runs a script task body in a format the engine does not evaluate itself (must be pure). */
  runScript?(script: { format?: string; body: string; el: string }, variables: Variables): ScriptOutcome;
}

export interface ScriptOutcome {
  variables?: Variables;
  /** Lines for the host's trace (effect `log`). */
  log?: string[];
  /** The script threw a BPMN error. */
  error?: { code: string; message?: string };
}

/** Reference a snapshot keeps to its definition; the definition itself is never embedded. */
export interface DefinitionRef {
  kind: 'bpmn' | 'xstate';
  key: string;
  version: number;
  hash: string;
}

export type Result<T, F = Failure> = { ok: true; value: T } | { ok: false; failure: F };

/** An expected failure: a stable code, a clear message, and details naming what was wrong. */
export interface Failure {
  code: FailureCode;
  message: string;
  details?: Record<string, unknown>;
}

export type FailureCode =
  | 'INSTANCE_NOT_ACTIVE'
  | 'ALREADY_STARTED'
  | 'NOT_STARTED'
  | 'NO_START_EVENT'
  | 'UNKNOWN_ELEMENT_INSTANCE'
  | 'NOT_WAITING'
  | 'UNKNOWN_TIMER'
  | 'UNKNOWN_INCIDENT'
  | 'NO_SUBSCRIPTION'
  | 'INVALID_VARIABLES'
  | 'INVALID_COMMAND'
  | 'SIGNOFF_REJECTED'
  | 'STEP_LIMIT';

/** A problem found when a model is deployed (or a statechart module loaded). */
export interface Diagnostic {
  /** Stable rule code, e.g. `unsupported-element`, `feel-syntax`, `moddle-warning`, `EXT.023`. */
  code: string;
  /** Id of the element at fault, when there is one. */
  elementId?: string;
  message: string;
}

// ---------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------

export type InstanceStatus = 'active' | 'completed' | 'terminated' | 'failed';

/**
 * What an element instance is doing. `wait` is set while the instance waits for the outside
 * world (a person, a job worker, a message, a signal, a timer, a called instance).
 */
export interface ElementInstance {
  /** Element instance id, unique in the instance (allocated from `state.next`). */
  id: string;
  /** BPMN element id (or statechart state path). */
  el: string;
  /** Enclosing element instance id; null for direct children of the process. */
  parent: string | null;
  /** Local variables (input mappings, multi-instance item, loopCounter...). */
  vars?: Variables;
  wait?: Wait;
  /** Multi-instance body or standard loop bookkeeping. */
  loop?: LoopState;
  /** Arrival counts per incoming flow, for activities with startQuantity > 1. */
  data?: Record<string, unknown>;
}

export type Wait =
  | { kind: 'userTask'; task: UserTaskInfo }
  | { kind: 'manualTask' }
  | { kind: 'job'; type: string; retries: number; jobId: string }
  | { kind: 'message'; name: string; correlationKey?: string }
  | { kind: 'signal'; name: string }
  | { kind: 'timer'; timerId: string }
  | { kind: 'conditional' }
  | { kind: 'eventGateway' }
  | { kind: 'call'; processKey: string; callId: string }
  | { kind: 'compensation'; pending: string[] }
  | { kind: 'scope' };

export interface UserTaskInfo {
  name?: string;
  /** The task's name in each language (`cy`, `en`), from `camau:name` or a machine's meta. */
  names?: Record<string, string>;
  assignee?: string;
  candidateGroups?: string[];
  candidateUsers?: string[];
  formKey?: string;
  dueAt?: string;
  followUpAt?: string;
  /** Roles that must each approve (joint sign-off); empty or absent for a plain task. */
  signoffRoles?: string[];
  signoffs?: Array<{ role: string; userId: string; decision: 'approve' | 'return'; comment?: string; at: string }>;
  /** Who authored the item being signed off, when known (may not approve it). */
  authorId?: string;
}

export interface LoopState {
  mode: 'parallel' | 'sequential' | 'standard';
  total: number;
  started: number;
  completed: number;
  active: number;
  /** Items of the input collection (multi-instance), if any. */
  items?: unknown[];
  /** Output collection being built (multi-instance), indexed by loopCounter - 1. */
  outputs?: unknown[];
}

export interface TimerInfo {
  timerId: string;
  /** Element id of the timer event (catch, boundary or start). */
  el: string;
  /** Element instance the timer belongs to (the catch event, the activity of a boundary event, the scope of an event sub-process). */
  owner: string | null;
  dueAt: string;
  /** Remaining repetitions of a cycle; -1 for unbounded; absent for one-shot timers. */
  repeat?: number;
  /** ISO-8601 duration of a cycle's period. */
  period?: string;
  /** End of a bounded cycle (ISO instant), if it has one. */
  end?: string;
  calendar?: string;
  /** Statecharts only: the delayed xstate event to deliver when the timer fires, and its sendId, `{ event, sendId }`. */
  machineEvent?: unknown;
}

export interface Incident {
  id: string;
  code: string;
  message: string;
  el?: string;
  eid?: string;
  /** What resolving the incident retries. */
  retry?: { kind: 'element' | 'job' | 'call'; eid: string };
}

/** A subscription an element instance holds for a message, signal or conditional trigger. */
export interface Subscription {
  id: string;
  kind: 'message' | 'signal' | 'conditional';
  name?: string;
  correlationKey?: string;
  /** Element id of the catching event (boundary, intermediate, event sub-process start, or a gateway's target). */
  el: string;
  /** Element instance holding it. */
  owner: string | null;
  interrupting?: boolean;
}

/** A completed activity that can still be compensated; `eid` is its former instance id (a sub-process's inner entries are keyed by it). */
export interface CompensableEntry {
  el: string;
  eid: string;
}

export interface InstanceState {
  v: 1;
  def: DefinitionRef;
  /** Process id (BPMN) or machine id (XState) the instance runs. */
  process: string;
  status: InstanceStatus;
  /** Counter from which element instance, timer, job and incident ids are allocated. */
  next: number;
  vars: Variables;
  elements: Record<string, ElementInstance>;
  /** Tokens that have arrived at a join but not yet fired: key `${scope}|${gatewayId}`, flow id -> count. */
  joins: Record<string, Record<string, number>>;
  timers: Record<string, TimerInfo>;
  subs: Record<string, Subscription>;
  incidents: Record<string, Incident>;
  /** Completed activities that can be compensated, per scope, in completion order. */
  compensable?: Record<string, CompensableEntry[]>;
  /** Set when an uncaught error ended the instance. */
  failure?: { code: string; message?: string; el?: string };
  /** Who started this instance from a call activity, if anyone. */
  calledBy?: { caseId: string; eid: string };
  /** XState persisted snapshot, for statechart workflows. */
  machine?: Json;
  /** Element ids completed so far, counted; for the simulator's `completed` checks and the case view. */
  done: Record<string, number>;
}

// ---------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------

export type Command =
  | { type: 'start'; variables?: Variables; startEventId?: string; calledBy?: { caseId: string; eid: string } }
  | { type: 'complete'; eid: string; variables?: Variables }
  | { type: 'throwError'; eid: string; code: string; message?: string; variables?: Variables }
  | { type: 'failJob'; eid: string; retries: number; message: string }
  | { type: 'fireTimer'; timerId: string }
  | { type: 'correlateMessage'; name: string; correlationKey?: string; variables?: Variables; subscriptionId?: string }
  | { type: 'signal'; name: string; variables?: Variables; subscriptionId?: string }
  | { type: 'callEnded'; eid: string; outcome: 'completed'; variables?: Variables }
  | { type: 'callEnded'; eid: string; outcome: 'error'; code: string; message?: string }
  | { type: 'callEnded'; eid: string; outcome: 'escalation'; code: string }
  | { type: 'callEnded'; eid: string; outcome: 'terminated' }
  | { type: 'callFailed'; eid: string; message: string }
  | { type: 'setVariables'; variables: Variables; eid?: string }
  | { type: 'cancel'; reason?: string }
  | { type: 'resolveIncident'; incidentId: string }
  | { type: 'updateTask'; eid: string; assignee?: string | null }
  | { type: 'signOff'; eid: string; role: string; userId: string; decision: 'approve' | 'return'; comment?: string; variables?: Variables };

// ---------------------------------------------------------------------------
// Events: the only way state changes. Payloads carry every value apply() needs,
// so replay never re-evaluates an expression or reads a clock.
// ---------------------------------------------------------------------------

export type EngineEvent =
  | { type: 'instance.started'; process: string; def: DefinitionRef; variables: Variables; calledBy?: { caseId: string; eid: string } }
  | { type: 'element.activated'; eid: string; el: string; parent: string | null; vars?: Variables; flow?: string }
  | { type: 'element.waiting'; eid: string; wait: Wait }
  | { type: 'element.resumed'; eid: string }
  | { type: 'element.completed'; eid: string; el: string }
  | { type: 'element.terminated'; eid: string; el: string }
  | { type: 'loop.updated'; eid: string; loop: LoopState }
  | { type: 'element.data'; eid: string; data: Record<string, unknown> }
  | { type: 'flow.taken'; flow: string; scope: string | null }
  | { type: 'join.arrived'; key: string; flow: string }
  | { type: 'join.fired'; key: string; consumed: Record<string, number> }
  | { type: 'variables.set'; scope: string | null; variables: Variables }
  | { type: 'timer.scheduled'; timer: TimerInfo }
  | { type: 'timer.cancelled'; timerId: string }
  | { type: 'timer.fired'; timerId: string }
  | { type: 'subscription.opened'; sub: Subscription }
  | { type: 'subscription.closed'; id: string }
  | { type: 'task.updated'; eid: string; task: UserTaskInfo }
  | { type: 'compensation.registered'; scope: string; el: string; eid: string }
  | { type: 'compensation.consumed'; scope: string; eids: string[] }
  | { type: 'incident.raised'; incident: Incident }
  | { type: 'incident.resolved'; id: string }
  | { type: 'escalation.thrown'; code: string; el: string; caught: boolean }
  | { type: 'machine.transitioned'; snapshot: Json; state: string }
  | { type: 'instance.completed' }
  | { type: 'instance.terminated'; reason?: string }
  | { type: 'instance.failed'; code: string; message?: string; el?: string }
  | { type: 'counter.advanced'; next: number };

// ---------------------------------------------------------------------------
// Effects: what must happen in the world. Returned as data, performed by the runtime.
// ---------------------------------------------------------------------------

export type Effect =
  | { type: 'scheduleTimer'; timerId: string; dueAt: string; el: string }
  | { type: 'cancelTimer'; timerId: string }
  | { type: 'activateJob'; jobId: string; eid: string; el: string; jobType: string; retries: number; variables: Variables; headers?: Record<string, string> }
  | { type: 'cancelJob'; jobId: string; eid: string }
  | { type: 'publishMessage'; name: string; correlationKey?: string; variables: Variables; el: string }
  | { type: 'broadcastSignal'; name: string; variables: Variables; el: string }
  | { type: 'startCall'; callId: string; eid: string; el: string; processKey: string; binding: 'latest' | 'version' | 'deployment'; version?: number; variables: Variables }
  | { type: 'cancelCall'; callId: string; eid: string }
  | { type: 'notifyParent'; parent: { caseId: string; eid: string }; outcome: 'completed' | 'error' | 'escalation' | 'terminated'; code?: string; message?: string; variables?: Variables }
  | { type: 'taskCreated'; eid: string; el: string; task: UserTaskInfo }
  | { type: 'taskClosed'; eid: string; el: string; outcome: 'completed' | 'cancelled' }
  | { type: 'notify'; template: string; toRoles: string[]; eid?: string; data?: Variables }
  | { type: 'incidentRaised'; incident: Incident }
  /** A script task with a body the engine does not run itself (e.g. a conformance probe); handled by a host hook. */
  | { type: 'log'; el: string; text: string };

export interface StepOutput {
  events: EngineEvent[];
  effects: Effect[];
  /** The state after the events, for callers that do not want to re-fold them. */
  state: InstanceState;
}
