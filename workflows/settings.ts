// The policy settings of each bundled workflow (issue 6 item 6; PRIMER: "every number is a
// default ... make them settings of a workflow or of an LA"). One entry per workflow: the name of
// each start variable its first step ("Record the case settings") reads, what kind of value it
// is, and the primer's default, which is also the model's own. An LA stores only the values it
// changes (db/repositories/settings.ts); start-case passes them to each new case as start
// variables, under any the caller gave. A workflow added to workflows/bpmn or workflows/machines
// gets its settings by adding one entry to WORKFLOW_SETTINGS.
import { z, type ZodType } from 'zod';
import { calendarData } from './calendars/index.js';

export type Bilingual = { cy: string; en: string };

export type SettingSpec =
  /** A whole number of `unit`, e.g. notice in working days. */
  | { kind: 'count'; unit: 'working-days' | 'school-days' | 'calendar-days' | 'school-weeks' | 'months' | 'governors'; default: number; min: number; max: number; label: Bilingual }
  /** An ISO-8601 duration (`P15D`), counted in `unit`. */
  | { kind: 'duration'; unit: 'working-days' | 'school-days' | 'calendar-days'; default: string; label: Bilingual }
  /** An ISO-8601 repeating interval (`R/P6W`), counted in `unit`. */
  | { kind: 'cycle'; unit: 'school-days' | 'working-days' | 'calendar-days'; default: string; label: Bilingual }
  /** The id of a deployed DMN decision a business-rule task calls (e.g. an LA's own trigger table). */
  | { kind: 'decision'; default: string; label: Bilingual }
  /** Whose term dates the case's school days follow: a key of workflows/calendars/welsh-term-dates.json. */
  | { kind: 'term-dates'; default: null; label: Bilingual };

export interface WorkflowSettings {
  /** The definition key (the BPMN process id or the machine's id). */
  key: string;
  settings: Record<string, SettingSpec>;
}

/**
 * The one setting start-case does not pass as a variable: it chooses the term dates the case's
 * school-day deadlines are counted in (by default the LA's own, found from its name).
 */
export const TERM_DATES = 'termDates';

const termDates: SettingSpec = {
  kind: 'term-dates',
  default: null,
  label: { cy: "Dyddiadau tymor y mae diwrnodau ysgol yr achos yn eu dilyn (rhagosodiad: rhai'r awdurdod lleol ei hun)", en: "Term dates the case's school days follow (default: the LA's own)" },
};

const count = (unit: Extract<SettingSpec, { kind: 'count' }>['unit'], dflt: number, label: Bilingual, max = 60): SettingSpec => ({ kind: 'count', unit, default: dflt, min: 1, max, label });

const capabilitySettings = (head: boolean): Record<string, SettingSpec> => ({
  informalWeeks: count('school-weeks', 6, { cy: 'Hyd y cam anffurfiol (wythnosau ysgol)', en: 'Length of the informal stage (school weeks)' }, 39),
  arrangeDays: count('working-days', 5, { cy: "Amser i drefnu cyfarfod (diwrnodau gwaith)", en: 'Time to arrange a meeting (working days)' }),
  noticeDays: count('working-days', 5, { cy: "Rhybudd o gyfarfod ffurfiol (diwrnodau gwaith)", en: 'Notice of a formal meeting (working days)' }),
  monitoringWeeks: count('school-weeks', 6, { cy: 'Cyfnod monitro ac adolygu (wythnosau ysgol)', en: 'Monitoring and review period (school weeks)' }, 39),
  minCommittee: count('governors', 3, { cy: 'Isafswm llywodraethwyr ar y pwyllgor diswyddo staff', en: 'Fewest governors on the staff dismissal committee' }, 20),
  ...(head ? { minPanel: count('governors', 3, { cy: "Isafswm llywodraethwyr ar banel gallu'r llywodraethwyr", en: "Fewest governors on the governors' capability panel" }, 20) } : {}),
  appealDays: count('working-days', 10, { cy: 'Amser i apelio (diwrnodau gwaith)', en: 'Time to appeal (working days)' }),
  laNoticeDays: count('calendar-days', 14, { cy: "Amser i'r awdurdod lleol roi rhybudd (diwrnodau)", en: 'Time for the LA to give notice (days)' }),
  [TERM_DATES]: termDates,
});

/** Appraisal (School Teacher Appraisal (Wales) Regulations 2011): the BPMN model and its statechart read the same values. */
const appraisalSettings = (): Record<string, SettingSpec> => ({
  objectivesDays: count('school-days', 20, { cy: 'Amser i bennu amcanion (diwrnodau ysgol)', en: 'Time to set the objectives (school days)' }),
  noticeDays: count('school-days', 10, { cy: 'Rhybudd ysgrifenedig o gyfarfod adolygu (diwrnodau ysgol)', en: 'Written notice of the review meeting (school days)' }),
  recordDays: count('school-days', 5, { cy: "Cofnod yr athro cyn y cyfarfod (diwrnodau ysgol)", en: "The teacher's record before the meeting (school days)" }),
  statementDays: count('school-days', 10, { cy: 'Datganiad ysgrifenedig wedi’r cyfarfod (diwrnodau ysgol)', en: 'Written statement after the meeting (school days)' }),
  appealDays: count('school-days', 10, { cy: 'Amser i apelio at y pennaeth (diwrnodau ysgol)', en: 'Time to appeal to the headteacher (school days)' }),
  appealDecisionDays: count('school-days', 10, { cy: "Amser i benderfynu'r apêl (diwrnodau ysgol)", en: 'Time to decide the appeal (school days)' }),
  amendDays: count('school-days', 5, { cy: "Amser i ddiwygio'r datganiad (diwrnodau ysgol)", en: 'Time to amend the statement (school days)' }),
  [TERM_DATES]: termDates,
});

export const WORKFLOW_SETTINGS: WorkflowSettings[] = [
  {
    key: 'school-intervention-plan',
    settings: {
      draftDays: count('working-days', 10, { cy: "Amser i ddrafftio'r cynllun (diwrnodau gwaith)", en: 'Time to draft the plan (working days)' }),
      agreeDays: count('working-days', 10, { cy: "Amser i gytuno ar y camau staff (diwrnodau gwaith)", en: 'Time to agree the staff actions (working days)' }),
      acceptDays: count('school-days', 10, { cy: "Amser i dderbyn y cynllun (diwrnodau ysgol)", en: 'Time to accept the plan (school days)' }),
      reviewCycle: { kind: 'cycle', unit: 'school-days', default: 'R/P6W', label: { cy: "Cylch adolygu'r camau (diwrnodau ysgol)", en: 'Review cycle of the actions (school days)' } },
      reportCycle: { kind: 'cycle', unit: 'school-days', default: 'R/P6W', label: { cy: "Cylch yr adroddiad monitro (diwrnodau ysgol)", en: 'Cycle of the monitoring report (school days)' } },
      laDecisionDays: count('working-days', 10, { cy: "Amser i'r awdurdod lleol benderfynu (diwrnodau gwaith)", en: 'Time for the LA to decide (working days)' }),
      compliancePeriod: { kind: 'duration', unit: 'school-days', default: 'P15D', label: { cy: "Cyfnod cydymffurfio rhagosodedig hysbysiad rhybuddio (diwrnodau ysgol)", en: 'Default compliance period of a warning notice (school days)' } },
      [TERM_DATES]: termDates,
    },
  },
  { key: 'teacher-capability', settings: capabilitySettings(false) },
  { key: 'headteacher-capability', settings: capabilitySettings(true) },
  {
    key: 'sickness-absence',
    settings: {
      rtwDays: count('working-days', 3, { cy: "Cyfweliad dychwelyd i'r gwaith o fewn (diwrnodau gwaith)", en: 'Return-to-work interview within (working days)' }),
      rollingMonths: count('months', 12, { cy: 'Cyfnod treigl y sbardun (misoedd)', en: 'Rolling period of the trigger (months)' }, 36),
      ohReferralDays: count('working-days', 20, { cy: 'Cyfeirio at iechyd galwedigaethol wedi (diwrnodau gwaith)', en: 'Occupational-health referral after (working days)' }, 120),
      longTermReviewCycle: { kind: 'cycle', unit: 'calendar-days', default: 'R/P4W', label: { cy: 'Cylch adolygu absenoldeb hir (4-6 wythnos)', en: 'Long-term absence review cycle (4-6 weeks)' } },
      reviewWeeks: count('school-weeks', 6, { cy: 'Cyfnod adolygu ar ôl cyfarfod (wythnosau ysgol)', en: 'Review period after a meeting (school weeks)' }, 39),
      arrangeDays: count('working-days', 5, { cy: 'Amser i drefnu cyfarfod (diwrnodau gwaith)', en: 'Time to arrange a meeting (working days)' }),
      noticeDays: count('working-days', 5, { cy: 'Rhybudd o gyfarfod (diwrnodau gwaith)', en: 'Notice of a meeting (working days)' }),
      minCommittee: count('governors', 3, { cy: 'Isafswm llywodraethwyr ar y pwyllgor diswyddo staff', en: 'Fewest governors on the staff dismissal committee' }, 20),
      appealDays: count('working-days', 10, { cy: 'Amser i apelio (diwrnodau gwaith)', en: 'Time to appeal (working days)' }),
      laNoticeDays: count('calendar-days', 14, { cy: "Amser i'r awdurdod lleol roi rhybudd (diwrnodau)", en: 'Time for the LA to give notice (days)' }),
      triggerDecision: { kind: 'decision', default: 'absence-trigger', label: { cy: "Tabl penderfynu'r sbardun (id y penderfyniad DMN)", en: 'Trigger decision table (the DMN decision id)' } },
      [TERM_DATES]: termDates,
    },
  },
  { key: 'appraisal', settings: appraisalSettings() },
  { key: 'appraisal-statechart', settings: appraisalSettings() },
];

export function workflowSettings(key: string): WorkflowSettings | undefined {
  return WORKFLOW_SETTINGS.find((w) => w.key === key);
}

/** The defaults of a workflow's settings (the term dates' default, the LA's own, is left out). */
export function defaultsOf(w: WorkflowSettings): Record<string, unknown> {
  return Object.fromEntries(Object.entries(w.settings).filter(([, s]) => s.default !== null).map(([k, s]) => [k, s.default]));
}

const DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;
const CYCLE = /^R\d*\/P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$/;
const DECISION_ID = /^[A-Za-z_][\w.-]{0,199}$/;

function schemaOf(s: SettingSpec): ZodType {
  switch (s.kind) {
    case 'count': return z.number().int().min(s.min).max(s.max);
    case 'duration': return z.string().regex(DURATION, 'must be an ISO-8601 duration such as P15D');
    case 'cycle': return z.string().regex(CYCLE, 'must be an ISO-8601 repeating interval such as R/P6W');
    case 'decision': return z.string().regex(DECISION_ID, 'must be the id of a DMN decision');
    case 'term-dates': {
      const keys = Object.keys(calendarData.termDates.localAuthorities);
      return z.string().refine((v) => keys.includes(v), `must be one of the LAs whose term dates are loaded: ${keys.join(', ')}`);
    }
  }
}

/** The values an LA may store for a workflow: only its settings, each of its kind; unknown names are refused. */
export function settingsSchema(w: WorkflowSettings): ZodType<Record<string, unknown>> {
  return z.object(Object.fromEntries(Object.entries(w.settings).map(([k, s]) => [k, schemaOf(s).optional()]))).strict() as unknown as ZodType<Record<string, unknown>>;
}
