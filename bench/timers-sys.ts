// What the timer benchmark reads about the machine: CPU time of the processes that share it
// (this process, the worker processes, the PostgreSQL server, Redis) from /proc, the machine's
// busy time from /proc/stat, and a description of the machine. Linux only; elsewhere the CPU
// figures are left out.
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

const TICK_MS = 10; // USER_HZ is 100 on every Linux this runs on

interface ProcStat {
  comm: string;
  /** utime + stime, ms. */
  self: number;
}

function procStat(pid: number): ProcStat | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = s.lastIndexOf(')');
    const comm = s.slice(s.indexOf('(') + 1, close);
    const f = s.slice(close + 2).split(' ');
    // After "pid (comm) ": state ppid ... utime (11) stime (12), counted from state = 0.
    return { comm, self: (Number(f[11]) + Number(f[12])) * TICK_MS };
  } catch {
    return undefined;
  }
}

function allPids(): number[] {
  try {
    return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  } catch {
    return [];
  }
}

type Group = 'bench' | 'workers' | 'postgres' | 'redis';

/**
 * CPU ms used so far by each process of a group. PostgreSQL: the server's own processes
 * (postmaster, checkpointer, WAL writer, autovacuum, ...) and the client backends connected to
 * `database`; backends of other databases (other users of the server) are left out.
 */
export interface CpuSample {
  at: number;
  procs: Map<number, { group: Group; ms: number }>;
  /** Machine-wide busy and total ms over all cores (/proc/stat). */
  busy: number;
  total: number;
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

export function sampleCpu(workerPids: number[], database: string): CpuSample {
  const procs = new Map<number, { group: Group; ms: number }>();
  const workers = new Set(workerPids);
  for (const pid of allPids()) {
    const st = procStat(pid);
    if (!st) continue;
    if (pid === process.pid) procs.set(pid, { group: 'bench', ms: st.self });
    else if (workers.has(pid)) procs.set(pid, { group: 'workers', ms: st.self });
    else if (st.comm.startsWith('redis-server')) procs.set(pid, { group: 'redis', ms: st.self });
    else if (st.comm === 'postgres') {
      // A client backend's title is "postgres: <cluster>: <user> <database> <host>(<port>) <state>".
      const title = cmdline(pid);
      const client = /\S+\(\d+\)|\[local\]/.test(title);
      if (!client || title.split(' ').includes(database)) procs.set(pid, { group: 'postgres', ms: st.self });
    }
  }
  let busy = 0;
  let total = 0;
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal
    total = line.slice(0, 8).reduce((a, b) => a + b, 0) * TICK_MS;
    busy = total - (line[3] + line[4]) * TICK_MS;
  } catch {
    // not Linux
  }
  return { at: Date.now(), procs, busy, total };
}

export interface CpuShare {
  bench: number;
  workers: number;
  postgres: number;
  redis: number;
  /** The whole machine, and what is left when the groups above are taken away (other users of the machine). */
  machine: number;
  others: number;
  machineBusyPct: number;
}

/**
 * Cores' worth of CPU each group used between two samples (1.0 = one core fully busy). A process
 * that started in between counts from zero; one that ended in between is missed (its share falls
 * to "others").
 */
export function cpuBetween(a: CpuSample, b: CpuSample): CpuShare {
  const wall = Math.max(1, b.at - a.at);
  const used: Record<Group, number> = { bench: 0, workers: 0, postgres: 0, redis: 0 };
  for (const [pid, p] of b.procs) used[p.group] += p.ms - (a.procs.get(pid)?.ms ?? 0);
  const cores = (ms: number) => ms / wall;
  const s = { bench: cores(used.bench), workers: cores(used.workers), postgres: cores(used.postgres), redis: cores(used.redis), machine: cores(b.busy - a.busy) };
  return { ...s, others: Math.max(0, s.machine - s.bench - s.workers - s.postgres - s.redis), machineBusyPct: b.total > a.total ? (100 * (b.busy - a.busy)) / (b.total - a.total) : NaN };
}

export function machineDescription(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}
