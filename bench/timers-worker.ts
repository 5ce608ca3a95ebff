// A worker process for the timer benchmark (bench/timers.ts): the standard Camau workers
// (startWorkers: relay, reconciler, timer consumer) on the queues from the environment, with
// the queues wrapped so that every run of the timer handler and every timer job added (by the
// relay or the reconciler) is recorded. Nothing in the engine, runtime or workers is changed.
//
// On SIGTERM it stops the workers (active jobs finish) and writes what it recorded as JSON to
// CAMAU_BENCH_OUT, then exits. Prints "ready" once the workers run.
import { writeFileSync } from 'node:fs';
import { openRuntime } from '../runtime/open.js';
import { startWorkers } from '../workers/main.js';
import { queuesFromEnv } from '../workers/queues/open.js';
import { TIMERS } from '../workers/relay.js';
import type { Queues } from '../workers/queues/types.js';

/** One run of the timer handler: job id, start and end (epoch ms), and whether it threw. */
export type HandlerRun = [id: string, startMs: number, endMs: number, ok: 0 | 1];

export interface WorkerReport {
  pid: number;
  runs: HandlerRun[];
  /** Timer jobs added (relay and reconciler together), and the wall time spent in those calls. */
  timerAdds: number;
  timerAddMs: number;
  /** Errors the workers reported (relay, reconciler), by place. */
  errors: Record<string, number>;
  firstError?: string;
  /** CPU time of this process (ms), user + system, from start to stop. */
  cpuMs: number;
}

/** The queues, with the timer queue's adds (one by one or many at once) and handler runs recorded; everything else passes through. */
function recording(inner: Queues) {
  const rec = { runs: [] as HandlerRun[], timerAdds: 0, timerAddMs: 0 };
  const add: Queues['add'] = async (...args) => {
    if (args[0] !== TIMERS) return inner.add(...args);
    const t0 = performance.now();
    try {
      await inner.add(...args);
    } finally {
      rec.timerAdds++;
      rec.timerAddMs += performance.now() - t0;
    }
  };
  const addMany: Queues['addMany'] = async (...args) => {
    if (args[0] !== TIMERS) return inner.addMany(...args);
    const t0 = performance.now();
    try {
      await inner.addMany(...args);
    } finally {
      rec.timerAdds += args[1].length;
      rec.timerAddMs += performance.now() - t0;
    }
  };
  const consume: Queues['consume'] = (queue, handler, ...rest) => {
    if (queue !== TIMERS) return inner.consume(queue, handler, ...rest);
    inner.consume(queue, async (job) => {
      const start = Date.now();
      try {
        await handler(job);
        rec.runs.push([job.id, start, Date.now(), 1]);
      } catch (e) {
        rec.runs.push([job.id, start, Date.now(), 0]);
        throw e;
      }
    }, ...rest);
  };
  const queues = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'add') return add;
      if (prop === 'addMany') return addMany;
      if (prop === 'consume') return consume;
      const v: unknown = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { queues, rec };
}

const out = process.env.CAMAU_BENCH_OUT;
if (!out) throw new Error('CAMAU_BENCH_OUT is not set');
const cpu0 = process.cpuUsage();
const rt = await openRuntime();
const { queues, rec } = recording(queuesFromEnv(rt.db));
const errors: Record<string, number> = {};
let firstError: string | undefined;
const running = await startWorkers(rt, queues, {
  onError: (where, e) => {
    errors[where] = (errors[where] ?? 0) + 1;
    firstError ??= `${where}: ${e instanceof Error ? e.message : String(e)}`;
  },
});
process.stdout.write('ready\n');

process.once('SIGTERM', async () => {
  await running.stop();
  await rt.db.close();
  const cpu = process.cpuUsage(cpu0);
  const report: WorkerReport = {
    pid: process.pid,
    runs: rec.runs,
    timerAdds: rec.timerAdds,
    timerAddMs: Math.round(rec.timerAddMs),
    errors,
    ...(firstError ? { firstError } : {}),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
  };
  writeFileSync(out, JSON.stringify(report));
  process.exit(0);
});
