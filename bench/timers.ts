// Timer benchmark: N timers (default 20,000) all due within the same 60 seconds, fired by real
// Camau worker processes (bench/timers-worker.ts: startWorkers with the BullMQ driver) — one
// worker process, then two, each run with its own database, fresh cases and its own Redis prefix.
//
// `npm run bench:timers [-- --json] [--timers=20000] [--workers=1,2] [--window=60] [--lead=20]
//                        [--grace=30] [--create-concurrency=8] [--quiet-wait=300] [--baseline=no]`
//
// Before each Camau run, a baseline with the same number of worker processes: the same N
// delayed jobs on plain BullMQ with a no-op handler (runBaseline below).
//
// Per run:
//  1. A database of its own (created, migrated, seeded; dropped at the end) with two models
//     deployed: start → timer (timeDate `=dueAt`) → end, and start → end for a pilot.
//  2. Pilot: a few hundred start → end cases, to estimate how long creating N cases will take.
//     Then, if other processes keep the machine busy, up to `quiet-wait` seconds of waiting.
//  3. The worker processes start (relay, reconciler, timer consumer; the engine's defaults).
//  4. N cases are started through runtime startCase (C at a time), each with a dueAt drawn
//     uniformly from a 60 s window that opens `lead` seconds after creation is expected to end.
//     The workers' relays move the scheduleTimer outbox rows to BullMQ as delayed jobs meanwhile.
//     An attempt whose creation runs to within min(10 s, lead / 2) of its window is discarded and
//     made again with more lead time (at most three attempts).
//  5. The window passes; then up to `grace` seconds for stragglers.
//  6. The workers get SIGTERM and report every run of the timer handler they made.
//
// Measured per timer: lateness = case_events.at of its `timer.fired` event − its due_at (the
// instant the engine stamps the firing; it is taken after the case row is locked, inside the
// command's transaction). Also from the workers' records: when the handler started (pickup)
// and when it returned (after commit). Lost = no `timer.fired` by the end of the grace period;
// duplicated = more than one `timer.fired` event for a timer; duplicate attempts = a timer job
// whose handler ran more than once (harmless, firing is idempotent, but work). Redis memory:
// INFO used_memory sampled every 250 ms, peak minus the value before the workers started; and
// MEMORY USAGE summed over the prefix's keys once all N jobs are delayed. CPU: cores' worth used
// during the window by this process, the workers, PostgreSQL and Redis (/proc).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { systemAccess } from '../db/access.js';
import { Database } from '../db/connection.js';
import { systemClock } from '../runtime/clock.js';
import { deployBpmn } from '../runtime/commands/deploy-definition.js';
import { startCase } from '../runtime/commands/start-case.js';
import { DefinitionCache } from '../runtime/definitions.js';
import type { Runtime } from '../runtime/runtime.js';
import { TIMER_LEAD_MS, TIMERS } from '../workers/relay.js';
import { percentile } from './durable-load.js';
import { createBenchDb, WORLD, type BenchDb } from './durable-world.js';
import { cpuBetween, machineDescription, sampleCpu, type CpuSample, type CpuShare } from './timers-sys.js';
import type { WorkerReport } from './timers-worker.js';

const args = process.argv.slice(2);
const flag = (name: string, dflt: string): string => {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : dflt;
};
const JSON_OUT = args.includes('--json');
const TIMER_COUNT = Number(flag('timers', '20000'));
const WORKER_RUNS = flag('workers', '1,2').split(',').map(Number);
const WINDOW_MS = Number(flag('window', '60')) * 1000;
const LEAD_MS = Number(flag('lead', '20')) * 1000;
const GRACE_MS = Number(flag('grace', '30')) * 1000;
const CREATE_CONCURRENCY = Number(flag('create-concurrency', '8'));
const QUIET_WAIT_MS = Number(flag('quiet-wait', '300')) * 1000;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const WORKER_SCRIPT = new URL('./timers-worker.ts', import.meta.url).pathname;
const BASELINE_SCRIPT = new URL('./timers-baseline-worker.ts', import.meta.url).pathname;
const BASELINE = flag('baseline', 'yes') !== 'no';

if (!(TIMER_COUNT > 0) || WORKER_RUNS.some((w) => !(w > 0)) || !(WINDOW_MS > 0) || !(LEAD_MS >= 2000)) throw new Error('bad arguments (--lead must be at least 2 s)');

const log = (line = '') => process.stdout.write(line + '\n');
const progress = (line: string) => process.stderr.write(`[bench:timers] ${line}\n`);
const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-GB', { minimumFractionDigits: d, maximumFractionDigits: d }) : '–');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const MiB = 2 ** 20;

const TIMER_KEY = 'bench-timer';
const NOOP_KEY = 'bench-noop';
const model = (key: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="${key}-defs" targetNamespace="https://camau.cymru/bench">
  <bpmn:process id="${key}" isExecutable="true">
${body}
  </bpmn:process>
</bpmn:definitions>
`;
/** start → intermediate timer (timeDate from the case variable dueAt) → end. */
const TIMER_MODEL = model(TIMER_KEY, `    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:intermediateCatchEvent id="wait">
      <bpmn:timerEventDefinition><bpmn:timeDate xsi:type="bpmn:tFormalExpression">=dueAt</bpmn:timeDate></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" />
    <bpmn:endEvent id="end" />`);
const NOOP_MODEL = model(NOOP_KEY, `    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="end" />
    <bpmn:endEvent id="end" />`);

// ---------------------------------------------------------------------------------------------
// Cleanup of everything this process made (worker processes, Redis keys, databases), also on ^C.

const cleanups = new Set<() => Promise<void>>();
async function cleanupAll(): Promise<void> {
  for (const c of [...cleanups].reverse()) {
    cleanups.delete(c);
    await c().catch((e) => progress(`cleanup failed: ${e instanceof Error ? e.message : String(e)}`));
  }
}
process.once('SIGINT', () => {
  progress('interrupted; cleaning up');
  void cleanupAll().finally(() => process.exit(130));
});

/** Deletes every key under `prefix:` (and nothing else). */
async function deletePrefix(redis: Redis, prefix: string): Promise<number> {
  let n = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) n += await redis.unlink(...keys);
  } while (cursor !== '0');
  return n;
}

/** Sum of MEMORY USAGE over the prefix's keys. */
async function prefixBytes(redis: Redis, prefix: string): Promise<{ keys: number; bytes: number }> {
  let keys = 0;
  let bytes = 0;
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (batch.length) {
      const p = redis.pipeline();
      for (const k of batch) p.call('MEMORY', 'USAGE', k, 'SAMPLES', '0');
      for (const [, v] of (await p.exec()) ?? []) bytes += Number(v ?? 0);
      keys += batch.length;
    }
  } while (cursor !== '0');
  return { keys, bytes };
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  const m = /^used_memory:(\d+)/m.exec(info);
  return m ? Number(m[1]) : NaN;
}

// ---------------------------------------------------------------------------------------------
// Worker processes.

interface Worker {
  child: ChildProcess;
  out: string;
}

/** A Camau worker process (timers-worker.ts) on the run's database, or the baseline's plain BullMQ worker (no database). */
function spawnWorker(db: BenchDb | undefined, prefix: string): Promise<Worker> {
  const out = join(os.tmpdir(), `camau-bench-timers-${randomUUID()}.json`);
  const child = spawn(process.execPath, ['--import', 'tsx', db ? WORKER_SCRIPT : BASELINE_SCRIPT], {
    env: { ...process.env, ...(db ? { DATABASE_URL: db.url } : {}), REDIS_URL, CAMAU_QUEUE_PREFIX: prefix, CAMAU_BENCH_OUT: out },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(out, { force: true });
  };
  cleanups.add(kill);
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (b: Buffer) => {
      buf += b.toString();
      if (buf.includes('ready')) resolve({ child, out });
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready`)));
  });
}

async function stopWorker<R = WorkerReport>(w: Worker): Promise<R> {
  const exited = new Promise<number | null>((resolve) => w.child.once('exit', (code) => resolve(code)));
  w.child.kill('SIGTERM');
  const code = await Promise.race([exited, sleep(60_000).then(() => 'timeout' as const)]);
  if (code !== 0) throw new Error(`worker ${w.child.pid} did not stop cleanly (${code})`);
  const report = JSON.parse(readFileSync(w.out, 'utf8')) as R;
  rmSync(w.out, { force: true });
  return report;
}

// ---------------------------------------------------------------------------------------------
// One run.

export interface RunResult {
  workers: number;
  timers: number;
  fired: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Timers fired per second between the first and the last `timer.fired`. */
  perSec: number;
  /** Most firings in any one second. */
  peakPerSec: number;
  lost: number;
  duplicated: number;
  duplicateAttempts: number;
  failedAttempts: number;
  /** From the workers' records: handler start − dueAt (p50/p99/max), handler return (after commit) − dueAt, handler duration. */
  pickup: { p50: number; p99: number; max: number };
  committed: { p50: number; p99: number; max: number };
  handler: { p50: number; p99: number; max: number };
  /** Share of timers fired more than 1 s late, and the latest-firing 1 s bucket of due times. */
  lateOver1s: number;
  creation: { ms: number; perSec: number; pilotPerSec: number };
  /** From the end of creation until every scheduleTimer row was relayed. */
  relayLagMs: number;
  /** How long before the window opened creation and relaying were done. */
  slackMs: number;
  redis: { baseline: number; peakDelta: number; prefixKeys: number; prefixBytes: number; delayedAtWindow: number };
  cpu?: CpuShare;
  /** Cores' worth of CPU used by other processes on the machine in 2 s before the workers started. */
  othersBefore: number;
  workerReports: Array<Omit<WorkerReport, 'runs'> & { runs: number }>;
  /** Per second of the window: timers due, timers fired (by event time). */
  timeline: Array<{ s: number; due: number; fired: number; p99Ms: number }>;
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), max: s.length ? s[s.length - 1] : NaN };
};

/** Creation (and relaying) did not end in time before the window: the attempt is discarded. */
class Overrun extends Error {
  constructor(readonly createdPerSec: number) {
    super(`creation ran into the window (${Math.round(createdPerSec)} cases/s)`);
  }
}

/** Waits (up to `maxMs`) until other processes use less than `threshold` cores over 3 s; returns what they used last. */
async function quietMachine(database: string, maxMs: number, threshold = 0.3): Promise<number> {
  const until = Date.now() + maxMs;
  let waited = false;
  for (;;) {
    const a = sampleCpu([], database);
    await sleep(3_000);
    const others = cpuBetween(a, sampleCpu([], database)).others;
    if (others < threshold || Date.now() > until) {
      if (others >= threshold) progress(`the machine is still busy (${fmt(others, 2)} cores used by other processes); going ahead`);
      return others;
    }
    if (!waited) progress(`other processes use ${fmt(others, 2)} cores; waiting up to ${fmt(maxMs / 1000)} s for a quieter machine`);
    waited = true;
  }
}

async function runOnce(workers: number, n: number, knownPerSec?: number): Promise<RunResult> {
  progress(`run with ${workers} worker process(es), ${n} timers: creating the database`);
  const db = await createBenchDb();
  const dropDb = () => db.drop();
  cleanups.add(dropDb);
  const database = Database.open({ url: db.url, poolMax: CREATE_CONCURRENCY });
  const closeDb = () => database.close();
  cleanups.add(closeDb);
  const rt: Runtime = { db: database, clock: systemClock, definitions: new DefinitionCache(), newId: randomUUID };
  const access = systemAccess('timer benchmark');
  for (const src of [TIMER_MODEL, NOOP_MODEL]) {
    const d = await deployBpmn(rt, src, 'bench');
    if (!d.ok) throw new Error(`deploy: ${d.error.message}`);
  }

  const prefix = `camau-bench-${randomBytes(6).toString('hex')}`;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(TIMERS, { connection: redis, prefix });
  const closeRedis = async () => {
    await deletePrefix(redis, prefix);
    await queue.close();
    redis.disconnect();
  };
  cleanups.add(closeRedis);

  const start = async (key: string, variables: Record<string, unknown>) => {
    const r = await startCase(rt, access, { definitionKey: key, schoolId: WORLD.school, variables, actor: { system: 'timer benchmark' } });
    if (!r.ok) throw new Error(`startCase: ${r.error.message}`);
    return r.value.caseId;
  };
  const inParallel = async (count: number, fn: (i: number) => Promise<unknown>) => {
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(CREATE_CONCURRENCY, count) }, async () => {
      for (let i = next++; i < count; i = next++) await fn(i);
    }));
  };

  // Pilot: how fast does this machine start cases (no workers yet)?
  const pilotN = Math.max(200, Math.min(1000, Math.round(n / 20)));
  await inParallel(100, () => start(NOOP_KEY, {})); // warm up: the pool, the definition cache, the JIT
  const p0 = performance.now();
  await inParallel(pilotN, () => start(NOOP_KEY, {}));
  const pilotPerSec = (pilotN * 1000) / (performance.now() - p0);

  // What else runs on the machine (other users of PostgreSQL, other processes) just before the workers start.
  const othersBefore = await quietMachine(db.name, QUIET_WAIT_MS);
  const baseline = await usedMemory(redis);
  progress(`pilot: ${fmt(pilotPerSec)} cases/s; starting ${workers} worker process(es)`);
  const procs = await Promise.all(Array.from({ length: workers }, () => spawnWorker(db, prefix)));
  const pids = procs.map((w) => w.child.pid!);

  let peak = baseline;
  const sampler = setInterval(() => {
    void usedMemory(redis).then((m) => { if (m > peak) peak = m; }).catch(() => undefined);
  }, 250);
  const stopSampler = async () => clearInterval(sampler);
  cleanups.add(stopSampler);

  // The window opens `lead` after creation is expected to end. Starting a case with a timer
  // costs more than the pilot's start → end, and the relays run alongside: allow twice the
  // pilot's time (or 1.5 times that of an earlier attempt that ran into its window). Should
  // creation still come within min(10 s, lead / 2) of the window, the attempt is abandoned and made again.
  const t0 = Date.now();
  const expectedCreateMs = knownPerSec ? (1.5 * n * 1000) / knownPerSec : (2 * n * 1000) / pilotPerSec;
  const windowStart = Math.ceil((t0 + expectedCreateMs + LEAD_MS) / 1000) * 1000;
  const windowEnd = windowStart + WINDOW_MS;
  progress(`creating ${n} cases (window opens in ${fmt((windowStart - t0) / 1000, 1)} s)`);
  const c0 = performance.now();
  let created = 0;
  let overrun = false;
  // Abandoned as soon as the pace so far says creation will not end `margin` before the window.
  const margin = Math.min(10_000, LEAD_MS / 2);
  const willOverrun = () => {
    const now = Date.now();
    if (now > windowStart - margin) return true;
    if (created < n / 10) return false;
    return now + ((n - created) * (performance.now() - c0)) / created > windowStart - margin;
  };
  await inParallel(n, async () => {
    if (overrun || (overrun = willOverrun())) return;
    await start(TIMER_KEY, { dueAt: new Date(windowStart + Math.random() * WINDOW_MS).toISOString() });
    created++;
  });
  const createMs = performance.now() - c0;
  if (overrun) {
    await Promise.all(procs.map((w) => stopWorker(w).catch(() => undefined)));
    await stopSampler();
    for (const c of [stopSampler, closeRedis, closeDb, dropDb]) {
      cleanups.delete(c);
      await c();
    }
    throw new Overrun(created >= 100 ? (created * 1000) / createMs : pilotPerSec / 2);
  }
  progress(`created in ${fmt(createMs / 1000, 1)} s (${fmt((n * 1000) / createMs)} cases/s); waiting for the relay`);

  const pendingOutbox = async () => Number((await db.owner('outbox').where({ status: 'pending', kind: 'scheduleTimer' }).count<{ n: string }[]>('* as n'))[0].n);
  const r0 = performance.now();
  while ((await pendingOutbox()) > 0) {
    if (Date.now() > windowEnd) break;
    await sleep(100);
  }
  const relayLagMs = performance.now() - r0;
  const slackMs = windowStart - Date.now();
  const counts = await queue.getJobCounts('delayed', 'waiting', 'active');
  progress(`relayed ${fmt(relayLagMs)} ms after creation; ${counts.delayed} delayed jobs; window opens in ${fmt(slackMs / 1000, 1)} s`);
  if (slackMs < 2_000) progress(`WARNING: creation and relaying ended only ${fmt(slackMs)} ms before the window; the run is not clean`);
  // The prefix's keys, measured while every job waits (only if there is time to spare before the window).
  const keyMem = slackMs > 5_000 ? await prefixBytes(redis, prefix) : { keys: NaN, bytes: NaN };

  await sleep(windowStart - Date.now());
  const cpuStart: CpuSample = sampleCpu(pids, db.name);
  progress('window open');
  await sleep(windowEnd - Date.now());
  const cpuEnd: CpuSample = sampleCpu(pids, db.name);
  const firedCount = async () => Number((await db.owner('timers').where({ status: 'fired' }).count<{ n: string }[]>('* as n'))[0].n);
  let fired = await firedCount();
  progress(`window closed: ${fired} of ${n} fired`);
  while (fired < n && Date.now() < windowEnd + GRACE_MS) {
    await sleep(500);
    fired = await firedCount();
  }
  await stopSampler();
  cleanups.delete(stopSampler);
  progress(`${fired} of ${n} fired; stopping the workers`);
  const reports = await Promise.all(procs.map(stopWorker));

  // Every timer, its due time and its timer.fired events.
  const rows = (await db.owner.raw(`
    select t.case_id, (extract(epoch from t.due_at) * 1000)::float8 as due,
           coalesce((select array_agg((extract(epoch from e.at) * 1000)::float8 order by e.seq)
                     from case_events e where e.case_id = t.case_id and e.type = 'timer.fired'), '{}') as fired
    from timers t`)).rows as Array<{ case_id: string; due: number; fired: number[] }>;
  if (rows.length !== n) throw new Error(`expected ${n} timers in the database, found ${rows.length}`);

  const lateness: number[] = [];
  let lost = 0;
  let duplicated = 0;
  const firedAt: number[] = [];
  const dueByCase = new Map<string, number>();
  const timeline = Array.from({ length: Math.ceil(WINDOW_MS / 1000) }, (_, s) => ({ s, due: 0, fired: 0, late: [] as number[] }));
  for (const r of rows) {
    dueByCase.set(r.case_id, r.due);
    if (r.fired.length === 0) { lost++; continue; }
    if (r.fired.length > 1) duplicated++;
    const late = r.fired[0] - r.due;
    lateness.push(late);
    firedAt.push(r.fired[0]);
    const bucket = timeline[Math.min(timeline.length - 1, Math.max(0, Math.floor((r.due - windowStart) / 1000)))];
    bucket.due++;
    bucket.late.push(late);
    const fb = timeline[Math.floor((r.fired[0] - windowStart) / 1000)];
    if (fb) fb.fired++;
  }
  const late = stats(lateness);
  firedAt.sort((a, b) => a - b);
  const span = firedAt.length > 1 ? (firedAt[firedAt.length - 1] - firedAt[0]) / 1000 : NaN;
  const perSecond = new Map<number, number>();
  for (const f of firedAt) perSecond.set(Math.floor(f / 1000), (perSecond.get(Math.floor(f / 1000)) ?? 0) + 1);

  // The workers' records: first successful handler run per timer; runs per job id.
  const runsById = new Map<string, number>();
  let failedAttempts = 0;
  const firstOk = new Map<string, [number, number]>();
  for (const rep of reports) {
    for (const [id, s, e, ok] of rep.runs) {
      runsById.set(id, (runsById.get(id) ?? 0) + 1);
      if (!ok) { failedAttempts++; continue; }
      const prev = firstOk.get(id);
      if (!prev || s < prev[0]) firstOk.set(id, [s, e]);
    }
  }
  let duplicateAttempts = 0;
  for (const c of runsById.values()) if (c > 1) duplicateAttempts += c - 1;
  const pickup: number[] = [];
  const committed: number[] = [];
  const handler: number[] = [];
  for (const [id, [s, e]] of firstOk) {
    // job id = t_<caseId>_<timerId>
    const due = dueByCase.get(id.split('_')[1]);
    if (due === undefined) continue;
    pickup.push(s - due);
    committed.push(e - due);
    handler.push(e - s);
  }

  const result: RunResult = {
    workers,
    timers: n,
    fired: lateness.length,
    p50Ms: Math.round(late.p50),
    p90Ms: Math.round(percentile([...lateness].sort((a, b) => a - b), 90)),
    p99Ms: Math.round(late.p99),
    maxMs: Math.round(late.max),
    perSec: Math.round(lateness.length / span),
    peakPerSec: Math.max(0, ...perSecond.values()),
    lost,
    duplicated,
    duplicateAttempts,
    failedAttempts,
    pickup: stats(pickup),
    committed: stats(committed),
    handler: stats(handler),
    lateOver1s: lateness.filter((x) => x >= 1000).length,
    creation: { ms: createMs, perSec: (n * 1000) / createMs, pilotPerSec },
    relayLagMs,
    slackMs,
    redis: { baseline, peakDelta: peak - baseline, prefixKeys: keyMem.keys, prefixBytes: keyMem.bytes, delayedAtWindow: counts.delayed ?? NaN },
    ...(cpuEnd.total ? { cpu: cpuBetween(cpuStart, cpuEnd) } : {}),
    othersBefore,
    workerReports: reports.map(({ runs, ...rest }) => ({ ...rest, runs: runs.length })),
    timeline: timeline.map((b) => ({ s: b.s, due: b.due, fired: b.fired, p99Ms: Math.round(percentile(b.late.sort((x, y) => x - y), 99)) })),
  };

  for (const c of [closeRedis, closeDb, dropDb]) {
    cleanups.delete(c);
    await c();
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Baseline: the same N delayed jobs, due in the same kind of window, on plain BullMQ (addBulk,
// a Worker with concurrency 16 whose handler only notes the time; timers-baseline-worker.ts):
// the lateness BullMQ's delayed jobs themselves have on this machine, below which Camau cannot go.

export interface BaselineResult {
  workers: number;
  timers: number;
  /** Handler start − due time. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  perSec: number;
  lost: number;
  duplicated: number;
  addMs: number;
  othersBefore: number;
}

async function runBaseline(workers: number, n: number): Promise<BaselineResult> {
  progress(`baseline with ${workers} plain BullMQ worker process(es), ${n} delayed jobs`);
  const othersBefore = await quietMachine('', QUIET_WAIT_MS);
  const prefix = `camau-bench-${randomBytes(6).toString('hex')}`;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(TIMERS, { connection: redis, prefix });
  const close = async () => {
    await deletePrefix(redis, prefix);
    await queue.close();
    redis.disconnect();
  };
  cleanups.add(close);
  const procs = await Promise.all(Array.from({ length: workers }, () => spawnWorker(undefined, prefix)));
  // Adding 20,000 jobs in 1,000s takes a second or two; the window opens `lead` later.
  const windowStart = Math.ceil((Date.now() + LEAD_MS) / 1000) * 1000;
  const due = Array.from({ length: n }, () => windowStart + Math.random() * WINDOW_MS);
  const a0 = performance.now();
  for (let i = 0; i < n; i += 1000) {
    const now = Date.now();
    await queue.addBulk(due.slice(i, i + 1000).map((d, k) => ({
      name: TIMERS, data: { i: i + k }, opts: { jobId: `b_${i + k}`, delay: Math.max(0, Math.round(d - now)), attempts: 5, removeOnComplete: true },
    })));
  }
  const addMs = performance.now() - a0;
  await sleep(windowStart + WINDOW_MS - Date.now());
  const left = async () => Object.values(await queue.getJobCounts('delayed', 'waiting', 'active', 'prioritized')).reduce((a, b) => a + b, 0);
  while ((await left()) > 0 && Date.now() < windowStart + WINDOW_MS + GRACE_MS) await sleep(500);
  const reports = await Promise.all(procs.map((w) => stopWorker<{ runs: Array<[string, number]> }>(w)));
  cleanups.delete(close);
  await close();

  const first = new Map<number, number>();
  let duplicated = 0;
  for (const r of reports) {
    for (const [id, at] of r.runs) {
      const i = Number(id.slice(2));
      if (first.has(i)) duplicated++;
      else first.set(i, at);
      if (first.get(i)! > at) first.set(i, at);
    }
  }
  const late = [...first].map(([i, at]) => at - due[i]);
  const s = stats(late);
  const starts = [...first.values()].sort((a, b) => a - b);
  return {
    workers, timers: n, p50Ms: Math.round(s.p50), p99Ms: Math.round(s.p99), maxMs: Math.round(s.max),
    perSec: Math.round(first.size / ((starts[starts.length - 1] - starts[0]) / 1000)),
    lost: n - first.size, duplicated, addMs, othersBefore,
  };
}

// ---------------------------------------------------------------------------------------------
// Report.

function printRun(r: RunResult): void {
  const ms = (x: number) => fmt(Math.round(x));
  const trio = (s: { p50: number; p99: number; max: number }) => `${ms(s.p50)} / ${ms(s.p99)} / ${ms(s.max)}`;
  log(`## ${r.workers} worker process${r.workers > 1 ? 'es' : ''}, ${fmt(r.timers)} timers`);
  log();
  log('| measure | value |');
  log('|---|---|');
  log(`| creation (startCase, ${CREATE_CONCURRENCY} at a time, workers relaying) | ${fmt(r.creation.ms / 1000, 1)} s, ${fmt(r.creation.perSec)} cases/s (pilot start→end: ${fmt(r.creation.pilotPerSec)}/s) |`);
  log(`| relay done after creation | ${ms(r.relayLagMs)} ms; ${fmt(r.redis.delayedAtWindow)} delayed jobs; window opened ${fmt(r.slackMs / 1000, 1)} s later |`);
  log(`| fired / lost / duplicated | ${fmt(r.fired)} / ${fmt(r.lost)} / ${fmt(r.duplicated)} |`);
  log(`| lateness p50 / p90 / p99 / max (timer.fired at − dueAt) | ${ms(r.p50Ms)} / ${ms(r.p90Ms)} / ${ms(r.p99Ms)} / ${ms(r.maxMs)} ms |`);
  log(`| fired ≥ 1 s late | ${fmt(r.lateOver1s)} (${fmt((100 * r.lateOver1s) / Math.max(1, r.fired), 1)} %) |`);
  log(`| handler start − dueAt p50 / p99 / max (a job is taken ${TIMER_LEAD_MS} ms early and waits for its instant) | ${trio(r.pickup)} ms |`);
  log(`| handler return (committed) − dueAt p50 / p99 / max | ${trio(r.committed)} ms |`);
  log(`| handler duration p50 / p99 / max (with that wait) | ${trio(r.handler)} ms |`);
  log(`| timers/s (first to last firing) / best second | ${fmt(r.perSec)} / ${fmt(r.peakPerSec)} |`);
  log(`| duplicate handler runs / failed attempts | ${fmt(r.duplicateAttempts)} / ${fmt(r.failedAttempts)} |`);
  log(`| Redis used_memory: peak − before | ${fmt(r.redis.peakDelta / MiB, 1)} MiB (${fmt(r.redis.peakDelta / r.timers)} B per timer) |`);
  log(`| Redis MEMORY USAGE of the prefix's keys, all jobs delayed | ${Number.isFinite(r.redis.prefixBytes) ? `${fmt(r.redis.prefixBytes / MiB, 1)} MiB in ${fmt(r.redis.prefixKeys)} keys (${fmt(r.redis.prefixBytes / r.timers)} B per timer)` : 'not measured (no time before the window)'} |`);
  if (r.cpu) {
    const c = r.cpu;
    log(`| CPU in the window, cores (of ${os.cpus().length}) | workers ${fmt(c.workers, 2)}, PostgreSQL ${fmt(c.postgres, 2)}, Redis ${fmt(c.redis, 2)}, bench ${fmt(c.bench, 2)}, other users of the machine ${fmt(c.others, 2)} (${fmt(r.othersBefore, 2)} before the run); machine ${fmt(c.machineBusyPct)} % busy |`);
  }
  if (r.slackMs < 2_000) log(`| WARNING | creation and relaying ended only ${fmt(r.slackMs)} ms before the window opened: the window overlapped them |`);
  if ((r.cpu?.others ?? 0) > 0.25) log(`| WARNING | other processes used ${fmt(r.cpu!.others, 2)} cores during the window: these figures are pessimistic |`);
  for (const w of r.workerReports) {
    const errs = Object.entries(w.errors).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
    log(`| worker ${w.pid} | ${fmt(w.runs)} handler runs; ${fmt(w.timerAdds)} timer jobs added in ${fmt(w.timerAddMs)} ms (relay + reconciler); CPU ${fmt(w.cpuMs / 1000, 1)} s; errors: ${errs}${w.firstError ? ` (${w.firstError})` : ''} |`);
  }
  log();
  // The window in 10 s slices: due, fired, p99 lateness of the timers due in it.
  log('| window slice | due | fired (by event time) | p99 lateness of those due (ms) |');
  log('|---|---|---|---|');
  for (let s = 0; s < r.timeline.length; s += 10) {
    const slice = r.timeline.slice(s, s + 10);
    const due = slice.reduce((a, b) => a + b.due, 0);
    const firedN = slice.reduce((a, b) => a + b.fired, 0);
    log(`| ${s}–${s + slice.length} s | ${fmt(due)} | ${fmt(firedN)} | ${fmt(Math.max(...slice.map((b) => b.p99Ms)))} (worst second) |`);
  }
  log();
  log(`Fired in each second of the window: ${r.timeline.map((b) => b.fired).join(' ')}`);
  log(`p99 lateness (ms) of the timers due in each second: ${r.timeline.map((b) => b.p99Ms).join(' ')}`);
  log();
}

/** Camau next to the baseline (plain BullMQ, same jobs) and the peer, which keeps no durable timers. */
function printComparison(results: RunResult[], baselines: BaselineResult[]): void {
  log('## Camau and the baseline');
  log();
  log('| workers | system | timers | lateness p50 / p99 / max (ms) | timers/s | lost | duplicated | Redis memory |');
  log('|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const b = baselines.find((x) => x.workers === r.workers);
    if (b) log(`| ${b.workers} | plain BullMQ delayed jobs, no-op handler (handler start − due) | ${fmt(b.timers)} | ${fmt(b.p50Ms)} / ${fmt(b.p99Ms)} / ${fmt(b.maxMs)} | ${fmt(b.perSec)} | ${fmt(b.lost)} | ${fmt(b.duplicated)} | – |`);
    log(`| ${r.workers} | Camau (timer.fired − due; handler start − due: ${fmt(r.pickup.p50)} / ${fmt(r.pickup.p99)} / ${fmt(r.pickup.max)}) | ${fmt(r.timers)} | ${fmt(r.p50Ms)} / ${fmt(r.p99Ms)} / ${fmt(r.maxMs)} | ${fmt(r.perSec)} | ${fmt(r.lost)} | ${fmt(r.duplicated)} | ${fmt(r.redis.peakDelta / MiB, 1)} MiB peak over baseline |`);
  }
  log();
  if (baselines.length) log(`Baseline jobs added with addBulk in ${baselines.map((b) => `${fmt(b.addMs)} ms`).join(' and ')}; other processes used ${baselines.map((b) => fmt(b.othersBefore, 2)).join(' and ')} cores before they started.`);
  log('The peer, bpmn-engine, keeps a timer as a setTimeout in the process that runs the instance: it has no durable timers, none that survive a restart or run in a second process, so it has no figure for this workload; the baseline above is the limit a durable queue sets here.');
  log();
}

async function main(): Promise<void> {
  const probe = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const redisVersion = /^redis_version:(.+)$/m.exec(await probe.info('server'))?.[1]?.trim() ?? '?';
  probe.disconnect();
  const admin = Database.open({ url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', poolMax: 1 });
  const pgVersion = String((await admin.knex.raw('show server_version')).rows[0].server_version);
  await admin.close();
  const bullVersion = (JSON.parse(readFileSync(new URL('../node_modules/bullmq/package.json', import.meta.url), 'utf8')) as { version: string }).version;

  log('# Camau timer benchmark');
  log();
  log(`Workload: ${fmt(TIMER_COUNT)} cases of start → timer (timeDate = dueAt) → end, each dueAt uniform in one ${WINDOW_MS / 1000} s window that opens ≥ ${LEAD_MS / 1000} s after the cases are created (startCase, ${CREATE_CONCURRENCY} at a time) and relayed to BullMQ as delayed jobs by the workers. Runs with ${WORKER_RUNS.join(', then ')} worker process(es) (startWorkers with engine defaults: at most 16 timers firing at once per worker, timer jobs ready ${TIMER_LEAD_MS} ms early, relay batch 200, database pool CAMAU_DB_POOL=${process.env.CAMAU_DB_POOL ?? '10'}), each with a fresh database and Redis prefix. Lateness = case_events.at of timer.fired − dueAt; lost = not fired ${GRACE_MS / 1000} s after the window.`);
  log();
  log(`Machine: ${machineDescription()}; PostgreSQL ${pgVersion}, Redis ${redisVersion}, BullMQ ${bullVersion}. PostgreSQL, Redis, this process and the workers share the machine.`);
  log();

  const results: RunResult[] = [];
  const baselines: BaselineResult[] = [];
  try {
    for (const w of WORKER_RUNS) {
      if (BASELINE) baselines.push(await runBaseline(w, TIMER_COUNT));
      let knownPerSec: number | undefined;
      for (let attempt = 1; ; attempt++) {
        try {
          const r = await runOnce(w, TIMER_COUNT, knownPerSec);
          results.push(r);
          printRun(r);
          break;
        } catch (e) {
          if (!(e instanceof Overrun) || attempt >= 3) throw e;
          progress(`${e.message}: discarded; trying again with more lead time`);
          knownPerSec = Math.min(knownPerSec ?? Infinity, e.createdPerSec);
        }
      }
    }
  } finally {
    await cleanupAll();
  }
  printComparison(results, baselines);
  const ok = results.every((r) => r.p99Ms < 1000 && r.lost === 0 && r.duplicated === 0);
  log(`Target (p99 < 1 s, none lost, none duplicated): ${ok ? 'met' : 'NOT met'} — ${results.map((r) => `${r.workers} worker(s): p99 ${fmt(r.p99Ms)} ms, lost ${r.lost}, duplicated ${r.duplicated}`).join('; ')}`);
  if (JSON_OUT) {
    log(JSON.stringify({ runs: results.map((r) => ({ workers: r.workers, timers: r.timers, p50Ms: r.p50Ms, p99Ms: r.p99Ms, maxMs: r.maxMs, perSec: r.perSec, lost: r.lost, duplicated: r.duplicated })) }));
  }
}

await main();
