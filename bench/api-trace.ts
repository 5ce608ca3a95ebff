// Where a request's time goes, measured inside the API server without touching its code: every
// PostgreSQL round trip (pg Client#query, BEGIN and COMMIT included) and every wait for a pooled
// connection (knex acquireConnection) is attributed to the HTTP request that caused it through
// AsyncLocalStorage. A request's round trips are then cut into its transactions (BEGIN ... COMMIT),
// each named by what it does (the role query of accessFor, an idempotency claim, loadCase, the
// command with its key record, the inbox query, ...), and the rest of its time is Node work outside any
// transaction (JWT verification, routing, zod, the view, JSON, logging).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Knex } from 'knex';
import pg from 'pg';

interface Span {
  start: number;
  end: number;
}

interface Query extends Span {
  text: string;
}

export interface RequestTrace extends Span {
  label: string;
  status: number;
  queries: Query[];
  acquires: Span[];
}

/** A request cut into phases: named transactions and the Node time around them. */
export interface Phase {
  name: string;
  /** From asking the pool for a connection to the COMMIT's reply (or the Node time of a gap). */
  ms: number;
  /** Waiting for a pooled connection. */
  waitMs: number;
  /** Round trips to PostgreSQL, as the client sees them (network + server). */
  dbMs: number;
  /** Node between the round trips of the transaction. */
  nodeMs: number;
  roundTrips: number;
}

export interface PhaseStats {
  name: string;
  /** In how many of the requests the phase occurred. */
  share: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  meanWaitMs: number;
  meanDbMs: number;
  meanNodeMs: number;
  roundTrips: number;
  /** Mean over the slowest 1% of requests (by server time). */
  slowMeanMs: number;
}

export interface LabelStats {
  label: string;
  requests: number;
  serverP50Ms: number;
  serverP99Ms: number;
  serverMaxMs: number;
  roundTripsPerRequest: number;
  transactionsPerRequest: number;
  phases: PhaseStats[];
}

const now = () => performance.now();

export const percentile = (sorted: number[], p: number): number => {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
};

/** Names a request by its route (the benchmark's scenarios). */
export function labelOf(method: string, url: string): string {
  const path = url.split('?')[0];
  if (method === 'GET' && path === '/api/v1/tasks') return 'inbox';
  if (method === 'POST' && /^\/api\/v1\/cases\/[^/]+\/tasks\/[^/]+\/complete$/.test(path)) return 'complete-task';
  if (method === 'GET' && /^\/api\/v1\/cases\/[^/]+$/.test(path)) return 'case-view';
  return `${method} other`;
}

/** Names a transaction by its statements. */
function kindOf(texts: string[]): string {
  const all = texts.join('\n');
  if (/"tasks" as "t"|from tasks t where/.test(all)) return 'inbox query (count + page)';
  if (/role_assignments/.test(all)) return 'access: role assignments';
  // A task command with its Idempotency-Key record (written with the step, db/repositories/steps.ts).
  if (/camau_apply/i.test(all) && /idempotency_keys/i.test(all)) return 'command (lock, step, write + key record)';
  if (/for update|camau_lock_case|camau_apply/i.test(all)) return 'command (lock, step, write)';
  if (/insert into "?idempotency_keys"?/i.test(all)) return 'idempotency: claim key';
  if (/update "?idempotency_keys"?/i.test(all)) return 'idempotency: save response';
  if (/delete from "?idempotency_keys"?/i.test(all)) return 'idempotency: release key';
  if (/from "?idempotency_keys"?/i.test(all)) return 'idempotency: look up key';
  if (/from "cases" as "c"|from cases c join/.test(all)) return 'loadCase';
  return 'other transaction';
}

let patched = false;
const store = new AsyncLocalStorage<RequestTrace>();

/** Times every pg round trip made inside a traced request (once per process). */
function patchPg(): void {
  if (patched) return;
  patched = true;
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const trace = store.getStore();
    const last = args[args.length - 1];
    if (trace && typeof last === 'function') {
      const first = args[0] as string | { text?: string };
      const text = typeof first === 'string' ? first : (first?.text ?? '');
      const start = now();
      args[args.length - 1] = function (this: unknown, ...r: unknown[]) {
        trace.queries.push({ text, start, end: now() });
        return (last as (...a: unknown[]) => unknown).apply(this, r);
      };
    }
    return original.apply(this, args);
  };
}

export class Tracer {
  private traces: RequestTrace[] = [];
  recording = true;

  constructor(knex: Knex) {
    patchPg();
    const client = knex.client as { acquireConnection: () => Promise<unknown> };
    const acquire = client.acquireConnection.bind(client);
    client.acquireConnection = async () => {
      const trace = store.getStore();
      const start = now();
      const conn = await acquire();
      trace?.acquires.push({ start, end: now() });
      return conn;
    };
  }

  /** Wraps a Node request handler (Koa's app.callback()). */
  wrap(handler: (req: IncomingMessage, res: ServerResponse) => unknown): (req: IncomingMessage, res: ServerResponse) => void {
    return (req, res) => {
      const trace: RequestTrace = { label: labelOf(req.method ?? 'GET', req.url ?? '/'), start: now(), end: 0, status: 0, queries: [], acquires: [] };
      let finished = 0;
      res.once('finish', () => { finished = now(); });
      this.inFlight++;
      // Koa's handler settles when the request is done, answered or not (a client that timed
      // out and went away leaves work behind that still counts).
      const done = () => {
        this.inFlight--;
        trace.end = finished || now();
        trace.status = finished ? res.statusCode : 0;
        if (this.recording) this.traces.push(trace);
      };
      Promise.resolve(store.run(trace, () => handler(req, res))).then(done, done);
    };
  }

  /** Requests the server is still working on. */
  inFlight = 0;

  reset(): void {
    this.traces = [];
  }

  summary(): LabelStats[] {
    const by = new Map<string, RequestTrace[]>();
    for (const t of this.traces) {
      if (!by.has(t.label)) by.set(t.label, []);
      by.get(t.label)!.push(t);
    }
    return [...by.entries()].map(([label, ts]) => summarise(label, ts));
  }
}

/** One request's phases, in the order they happened. */
export function phasesOf(t: RequestTrace): Phase[] {
  const qs = [...t.queries].sort((a, b) => a.start - b.start);
  const acq = [...t.acquires].sort((a, b) => a.start - b.start);
  const txs: Query[][] = [];
  let cur: Query[] | undefined;
  for (const q of qs) {
    if (/^\s*begin\b/i.test(q.text) || !cur) {
      cur = [];
      txs.push(cur);
    }
    cur.push(q);
    // COMMIT alone, or as the last statement of a batch ("insert …; update …; COMMIT").
    if (/(^|;)\s*(commit|rollback)\b[^;]*;?\s*$/i.test(q.text)) cur = undefined;
  }
  const phases: Phase[] = [];
  const seen = new Map<string, number>();
  let cursor = t.start;
  const gap = (name: string, until: number) => {
    const ms = Math.max(0, until - cursor);
    phases.push({ name, ms, waitMs: 0, dbMs: 0, nodeMs: ms, roundTrips: 0 });
  };
  txs.forEach((tx, i) => {
    const a = acq.length === txs.length ? acq[i] : undefined;
    const start = a ? a.start : tx[0].start;
    gap(i === 0 ? 'node: before the first tx (JWT verify, request id, metrics)' : 'node: between txs (routing, zod, permission checks)', start);
    let name = kindOf(tx.map((q) => q.text));
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    if (name === 'loadCase' && n === 2) name = 'loadCase again (reload after the command)';
    else if (n > 1) name = `${name} #${n}`;
    const end = tx[tx.length - 1].end;
    const dbMs = tx.reduce((s, q) => s + (q.end - q.start), 0);
    const waitMs = a ? a.end - a.start : 0;
    phases.push({ name, ms: end - start, waitMs, dbMs, nodeMs: end - start - waitMs - dbMs, roundTrips: tx.length });
    cursor = end;
  });
  gap(txs.length ? 'node: after the last tx (view, JSON, response, log)' : 'node: whole request', t.end);
  // Gaps between transactions are merged into one phase per request.
  const merged: Phase[] = [];
  for (const p of phases) {
    const same = merged.find((m) => m.name === p.name && p.name.startsWith('node: between'));
    if (same) {
      same.ms += p.ms;
      same.nodeMs += p.nodeMs;
    } else merged.push(p);
  }
  return merged;
}

function summarise(label: string, ts: RequestTrace[]): LabelStats {
  const totals = ts.map((t) => t.end - t.start);
  const sorted = [...totals].sort((a, b) => a - b);
  const slowCut = percentile(sorted, 99);
  const perReq = ts.map((t) => ({ total: t.end - t.start, phases: phasesOf(t) }));
  const slow = perReq.filter((r) => r.total >= slowCut);
  const order: string[] = [];
  for (const r of perReq) for (const p of r.phases) if (!order.includes(p.name)) order.push(p.name);
  // Node gaps first-to-last as they occur; keep the order of first appearance otherwise.
  const phases: PhaseStats[] = order.map((name) => {
    const hits = perReq.map((r) => r.phases.find((p) => p.name === name)).filter((p): p is Phase => !!p);
    const ms = hits.map((p) => p.ms).sort((a, b) => a - b);
    const mean = (f: (p: Phase) => number) => hits.reduce((s, p) => s + f(p), 0) / (hits.length || 1);
    const slowHits = slow.map((r) => r.phases.find((p) => p.name === name)?.ms ?? 0);
    return {
      name, share: hits.length / ts.length,
      meanMs: mean((p) => p.ms), p50Ms: percentile(ms, 50), p99Ms: percentile(ms, 99),
      meanWaitMs: mean((p) => p.waitMs), meanDbMs: mean((p) => p.dbMs), meanNodeMs: mean((p) => p.nodeMs),
      roundTrips: mean((p) => p.roundTrips),
      slowMeanMs: slowHits.reduce((s, x) => s + x, 0) / (slowHits.length || 1),
    };
  });
  return {
    label, requests: ts.length,
    serverP50Ms: percentile(sorted, 50), serverP99Ms: percentile(sorted, 99), serverMaxMs: sorted[sorted.length - 1] ?? NaN,
    roundTripsPerRequest: ts.reduce((s, t) => s + t.queries.length, 0) / ts.length,
    transactionsPerRequest: perReq.reduce((s, r) => s + r.phases.filter((p) => p.roundTrips > 0).length, 0) / ts.length,
    phases,
  };
}
