// Shared index and helpers for the BPMN specification constraint rules (see ../constraints.ts).
import type { ModdleElement } from 'bpmn-moddle';

export type El = ModdleElement;
export type Report = (code: string, element: El, message: string) => void;
export type Rule = (m: Model, report: Report) => void;

export interface Model {
  definitions: El;
  /** Every bpmn:* element reachable by containment, parents before children. */
  all: El[];
  /** Elements that are instances of a bpmn type, e.g. of('bpmn:Activity'). */
  of(type: string): El[];
  /** Sequence flows that actually end / start at a node (from targetRef / sourceRef). */
  incoming(node: El): El[];
  outgoing(node: El): El[];
  /** Message flows that end / start at an interaction node. */
  messageIn(node: El): El[];
  messageOut(node: El): El[];
  /** Whether the element belongs to an executable process (or, outside processes, whether any process is). */
  executable(el: El): boolean;
}

export const isA = (el: El | undefined, type: string): boolean => typeof el?.$instanceOf === 'function' && el.$instanceOf(type);
export const list = (value: unknown): El[] => (Array.isArray(value) ? value : value ? [value as El] : []);
export const local = (el: El): string => el.$type.replace(/^bpmn:/, '');
/** An element's id for messages. */
export const idOf = (el: El | undefined): string => el?.id ?? '(without id)';
/** An element's kind and id for messages, e.g. "UserTask Task_1", or "InputSet of ServiceTask Task_1" when it has no id. */
export function label(el: El | undefined): string {
  if (!el) return 'an unknown element';
  if (el.id) return `${local(el)} ${el.id}`;
  const owner = el.$parent && identified(el.$parent);
  return owner?.id ? `${local(el)} of ${label(owner)}` : local(el);
}

export function indexModel(definitions: El): Model {
  const all: El[] = [];
  const visit = (el: El): void => {
    if (!el?.$type?.startsWith('bpmn:')) return;
    all.push(el);
    for (const p of el.$descriptor.properties) if (!p.isReference && !p.isAttr) list(el[p.name]).forEach(visit);
  };
  visit(definitions);

  const byType = new Map<string, El[]>();
  const of = (type: string): El[] => {
    if (!byType.has(type)) byType.set(type, all.filter((el) => isA(el, type)));
    return byType.get(type)!;
  };
  const ends = (flowType: string, end: 'sourceRef' | 'targetRef'): ((node: El) => El[]) => {
    const map = new Map<El, El[]>();
    for (const flow of of(flowType)) if (flow[end]) map.set(flow[end], [...(map.get(flow[end]) ?? []), flow]);
    return (node) => map.get(node) ?? [];
  };
  const anyExecutable = of('bpmn:Process').some((p) => p.isExecutable);
  return {
    definitions,
    all,
    of,
    incoming: ends('bpmn:SequenceFlow', 'targetRef'),
    outgoing: ends('bpmn:SequenceFlow', 'sourceRef'),
    messageIn: ends('bpmn:MessageFlow', 'targetRef'),
    messageOut: ends('bpmn:MessageFlow', 'sourceRef'),
    executable: (el) => {
      const process = ancestor(el, 'bpmn:Process');
      return process ? !!process.isExecutable : anyExecutable;
    },
  };
}

/** The nearest strict ancestor of a type. */
export function ancestor(el: El, type: string): El | undefined {
  for (let p = el.$parent; p; p = p.$parent) if (isA(p, type)) return p;
  return undefined;
}

/** The element itself if it has an id, else its nearest ancestor that has one. */
export function identified(el: El): El {
  for (let e: El | undefined = el; e; e = e.$parent) if (e.id) return e;
  return el;
}

export const isEventSubProcess = (el: El | undefined): boolean => isA(el, 'bpmn:SubProcess') && !!el?.triggeredByEvent;
export const isCompensation = (el: El): boolean => isA(el, 'bpmn:Activity') && !!el.isForCompensation;

/** An event's event definitions, including those referenced through eventDefinitionRef. */
export const eventDefinitions = (event: El): El[] => [...list(event.eventDefinitions), ...list(event.eventDefinitionRef)];
/** The kinds of an event's definitions, e.g. ['message', 'timer']; [] for a none event. */
export const triggers = (event: El): string[] =>
  eventDefinitions(event).map((d) => local(d).replace(/EventDefinition$/, '').toLowerCase());
export const isLink = (event: El): boolean => triggers(event).includes('link');

/** The ItemDefinition describing an item-aware element (following data object / store references). */
export const itemOf = (el: El | undefined): El | undefined =>
  el?.itemSubjectRef ?? el?.dataObjectRef?.itemSubjectRef ?? el?.dataStoreRef?.itemSubjectRef;
/** Two ItemDefinitions are equivalent when they are the same one or name the same structure. */
export const sameItem = (a: El | undefined, b: El | undefined): boolean =>
  a === b || (!!a?.structureRef && a.structureRef === b?.structureRef);

/** RFC 3986 URI reference; the spec's own "##name" values (##WebService, ##Compensate) are allowed. */
export const isUri = (s: string): boolean =>
  /^(?:[\w\-.~:/?@!$&'()*+,;=[\]]|%[0-9A-Fa-f]{2})*(?:#(?:[\w\-.~:/?@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*)?$/.test(s.replace(/^##/, ''));
/** A MIME type such as text/plain or text/x-groovy (parameters allowed). */
export const isMimeType = (s: string): boolean => /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+(?:\s*;.*)?$/.test(s.trim());

/** Whether vendor extensions configure the element (extension elements or attributes of another namespace). */
export const hasVendorExtension = (el: El): boolean =>
  !!el.extensionElements ||
  Object.keys(el.$attrs ?? {}).some((k) => k.includes(':') && !k.startsWith('xmlns')) ||
  el.$descriptor.properties.some((p: { ns: { prefix: string }; name: string }) => p.ns.prefix !== 'bpmn' && Object.hasOwn(el, p.name));
