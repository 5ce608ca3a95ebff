// The physical limit the durable benchmark compares against: one transaction that inserts a
// row and updates it (BEGIN; INSERT ... RETURNING id; UPDATE ... WHERE id = $1; COMMIT), through
// the same knex + pg pool as the runtime, on the same database. Four round trips and one
// WAL flush at commit: the least any durable command that creates or changes state must pay.
import type { Knex } from 'knex';

export async function createRawTable(knex: Knex): Promise<void> {
  await knex.raw(`create table if not exists bench_raw (
    id bigserial primary key,
    worker integer not null,
    n integer not null,
    status text not null,
    updated_at timestamptz not null
  )`);
}

export async function rawTx(knex: Knex, worker: number, n: number): Promise<void> {
  await knex.transaction(async (trx) => {
    const [row] = await trx('bench_raw').insert({ worker, n, status: 'open', updated_at: new Date() }).returning('id');
    await trx('bench_raw').where({ id: (row as { id: string }).id }).update({ status: 'done', updated_at: new Date() });
  });
}
