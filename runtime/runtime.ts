// What every runtime command needs: the database, the clock, compiled definitions and the
// pure services lent to the engine (calendars).
import type { Database } from '../db/connection.js';
import type { EngineHost } from '../engine/index.js';
import type { OrganisationRow } from '../db/repositories/organisations.js';
import type { Clock } from './clock.js';
import type { DefinitionCache } from './definitions.js';

export interface Runtime {
  db: Database;
  clock: Clock;
  definitions: DefinitionCache;
  host?: EngineHost;
  /** Working-day and school-day calendars: which term dates an LA follows, and the calendars of one case. */
  calendars?: {
    keyFor(la: OrganisationRow): string | undefined;
    host(owner: { la?: string; school?: string }): EngineHost['calendar'];
  };
  /** Case ids; injectable so tests can predict them. */
  newId(): string;
}
