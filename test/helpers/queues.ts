// Queue drivers for tests: BullMQ on the local Redis under a prefix of its own (removed
// afterwards), or the embedded driver on the test database.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Database } from '../../db/connection.js';
import { BullQueues } from '../../workers/queues/bullmq.js';
import { EmbeddedQueues } from '../../workers/queues/embedded.js';
import type { Queues } from '../../workers/queues/types.js';

export type QueueDriver = 'bullmq' | 'embedded';
export const QUEUE_DRIVERS: QueueDriver[] = ['bullmq', 'embedded'];

export const redisUrl = () => process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestQueues {
  queues: Queues;
  prefix: string;
  /** A fresh driver on the same store (a restarted worker process). */
  reopen(): Queues;
  cleanup(): Promise<void>;
}

export function createTestQueues(driver: QueueDriver, db: Database): TestQueues {
  const prefix = `camau-test-${randomUUID().slice(0, 8)}`;
  const open = (): Queues => (driver === 'bullmq' ? new BullQueues(redisUrl(), prefix) : new EmbeddedQueues(db, { pollMs: 20 }));
  const queues = open();
  return {
    queues,
    prefix,
    reopen: open,
    async cleanup() {
      await queues.close();
      if (driver === 'bullmq') await flushPrefix(prefix);
    },
  };
}

/** Deletes every Redis key of a test's prefix (never anything else). */
export async function flushPrefix(prefix: string): Promise<void> {
  const redis = new Redis(redisUrl());
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` holds (or fails after `ms`). */
export async function eventually(check: () => Promise<boolean> | boolean, ms = 10_000, every = 50): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error('condition not reached in time');
    await sleep(every);
  }
}
