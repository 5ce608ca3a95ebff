// A real worker process for the multi-process tests: the standard workers plus a 'send-letter'
// service-task worker that records each run (in table test_runs) and then takes
// CAMAU_TEST_JOB_MS to finish, so a test can kill it mid-job. With SMTP_URL set it also sends
// notifications, as `camau worker` does.
import { openRuntime } from '../../runtime/open.js';
import { startWorkers } from '../../workers/main.js';
import { queuesFromEnv } from '../../workers/queues/open.js';
import { createJobWorker } from '../../workers/job-worker.js';
import { mailerFromEnv } from '../../workers/notifications/index.js';

const rt = await openRuntime();
const queues = queuesFromEnv(rt.db);
const jobMs = Number(process.env.CAMAU_TEST_JOB_MS ?? 0);
const running = await startWorkers(rt, queues, {
  relayIdleMs: 20,
  ...(process.env.SMTP_URL ? { mailer: mailerFromEnv() } : {}),
  extra: (ctx) =>
    createJobWorker(ctx, 'send-letter', async (job) => {
      await rt.db.knex('test_runs').insert({ case_id: job.caseId, pid: process.pid });
      await new Promise((r) => setTimeout(r, jobMs));
      return { letterSent: true };
    }),
});
process.stdout.write('ready\n');
process.once('SIGTERM', async () => {
  await running.stop();
  await rt.db.close();
  process.exit(0);
});
