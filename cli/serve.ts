// `camau serve`: the API, the web pages and the workers in one process. With no DATABASE_URL
// and no REDIS_URL it runs on the embedded defaults (PGlite in ./.camau, in-process queues)
// and, if the database is empty, loads the demo region and its cases so there is something to try.
import { systemAccess } from '../db/access.js';
import { openRuntime } from '../runtime/open.js';
import { createApp } from '../api/app.js';
import { authFromEnv } from '../api/auth.js';
import { mountWeb } from '../web/index.js';
import { startWorkers } from '../workers/main.js';
import { queuesFromEnv } from '../workers/queues/open.js';
import { mailerFromEnv } from '../workers/notifications/index.js';
import { seedDemo } from '../workflows/demo/seed.js';
import { seedDemoCases } from '../workflows/demo/cases.js';
import { deployBundled } from '../workflows/deploy.js';

export async function serve(out: (s: string) => void): Promise<() => Promise<void>> {
  const rt = await openRuntime();
  const empty = Number((await rt.db.transaction(systemAccess('serve'), (trx) => trx('organisations').count<{ count: string }[]>('* as count')))[0].count) === 0;
  const demo = empty && (!process.env.DATABASE_URL || process.env.CAMAU_DEMO === '1');
  if (demo) await seedDemo(rt.db);
  await deployBundled(rt);
  // The demo cases need the bundled workflows deployed first.
  if (demo) out(`loaded the demo region and ${(await seedDemoCases(rt)).length} demo cases (camau seed-demo)`);
  const queues = queuesFromEnv(rt.db);
  const workers = await startWorkers(rt, queues, { mailer: mailerFromEnv(), onError: (where, e) => out(`${where}: ${(e as Error).message}`) });
  const app = createApp({ rt, auth: authFromEnv(), queues, extra: (router) => mountWeb(router, rt) });
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '127.0.0.1';
  const server = app.listen(port, host);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  out(`Camau is running at http://${host}:${port}/  (API docs: http://${host}:${port}/docs; ${rt.db.kind === 'pg' ? 'PostgreSQL' : 'PGlite in ' + (process.env.CAMAU_DATA_DIR ?? './.camau')}, ${queues.kind} queues)`);
  return async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await workers.stop();
    await rt.db.close();
  };
}
