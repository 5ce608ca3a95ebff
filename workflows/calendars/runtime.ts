// The calendars Camau ships, as the runtime uses them: an LA follows the term dates listed
// under its name (English or Welsh); a case counts school days in its LA's and school's dates.
import type { Runtime } from '../../runtime/runtime.js';
import { calendarsFor, laKeyForName } from './index.js';

export const bundledCalendars: NonNullable<Runtime['calendars']> = {
  keyFor: (la) => laKeyForName(la.name) ?? (la.name_cy ? laKeyForName(la.name_cy) : undefined),
  host: (owner) => calendarsFor({ laId: owner.la, schoolId: owner.school }),
};
