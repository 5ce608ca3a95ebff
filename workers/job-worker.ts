// Writing a service-task worker:
//
//   createJobWorker(ctx, 'send-letter', async (job) => {
//     await letters.send(job.variables.to);
//     return { letterSent: true };            // variables the task completes with
//   });
//
// Throw `new BpmnError('CODE')` to raise a BPMN error the model can catch; throw anything else
// to fail the attempt: it is retried with exponential backoff (the model's retries, default 3),
// and when retries run out the case gets an incident, which can be retried from the API or CLI.
// A job that finishes after its case moved on (cancelled, interrupted) is refused harmlessly.
import { systemAccess } from '../db/access.js';
import type { Variables } from '../engine/index.js';
import { onCase } from '../runtime/execute.js';
import type { Runtime } from '../runtime/runtime.js';
import type { Queues } from './queues/types.js';
import { jobsQueue, type ServiceJobData } from './relay.js';

export class BpmnError extends Error {
  constructor(readonly code: string, message?: string, readonly variables?: Variables) {
    super(message ?? code);
    this.name = 'BpmnError';
  }
}

export type JobHandler = (job: ServiceJobData & { attempt: number }) => Promise<Variables | void>;

export interface WorkerContext {
  rt: Runtime;
  queues: Queues;
}

export function createJobWorker(ctx: WorkerContext, type: string, handler: JobHandler, opts: { concurrency?: number } = {}): void {
  const { rt, queues } = ctx;
  const actor = { system: `job worker ${type}` };
  queues.consume(jobsQueue(type), async (job) => {
    const data = job.data as ServiceJobData;
    let result: Variables | void;
    try {
      result = await handler({ ...data, attempt: job.attemptsMade + 1 });
    } catch (e) {
      if (!(e instanceof BpmnError)) throw e;
      await onCase(rt, systemAccess(actor.system), data.caseId, { actor }, () => ({ type: 'throwError', eid: data.eid, code: e.code, message: e.message, variables: e.variables }));
      return;
    }
    // Refused (the element is gone or no longer waits): the case moved on; nothing to undo.
    await onCase(rt, systemAccess(actor.system), data.caseId, { actor }, () => ({ type: 'complete', eid: data.eid, variables: result ?? {} }));
  }, {
    concurrency: opts.concurrency,
    onFailed: async (job, error) => {
      const data = job.data as ServiceJobData;
      await onCase(rt, systemAccess(actor.system), data.caseId, { actor }, () => ({ type: 'failJob', eid: data.eid, retries: 0, message: `${type} failed after ${job.attemptsMade} attempts: ${error.message}` }));
    },
  });
}
