// What the Prometheus gauges read at scrape time (api/metrics.ts), as the system.
import type { Knex } from 'knex';

/** Open tasks, and how many of them are past their due date. */
export async function openTaskCounts(trx: Knex): Promise<{ open: number; overdue: number }> {
  const [row] = await trx('tasks').where({ status: 'open' }).select(trx.raw('count(*) as open'), trx.raw('count(*) filter (where due_at < now()) as overdue'));
  return { open: Number(row.open), overdue: Number(row.overdue) };
}

export async function openIncidentCount(trx: Knex): Promise<number> {
  const [row] = await trx('incidents').where({ status: 'open' }).count<{ count: string }[]>('* as count');
  return Number(row.count);
}

/** Outbox rows not yet relayed. */
export async function pendingOutboxCount(trx: Knex): Promise<number> {
  const [row] = await trx('outbox').where({ status: 'pending' }).count<{ count: string }[]>('* as count');
  return Number(row.count);
}
