import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/connection.js';
import { ManualClock } from '../../runtime/clock.js';
import { DefinitionCache } from '../../runtime/definitions.js';
import type { Runtime } from '../../runtime/runtime.js';
import { exampleReview } from '../../workflows/machines/example-review.js';
import { bundledCalendars } from '../../workflows/calendars/runtime.js';

export function testRuntime(db: Database, start = '2026-11-02T09:00:00.000Z'): Runtime & { clock: ManualClock } {
  return { db, clock: new ManualClock(start), definitions: new DefinitionCache({ [exampleReview.id]: exampleReview }), newId: randomUUID, calendars: bundledCalendars };
}
