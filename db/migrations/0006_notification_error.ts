// Why a notification could not be sent (an unknown role, a refused address), for operators.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table notifications add column error text');
}
