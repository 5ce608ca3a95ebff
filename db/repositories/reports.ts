// The monitoring reports (GET /api/v1/reports/* and the Reports page): counts and medians by
// procedure, stage, LA and school, never a name or a case. A report covers a set of LAs (or all
// of Wales); a national view is by procedure and LA only. Read as the system: the scope is the
// caller's LAs, decided before (api/routes/reports.ts, web/data/reports.ts).
import type { Knex } from 'knex';

export interface ReportScope {
  /** The LAs covered, or 'all' (Wales). */
  las: string[] | 'all';
  national: boolean;
  /** Only this school (not in a national view). */
  school?: string;
}

export interface ReportOptions {
  /** Each stage's name (and its names by language), as the tasks carry them. */
  names?: boolean;
}

export type ReportRow = Record<string, any>;

const MEDIAN_HOURS = `round((percentile_cont(0.5) within group (order by extract(epoch from (t.closed_at - t.created_at))) / 3600)::numeric, 2)`;

function within(q: Knex.QueryBuilder, s: ReportScope): Knex.QueryBuilder {
  if (s.las !== 'all') q.whereIn('c.tenant_id', s.las);
  if (s.school && !s.national) q.where('c.school_id', s.school);
  return q;
}

const tasks = (trx: Knex, s: ReportScope, status: string) =>
  within(trx('tasks as t').join('cases as c', 'c.id', 't.case_id').join('definitions as d', 'd.id', 'c.definition_id').where('t.status', status), s);

const stageNames = (trx: Knex, o: ReportOptions) => (o.names ? [trx.raw('min(t.name) as name'), trx.raw('(array_agg(t.names))[1] as names')] : []);

/** Open cases by procedure, LA and school (national: procedure and LA). */
export function openCases(trx: Knex, s: ReportScope): Promise<ReportRow[]> {
  const cols = s.national ? ['d.key', 'c.tenant_id'] : ['d.key', 'c.tenant_id', 'c.school_id'];
  return within(trx('cases as c').join('definitions as d', 'd.id', 'c.definition_id').where('c.status', 'active'), s)
    .select('d.key as procedure', 'c.tenant_id as la', ...(s.national ? [] : ['c.school_id as school'])).count('* as cases').groupBy(cols).orderBy(cols);
}

/** Open tasks by procedure and stage. */
export function stages(trx: Knex, s: ReportScope, o: ReportOptions = {}): Promise<ReportRow[]> {
  return tasks(trx, s, 'open').select('d.key as procedure', 't.element_id as stage', ...stageNames(trx, o)).count('* as open').groupBy('d.key', 't.element_id').orderBy(['d.key', 't.element_id']);
}

/** Tasks past their due date by procedure, stage and LA. */
export function overdueTasks(trx: Knex, s: ReportScope, now: string, o: ReportOptions = {}): Promise<ReportRow[]> {
  return tasks(trx, s, 'open').andWhere('t.due_at', '<', now)
    .select('d.key as procedure', 't.element_id as stage', ...stageNames(trx, o), 'c.tenant_id as la').count('* as overdue')
    .groupBy('d.key', 't.element_id', 'c.tenant_id').orderBy(['d.key', 't.element_id', 'c.tenant_id']);
}

/** Median hours from a task opening to its completion, by procedure and stage. */
export function stageTimes(trx: Knex, s: ReportScope, o: ReportOptions = {}): Promise<ReportRow[]> {
  return tasks(trx, s, 'completed')
    .select('d.key as procedure', 't.element_id as stage', ...stageNames(trx, o), trx.raw('count(*) as completed'), trx.raw(`${MEDIAN_HOURS} as "medianHours"`))
    .groupBy('d.key', 't.element_id').orderBy(['d.key', 't.element_id']);
}

/** Median hours to complete a joint sign-off, by procedure and stage. */
export function signoffTurnaround(trx: Knex, s: ReportScope, o: ReportOptions = {}): Promise<ReportRow[]> {
  return tasks(trx, s, 'completed').whereNotNull('t.signoff')
    .select('d.key as procedure', 't.element_id as stage', ...stageNames(trx, o), trx.raw('count(*) as signed'), trx.raw(`${MEDIAN_HOURS} as "medianHours"`))
    .groupBy('d.key', 't.element_id').orderBy(['d.key', 't.element_id']);
}

/** The LAs of these regions. */
export function lasOf(trx: Knex, regions: string[]): Promise<string[]> {
  return trx('organisations').whereIn('parent_id', regions).where({ kind: 'la' }).orderBy('id').pluck('id');
}

/** Every LA. */
export function allLas(trx: Knex): Promise<string[]> {
  return trx('organisations').where({ kind: 'la' }).orderBy('id').pluck('id');
}

/** The schools of these LAs. */
export function schoolsOf(trx: Knex, las: string[]): Promise<string[]> {
  return trx('organisations').whereIn('parent_id', las).where({ kind: 'school' }).orderBy('id').pluck('id');
}
