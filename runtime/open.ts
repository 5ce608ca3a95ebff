// Opening Camau's runtime from the environment: DATABASE_URL (PostgreSQL) or PGlite in
// CAMAU_DATA_DIR (default ./.camau). Used by the CLI, the server and the workers.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Database } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { systemClock } from './clock.js';
import { DefinitionCache } from './definitions.js';
import type { Runtime } from './runtime.js';
import { bundledMachines } from '../workflows/machines/index.js';
import { bundledCalendars } from '../workflows/calendars/runtime.js';

export function databaseFromEnv(env: NodeJS.ProcessEnv = process.env): Database {
  if (env.DATABASE_URL) return Database.open({ url: env.DATABASE_URL, poolMax: Number(env.CAMAU_DB_POOL ?? 10) });
  return Database.open({ dataDir: join(env.CAMAU_DATA_DIR ?? './.camau', 'pgdata') });
}

export async function openRuntime(env: NodeJS.ProcessEnv = process.env): Promise<Runtime> {
  const db = databaseFromEnv(env);
  await migrate(db.knex);
  return { db, clock: systemClock, definitions: new DefinitionCache(bundledMachines), newId: randomUUID, calendars: bundledCalendars };
}
