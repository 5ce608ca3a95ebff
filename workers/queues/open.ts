// The queue driver from the environment: BullMQ when REDIS_URL is set, else the embedded driver.
import type { Database } from '../../db/connection.js';
import { BullQueues } from './bullmq.js';
import { EmbeddedQueues } from './embedded.js';
import type { Queues } from './types.js';

export function queuesFromEnv(db: Database, env: NodeJS.ProcessEnv = process.env): Queues {
  const lockMs = env.CAMAU_JOB_LOCK_MS ? Number(env.CAMAU_JOB_LOCK_MS) : 30_000;
  if (env.REDIS_URL) return new BullQueues(env.REDIS_URL, env.CAMAU_QUEUE_PREFIX ?? 'camau', lockMs);
  return new EmbeddedQueues(db, { lockMs });
}
