import type { Database } from './connection.js';

/** A round trip to the database, for readiness checks. */
export async function sql(db: Database): Promise<void> {
  await db.knex.raw('select 1');
}
