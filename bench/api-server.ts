// The API server under test, as `camau serve` builds it (openRuntime + createApp; no workers,
// no queues), listening on 127.0.0.1 behind the request tracer (bench/api-trace.ts). Run in a
// child process by bench/api-server-main.ts, or in the benchmark's own process (--in-process).
import { createServer, type Server } from 'node:http';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import pino from 'pino';
import { createApp } from '../api/app.js';
import { DEV_AUDIENCE, DEV_ISSUER } from '../api/auth.js';
import { summariseProfile, type CpuProfile, type ProfileSummary } from './api-profile.js';
import { Tracer, type LabelStats } from './api-trace.js';
import { BENCH_KEY, benchRuntime } from './api-world.js';

export interface ServerOptions {
  url: string;
  /** Connections in the server's pool (CAMAU_DB_POOL; `camau serve` defaults to 10). */
  pool: number;
  /** pino level; the lines go to /dev/null (what `camau serve` pays for its logs, less the terminal). */
  logLevel: string;
  /** Where the log lines go instead (to see what a 500 was). */
  logFile?: string;
}

export interface ServerReport {
  pid: number;
  /** CPU seconds of the server process since the last reset. */
  cpuSeconds: number;
  wallSeconds: number;
  /** Event-loop utilisation since the last reset (0..1). */
  elu: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** Requests still being worked on. */
  inFlight: number;
  labels: LabelStats[];
  /** Where the server's CPU went, when the run was profiled. */
  profile?: ProfileSummary;
}

export interface BenchServer {
  port: number;
  pid: number;
  /** Starts a new measurement; `profile`: sample the CPU (V8 profiler) until the report. */
  reset(profile?: boolean): Promise<void>;
  report(): Promise<ServerReport>;
  close(): Promise<void>;
}

export async function startBenchServer(o: ServerOptions): Promise<BenchServer> {
  const rt = await benchRuntime(o.url, o.pool);
  const tracer = new Tracer(rt.db.knex);
  const app = createApp({
    rt,
    auth: { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, key: new TextEncoder().encode(BENCH_KEY), algorithms: ['HS256'] },
    log: pino({ level: o.logLevel }, pino.destination({ dest: o.logFile ?? '/dev/null', sync: true })),
  });
  const server: Server = createServer(tracer.wrap(app.callback()));
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  let cpu0 = process.cpuUsage();
  let t0 = performance.now();
  let elu0 = performance.eventLoopUtilization();
  let profiler: Session | undefined;
  return {
    port: (server.address() as AddressInfo).port,
    pid: process.pid,
    async reset(profile = false) {
      if (profiler) await profiler.post('Profiler.stop').catch(() => undefined);
      profiler = undefined;
      if (profile) {
        profiler = new Session();
        profiler.connect();
        await profiler.post('Profiler.enable');
        await profiler.post('Profiler.setSamplingInterval', { interval: 250 });
        await profiler.post('Profiler.start');
      }
      tracer.reset();
      delay.reset();
      cpu0 = process.cpuUsage();
      t0 = performance.now();
      elu0 = performance.eventLoopUtilization();
    },
    async report() {
      const c = process.cpuUsage(cpu0);
      let profile: ProfileSummary | undefined;
      if (profiler) {
        const { profile: p } = await profiler.post('Profiler.stop');
        profiler.disconnect();
        profiler = undefined;
        profile = summariseProfile(p as unknown as CpuProfile);
      }
      return {
        profile,
        pid: process.pid,
        cpuSeconds: (c.user + c.system) / 1e6,
        wallSeconds: (performance.now() - t0) / 1000,
        elu: performance.eventLoopUtilization(elu0).utilization,
        loopDelayP99Ms: delay.percentile(99) / 1e6,
        loopDelayMaxMs: delay.max / 1e6,
        inFlight: tracer.inFlight,
        labels: tracer.summary(),
      };
    },
    async close() {
      delay.disable();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rt.db.close();
    },
  };
}
