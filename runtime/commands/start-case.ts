// start-case: a new instance of a deployed definition for a school or a staff member. The
// tenant is the LA that maintains the school; the employer follows the school's category.
import type { Knex } from 'knex';
import type { Access } from '../../db/access.js';
import { Database, type CommandTx } from '../../db/connection.js';
import { chainEvents } from '../../db/repositories/events.js';
import type { CaseRow } from '../../db/repositories/rows.js';
import { startContext, writeStep, writeStepIf, type StartContext, type StepWrite } from '../../db/repositories/steps.js';
import { fromEngineEvent, type Actor } from '../../engine/audit/index.js';
import { step, type CompiledDecision, type Definition, type Variables } from '../../engine/index.js';
import { TERM_DATES } from '../../workflows/settings.js';
import { err, ok, rejected, type Outcome } from '../errors.js';
import { callsDecisions, hostFor, memoryOf, rememberCase, type CaseChange } from '../execute.js';
import type { Runtime } from '../runtime.js';

export interface StartCase {
  definitionKey: string;
  version?: number;
  /** Exactly one of: the school the case is about, or the staff member it is about. */
  schoolId?: string;
  subjectPersonId?: string;
  variables?: Variables;
  businessKey?: string;
  /** Start at a message or timer start event instead of the none start event. */
  startEventId?: string;
  /** Set when a call activity starts this case. */
  parent?: { caseId: string; eid: string };
  actor: Actor;
}

/**
 * On PostgreSQL, two round trips: BEGIN, the access settings and the lookups in one; the writes
 * and COMMIT in the other. When this runtime has made the same lookups before (same school or
 * person, key and version), one: the start is computed from their remembered answer, and the
 * writes go with BEGIN and COMMIT, conditional on the lookups (made again in that transaction,
 * for this caller) giving the same answer; otherwise nothing is written and the case starts
 * the two-round-trip way, with the same id.
 */
export async function startCase(rt: Runtime, access: Access, input: StartCase): Promise<Outcome<CaseChange>> {
  if (!!input.schoolId === !!input.subjectPersonId) return err('INVALID_INPUT', 'A case is about either a school (schoolId) or a staff member (subjectPersonId)');
  const memory = memoryOf(rt);
  const key = lookupKey(input);
  const known = memory.starts.get(key);
  let id: string | undefined;
  let seen: Started | undefined;
  if (known && !callsDecisions(known.def)) {
    const outcome = await rt.db.command(access, async (tx) => {
      const checked = checkStart(rt, input, known.ctx);
      if (!checked.ok) return undefined;
      const planned = planStart(rt, input, checked.value, known.def, new Map(), id);
      if (!planned.ok) return undefined;
      id = planned.value.write.caseId;
      const context = { school: input.schoolId, person: input.subjectPersonId, key: input.definitionKey, version: input.version, value: known.ctx };
      if (!(await writeStepIf(tx, planned.value.write, { context }))) return undefined;
      seen = { ctx: known.ctx, def: known.def, row: planned.value.row };
      return ok(planned.value.change);
    });
    if (outcome) {
      if (seen) remember(rt, key, seen);
      return outcome;
    }
  }
  const outcome = await rt.db.command(access, (tx) => startTx(tx, rt, input, id, (s) => (seen = s)));
  if (seen) remember(rt, key, seen);
  return outcome;
}

/** Starts a case inside an existing transaction (used by call activities too). */
export async function startIn(trx: Knex, rt: Runtime, input: StartCase): Promise<Outcome<CaseChange>> {
  return Database.within(trx, (tx) => startTx(tx, rt, input));
}

/** What a start saw: its lookups, the definition, the new case row (remembered once committed). */
type Started = { ctx: StartContext; def: Definition; row: CaseRow };

/** Starts a case in a command transaction, with the id given (or a new one); the writes are queued on it. */
export async function startTx(tx: CommandTx, rt: Runtime, input: StartCase, id?: string, saw?: (s: Started) => void): Promise<Outcome<CaseChange>> {
  const ctx = await startContext(tx, { schoolId: input.schoolId, personId: input.subjectPersonId, key: input.definitionKey, version: input.version });
  const checked = checkStart(rt, input, ctx);
  if (!checked.ok) return checked;
  const trx = await tx.knex();
  const def = await rt.definitions.byId(trx, checked.value.definitionId);
  const planned = planStart(rt, input, checked.value, def, await rt.definitions.decisionsFor(trx, def), id);
  if (!planned.ok) return planned;
  tx.queue(writeStep(planned.value.write));
  saw?.({ ctx, def, row: planned.value.row });
  return ok(planned.value.change);
}

function lookupKey(input: StartCase): string {
  return JSON.stringify([input.schoolId ?? null, input.subjectPersonId ?? null, input.definitionKey, input.version ?? null]);
}

function remember(rt: Runtime, key: string, s: Started): void {
  memoryOf(rt).starts.set(key, { ctx: s.ctx, def: s.def });
  rememberCase(rt, { row: s.row, def: s.def });
}

type Checked = Subject & { definitionId: string; laSettings: Variables };

/** The LA's stored settings for the workflow (migration 0011 adds them to the start lookups). */
const laSettingsOf = (ctx: StartContext): Variables => (ctx as StartContext & { settings?: Variables | null }).settings ?? {};

/** The subject and the definition of a start from its lookups, or why it cannot start. */
function checkStart(rt: Runtime, input: StartCase, ctx: StartContext): Outcome<Checked> {
  const subject = resolveSubject(rt, input, ctx);
  if (!subject.ok) return subject;
  const defRow = ctx.definition;
  if (!defRow) return err('NOT_FOUND', `No deployed definition ${input.definitionKey}${input.version !== undefined ? ` version ${input.version}` : ''}`);
  if (defRow.kind === 'dmn') return err('NOT_FOUND', `${input.definitionKey} is a DMN decision, which business-rule tasks call; it does not start cases`);
  const { [TERM_DATES]: _termDates, ...laSettings } = laSettingsOf(ctx);
  return ok({ ...subject.value, definitionId: String(defRow.id), laSettings });
}

/** The engine's start of the case and everything to write for it. */
function planStart(rt: Runtime, input: StartCase, s: Checked, def: Definition, decisions: ReadonlyMap<string, CompiledDecision>, id?: string): Outcome<{ write: StepWrite; change: CaseChange; row: CaseRow }> {
  const now = rt.clock.now();
  const host = hostFor(rt, { calendar_la: s.calendarLa, school_id: s.schoolId }, decisions);
  // The LA's settings for the workflow go under the caller's variables; the model's first step
  // records them. A staff case also knows its employer from the school's category (as the case
  // row does), so the procedures' LA / governing-body branches need not be told.
  const derived = s.subjectKind === 'staff' ? { employer: s.employer } : {};
  const variables = { ...derived, ...s.laSettings, ...(input.variables ?? {}) };
  const res = step(def, null, { type: 'start', variables, ...(input.startEventId ? { startEventId: input.startEventId } : {}), ...(input.parent ? { calledBy: input.parent } : {}) }, { now, actor: input.actor, host });
  if (!res.ok) return rejected(res.failure);
  const caseId = id ?? rt.newId();
  const history = chainEvents(caseId, undefined, res.value.events.map(fromEngineEvent), input.actor, now);
  const head = history[history.length - 1];
  const created = {
    definition_id: s.definitionId, tenant_id: s.tenantId, school_id: s.schoolId, calendar_la: s.calendarLa, subject_kind: s.subjectKind, subject_person_id: s.subjectPersonId,
    employer: s.employer, parent_case_id: input.parent?.caseId, parent_eid: input.parent?.eid, business_key: input.businessKey, created_by: input.actor.userId ?? input.actor.system,
  };
  const write: StepWrite = { caseId, at: now, actor: input.actor, created, state: res.value.state, version: 1, head: { seq: head.seq, hash: head.hash }, history, before: null, events: res.value.events, effects: res.value.effects };
  const at = new Date(now);
  const row: CaseRow = {
    id: caseId, definition_id: created.definition_id, tenant_id: created.tenant_id, school_id: created.school_id ?? null, calendar_la: created.calendar_la ?? null,
    subject_kind: created.subject_kind, subject_person_id: created.subject_person_id ?? null, employer: created.employer, status: res.value.state.status, snapshot: res.value.state,
    version: 1, last_seq: head.seq, last_hash: head.hash, parent_case_id: created.parent_case_id ?? null, parent_eid: created.parent_eid ?? null,
    business_key: created.business_key ?? null, created_by: created.created_by ?? null, created_at: at, updated_at: at,
  };
  return ok({ write, change: { caseId, version: 1, state: res.value.state, events: res.value.events, effects: res.value.effects }, row });
}

type Subject = { tenantId: string; schoolId?: string; calendarLa?: string; subjectKind: 'school' | 'staff'; subjectPersonId?: string; employer: 'la' | 'governing-body' };

function resolveSubject(rt: Runtime, input: StartCase, ctx: StartContext): Outcome<Subject> {
  let schoolId = input.schoolId;
  if (input.subjectPersonId) {
    const person = ctx.person;
    if (!person || person.kind !== 'staff') return err('NOT_FOUND', `No staff member ${input.subjectPersonId}`);
    schoolId = person.organisation_id;
  }
  const school = schoolId ? ctx.school : undefined;
  if (!school || school.kind !== 'school' || !school.parent_id) return err('NOT_FOUND', `No school ${schoolId}`);
  const employer = school.category === 'voluntary-aided' || school.category === 'foundation' ? 'governing-body' : 'la';
  const la = ctx.la;
  // The term dates the LA has chosen for the workflow, else its own.
  const chosen = laSettingsOf(ctx)[TERM_DATES];
  const calendarLa = typeof chosen === 'string' ? chosen : la && rt.calendars ? rt.calendars.keyFor(la) : undefined;
  return ok({
    tenantId: school.parent_id,
    schoolId: school.id,
    ...(calendarLa ? { calendarLa } : {}),
    subjectKind: input.subjectPersonId ? 'staff' : 'school',
    ...(input.subjectPersonId ? { subjectPersonId: input.subjectPersonId } : {}),
    employer,
  });
}
