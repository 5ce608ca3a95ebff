// A closed-loop load generator for the durable benchmark: N workers, each running one
// iteration after another for a warm-up and then a fixed measured window. An operation is
// counted (and its latency kept) when it ends inside the window; the rate is operations over
// the window's length. Workers finish the iteration they are in when the window closes, so
// nothing is left half done (every started case is finished).
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

/** Times one operation of an iteration: `op(() => work)` resolves with the work's result. */
export type Timed = <T>(fn: () => Promise<T>) => Promise<T>;

export interface LoadResult {
  /** Operations that ended inside the measured window. */
  ops: number;
  /** Iterations (e.g. cases) whose last operation ended inside the window. */
  iterations: number;
  /** Every iteration run, warm-up and drain included. */
  allIterations: number;
  seconds: number;
  /** Latencies (ms) of the operations counted in `ops`. */
  latencies: number[];
  /** CPU used by this Node process during the window, in cores (1.0 = one core busy). */
  nodeCores: number;
  /** CPU used by the PostgreSQL server's processes during the window, in cores (NaN when the server is not local). */
  postgresCores: number;
  /** CPU used by the whole machine during the window, in cores (this process, PostgreSQL and anything else). */
  machineCores: number;
}

function machineBusy(): number {
  let busy = 0;
  for (const c of os.cpus()) busy += c.times.user + c.times.nice + c.times.sys + c.times.irq;
  return busy; // ms
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** CPU time (ms) of every process named `postgres` on this machine, by pid; empty when none is visible. */
export function postgresCpu(): Map<number, number> {
  const out = new Map<number, number>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
      const f = stat.slice(close + 2).split(' ');
      // Fields after the name start at field 3 (state); utime and stime are fields 14 and 15.
      out.set(Number(pid), (Number(f[11]) + Number(f[12])) * TICK_MS);
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

function cpuSince(before: Map<number, number>, after: Map<number, number>, exclude: Set<number>): number {
  if (after.size === 0) return NaN;
  let ms = 0;
  for (const [pid, t] of after) if (!exclude.has(pid)) ms += t - (before.get(pid) ?? 0);
  return ms;
}

export interface LoadOptions {
  /**
   * Server processes that are not ours (client backends of other databases), asked at both
   * edges of the window: their CPU is counted as "other", not as PostgreSQL's for this run.
   */
  foreignPids?: () => Promise<number[]>;
}

export async function closedLoop(
  concurrency: number,
  warmupMs: number,
  measureMs: number,
  iteration: (worker: number, n: number, op: Timed) => Promise<void>,
  options: LoadOptions = {},
): Promise<LoadResult> {
  const begin = performance.now();
  const t0 = begin + warmupMs;
  const t1 = t0 + measureMs;
  let ops = 0;
  let iterations = 0;
  let allIterations = 0;
  const latencies: number[] = [];
  let cpu0: NodeJS.CpuUsage | undefined;
  let busy0 = 0;
  let pg0 = new Map<number, number>();
  let cpuNode = 0;
  let busyMachine = 0;
  let pg1 = new Map<number, number>();
  const foreign: Array<Promise<number[]>> = [];
  const askForeign = () => foreign.push(options.foreignPids ? options.foreignPids().catch(() => []) : Promise.resolve([]));
  // Samples CPU at the window's edges (a timer, so the figures do not depend on a worker).
  const edges = new Promise<void>((resolve) => {
    setTimeout(() => {
      cpu0 = process.cpuUsage();
      busy0 = machineBusy();
      pg0 = postgresCpu();
      askForeign();
      setTimeout(() => {
        const d = process.cpuUsage(cpu0);
        cpuNode = (d.user + d.system) / 1000;
        busyMachine = machineBusy() - busy0;
        pg1 = postgresCpu();
        askForeign();
        resolve();
      }, measureMs);
    }, warmupMs);
  });

  const op: Timed = async (fn) => {
    const s = performance.now();
    const r = await fn();
    const e = performance.now();
    if (e >= t0 && e < t1) {
      ops++;
      latencies.push(e - s);
    }
    return r;
  };

  const worker = async (w: number) => {
    let n = 0;
    while (performance.now() < t1) {
      await iteration(w, n++, op);
      allIterations++;
      const e = performance.now();
      if (e >= t0 && e < t1) iterations++;
    }
  };
  await Promise.all([...Array.from({ length: concurrency }, (_, w) => worker(w)), edges]);
  const exclude = new Set((await Promise.all(foreign)).flat());
  const cpuPostgres = cpuSince(pg0, pg1, exclude);
  return {
    ops,
    iterations,
    allIterations,
    seconds: measureMs / 1000,
    latencies,
    nodeCores: cpuNode / measureMs,
    postgresCores: cpuPostgres / measureMs,
    machineCores: busyMachine / measureMs,
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}
