// Each case records, once, which LA's term dates it counts school days in.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table cases add column calendar_la text');
}
