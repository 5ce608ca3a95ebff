// API benchmark: the HTTP API under fixed request rates with 10,000 open cases.
//
// `npm run bench:api [-- --json] [--seconds=10] [--warmup=3] [--cases=10000] [--pool=10]
//   [--scenarios=complete-task@200,inbox@100,inbox@200,case-view@200] [--in-process]
//   [--autocannon] [--no-idempotency-key] [--log=info] [--server-log=FILE] [--create-concurrency=6]
//   [--reference-rate=20] [--profile]`
//
// Everything happens in a throwaway database of its own (camau_benchapi_<random> on
// DATABASE_URL's server, or postgres://postgres@127.0.0.1:5432/test): migrated, seeded with one
// region / LA / school and a few HR officers of the LA, a one-user-task process whose task is
// offered to their role, and the open cases (started through runtime/ startCase, several at a
// time). So that `--cases` stay open while tasks are completed, the completions every
// complete-task run will make are started on top. The API server is the one `camau serve`
// runs (openRuntime + createApp, its pool of CAMAU_DB_POOL connections, logs at info to
// /dev/null, no workers), in a child process by default (the generator and the server do not
// share an event loop), on 127.0.0.1.
//
// Per scenario: a warm-up at the scenario's rate, then `--seconds` at a fixed rate, open model
// (bench/api-load.ts: sent on schedule, latency from the scheduled time to the last byte).
//   complete-task  POST /api/v1/cases/:id/tasks/:eid/complete, each on a different open task,
//                  with an Idempotency-Key (as a client that retries would send)
//   inbox          GET /api/v1/tasks?pageSize=25 (every open task is offered to the caller)
//   case-view      GET /api/v1/cases/:id of a random open case
// Requests go out as each HR officer in turn. The server traces each request (bench/api-trace.ts):
// its PostgreSQL round trips and pool waits, cut into its transactions, and the Node time between.
// `--autocannon` runs each scenario again through autocannon's overallRate as a cross-check.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { devToken } from '../api/auth.js';
import { autocannonRun, newPool, openLoop, TIMEOUT_MS, type CannonResult, type Req, type RunResult } from './api-load.js';
import { childServer, cpuMeter, inProcessServer, type CpuSample, type ServerHandle } from './api-procs.js';
import type { ServerReport } from './api-server.js';
import type { LabelStats } from './api-trace.js';
import { BENCH_KEY, benchRuntime, createBenchDb, createCases, openCaseCount, openTaskCount, seedWorld, serverUrl, WORLD, type OpenTask } from './api-world.js';

const args = process.argv.slice(2);
const flag = (name: string, dflt: string): string => {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : dflt;
};
const JSON_OUT = args.includes('--json');
const SECONDS = Number(flag('seconds', '10'));
const WARMUP = Number(flag('warmup', '3'));
const CASES = Number(flag('cases', '10000'));
const POOL = Number(flag('pool', process.env.CAMAU_DB_POOL ?? '10'));
const IN_PROCESS = args.includes('--in-process');
const AUTOCANNON = args.includes('--autocannon');
const IDEMPOTENCY = !args.includes('--no-idempotency-key');
const LOG_LEVEL = flag('log', 'info');
const SERVER_LOG = flag('server-log', '') || undefined;
const CREATE_CONCURRENCY = Number(flag('create-concurrency', '6'));
/** A complete-task run at a low rate after the scenarios: service times without queueing (0: none). */
const REFERENCE_RATE = Number(flag('reference-rate', '20'));
/** Profile the server's CPU in every run (by default only in the reference run). */
const PROFILE_ALL = args.includes('--profile');
const TARGET_P99_MS = 50;

type Kind = 'complete-task' | 'inbox' | 'case-view';
interface Scenario {
  name: Kind;
  rate: number;
}
const SCENARIOS: Scenario[] = flag('scenarios', 'complete-task@200,inbox@100,inbox@200,case-view@200').split(',').map((s) => {
  const [name, rate] = s.split('@');
  if (!['complete-task', 'inbox', 'case-view'].includes(name) || !(Number(rate) > 0)) throw new Error(`--scenarios: ${s} is not name@rate with name complete-task, inbox or case-view`);
  return { name: name as Kind, rate: Number(rate) };
});

const log = (line = '') => process.stdout.write(line + '\n');
const progress = (line: string) => process.stderr.write(line + '\n');
const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-GB', { minimumFractionDigits: d, maximumFractionDigits: d }) : 'n/a');
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Outcome {
  /** The low-rate complete-task run (not one of the scenarios). */
  reference: boolean;
  scenario: Scenario;
  run: RunResult;
  server: ServerReport;
  label?: LabelStats;
  cpu: CpuSample;
  openBefore: number;
  openAfter: number;
  warmupErrors: number;
  cannon?: CannonResult;
  /** How long the server went on working after the run (requests that timed out at the client). */
  drainSeconds: number;
}

/** Waits (up to 5 minutes) until the server has no request in progress; returns the seconds waited. */
async function drained(server: ServerHandle): Promise<number> {
  const t = performance.now();
  while ((await server.report()).inFlight > 0 && performance.now() - t < 300_000) await sleep(200);
  return (performance.now() - t) / 1000;
}

/** Tasks each complete-task run takes: warm-up + measured run (+ the autocannon run), with room. */
const completionsFor = (s: Scenario) => Math.ceil(s.rate * (WARMUP + SECONDS + (AUTOCANNON ? SECONDS + 1 : 0)) * 1.05) + 50;

async function main(): Promise<void> {
  const t0 = performance.now();
  const reference: Scenario[] = REFERENCE_RATE > 0 ? [{ name: 'complete-task', rate: REFERENCE_RATE }] : [];
  const extra = [...SCENARIOS, ...reference].filter((s) => s.name === 'complete-task').reduce((a, s) => a + completionsFor(s), 0);
  const total = CASES + extra;
  progress(`creating the benchmark database…`);
  const bench = await createBenchDb();
  let server: ServerHandle | undefined;
  const cleanup = async () => {
    await server?.close().catch(() => undefined);
    await bench.drop().catch((e) => progress(`could not drop ${bench.name}: ${(e as Error).message}`));
  };
  process.once('SIGINT', () => { progress('interrupted: cleaning up'); void cleanup().finally(() => process.exit(130)); });
  try {
    // Setup through runtime/: migrate, seed, deploy, start the cases.
    const rt = await benchRuntime(bench.url, CREATE_CONCURRENCY);
    let tasks: OpenTask[];
    let createSeconds: number;
    try {
      await seedWorld(rt);
      progress(`starting ${fmt(total)} cases (${CREATE_CONCURRENCY} at a time)…`);
      const c0 = performance.now();
      tasks = await createCases(rt, total, CREATE_CONCURRENCY, (n) => progress(`  ${fmt(n)} / ${fmt(total)}`));
      createSeconds = (performance.now() - c0) / 1000;
    } finally {
      await rt.db.close();
    }
    const v0 = performance.now();
    await bench.owner.raw('vacuum analyze');
    const vacuumSeconds = (performance.now() - v0) / 1000;
    const opened = await openCaseCount(bench.owner);
    if (opened !== total) throw new Error(`${total} cases were started but ${opened} are open`);

    const opts = { url: bench.url, pool: POOL, logLevel: LOG_LEVEL, logFile: SERVER_LOG };
    progress(`starting the API server (${IN_PROCESS ? 'in this process' : 'child process'})…`);
    server = IN_PROCESS ? await inProcessServer(opts) : await childServer(opts);
    const origin = `http://127.0.0.1:${server.port}`;
    const tokens = await Promise.all(WORLD.users.map((u) => devToken(u, new TextEncoder().encode(BENCH_KEY), '12h')));
    const bearer = (i: number) => `Bearer ${tokens[i % tokens.length]}`;

    let cursor = 0; // the next open task to complete
    let completedOk = 0;
    let completionsUnanswered = 0;
    const nextTask = () => {
      if (cursor >= tasks.length) throw new Error('ran out of open tasks: raise the completions budget');
      return tasks[cursor++];
    };
    const makers: Record<Kind, (i: number) => Req> = {
      'complete-task': (i) => {
        const t = nextTask();
        return {
          method: 'POST', path: `/api/v1/cases/${t.caseId}/tasks/${t.eid}/complete`,
          headers: { authorization: bearer(i), 'content-type': 'application/json', ...(IDEMPOTENCY ? { 'idempotency-key': randomUUID() } : {}) },
          body: JSON.stringify({ variables: { approved: true, note: `bench ${i}` } }),
        };
      },
      inbox: (i) => ({ method: 'GET', path: '/api/v1/tasks?pageSize=25', headers: { authorization: bearer(i) } }),
      'case-view': (i) => {
        const t = tasks[cursor + Math.floor(Math.random() * (tasks.length - cursor))];
        return { method: 'GET', path: `/api/v1/cases/${t.caseId}`, headers: { authorization: bearer(i) } };
      },
    };

    const outcomes: Outcome[] = [];
    const load0 = os.loadavg();
    for (const s of [...SCENARIOS, ...reference]) {
      await bench.owner.raw('checkpoint');
      await sleep(500);
      const openBefore = await openCaseCount(bench.owner);
      const make = makers[s.name];
      progress(`${s.name} @ ${s.rate}/s: warm-up ${WARMUP} s…`);
      const pool = newPool(origin);
      let warmupErrors = 0;
      if (WARMUP > 0) {
        const w = await openLoop(pool, s.rate, WARMUP, make);
        warmupErrors = w.errors;
        if (s.name === 'complete-task') {
          completedOk += w.requests - w.errors;
          completionsUnanswered += w.errors;
        }
        if (w.errors) progress(`  warm-up errors: ${JSON.stringify(w.errorsBy)} ${w.errorSamples.join(' | ')}`);
      }
      progress(`${s.name} @ ${s.rate}/s: ${SECONDS} s…`);
      const isReference = outcomes.length >= SCENARIOS.length;
      await server.reset(PROFILE_ALL || isReference);
      const meter = await cpuMeter(bench.owner);
      const run = await openLoop(pool, s.rate, SECONDS, make);
      const report = await server.report();
      const cpu = await meter(report.cpuSeconds);
      cpu.server = report.cpuSeconds / report.wallSeconds;
      if (IN_PROCESS) cpu.generator = NaN; // one process: its CPU is the server's and the generator's
      if (s.name === 'complete-task') {
        completedOk += run.requests - run.errors;
        completionsUnanswered += run.errors;
      }
      if (run.errors) progress(`  errors: ${JSON.stringify(run.errorsBy)} ${run.errorSamples.join(' | ')}`);
      let cannon: CannonResult | undefined;
      if (AUTOCANNON && outcomes.length < SCENARIOS.length) {
        progress(`${s.name} @ ${s.rate}/s: autocannon ${SECONDS} s…`);
        let n = 0;
        cannon = await autocannonRun(origin, s.rate, SECONDS, Math.max(10, Math.ceil(s.rate / 10)), () => make(n++));
        if (s.name === 'complete-task') {
          completedOk += cannon.requests - cannon.errors;
          completionsUnanswered += cannon.errors;
        }
      }
      await pool.close();
      const drain = await drained(server);
      if (drain > 1) progress(`  the server took ${fmt(drain, 1)} s more to finish requests the generator had given up on`);
      const openAfter = await openCaseCount(bench.owner);
      outcomes.push({ reference: isReference, scenario: s, run, server: report, label: report.labels.find((l) => l.label === s.name), cpu, openBefore, openAfter, warmupErrors, cannon, drainSeconds: drain });
    }

    // Every completion the API acknowledged is in the database, and no other.
    const completed = Number((await bench.owner.raw(`select count(*)::int as n from cases where status = 'completed'`)).rows[0].n);
    const openTasks = await openTaskCount(bench.owner);
    const pgVersion = (await bench.owner.raw('select version() as v')).rows[0].v as string;
    const settings = (await bench.owner.raw(`select name, setting from pg_settings where name in ('shared_buffers', 'synchronous_commit', 'max_connections')`)).rows as Array<{ name: string; setting: string }>;

    // ---- report ----
    const cpus = os.cpus();
    const load1 = os.loadavg();
    const main = outcomes.filter((o) => !o.reference);
    const other = (o: Outcome) => o.cpu.machine - (Number.isFinite(o.cpu.server) ? o.cpu.server : 0) - (Number.isFinite(o.cpu.postgres) ? o.cpu.postgres : 0) - (Number.isFinite(o.cpu.generator) ? o.cpu.generator : 0);
    log('Camau API benchmark (npm run bench:api)');
    log();
    log(`Workload: ${fmt(CASES)} open cases of a one-user-task process (start → "Review", offered to ${WORLD.role} → end), all at one school of one LA;`);
    log(`  ${fmt(extra)} more started so that ${fmt(CASES)} stay open while tasks are completed (${fmt(total)} in all); ${WORLD.users.length} HR officers of the LA take turns sending.`);
    log(`  Fixed request rates, open model: request i is sent at t0 + i/rate whatever the earlier ones are doing (undici Pool, up to 512 connections);`);
    log(`  latency = scheduled send → last byte of the response. Warm-up ${WARMUP} s at the same rate, then ${SECONDS} s measured; timeout ${TIMEOUT_MS / 1000} s.`);
    log(`  complete-task: POST /api/v1/cases/:id/tasks/:eid/complete, each on a different open task, body {"variables":{…}}${IDEMPOTENCY ? ', with an Idempotency-Key' : ''};`);
    log(`  inbox: GET /api/v1/tasks?pageSize=25 (every open task is offered to the caller); case-view: GET /api/v1/cases/:id of a random open case.`);
    log(`Setup: ${fmt(total)} cases started through runtime/ startCase, ${CREATE_CONCURRENCY} at a time, in ${fmt(createSeconds, 1)} s (${fmt(total / createSeconds)} cases/s); VACUUM ANALYZE ${fmt(vacuumSeconds, 1)} s.`);
    log(`Server: the API as \`camau serve\` builds it (openRuntime + createApp; no workers, no queues) in ${server.mode === 'child process' ? `a child process (pid ${server.pid})` : 'the benchmark\'s own process'} on 127.0.0.1;`);
    log(`  pool of ${POOL} connections, pino at ${LOG_LEVEL} to /dev/null, request tracer on (bench/api-trace.ts).`);
    log(`Machine: node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${fmt(os.totalmem() / 2 ** 30, 1)} GiB, ${os.platform()} ${os.release()}; load average ${load0.map((x) => fmt(x, 2)).join(' ')} before the scenarios, ${load1.map((x) => fmt(x, 2)).join(' ')} after`);
    log(`PostgreSQL: ${pgVersion.split(',')[0]} on ${new URL(serverUrl()).host} (${settings.map((x) => `${x.name}=${x.setting}`).join(', ')}), database ${bench.name}`);
    log();
    const row = (cells: Array<[string, number]>) => cells.map(([v, w]) => (w < 0 ? v.padEnd(-w) : v.padStart(w))).join('');
    const header = row([['scenario', -15], ['rate/s', 7], ['ok/s', 7], ['reqs', 7], ['p50 ms', 9], ['p90 ms', 9], ['p99 ms', 9], ['max ms', 9], ['errors', 8], ['open cases', 16], ['cores: server', 15], ['pg', 6], ['gen', 6], ['other', 7], ['CPU ms/req', 12]]);
    const line = (o: Outcome) => {
      const r = o.run;
      const perReq = ((Number.isFinite(o.cpu.server) ? o.cpu.server : 0) + (Number.isFinite(o.cpu.postgres) ? o.cpu.postgres : 0)) * 1000 / r.achievedRate;
      return row([[o.reference ? `${o.scenario.name}*` : o.scenario.name, -15], [fmt(o.scenario.rate), 7], [fmt(r.achievedRate), 7], [fmt(r.requests), 7], [fmt(r.p50Ms, 1), 9], [fmt(r.p90Ms, 1), 9], [fmt(r.p99Ms, 1), 9], [fmt(r.maxMs, 1), 9], [fmt(r.errors), 8], [`${fmt(o.openBefore)}→${fmt(o.openAfter)}`, 16], [fmt(o.cpu.server, 2), 15], [fmt(o.cpu.postgres, 2), 6], [fmt(o.cpu.generator, 2), 6], [fmt(other(o), 2), 7], [fmt(perReq, 2), 12]]);
    };
    log(header);
    for (const o of outcomes) log(line(o));
    log(`  ok/s: 2xx responses per second from the first scheduled send to the last response (below the rate: the server fell behind).`);
    log(`  cores: CPU of the server process, the PostgreSQL backends of this database, this process (the generator), and the rest of the machine;`);
    log(`  CPU ms/req: (server + PostgreSQL) CPU per 2xx response. ${REFERENCE_RATE > 0 ? `* the reference run at ${REFERENCE_RATE}/s (service times without queueing; not in --json).` : ''}`);
    const worst = Math.max(...outcomes.map(other).filter(Number.isFinite));
    if (worst > 0.25) log(`  NOTE: other work on this machine (other processes, other databases' backends, PostgreSQL's own background work) used up to ${fmt(worst, 2)} of ${cpus.length} cores during these runs; the figures are disturbed.`);
    log();
    log('Where the time goes, per request, as the server traced it (round trips and pool waits by transaction; Node time between):');
    for (const o of outcomes) {
      const r = o.run;
      const l = o.label;
      log();
      log(`${o.scenario.name} @ ${o.scenario.rate}/s${o.reference ? ' (reference)' : ''}: generator late p99 ${fmt(r.sendLateP99Ms, 1)} / max ${fmt(r.sendLateMaxMs, 1)} ms; up to ${r.maxInFlight} in flight; server event loop ${fmt(o.server.elu * 100)}% busy, delay p99 ${fmt(o.server.loopDelayP99Ms, 1)} / max ${fmt(o.server.loopDelayMaxMs, 1)} ms${r.errors ? `; errors ${JSON.stringify(r.errorsBy)}` : ''}${o.warmupErrors ? `; warm-up errors ${o.warmupErrors}` : ''}${o.drainSeconds > 1 ? `; the server needed ${fmt(o.drainSeconds, 1)} s more for requests the generator had given up on` : ''}`);
      if (!l) continue;
      log(`  server time (request parsed → response written): p50 ${fmt(l.serverP50Ms, 1)}, p99 ${fmt(l.serverP99Ms, 1)}, max ${fmt(l.serverMaxMs, 1)} ms; ${fmt(l.roundTripsPerRequest, 1)} round trips in ${fmt(l.transactionsPerRequest, 1)} transactions per request`);
      log(`  ${row([['phase (ms)', -68], ['mean', 10], ['p50', 10], ['p99', 10], ['slow 1%', 10], ['pool wait', 11], ['db', 8], ['node', 7], ['trips', 7]])}`);
      for (const p of l.phases) {
        const name = p.share < 0.999 ? `${p.name} (${fmt(p.share * 100)}%)` : p.name;
        const tx = p.roundTrips > 0;
        log(`  ${row([[name, -68], [fmt(p.meanMs, 2), 10], [fmt(p.p50Ms, 2), 10], [fmt(p.p99Ms, 2), 10], [fmt(p.slowMeanMs, 2), 10], [tx ? fmt(p.meanWaitMs, 2) : '', 11], [tx ? fmt(p.meanDbMs, 2) : '', 8], [tx ? fmt(p.meanNodeMs, 2) : fmt(p.meanMs, 2), 7], [tx ? fmt(p.roundTrips, 1) : '', 7]])}`);
      }
      if (!r.errors) log(`  client latency p50 − server time p50 (network, kernel queue, server event loop before the request is read): ${fmt(r.p50Ms - l.serverP50Ms, 1)} ms`);
      const pr = o.server.profile;
      if (pr) {
        const per = pr.busyMs / Math.max(1, l.requests);
        log(`  server CPU (V8 sampling profile, self time): ${fmt(pr.busyMs)} ms busy over ${fmt(l.requests)} requests = ${fmt(per, 2)} ms per request; by area:`);
        log(`    ${pr.areas.map((a) => `${a.name} ${fmt(a.share * 100, 1)}% (${fmt((a.ms / Math.max(1, l.requests)), 2)} ms)`).join(', ')}`);
        log(`    charged to the nearest package or Camau folder on the stack: ${pr.responsible.map((a) => `${a.name} ${fmt(a.share * 100, 1)}% (${fmt((a.ms / Math.max(1, l.requests)), 2)} ms)`).join(', ')}`);
        log(`    top functions: ${pr.functions.slice(0, 10).map((f) => `${f.name} [${f.where || f.area}] ${fmt(f.share * 100, 1)}%`).join('; ')}`);
      }
    }
    log(`  (phases: mean, p50, p99 over the requests; "slow 1%": the mean over the slowest 1% of requests by server time; pool wait / db (round trips as the client sees them) / node: means.)`);
    if (AUTOCANNON) {
      log();
      log('Cross-check with autocannon (overallRate: each connection sends back to back until its budget for the second is spent: bursts; closed-loop latencies):');
      for (const o of main) {
        const c = o.cannon!;
        log(`  ${o.scenario.name.padEnd(14)}${fmt(c.rate).padStart(5)}/s  reqs ${fmt(c.requests)}  p50 ${fmt(c.p50Ms, 1)}  p99 ${fmt(c.p99Ms, 1)}  max ${fmt(c.maxMs, 1)} ms  errors ${c.errors}`);
      }
    }
    log();
    // A request the generator gave up on (timeout) may still have completed its task on the server.
    const consistent = completed >= completedOk && completed <= completedOk + completionsUnanswered;
    log(`Check: ${fmt(completedOk)} completions acknowledged, ${fmt(completionsUnanswered)} unanswered (timeouts, errors), ${fmt(completed)} cases completed in the database${consistent ? '' : '  MISMATCH'}; ${fmt(openTasks)} tasks still open.`);
    for (const o of main.filter((x) => x.scenario.name === 'complete-task')) {
      const ok = o.run.p99Ms < TARGET_P99_MS && o.run.errors === 0 && o.openAfter >= CASES;
      log(`Target (issue 5): complete-task p99 < ${TARGET_P99_MS} ms at ${fmt(o.scenario.rate)}/s with ${fmt(CASES)} open cases: p99 ${fmt(o.run.p99Ms, 1)} ms, ${o.run.errors} errors, ${fmt(o.openAfter)} open at the end → ${ok ? 'met' : 'NOT met'}`);
    }
    log(`Total time ${fmt((performance.now() - t0) / 1000, 0)} s.`);
    if (JSON_OUT) {
      log(JSON.stringify({ scenarios: main.map((o) => ({ name: o.scenario.name, rate: o.scenario.rate, p50Ms: round(o.run.p50Ms), p99Ms: round(o.run.p99Ms), errors: o.run.errors })) }));
    }
    if (!consistent) process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

main().catch((e) => {
  progress((e as Error).stack ?? String(e));
  process.exit(1);
});
