// Running the API server for the benchmark (a child process over IPC, or in this process) and
// measuring CPU: the machine (/proc/stat), this process (the load generator), the server and
// the PostgreSQL backends serving the benchmark database (/proc/<pid>/stat).
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import { startBenchServer, type ServerOptions, type ServerReport } from './api-server.js';

export interface ServerHandle {
  mode: 'child process' | 'in process';
  port: number;
  pid: number;
  reset(profile?: boolean): Promise<void>;
  report(): Promise<ServerReport>;
  close(): Promise<void>;
}

export async function inProcessServer(o: ServerOptions): Promise<ServerHandle> {
  const s = await startBenchServer(o);
  return { mode: 'in process', port: s.port, pid: s.pid, reset: (profile) => s.reset(profile), report: () => s.report(), close: () => s.close() };
}

export async function childServer(o: ServerOptions): Promise<ServerHandle> {
  const entry = fileURLToPath(new URL('./api-server-main.ts', import.meta.url));
  const child: ChildProcess = fork(entry, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_API_SERVER: JSON.stringify(o) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let exited = false;
  const ready = new Promise<{ port: number; pid: number }>((resolve, reject) => {
    child.on('message', (m: { type?: string; id?: number; ok?: boolean; value?: unknown; error?: string; port?: number; pid?: number }) => {
      if (m.type === 'ready') return resolve({ port: m.port!, pid: m.pid! });
      const w = m.id !== undefined ? waiting.get(m.id) : undefined;
      if (!w) return;
      waiting.delete(m.id!);
      if (m.ok) w.resolve(m.value);
      else w.reject(new Error(`server: ${m.error}`));
    });
    child.once('exit', (code, signal) => {
      exited = true;
      const e = new Error(`the API server process exited (code ${code}, signal ${signal})`);
      reject(e);
      for (const w of waiting.values()) w.reject(e);
      waiting.clear();
    });
  });
  const call = <T>(type: string, extra: Record<string, unknown> = {}): Promise<T> => new Promise<T>((resolve, reject) => {
    if (exited) return reject(new Error('the API server process has exited'));
    const id = nextId++;
    waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
    child.send({ id, type, ...extra });
  });
  const { port, pid } = await ready;
  return {
    mode: 'child process', port, pid,
    reset: (profile) => call<void>('reset', { profile: !!profile }),
    report: () => call<ServerReport>('report'),
    async close() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await Promise.race([call<void>('close').catch(() => undefined), new Promise((r) => setTimeout(r, 10_000))]);
      if (!exited) child.kill('SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 5_000))]);
      if (!exited) child.kill('SIGKILL');
    },
  };
}

const TICK = 100; // USER_HZ on Linux

/** Busy and total jiffies of the whole machine. */
function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = f[3] + (f[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

function procTicks(pid: number): number | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]); // utime, stime
  } catch {
    return undefined;
  }
}

/** Backends serving the benchmark database (PostgreSQL on this machine, else none are readable). */
async function backendPids(owner: Knex): Promise<number[]> {
  const r = await owner.raw(`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`);
  return (r.rows as Array<{ pid: number }>).map((x) => x.pid);
}

export interface CpuSample {
  /** Cores busy on average over the interval. */
  machine: number;
  generator: number;
  server: number;
  postgres: number;
}

/** Starts a CPU measurement; call the result to end it (given the server's CPU seconds). */
export async function cpuMeter(owner: Knex): Promise<(serverCpuSeconds: number) => Promise<CpuSample>> {
  const m0 = machineTicks();
  const g0 = process.cpuUsage();
  const t0 = performance.now();
  const pids0 = new Map<number, number>();
  for (const pid of await backendPids(owner)) {
    const t = procTicks(pid);
    if (t !== undefined) pids0.set(pid, t);
  }
  return async (serverCpuSeconds) => {
    const wall = (performance.now() - t0) / 1000;
    const m1 = machineTicks();
    const g = process.cpuUsage(g0);
    let pgTicks = 0;
    let readable = pids0.size > 0;
    for (const pid of await backendPids(owner)) {
      const t = procTicks(pid);
      if (t === undefined) continue;
      readable = true;
      pgTicks += t - (pids0.get(pid) ?? 0);
    }
    const cores = os.cpus().length;
    return {
      machine: m0 && m1 ? ((m1.busy - m0.busy) / (m1.total - m0.total)) * cores : NaN,
      generator: (g.user + g.system) / 1e6 / wall,
      server: serverCpuSeconds / wall,
      postgres: readable ? pgTicks / TICK / wall : NaN,
    };
  };
}
