// The monitoring reports of GET /api/v1/reports/* (the same queries: db/repositories/reports.ts),
// with the page's LA and school filters and each stage's name. Region views cover the LAs of the
// caller's regions; the Welsh Government's covers Wales by procedure and LA only (never a
// school, a name or a case).
import type { Knex } from 'knex';
import { systemAccess } from '../../db/access.js';
import { allLas, lasOf, openCases, overdueTasks, schoolsOf, signoffTurnaround, stages, stageTimes, type ReportRow } from '../../db/repositories/reports.js';
import type { UserAccess } from '../../runtime/access.js';
import type { Runtime } from '../../runtime/runtime.js';
import { holds } from '../../api/permissions.js';

export interface ReportScope {
  las: string[] | 'all';
  national: boolean;
}

export interface ReportFilter {
  la?: string;
  school?: string;
}

export type Row = ReportRow;

export async function reportScope(trx: Knex, user: UserAccess): Promise<ReportScope | undefined> {
  if (holds(user, 'reports.national')) return { las: 'all', national: true };
  if (!holds(user, 'reports.region')) return undefined;
  const regions = user.roles.filter((r) => r.kind === 'region').map((r) => r.organisationId);
  return { las: await lasOf(trx, regions), national: false };
}

/** Counts and medians as numbers (PostgreSQL's bigint and numeric arrive as text). */
const num = (rows: Row[], ...keys: string[]) => rows.map((r) => ({ ...r, ...Object.fromEntries(keys.map((k) => [k, r[k] === null ? null : Number(r[k])])) }));

export async function reports(rt: Runtime, user: UserAccess, f: ReportFilter, now: string) {
  return rt.db.transaction(systemAccess('web: reports'), async (trx) => {
    const s = await reportScope(trx, user);
    if (!s) return undefined;
    const las: string[] = s.las === 'all' ? await allLas(trx) : s.las;
    const scope = { las: f.la && las.includes(f.la) ? [f.la] : las, national: s.national, school: f.school };
    const named = { names: true };
    return {
      national: s.national, las,
      schools: s.national ? [] : await schoolsOf(trx, las),
      openCases: num(await openCases(trx, scope), 'cases'),
      stages: num(await stages(trx, scope, named), 'open'),
      overdue: num(await overdueTasks(trx, scope, now, named), 'overdue'),
      stageTimes: num(await stageTimes(trx, scope, named), 'completed', 'medianHours'),
      signoff: num(await signoffTurnaround(trx, scope, named), 'signed', 'medianHours'),
    };
  });
}
