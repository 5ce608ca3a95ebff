// Drives the peer, bpmn-engine (npm), through the same workloads, in its cheapest faithful form:
// - the XML is parsed once (moddle) and its serialised context shared by every instance, as Camau
//   compiles once; each instance is a fresh `Engine({ sourceContext })` + `execute()`;
// - a service task's implementation `${environment.services.work}` calls back at once
//   (synchronously), cheaper than wait + signal;
// - a user task is completed with `signal({ approved })` on its postponed activity; its result is
//   put in `environment.output`, where the gateway's `${environment.output.approved}` reads it;
// - (d): `getState()` -> JSON text -> parse -> `new Engine({ sourceContext }).recover(state)` ->
//   `resume()`, then signal. The state's embedded copy of the definition (`definitions[].source`)
//   is dropped before JSON and supplied from the shared context instead, which is cheaper than
//   recovering it from the JSON (and mirrors Camau, whose state only names its definition).
import { EventEmitter } from 'node:events';
import { Engine } from 'bpmn-engine';
import { model, type WorkloadName } from './models.js';

// The types of bpmn-engine describe its options loosely; these are the parts used here.
interface PeerApi {
  id: string;
  type: string;
  environment: { output: Record<string, unknown> };
  signal(message?: unknown): void;
}
interface PeerExecution {
  getPostponed(): PeerApi[];
}
interface PeerState {
  definitions: Array<Record<string, unknown> & { source?: string }>;
  [k: string]: unknown;
}

export interface PeerModel {
  name: WorkloadName;
  sourceContext: unknown;
}

const services = {
  work(_scope: unknown, next: (err?: Error | null) => void): void {
    next(null);
  },
};

export async function peerModel(name: WorkloadName): Promise<PeerModel> {
  const defs = (await new Engine({ name: `bench-${name}`, source: model(name, 'peer') }).getDefinitions()) as unknown as Array<{ environment: { options: { source: unknown } } }>;
  return { name, sourceContext: defs[0].environment.options.source };
}

// bpmn-engine logs through `debug` by default, creating a logger per element per instance; a
// no-op Logger (a documented option) spares it that work.
const silent = { debug() {}, error() {}, warn() {} };
const Logger = () => silent;

function newEngine(m: PeerModel): Engine {
  return new Engine({ name: `bench-${m.name}`, sourceContext: m.sourceContext as never, services, Logger });
}

/** Which end events an instance reached, for the correctness check. */
export interface PeerRun {
  ends: string[];
}

function tracker(run: PeerRun | undefined): EventEmitter {
  const listener = new EventEmitter();
  if (run) listener.on('activity.end', (api: PeerApi) => { if (api.type === 'bpmn:EndEvent') run.ends.push(api.id); });
  return listener;
}

function complete(execution: PeerExecution, approved: boolean): void {
  const [task] = execution.getPostponed();
  if (!task || task.id !== 'review') throw new Error('bpmn-engine: the user task is not waiting');
  task.environment.output.approved = approved;
  task.signal({ approved });
}

/** Starts an instance of (c) and leaves it waiting at the user task. */
export async function peerStartWaiting(m: PeerModel): Promise<Engine> {
  const engine = newEngine(m);
  await engine.execute({ listener: new EventEmitter() });
  return engine;
}

/** The waiting state as bpmn-engine saves it; `withSource: false` drops the embedded definition. */
export async function peerState(engine: Engine, withSource: boolean): Promise<PeerState> {
  const st = (await engine.getState()) as unknown as PeerState;
  if (withSource) return st;
  return { ...st, definitions: st.definitions.map(({ source: _source, ...d }) => d) };
}

/** Runs one instance of a workload to its end. Pass `run` to record the end events reached. */
export async function runPeer(m: PeerModel, i: number, run?: PeerRun): Promise<void> {
  const engine = newEngine(m);
  const ended = engine.waitFor('end');
  const listener = tracker(run);
  const execution = (await engine.execute({ listener })) as unknown as PeerExecution;
  const approved = i % 2 === 0;
  if (m.name === 'c') complete(execution, approved);
  else if (m.name === 'd') {
    const text = JSON.stringify(await peerState(engine, false));
    const restored = newEngine(m).recover(JSON.parse(text));
    const restoredEnded = restored.waitFor('end');
    const resumed = (await restored.resume({ listener })) as unknown as PeerExecution;
    complete(resumed, approved);
    await restoredEnded;
    return;
  }
  await ended;
}

export async function checkPeer(m: PeerModel, i: number): Promise<void> {
  const run: PeerRun = { ends: [] };
  await runPeer(m, i, run);
  const expected = m.name === 'a' || m.name === 'b' ? 'end' : i % 2 === 0 ? 'approved' : 'rejected';
  if (run.ends.length !== 1 || run.ends[0] !== expected) throw new Error(`bpmn-engine workload ${m.name}: reached [${run.ends.join(', ')}], expected ${expected}`);
}
