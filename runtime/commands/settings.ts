// An LA's policy settings for a workflow: read them (its own values over the defaults) and
// replace them. Validation comes from the workflow's entry in workflows/settings.ts; a value
// that does not fit is refused and nothing is written. Who may do this is the caller's check
// (the API: admin, or la-employer of that LA); the rows are written as the system.
import { systemAccess } from '../../db/access.js';
import { getOrganisation } from '../../db/repositories/organisations.js';
import { getLaSettings, putLaSettings, type LaSettingsRow } from '../../db/repositories/settings.js';
import { calendarData } from '../../workflows/calendars/index.js';
import { defaultsOf, settingsSchema, TERM_DATES, workflowSettings, WORKFLOW_SETTINGS, type SettingSpec, type WorkflowSettings } from '../../workflows/settings.js';
import { err, ok, type Outcome } from '../errors.js';
import type { Runtime } from '../runtime.js';

export interface SettingsView {
  la: string;
  workflowKey: string;
  /** What a new case of this LA starts with: the LA's values over the defaults. */
  values: Record<string, unknown>;
  /** Only the values the LA has set. */
  laValues: Record<string, unknown>;
  /** Every setting of the workflow: its kind, unit, default and name in Welsh and English. */
  settings: Array<{ name: string } & SettingSpec>;
  updatedBy: string | null;
  updatedAt: string | null;
}

function view(la: string, w: WorkflowSettings, row: LaSettingsRow | undefined): SettingsView {
  const laValues = row?.settings ?? {};
  return {
    la,
    workflowKey: w.key,
    values: { ...defaultsOf(w), ...laValues },
    laValues,
    settings: Object.entries(w.settings).map(([name, spec]) => ({ name, ...spec })),
    updatedBy: row?.updated_by ?? null,
    updatedAt: row ? new Date(row.updated_at).toISOString() : null,
  };
}

async function target(rt: Runtime, la: string, key: string): Promise<Outcome<WorkflowSettings>> {
  const w = workflowSettings(key);
  if (!w) return err('NOT_FOUND', `No settings for a workflow ${key}; workflows with settings: ${WORKFLOW_SETTINGS.map((x) => x.key).join(', ')}`);
  const org = await rt.db.transaction(systemAccess('settings'), (trx) => getOrganisation(trx, la));
  if (!org || org.kind !== 'la') return err('NOT_FOUND', `No local authority ${la}`);
  return ok(w);
}

export async function readSettings(rt: Runtime, la: string, key: string): Promise<Outcome<SettingsView>> {
  const w = await target(rt, la, key);
  if (!w.ok) return w;
  const row = await rt.db.transaction(systemAccess('settings'), (trx) => getLaSettings(trx, la, key));
  return ok(view(la, w.value, row));
}

/** Replaces the LA's values for the workflow (a setting left out goes back to its default). */
export async function writeSettings(rt: Runtime, la: string, key: string, values: unknown, by: string): Promise<Outcome<SettingsView>> {
  const w = await target(rt, la, key);
  if (!w.ok) return w;
  const parsed = settingsSchema(w.value).safeParse(values);
  if (!parsed.success) {
    return err('INVALID_INPUT', `The settings of ${key} are not valid`, { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.') || ('keys' in i ? i.keys.join(', ') : ''), message: i.message })) });
  }
  const settings = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined));
  const issues = [...await undeployedDecisions(rt, w.value, settings)];
  const clash = await termDatesClash(rt, la, settings[TERM_DATES]);
  if (clash) issues.push({ path: TERM_DATES, message: clash });
  if (issues.length) return err('INVALID_INPUT', `The settings of ${key} are not valid`, { issues });
  const row = await rt.db.transaction(systemAccess(`settings by ${by}`), (trx) => putLaSettings(trx, { la_id: la, workflow_key: key, settings, updated_by: by }));
  return ok(view(la, w.value, row));
}

/**
 * A school whose INSET and closure days are recorded (workflows/calendars/schools.json) counts its
 * school days on the term dates of the LA they are recorded under: other term dates would leave
 * its cases without a school-days calendar, so they are refused here rather than at a deadline.
 */
async function termDatesClash(rt: Runtime, la: string, chosen: unknown): Promise<string | undefined> {
  if (typeof chosen !== 'string') return undefined;
  const schools = await rt.db.transaction(systemAccess('settings'), (trx) => trx('organisations').where({ parent_id: la, kind: 'school' }).pluck('id'));
  const listed = schools.filter((id: string) => calendarData.schools?.[id] && calendarData.schools[id].la !== chosen);
  return listed.length ? `${listed.join(', ')} ${listed.length === 1 ? 'has' : 'have'} INSET days recorded under ${calendarData.schools![listed[0]].la}'s term dates, not ${chosen}'s` : undefined;
}

/** A decision a setting names must be deployed (`camau deploy <table>.dmn`): a case would otherwise stop at its business-rule task. */
async function undeployedDecisions(rt: Runtime, w: WorkflowSettings, settings: Record<string, unknown>): Promise<Array<{ path: string; message: string }>> {
  const named = Object.entries(settings).filter(([name]) => w.settings[name]?.kind === 'decision') as Array<[string, string]>;
  if (named.length === 0) return [];
  const deployed = new Set<string>(await rt.db.transaction(systemAccess('settings'), (trx) => trx('definitions').where({ kind: 'dmn' }).whereIn('key', named.map(([, id]) => id)).distinct().pluck('key')));
  return named.filter(([, id]) => !deployed.has(id)).map(([path, id]) => ({ path, message: `no DMN decision ${id} is deployed` }));
}
