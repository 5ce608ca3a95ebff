// Test databases: each test file gets its own database on the PostgreSQL server (created and
// dropped here), or its own in-memory PGlite. Both are migrated with the real migrations.
import { randomUUID } from 'node:crypto';
import knexFactory from 'knex';
import { Database } from '../../db/connection.js';
import { migrate } from '../../db/migrate.js';

export type Driver = 'pg' | 'pglite';
export const DRIVERS: Driver[] = ['pg', 'pglite'];

const serverUrl = () => process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDb {
  db: Database;
  /** A connection as the owner (the migrating user), for what only an owner could do. */
  ownerUrl?: string;
  drop(): Promise<void>;
}

export async function createTestDb(driver: Driver): Promise<TestDb> {
  if (driver === 'pglite') {
    const db = Database.open({ dataDir: 'memory' });
    await migrate(db.knex);
    return { db, drop: () => db.close() };
  }
  const base = new URL(serverUrl());
  const name = `camau_t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = knexFactory({ client: 'pg', connection: base.toString(), pool: { min: 0, max: 1 } });
  await admin.raw(`create database ${name}`);
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  const db = Database.open({ url: url.toString(), poolMax: 20 });
  await migrate(db.knex);
  return {
    db,
    ownerUrl: url.toString(),
    async drop() {
      await db.close();
      await admin.raw(`drop database if exists ${name} with (force)`);
      await admin.destroy();
    },
  };
}
