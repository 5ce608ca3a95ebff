// The executable graph a BPMN file compiles to: immutable, built once per deployed version
// and shared by every instance. Expressions are compiled here so that a step never parses.
import type { Expression } from '../expressions/index.js';
import type { TimerSpec } from '../time/index.js';
import type { DecisionResultMap } from '../dmn/index.js';
import type { TaskForm } from './forms.js';

export type Flavour = 'bpmn' | 'zeebe' | 'camunda';

export type NodeType =
  | 'startEvent' | 'endEvent' | 'intermediateCatchEvent' | 'intermediateThrowEvent' | 'boundaryEvent'
  | 'task' | 'userTask' | 'serviceTask' | 'scriptTask' | 'sendTask' | 'receiveTask' | 'businessRuleTask' | 'manualTask'
  | 'callActivity' | 'subProcess' | 'transaction' | 'adHocSubProcess'
  | 'exclusiveGateway' | 'parallelGateway' | 'inclusiveGateway' | 'eventBasedGateway' | 'complexGateway';

export type EventKind =
  | 'none' | 'timer' | 'message' | 'signal' | 'error' | 'escalation' | 'conditional'
  | 'compensate' | 'link' | 'terminate' | 'cancel';

export interface EventDef {
  kind: EventKind;
  timer?: TimerSpec & {
    expr?: Expression;
    calendar?: string;
    /** A reminder or escalation: `value` (a duration) before (-1) or after (1) the host task's due date. */
    relativeToDue?: -1 | 1;
  };
  /** Message, signal, link name; error or escalation code (undefined = catch-all). */
  name?: string;
  code?: string;
  /** Message correlation key expression (Zeebe subscription, or camau). */
  correlationKey?: Expression;
  condition?: Expression;
  /** Compensation: the activity to compensate (undefined = all in scope). */
  activityRef?: string;
  /** Camunda 7: variables receiving a caught error's code and message. */
  errorCodeVariable?: string;
  errorMessageVariable?: string;
}

export interface Mapping {
  target: string;
  /** Undefined source: Camunda 7 input without a value (sets null). */
  source?: Expression;
  literal?: unknown;
}

export interface LoopDef {
  kind: 'multiInstance' | 'standard';
  sequential?: boolean;
  cardinality?: Expression;
  collection?: Expression;
  elementVariable?: string;
  outputCollection?: string;
  outputElement?: Expression;
  completionCondition?: Expression;
  /** Standard loop. */
  condition?: Expression;
  testBefore?: boolean;
  maximum?: number;
  /** Multi-instance event behaviour (BPMN 2.0 §10.2.8): none, one, all, complex. */
  behavior?: 'None' | 'One' | 'All' | 'Complex';
  /** Camunda 7 numbers iterations from 0 (loopCounter), Zeebe and BPMN from 1. */
  counterBase: 0 | 1;
  noneBehaviorEvent?: { kind: 'signal' | 'escalation'; name: string };
  oneBehaviorEvent?: { kind: 'signal' | 'escalation'; name: string };
}

export interface UserTaskDef {
  assignee?: Expression | string;
  candidateGroups?: Expression | string;
  candidateUsers?: Expression | string;
  formKey?: string;
  /** The form the task declares, compiled (an embedded Camunda form or camunda:formData). */
  form?: TaskForm;
  /** A linked Camunda form, by its id: the host looks it up. */
  formId?: string;
  /** Why a declared form cannot be built into a page (the pages then ask for raw variables). */
  formUnsupported?: string;
  dueDate?: Expression | string;
  followUpDate?: Expression | string;
  /** Calendar that a relative due date (a duration) is counted in. */
  calendar?: string;
  signoffRoles?: string[];
  authorVariable?: string;
  names?: Record<string, string>;
}

export interface ScriptDef {
  /** FEEL expression whose value is stored in resultVariable. */
  expr?: Expression;
  resultVariable?: string;
  /** A script body in a format the engine does not evaluate itself; handled by the host's scriptRunner. */
  format?: string;
  body?: string;
}

export interface Node {
  id: string;
  type: NodeType;
  name?: string;
  /** Id of the enclosing sub-process (or transaction / event sub-process); null at process level. */
  scope: string | null;
  incoming: string[];
  outgoing: string[];
  defaultFlow?: string;
  // activities
  boundaries: string[];
  loop?: LoopDef;
  startQuantity: number;
  completionQuantity: number;
  inputs?: Mapping[];
  outputs?: Mapping[];
  isForCompensation?: boolean;
  /** Activity run when this activity is compensated (via its compensation boundary event). */
  compensationHandler?: string;
  job?: { type: Expression | string; retries: number; headers?: Record<string, string> };
  /**
   * A business-rule task that evaluates a deployed DMN decision (the latest version when the task
   * runs), named by a fixed id or by an expression evaluated in the task's scope.
   */
  decision?: { id: string | Expression; resultVariable?: string; map: DecisionResultMap };
  userTask?: UserTaskDef;
  /** The form a none start event declares (what the launch page asks for to start a case). */
  startForm?: { form?: TaskForm; formId?: string; formUnsupported?: string };
  script?: ScriptDef;
  message?: { name: string; correlationKey?: Expression };
  call?: { processId: Expression | string; binding: 'latest' | 'version' | 'deployment'; version?: number; propagateAll: boolean; inAll: boolean; outAll: boolean; inMappings?: Mapping[]; outMappings?: Mapping[] };
  /** A call activity that calls a global task of this file runs that task inline. */
  globalTask?: string;
  instantiate?: boolean;
  // sub-processes
  children?: string[];
  /** Event sub-processes directly inside this scope. */
  eventSubProcesses?: string[];
  triggeredByEvent?: boolean;
  adHoc?: { sequential: boolean; completionCondition?: Expression; cancelRemaining: boolean };
  // events
  events?: EventDef[];
  parallelMultiple?: boolean;
  interrupting?: boolean;
  attachedTo?: string;
  // gateways
  activationCondition?: Expression;
  /** A throw event that sends a notification (reminders and escalations). */
  notify?: { template: string; toRoles: string[]; task?: string };
  /** Reminders and escalation declared on a user task (camau:reminder, camau:escalation). */
  deadlines?: Array<{ kind: 'before' | 'every' | 'escalation'; period: string; toRoles: string[]; template: string; calendar?: string }>;
}

export interface Flow {
  id: string;
  /** As written ("Cymraeg / English" in the bundled models): pages label choices with it. */
  name?: string;
  source: string;
  target: string;
  condition?: Expression;
}

export interface ProcessGraph {
  id: string;
  name?: string;
  executable: boolean;
  nodes: Record<string, Node>;
  flows: Record<string, Flow>;
  /** Direct children of the process level. */
  children: string[];
  eventSubProcesses: string[];
  /** For each inclusive or complex join: the nodes from which it can be reached without passing through it. */
  upstream: Record<string, Set<string>>;
  /** Link catch events by link name, per scope key (scope id or '' for the process level). */
  links: Record<string, string>;
}

export interface CompiledBpmn {
  kind: 'bpmn';
  flavour: Flavour;
  hash: string;
  processes: Record<string, ProcessGraph>;
  /** Process ids that are executable, in document order. */
  executable: string[];
  /** Global tasks of the file (callable by a call activity). */
  globalTasks: Record<string, Node>;
  /** Messages by id -> name, as declared. */
  messages: Record<string, string>;
}
