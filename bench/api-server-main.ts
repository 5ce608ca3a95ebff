// The API server of bench/api.ts in a child process of its own: started with its options in
// BENCH_API_SERVER (JSON), it answers the parent over IPC: `ready` with its port, then
// `reset`, `report` and `close` requests.
import { startBenchServer, type ServerOptions } from './api-server.js';

type Request = { id: number; type: 'reset' | 'report' | 'close'; profile?: boolean };

const send = (m: unknown) => new Promise<void>((resolve) => process.send!(m, () => resolve()));

async function main(): Promise<void> {
  if (!process.send) throw new Error('bench/api-server-main.ts runs as a child of bench/api.ts (it needs an IPC channel)');
  const opts = JSON.parse(process.env.BENCH_API_SERVER ?? '{}') as ServerOptions;
  const server = await startBenchServer(opts);
  process.on('message', async (m: Request) => {
    try {
      if (m.type === 'reset') {
        await server.reset(m.profile);
        await send({ id: m.id, ok: true });
      } else if (m.type === 'report') {
        await send({ id: m.id, ok: true, value: await server.report() });
      } else if (m.type === 'close') {
        await server.close();
        await send({ id: m.id, ok: true });
        process.exit(0);
      }
    } catch (e) {
      await send({ id: m.id, ok: false, error: (e as Error).stack ?? String(e) });
    }
  });
  // The parent went away: do not linger holding connections to its database.
  process.on('disconnect', () => { void server.close().finally(() => process.exit(0)); });
  await send({ type: 'ready', port: server.port, pid: process.pid });
}

main().catch((e) => {
  process.stderr.write(`api bench server: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
