// Shared test data. England and Wales bank holidays from shared/domain/PRIMER.md ("Time").
import { workingDays, type Duration } from '../../../engine/time/index.js';

export const bankHolidays2026 = ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28'];
export const bankHolidays2027 = ['2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28'];

export const workingDays2026to2027 = workingDays([...bankHolidays2026, ...bankHolidays2027], { from: '2026-01-01', to: '2027-12-31' });
export const workingDays2026 = workingDays(bankHolidays2026, { from: '2026-01-01', to: '2026-12-31' });

export function duration(parts: Partial<Duration>): Duration {
  return { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0, ...parts };
}
