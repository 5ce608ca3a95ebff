// The notification worker. A `notify` outbox row becomes a job on the queue `notifications`
// (workers/relay.ts) with data `{ outboxId, caseId, effect }`. For each job:
//
//  1. In one transaction: read the case (school, LA, staff member, the task it is about),
//     resolve `toRoles` to recipients, render each one's message in their language, and insert
//     one notifications row per (outbox id, recipient): 'sending', or 'failed' with the reason
//     (unknown role, no e-mail address, missing template data). Rows already there are kept.
//     Committed before anything is sent.
//  2. Send each row still 'sending' with a deterministic Message-ID `<outboxId.recipient@camau>`,
//     then mark it 'sent' with that id. A row already 'sent' (or 'failed') is never sent again,
//     so a retried or repeated job does not send twice.
//  3. A send that failed for now (no connection, a 4xx reply) leaves its row 'sending' and
//     fails the job after the others were tried, so the queue retries it; a permanent refusal
//     (recipient rejected) marks the row 'failed'. When the job's attempts run out, the rows
//     still 'sending' are marked 'failed'.
//
// The window between the SMTP server accepting a message and the 'sent' row committing cannot
// be closed (SMTP has no idempotency key): a worker killed exactly there sends that message again
// on retry, with the same Message-ID, which a receiving system can use to drop the repeat.
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { systemAccess } from '../../db/access.js';
import type { Effect } from '../../engine/index.js';
import type { Runtime } from '../../runtime/runtime.js';
import { jobId, type AddOptions, type Handler, type Queues } from '../queues/types.js';
import { NOTIFICATIONS } from '../relay.js';
import { isPermanentFailure, type Mailer } from './mailer.js';
import { resolveRecipients, type CaseRef, type Recipient, type TaskRef } from './recipients.js';
import { renderMessage, type RenderedMessage, type Template, type TemplateData } from './render.js';
import { bundledTemplates, type TemplateSet } from './templates.js';

export type NotifyEffect = Extract<Effect, { type: 'notify' }>;

/** What the relay puts on the notifications queue. */
export interface NotificationJobData {
  outboxId: string | number;
  caseId: string;
  effect: NotifyEffect;
}

export interface NotificationOptions {
  /** Default: workflows/templates/ (loaded and checked once). */
  templates?: TemplateSet;
  /** Where the web app shows a case; links are `<baseUrl>/cases/<id>`. Default CAMAU_PUBLIC_URL or http://localhost:3000. */
  baseUrl?: string;
  /** Right-hand side of Message-IDs. Default `camau`. */
  messageIdDomain?: string;
  /** Dates in messages; default Europe/London. */
  timeZone?: string;
  /** Jobs handled at once by consumeNotifications. Default 4. */
  concurrency?: number;
}

export interface DeliveryReport {
  /** Recipient keys sent by this run. */
  sent: string[];
  /** Recipient keys already sent or failed by an earlier run: left alone. */
  skipped: string[];
  /** Recorded as failed by this run, with the reason. */
  failed: Array<{ recipient: string; reason: string }>;
  /** Not sent for now (left 'sending'); the job should be retried. */
  retry: Array<{ recipient: string; reason: string }>;
}

/** Attempts and backoff for a notification job (the relay and the reconciler should add jobs with these). */
export const NOTIFICATION_JOB_OPTIONS: AddOptions = { attempts: 5, backoffMs: 2000 };

export const notificationJobId = (outboxId: string | number) => jobId('n', outboxId);

const access = systemAccess('notification worker');

/**
 * A Message-ID for one recipient of one outbox row: the same every time, so a retry or a
 * receiving system can recognise a repeat. `person:head-a` -> `<12.person.head-a@camau>`.
 */
export function messageIdFor(outboxId: string | number, recipient: string, domain = 'camau'): string {
  const plain = recipient.replace(/:/g, '.');
  const safe = plain.replace(/[^A-Za-z0-9_-]+/g, (m) => (m === '.' ? '.' : '-')).replace(/\.{2,}/g, '.').replace(/^\.|\.$/g, '');
  // When the id had to change to fit, a hash of the original keeps two recipients apart.
  const tag = safe === plain ? '' : `.${createHash('sha256').update(recipient).digest('hex').slice(0, 10)}`;
  return `<${String(outboxId).replace(/[^0-9A-Za-z-]/g, '-')}.${safe}${tag}@${domain}>`;
}

interface Context {
  caseRef: CaseRef;
  task?: TaskRef;
  values: TemplateData;
}

const bilingual = (name: string, nameCy: string | null | undefined) => ({ cy: nameCy ?? name, en: name });
const isBilingual = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) && ('cy' in v || 'en' in v);
const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : typeof v === 'string' ? new Date(v).toISOString() : undefined);

/**
 * The case's own values for templates (caseId, caseLink, schoolName, laName, regionName,
 * staffName, and for a task: taskName in both languages, dueDate, taskId), then the effect's
 * data on top, except that a plain string never replaces a value the case knows in both
 * languages (the engine passes a task's name as one string; the task row has it in both).
 */
async function loadContext(trx: Knex, data: NotificationJobData, baseUrl: string): Promise<Context | undefined> {
  const c = await trx('cases').where({ id: data.caseId }).first('id', 'tenant_id', 'school_id', 'subject_person_id', 'employer', 'business_key');
  if (!c) return undefined;
  const orgIds = [c.school_id, c.tenant_id].filter(Boolean);
  const orgs: Array<{ id: string; name: string; name_cy: string | null; parent_id: string | null }> = await trx('organisations').whereIn('id', orgIds).select('id', 'name', 'name_cy', 'parent_id');
  const school = orgs.find((o) => o.id === c.school_id);
  const la = orgs.find((o) => o.id === c.tenant_id);
  const region = la?.parent_id ? await trx('organisations').where({ id: la.parent_id }).first('id', 'name', 'name_cy') : undefined;
  const subject = c.subject_person_id ? await trx('people').where({ id: c.subject_person_id }).first('name') : undefined;

  const effect = data.effect;
  const element = typeof effect.data?.task === 'string' ? effect.data.task : undefined;
  let task = effect.eid ? await trx('tasks').where({ case_id: c.id, eid: effect.eid }).first() : undefined;
  if (!task && element) {
    task = await trx('tasks').where({ case_id: c.id, element_id: element })
      .orderByRaw(`(status = 'open') desc`).orderBy('created_at', 'desc').first();
  }

  const values: TemplateData = {
    caseId: c.id,
    caseLink: `${baseUrl.replace(/\/+$/, '')}/cases/${c.id}`,
    ...(c.business_key ? { caseReference: c.business_key } : {}),
    ...(school ? { schoolName: bilingual(school.name, school.name_cy) } : {}),
    ...(la ? { laName: bilingual(la.name, la.name_cy) } : {}),
    ...(region ? { regionName: bilingual(region.name, region.name_cy) } : {}),
    ...(subject ? { staffName: subject.name } : {}),
  };
  if (task) {
    const names = (task.names ?? {}) as Record<string, string>;
    const name = task.name ?? names.en ?? names.cy;
    if (name) values.taskName = { cy: names.cy ?? name, en: names.en ?? name };
    if (task.due_at) values.dueDate = iso(task.due_at);
    values.taskId = task.eid;
  }
  for (const [k, v] of Object.entries(effect.data ?? {})) {
    if (typeof v === 'string' && isBilingual(values[k])) continue;
    values[k] = v;
  }
  return {
    caseRef: { id: c.id, tenant_id: c.tenant_id, school_id: c.school_id, subject_person_id: c.subject_person_id, employer: c.employer },
    task: task ? { assignee: task.assignee, candidate_users: task.candidate_users, candidate_groups: task.candidate_groups } : undefined,
    values,
  };
}

interface Planned {
  recipient: Recipient;
  message: RenderedMessage;
}

/** The subject recorded on a failed row: the bilingual subject when it renders, else the template id. */
function failedSubject(template: Template | undefined, id: string, values: TemplateData, timeZone?: string): string {
  if (!template) return `[${id}]`;
  try {
    return renderMessage(template, 'both', values, { timeZone }).subject;
  } catch {
    return `[${id}]`;
  }
}

/** Sends one notification job's messages; safe to run any number of times for the same job. */
export async function deliverNotification(rt: Runtime, mailer: Mailer, data: NotificationJobData, opts: NotificationOptions = {}): Promise<DeliveryReport> {
  const effect = data.effect;
  if (!effect || effect.type !== 'notify' || typeof effect.template !== 'string') throw new Error(`Notification job for outbox row ${data.outboxId} carries no notify effect`);
  const templates = opts.templates ?? bundledTemplates();
  const baseUrl = opts.baseUrl ?? process.env.CAMAU_PUBLIC_URL ?? 'http://localhost:3000';
  const outboxId = String(data.outboxId);
  const report: DeliveryReport = { sent: [], skipped: [], failed: [], retry: [] };

  const planned = await rt.db.transaction(access, async (trx) => {
    const ctx = await loadContext(trx, data, baseUrl);
    // The case is gone (never, in practice: cases are not deleted): nothing to tell anyone.
    if (!ctx) return [];
    const now = rt.clock.now();
    const { recipients, unreachable } = await resolveRecipients(trx, ctx.caseRef, effect.toRoles ?? [], { task: ctx.task, now });
    const template = templates.get(effect.template);
    const base = { outbox_id: outboxId, case_id: ctx.caseRef.id, template: effect.template, created_at: now };
    const rows: Array<Record<string, unknown>> = [];
    const toSend = new Map<string, Planned>();
    const fail = (recipient: string, language: string, email: string | null, reason: string) => {
      rows.push({ ...base, recipient, language, email, subject: failedSubject(template, effect.template, ctx.values, opts.timeZone), status: 'failed', error: reason });
      report.failed.push({ recipient, reason });
    };
    for (const u of unreachable) fail(u.key, 'both', null, u.reason);
    for (const r of recipients) {
      if (!template) {
        fail(r.key, r.language, r.email, `unknown template "${effect.template}" (none in workflows/templates/)`);
        continue;
      }
      try {
        const message = renderMessage(template, r.language, ctx.values, { timeZone: opts.timeZone });
        rows.push({ ...base, recipient: r.key, language: r.language, email: r.email, subject: message.subject, status: 'sending' });
        toSend.set(r.key, { recipient: r, message });
      } catch (e) {
        fail(r.key, r.language, r.email, (e as Error).message);
      }
    }
    const inserted: Array<{ recipient: string }> = rows.length ? await trx('notifications').insert(rows).onConflict(['outbox_id', 'recipient']).ignore().returning('recipient') : [];
    const ours = new Set(inserted.map((r) => r.recipient));
    // What is recorded decides, not what this run planned: an earlier run's 'sent' or 'failed' stands.
    const recorded: Array<{ recipient: string; status: string }> = await trx('notifications').where({ outbox_id: outboxId }).select('recipient', 'status');
    const status = new Map(recorded.map((r) => [r.recipient, r.status]));
    // A recipient an earlier run left 'sending' who cannot be sent to now (data or address gone): failed, not stuck.
    for (const f of report.failed) {
      if (ours.has(f.recipient) || status.get(f.recipient) !== 'sending') continue;
      await trx('notifications').where({ outbox_id: outboxId, recipient: f.recipient, status: 'sending' }).update({ status: 'failed', error: f.reason });
      status.set(f.recipient, 'failed');
      ours.add(f.recipient);
    }
    report.failed = report.failed.filter((f) => ours.has(f.recipient));
    for (const row of rows) {
      const key = row.recipient as string;
      if (!ours.has(key) && (status.get(key) === 'sent' || status.get(key) === 'failed')) report.skipped.push(key);
    }
    return [...toSend.values()].filter((p) => status.get(p.recipient.key) === 'sending');
  });

  for (const { recipient: r, message } of planned) {
    const messageId = messageIdFor(outboxId, r.key, opts.messageIdDomain);
    try {
      await mailer.send({
        to: { name: r.name, address: r.email },
        subject: message.subject,
        text: message.text,
        messageId,
        language: message.language,
        date: new Date(rt.clock.now()),
        headers: { 'X-Camau-Case': data.caseId, 'X-Camau-Template': effect.template },
      });
    } catch (e) {
      const reason = (e as Error).message ?? String(e);
      if (isPermanentFailure(e)) {
        await mark(rt, outboxId, r.key, { status: 'failed', error: `refused by the mail server: ${reason}` });
        report.failed.push({ recipient: r.key, reason });
      } else {
        report.retry.push({ recipient: r.key, reason });
      }
      continue;
    }
    await mark(rt, outboxId, r.key, { status: 'sent', message_id: messageId, sent_at: rt.clock.now(), error: null });
    report.sent.push(r.key);
  }
  return report;
}

async function mark(rt: Runtime, outboxId: string, recipient: string, update: Record<string, unknown>): Promise<void> {
  await rt.db.transaction(access, (trx) => trx('notifications').where({ outbox_id: outboxId, recipient, status: 'sending' }).update(update));
}

/** Marks a job's rows still 'sending' as failed (its attempts ran out). */
export async function markUnsentFailed(rt: Runtime, outboxId: string | number, reason: string): Promise<number> {
  return rt.db.transaction(access, (trx) => trx('notifications').where({ outbox_id: String(outboxId), status: 'sending' }).update({ status: 'failed', error: reason }));
}

export class NotificationRetry extends Error {
  constructor(readonly report: DeliveryReport) {
    super(`${report.retry.length} message(s) not sent yet: ${report.retry.map((r) => `${r.recipient}: ${r.reason}`).join('; ')}`);
    this.name = 'NotificationRetry';
  }
}

/** The queue handler: delivers, and throws (so the queue retries) while some message could not be sent for now. */
export function notificationHandler(rt: Runtime, mailer: Mailer, opts: NotificationOptions = {}): Handler {
  return async (job) => {
    const report = await deliverNotification(rt, mailer, job.data as unknown as NotificationJobData, opts);
    if (report.retry.length) throw new NotificationRetry(report);
  };
}

/** Runs the notification worker on `queues`. Templates are loaded (and checked) now, so a bad one stops the worker at start. */
export function consumeNotifications(rt: Runtime, queues: Queues, mailer: Mailer, opts: NotificationOptions = {}): void {
  const options = { ...opts, templates: opts.templates ?? bundledTemplates() };
  queues.consume(NOTIFICATIONS, notificationHandler(rt, mailer, options), {
    concurrency: opts.concurrency ?? 4,
    onFailed: async (job, error) => {
      const { outboxId } = job.data as unknown as NotificationJobData;
      await markUnsentFailed(rt, outboxId, `gave up after ${job.attemptsMade} attempt(s): ${error.message}`);
    },
  });
}

/**
 * For the reconciler: re-adds notification jobs that may have been lost with the queue store
 * (a Redis flush after the relay marked their outbox row done): notify rows of the last
 * `withinMs` with no notifications recorded, or some still 'sending'. Re-adding a job that
 * still exists, or one that already ran, is harmless.
 */
export async function requeueUnfinishedNotifications(rt: Runtime, queues: Queues, opts: { withinMs?: number } = {}): Promise<number> {
  const since = new Date(Date.parse(rt.clock.now()) - (opts.withinMs ?? 7 * 24 * 3600_000)).toISOString();
  const rows: Array<{ id: string; case_id: string; payload: NotifyEffect }> = await rt.db.transaction(systemAccess('notification reconciler'), (trx) =>
    trx('outbox as o')
      .where({ 'o.kind': 'notify', 'o.status': 'done' })
      .andWhere('o.created_at', '>=', since)
      .andWhere((q) => q
        .whereNotExists((s) => s.select(trx.raw('1')).from('notifications as n').whereRaw('n.outbox_id = o.id'))
        .orWhereExists((s) => s.select(trx.raw('1')).from('notifications as n').whereRaw(`n.outbox_id = o.id and n.status = 'sending'`)))
      .select('o.id', 'o.case_id', 'o.payload'));
  for (const r of rows) {
    await queues.add(NOTIFICATIONS, notificationJobId(r.id), { outboxId: r.id, caseId: r.case_id, effect: r.payload }, NOTIFICATION_JOB_OPTIONS);
  }
  return rows.length;
}
