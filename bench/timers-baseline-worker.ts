// The baseline's worker process (bench/timers.ts, --baseline): a plain BullMQ Worker on the
// timer queue with the concurrency Camau's timer consumer uses, whose handler only records when
// it ran. No database, no engine: what is left is BullMQ's own delayed-job path on this machine.
//
// Prints "ready" once the worker listens; on SIGTERM closes it and writes its runs as JSON to
// CAMAU_BENCH_OUT.
import { writeFileSync } from 'node:fs';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { TIMERS } from '../workers/relay.js';

const out = process.env.CAMAU_BENCH_OUT;
const prefix = process.env.CAMAU_QUEUE_PREFIX;
if (!out || !prefix || !process.env.REDIS_URL) throw new Error('CAMAU_BENCH_OUT, CAMAU_QUEUE_PREFIX and REDIS_URL must be set');

/** [job id, handler start (epoch ms)] */
const runs: Array<[string, number]> = [];
const connection = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: null });
const worker = new Worker(TIMERS, async (job) => { runs.push([job.id!, Date.now()]); }, { connection, prefix, concurrency: 16 });
worker.on('error', () => undefined);
await worker.waitUntilReady();
process.stdout.write('ready\n');

process.once('SIGTERM', async () => {
  await worker.close();
  connection.disconnect();
  writeFileSync(out, JSON.stringify({ pid: process.pid, runs }));
  process.exit(0);
});
