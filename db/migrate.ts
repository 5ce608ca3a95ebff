// Runs the forward-only migrations. The list is explicit (no directory scan), so a build or
// a bundle cannot silently drop one.
import type { Knex } from 'knex';
import * as m0001 from './migrations/0001_initial.js';
import * as m0002 from './migrations/0002_jobs_notifications_queue.js';
import * as m0003 from './migrations/0003_case_calendar.js';
import * as m0004 from './migrations/0004_school_scope.js';
import * as m0005 from './migrations/0005_idempotency.js';
import * as m0006 from './migrations/0006_notification_error.js';
import * as m0007 from './migrations/0007_school_people_idempotent_headers.js';
import * as m0008 from './migrations/0008_case_child_visibility.js';
import * as m0009 from './migrations/0009_command_functions.js';
import * as m0010 from './migrations/0010_api_paths.js';
import * as m0011 from './migrations/0011_la_settings.js';

const MIGRATIONS: Array<[string, { up(k: Knex): Promise<void> }]> = [
  ['0001_initial', m0001],
  ['0002_jobs_notifications_queue', m0002],
  ['0003_case_calendar', m0003],
  ['0004_school_scope', m0004],
  ['0005_idempotency', m0005],
  ['0006_notification_error', m0006],
  ['0007_school_people_idempotent_headers', m0007],
  ['0008_case_child_visibility', m0008],
  ['0009_command_functions', m0009],
  ['0010_api_paths', m0010],
  ['0011_la_settings', m0011],
];

const source: Knex.MigrationSource<string> = {
  getMigrations: async () => MIGRATIONS.map(([name]) => name),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const m = MIGRATIONS.find(([n]) => n === name)![1];
    return { up: m.up, down: async () => { throw new Error('Camau migrations are forward only'); } };
  },
};

export async function migrate(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest({ migrationSource: source, tableName: 'camau_migrations' })) as [number, string[]];
  return applied;
}
