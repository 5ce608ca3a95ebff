// One command = one transaction (shared/DESIGN.md §1): lock the case row, check the caller's
// expected version, run the pure engine, append the hash-chained events, save the snapshot
// and projections, write the effects to the outbox, commit. A refusal writes nothing.
//
// Round trips (PostgreSQL). A command on a case reads the locked row (with BEGIN and the
// access settings, one round trip), runs the engine, then writes everything with COMMIT (one
// more). The runtime also remembers the last state it saw of recent cases: a command on a
// remembered case runs the engine first and sends BEGIN, the settings, the writes and COMMIT
// together, the writes conditional on the case still being at the remembered version and head
// (checked under the row lock, with the caller's row-level security). If it is not (another
// process or command got there first, or the caller may not see the case), nothing was written
// and the command runs again the first way, on the row as it is: the same outcome as if
// nothing had been remembered.
import type { Knex } from 'knex';
import type { Access } from '../db/access.js';
import { Database, type CommandTx } from '../db/connection.js';
import { chainEvents } from '../db/repositories/events.js';
import { lockCaseRow, writeStep, writeStepIf, type IdempotencyRecord, type StartContext, type StepWrite } from '../db/repositories/steps.js';
import type { CaseRow } from '../db/repositories/rows.js';
import { fromEngineEvent, type Actor } from '../engine/audit/index.js';
import { calledDecisions, callsDecisionsByExpression, step, type Command, type CompiledBpmn, type CompiledDecision, type Definition, type Effect, type EngineEvent, type EngineHost, type Failure, type InstanceState } from '../engine/index.js';
import type { DefinitionCache } from './definitions.js';
import { err, ok, rejected, type Outcome, type RuntimeError } from './errors.js';
import type { Runtime } from './runtime.js';

export interface CaseChange {
  caseId: string;
  version: number;
  state: InstanceState;
  events: EngineEvent[];
  effects: Effect[];
  /** The case row after the command (commands on an existing case). */
  row?: CaseRow;
}

export interface CommandOptions {
  /** The case version the caller last saw (If-Match); a different current version is a conflict. */
  expectedVersion?: number;
  actor: Actor;
  /**
   * A check of the case before the command (the API's: is this task open, and the caller's to
   * work on?), inside the command's transaction: a refusal writes nothing. Checked before the
   * expected version, as a caller reading the case first would.
   */
  guard?: (state: InstanceState, row: CaseRow, def: Definition) => RuntimeError | undefined;
  /** An Idempotency-Key record of the change, written with it in its transaction, only if it is written. */
  record?: (change: CaseChange) => IdempotencyRecord;
}

/** Builds the engine command from the locked case, or refuses (e.g. a task of another case). */
export type CommandBuilder = (state: InstanceState, row: CaseRow, def: Definition) => Command | Failure;

export async function onCase(rt: Runtime, access: Access, caseId: string, opts: CommandOptions, build: CommandBuilder): Promise<Outcome<CaseChange>> {
  if (!isUuid(caseId)) return err('NOT_FOUND', `No case ${caseId}`);
  const known = memoryOf(rt).cases.get(caseId);
  if (known && (opts.expectedVersion === undefined || opts.expectedVersion === known.row.version) && !callsDecisions(known.def)) {
    let seen: Seen | undefined;
    const outcome = await rt.db.command(access, (tx) => onKnownCase(tx, rt, known, opts, build, (s) => (seen = s)));
    if (outcome) {
      if (seen) rememberCase(rt, seen);
      return outcome;
    }
  }
  let seen: Seen | undefined;
  const outcome = await rt.db.command(access, (tx) => onCaseTx(tx, rt, caseId, opts, build, (s) => (seen = s)));
  if (seen) rememberCase(rt, seen);
  return outcome;
}

/** The same, inside a transaction the caller holds (a worker performing an outbox row atomically). */
export async function onCaseIn(trx: Knex, rt: Runtime, caseId: string, opts: CommandOptions, build: CommandBuilder): Promise<Outcome<CaseChange>> {
  // Whether the caller's transaction commits is the caller's business: nothing is remembered.
  memoryOf(rt).cases.delete(caseId);
  return Database.within(trx, (tx) => onCaseTx(tx, rt, caseId, opts, build));
}

/** What a command saw of a case (the row after its step, if it wrote one), remembered once it committed. */
type Seen = { row: CaseRow; def: Definition };

/**
 * A command in a command transaction, on the case row as it is: lock it, then step; the writes
 * are queued on the transaction (sent with its next query or its commit).
 */
export async function onCaseTx(tx: CommandTx, rt: Runtime, caseId: string, opts: CommandOptions, build: CommandBuilder, saw?: (s: Seen) => void): Promise<Outcome<CaseChange>> {
  const row = await lockCaseRow(tx, caseId);
  // A case outside the caller's organisations is invisible (row-level security): not found, not forbidden.
  if (!row) return err('NOT_FOUND', `No case ${caseId}`);
  const trx = await tx.knex();
  const def = await rt.definitions.byId(trx, row.definition_id);
  const refused = opts.guard?.(row.snapshot, row, def);
  if (refused) return { ok: false, error: refused };
  if (opts.expectedVersion !== undefined && opts.expectedVersion !== row.version) {
    return err('CONFLICT', `Case ${caseId} is at version ${row.version}, not ${opts.expectedVersion}`, { currentVersion: row.version });
  }
  saw?.({ row, def });
  const cmd = build(row.snapshot, row, def);
  if (!('type' in cmd)) return rejected(cmd);
  const now = rt.clock.now();
  const decisions = await rt.definitions.decisionsFor(trx, def);
  const res = step(def, row.snapshot, cmd, { now, actor: opts.actor, host: hostFor(rt, row, decisions) });
  if (!res.ok) return rejected(res.failure);
  if (res.value.events.length === 0) {
    // Nothing changed (e.g. a timer that had been cancelled): no version bump, no history.
    return ok({ caseId, version: row.version, state: row.snapshot, events: [], effects: res.value.effects, row });
  }
  const w = stepWrite(row, res.value.state, res.value.events, res.value.effects, opts.actor, now);
  const after = rowAfter(row, w);
  const change: CaseChange = { caseId, version: w.version, state: res.value.state, events: res.value.events, effects: res.value.effects, row: after };
  tx.queue(writeStep({ ...w, record: opts.record?.(change) }));
  saw?.({ row: after, def });
  return ok(change);
}

/**
 * A command on a remembered case, as one round trip: step from the remembered state, then
 * write if the case is still at that version (BEGIN, settings, writes and COMMIT together).
 * Undefined when it cannot tell (a refusal, a step that changes nothing, a case that moved on
 * or is not visible to the caller): the caller runs the command on the row as it is.
 */
async function onKnownCase(tx: CommandTx, rt: Runtime, known: KnownCase, opts: CommandOptions, build: CommandBuilder, saw: (s: Seen) => void): Promise<Outcome<CaseChange> | undefined> {
  const state = JSON.parse(known.snapshot) as InstanceState;
  const row: CaseRow = { ...known.row, snapshot: state };
  if (opts.guard?.(state, row, known.def)) return undefined;
  const cmd = build(state, row, known.def);
  if (!('type' in cmd)) return undefined;
  const now = rt.clock.now();
  const res = step(known.def, state, cmd, { now, actor: opts.actor, host: hostFor(rt, row, NO_DECISIONS) });
  if (!res.ok || res.value.events.length === 0) return undefined;
  const w = stepWrite(row, res.value.state, res.value.events, res.value.effects, opts.actor, now);
  const after = rowAfter(row, w);
  const change: CaseChange = { caseId: row.id, version: w.version, state: res.value.state, events: res.value.events, effects: res.value.effects, row: after };
  if (!(await writeStepIf(tx, { ...w, record: opts.record?.(change) }, { expect: { version: row.version, hash: row.last_hash } }))) return undefined;
  saw({ row: after, def: known.def });
  return ok(change);
}

/** The writes of one step's result on a case row. */
function stepWrite(row: Pick<CaseRow, 'id' | 'version' | 'last_seq' | 'last_hash' | 'snapshot' | 'tenant_id' | 'subject_kind' | 'school_id'>, state: InstanceState, events: EngineEvent[], effects: Effect[], actor: Actor, at: string): StepWrite {
  const history = chainEvents(row.id, { seq: row.last_seq, hash: row.last_hash }, events.map(fromEngineEvent), actor, at);
  const head = history[history.length - 1] ?? { seq: row.last_seq, hash: row.last_hash };
  return {
    caseId: row.id, at, actor, state, version: row.version + 1, head: { seq: head.seq, hash: head.hash }, history, before: row.snapshot, events, effects,
    visibility: { tenant_id: row.tenant_id, subject_kind: row.subject_kind, school_key: row.school_id ?? '' },
  };
}

/** The case row once a step's writes are in. */
function rowAfter(row: CaseRow, w: StepWrite): CaseRow {
  return { ...row, snapshot: w.state, status: w.state.status, version: w.version, last_seq: w.head.seq, last_hash: w.head.hash, updated_at: new Date(w.at) };
}

/** Queues the writes of one step's result for a locked case; returns the new version. */
export function persist(tx: CommandTx, row: Pick<CaseRow, 'id' | 'version' | 'last_seq' | 'last_hash' | 'snapshot' | 'tenant_id' | 'subject_kind' | 'school_id'>, state: InstanceState, events: EngineEvent[], effects: Effect[], actor: Actor, at: string): number {
  const w = stepWrite(row, state, events, effects, actor, at);
  tx.queue(writeStep(w));
  return w.version;
}

/**
 * The engine host for one case: the runtime's services, the calendars of the case's LA and school,
 * and the decisions its model calls (loaded before the step: the engine asks synchronously).
 */
export function hostFor(rt: Runtime, c: { calendar_la?: string | null; school_id?: string | null }, decisions: ReadonlyMap<string, CompiledDecision>): EngineHost {
  const host: EngineHost = { ...rt.host, decision: (id) => decisions.get(id) };
  if (rt.calendars) host.calendar = rt.calendars.host({ la: c.calendar_la ?? undefined, school: c.school_id ?? undefined });
  return host;
}

export function isUuid(s: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
}

// ---------------------------------------------------------------------------------------------
// What the runtime remembers between commands: the last committed state it saw of recent cases
// and the answers of start-case's lookups. Only ever used together with a check in the writing
// transaction (camau_apply), never trusted on its own.
// ---------------------------------------------------------------------------------------------

const NO_DECISIONS: ReadonlyMap<string, CompiledDecision> = new Map();

/** How many cases (and start-case lookups) a runtime remembers; the least recently used go first. */
const REMEMBERED = 2000;
/** A larger snapshot is not remembered (its case takes the two-round-trip way). */
const REMEMBERED_BYTES = 64 * 1024;

/** A case as last seen: its row, its snapshot as the database would return it, its compiled definition. */
export interface KnownCase {
  row: Omit<CaseRow, 'snapshot'>;
  /** JSON text, object keys in jsonb's order: parsing it gives what reading the row gives. */
  snapshot: string;
  def: Definition;
}

/** start-case's lookups for one (school, person, key, version), for some caller, and the definition they named. */
export interface KnownStart {
  ctx: StartContext;
  def: Definition;
}

class Recent<V> {
  private map = new Map<string, V>();
  get(k: string): V | undefined {
    return this.map.get(k);
  }
  set(k: string, v: V): void {
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size > REMEMBERED) this.map.delete(this.map.keys().next().value as string);
  }
  delete(k: string): void {
    this.map.delete(k);
  }
}

interface Memory {
  cases: Recent<KnownCase>;
  starts: Recent<KnownStart>;
}

/** Per database and definition cache (a runtime may be copied with other services, but not these). */
const memories = new WeakMap<Database, WeakMap<DefinitionCache, Memory>>();

export function memoryOf(rt: Runtime): Memory {
  let byDefs = memories.get(rt.db);
  if (!byDefs) memories.set(rt.db, (byDefs = new WeakMap()));
  let m = byDefs.get(rt.definitions);
  if (!m) byDefs.set(rt.definitions, (m = { cases: new Recent(), starts: new Recent() }));
  return m;
}

/** Remembers a committed case row (an older version never replaces a newer one). */
export function rememberCase(rt: Runtime, s: Seen): void {
  const cases = memoryOf(rt).cases;
  const { snapshot, ...row } = s.row;
  const prior = cases.get(row.id);
  if (prior && prior.row.version > row.version) return;
  const text = JSON.stringify(jsonbOrdered(JSON.parse(JSON.stringify(snapshot))));
  if (text.length > REMEMBERED_BYTES) cases.delete(row.id);
  else cases.set(row.id, { row, snapshot: text, def: s.def });
}

const decisionsCalled = new WeakMap<CompiledBpmn, boolean>();

/** Whether a step of this definition reads DMN decisions from the database (then the state alone does not decide it). */
export function callsDecisions(def: Definition): boolean {
  if (def.kind !== 'bpmn') return false;
  let calls = decisionsCalled.get(def.compiled);
  if (calls === undefined) decisionsCalled.set(def.compiled, (calls = calledDecisions(def.compiled).length > 0 || callsDecisionsByExpression(def.compiled)));
  return calls;
}

/**
 * A JSON value with every object's keys in the order jsonb keeps them (shorter keys first, then
 * bytewise), as JSON.parse of a jsonb column gives it: a remembered snapshot then steps exactly
 * as one read from the database would.
 */
function jsonbOrdered(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(jsonbOrdered);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort(jsonbKeyOrder)) out[k] = jsonbOrdered(o[k]);
  return out;
}

function jsonbKeyOrder(a: string, b: string): number {
  if (!/^[\x00-\x7f]*$/.test(a + b)) {
    const x = Buffer.from(a, 'utf8');
    const y = Buffer.from(b, 'utf8');
    return x.length - y.length || Buffer.compare(x, y);
  }
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
