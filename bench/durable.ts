// Durable benchmark: start → user task → complete → end through runtime/ on PostgreSQL, at
// several concurrencies, against the physical limit measured in the same run on the same
// database and pool (a raw single-row INSERT + UPDATE transaction).
//
// `npm run bench:durable [-- --json] [--seconds=5] [--warmup=1] [--levels=1,8,32] [--rounds=1] [--no-profile]`
//
// Everything happens in a throwaway database of its own (created, migrated, seeded, dropped).
// Per level: a fresh pool of `concurrency` connections; CHECKPOINT; the raw transaction loop;
// CHECKPOINT; the runtime loop; CHECKPOINT; the raw loop again. The ratio compares the runtime
// run with the mean of the two raw runs around it (all are printed), so drift during the level
// (autovacuum, WAL recycling, other load) falls on both sides. `--rounds=N` alternates N
// runtime runs with N + 1 raw runs and reports medians: steadier on a busy machine. CPU is sampled for this process, for the PostgreSQL server (its client
// backends of other databases excluded) and for the machine; what is left is "other" work.
// bytesPerCase is the growth of pg_total_relation_size of `cases` and every table referencing
// it, over the cases run in the level; the sum of pg_column_size of the live rows is printed too.
//
// Then a profile at concurrency 1 with every statement traced: round trips per command and
// their times, time in Node between them, the engine's share measured alone, and the server's
// planning / execution / foreign-key time per statement (EXPLAIN ANALYZE replay, with and
// without row-level security).
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Knex } from 'knex';
import { Database } from '../db/connection.js';
import { accessFor } from '../runtime/access.js';
import { systemClock } from '../runtime/clock.js';
import { completeTask } from '../runtime/commands/complete-task.js';
import { deployBpmn } from '../runtime/commands/deploy-definition.js';
import { verifyCase } from '../runtime/commands/history.js';
import { startCase } from '../runtime/commands/start-case.js';
import { DefinitionCache } from '../runtime/definitions.js';
import type { Runtime } from '../runtime/runtime.js';
import type { Access } from '../db/access.js';
import { chain, fromEngineEvent, type Actor } from '../engine/audit/index.js';
import { compileBpmn, openWaits, step, type BpmnDefinition, type InstanceState } from '../engine/index.js';
import { closedLoop, percentile, type LoadResult, type Timed } from './durable-load.js';
import { createRawTable, rawTx } from './durable-raw.js';
import { QueryTracer, shape, type TracedQuery } from './durable-trace.js';
import { explainReplay, type ReplayCost } from './durable-explain.js';
import { caseTables, createBenchDb, MODEL, nextMultixact, rowBytes, serverUrl, tableSizes, WORLD, type BenchDb } from './durable-world.js';

const args = process.argv.slice(2);
const flag = (name: string, dflt: string): string => {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : dflt;
};
const JSON_OUT = args.includes('--json');
const PROFILE = !args.includes('--no-profile');
const SECONDS = Number(flag('seconds', '5'));
const WARMUP = Number(flag('warmup', '1'));
const LEVELS = flag('levels', '1,8,32').split(',').map(Number);
const PROFILE_CASES = Number(flag('profile-cases', '300'));
const ROUNDS = Math.max(1, Number(flag('rounds', '1')));
const TARGET = 0.5;

const log = (line = '') => process.stdout.write(line + '\n');
const progress = (line: string) => process.stderr.write(line + '\n');
const fmt = (n: number, d = 0) => n.toLocaleString('en-GB', { minimumFractionDigits: d, maximumFractionDigits: d });
const round = (n: number, d: number) => Math.round(n * 10 ** d) / 10 ** d;

interface Level {
  concurrency: number;
  /** The runs in the order they ran: raw, runtime, raw, runtime, ..., raw. */
  raws: LoadResult[];
  durables: LoadResult[];
  /** Medians over the rounds. */
  rawTxPerSec: number;
  commandsPerSec: number;
  casesPerSec: number;
  /** Median of each runtime run's rate over the mean of the two raw runs around it. */
  ratio: number;
  /** Over every command of every runtime run. */
  p50Ms: number;
  p99Ms: number;
  /** pg_total_relation_size growth of the case tables over the level, per case run in it. */
  bytesPerCase: number;
  /** Sum of pg_column_size of one case's live rows (no indexes, no dead versions). */
  rowBytesPerCase: number;
  sizeDelta: Record<string, number>;
  tables: string[];
  casesRun: number;
  /** MultiXacts allocated per case during the runtime runs (shared FK locks on a hot parent row). */
  multixactsPerCase: number;
  rowDetail: { bytes: Record<string, number>; rows: Record<string, number>; cases: number };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const rate = (r: LoadResult) => r.ops / r.seconds;

const actor: Actor = { userId: WORLD.user, role: WORLD.role, organisationId: WORLD.la };

function runtimeOn(db: Database): Runtime {
  return { db, clock: systemClock, definitions: new DefinitionCache(), newId: randomUUID };
}

/** One case: start it, complete its user task; each command is timed by `op`. */
async function oneCase(rt: Runtime, access: Access, businessKey: string, n: number, op: Timed): Promise<string> {
  const started = await op(() => startCase(rt, access, { definitionKey: WORLD.processKey, schoolId: WORLD.school, businessKey, variables: { n }, actor }));
  if (!started.ok) throw new Error(`start-case failed: ${started.error.code} ${started.error.message}`);
  const [wait] = openWaits(started.value.state);
  if (!wait) throw new Error('start-case: the case is not waiting at the user task');
  const done = await op(() => completeTask(rt, access, started.value.caseId, wait.id, { approved: true }, { actor, expectedVersion: started.value.version }));
  if (!done.ok) throw new Error(`complete-task failed: ${done.error.code} ${done.error.message}`);
  if (done.value.state.status !== 'completed') throw new Error(`complete-task: the case is ${done.value.state.status}, not completed`);
  return started.value.caseId;
}

/** Client backends of other databases on the same server (other people's work, not this run's). */
async function foreignPids(owner: Knex): Promise<number[]> {
  const r = await owner.raw(`select pid from pg_stat_activity where backend_type = 'client backend' and datname is distinct from current_database()`);
  return (r.rows as Array<{ pid: number }>).map((x) => x.pid);
}

async function checkpoint(owner: Knex): Promise<void> {
  await owner.raw('checkpoint');
}

async function runLevel(bench: BenchDb, tables: string[], concurrency: number): Promise<Level> {
  const db = Database.open({ url: bench.url, poolMax: concurrency });
  try {
    const rt = runtimeOn(db);
    const { access } = await accessFor(rt, WORLD.user);
    const businessKey = `bench-c${concurrency}`;
    const opts = { foreignPids: () => foreignPids(bench.owner) };
    const raw = async (i: number) => {
      await checkpoint(bench.owner);
      progress(`  c=${concurrency}: raw transactions (${i + 1}/${ROUNDS + 1})…`);
      return closedLoop(concurrency, WARMUP * 1000, SECONDS * 1000, (w, n, op) => op(() => rawTx(db.knex, w, n)), opts);
    };
    let lastCase = '';
    const durable = async (i: number) => {
      await checkpoint(bench.owner);
      progress(`  c=${concurrency}: start + complete through runtime/ (${i + 1}/${ROUNDS})…`);
      return closedLoop(concurrency, WARMUP * 1000, SECONDS * 1000, async (w, n, op) => {
        lastCase = await oneCase(rt, access, businessKey, n, op);
      }, opts);
    };

    const raws = [await raw(0)];
    const durables: LoadResult[] = [];
    const mx0 = await nextMultixact(bench.owner);
    const before = await tableSizes(bench.owner, tables);
    let after = before;
    let mx1 = mx0;
    for (let i = 0; i < ROUNDS; i++) {
      durables.push(await durable(i));
      if (i === ROUNDS - 1) {
        // The raw runs never touch the case tables nor take shared row locks.
        after = await tableSizes(bench.owner, tables);
        mx1 = await nextMultixact(bench.owner);
      }
      raws.push(await raw(i + 1));
    }

    // Every case run in this level (warm-ups and drains included) must have finished, and one
    // of them must verify.
    const casesRun = durables.reduce((a, d) => a + d.allIterations, 0);
    const finished = await bench.owner('cases').where({ business_key: businessKey, status: 'completed' }).count<{ n: string }[]>('* as n');
    if (Number(finished[0].n) !== casesRun) throw new Error(`${casesRun} cases were run but ${finished[0].n} are completed`);
    const verified = await verifyCase(rt, access, lastCase);
    if (!verified.ok || !verified.value.ok) throw new Error(`verify of case ${lastCase} failed: ${JSON.stringify(verified)}`);

    const sizeDelta: Record<string, number> = {};
    let grown = 0;
    for (const t of tables) {
      sizeDelta[t] = after[t] - before[t];
      grown += sizeDelta[t];
    }
    const rowDetail = await rowBytes(bench.owner, tables, businessKey);
    const rowTotal = Object.values(rowDetail.bytes).reduce((a, b) => a + b, 0);

    const lat = durables.flatMap((d) => d.latencies).sort((a, b) => a - b);
    return {
      concurrency, raws, durables,
      rawTxPerSec: median(raws.map(rate)),
      commandsPerSec: median(durables.map(rate)),
      casesPerSec: median(durables.map((d) => d.iterations / d.seconds)),
      ratio: median(durables.map((d, i) => rate(d) / ((rate(raws[i]) + rate(raws[i + 1])) / 2))),
      p50Ms: percentile(lat, 50), p99Ms: percentile(lat, 99),
      bytesPerCase: grown / casesRun,
      rowBytesPerCase: rowTotal / rowDetail.cases,
      sizeDelta, tables, rowDetail, casesRun,
      multixactsPerCase: (mx1 - mx0) / casesRun,
    };
  } finally {
    await db.close();
  }
}

function printLevel(l: Level): void {
  const lat = (r: LoadResult) => [...r.latencies].sort((x, y) => x - y);
  const perOp = (cores: number, r: number) => (Number.isFinite(cores) ? fmt((cores * 1000) / r, 3) : 'n/a');
  const other = (r: LoadResult) => r.machineCores - r.nodeCores - (Number.isFinite(r.postgresCores) ? r.postgresCores : 0);
  const row = (name: string, r: LoadResult) => {
    const ls = lat(r);
    log(`  ${name.padEnd(18)}${fmt(rate(r)).padStart(8)}/s${fmt(percentile(ls, 50), 2).padStart(8)}${fmt(percentile(ls, 99), 2).padStart(8)}` +
      `${fmt(r.nodeCores, 2).padStart(7)}${(Number.isFinite(r.postgresCores) ? fmt(r.postgresCores, 2) : 'n/a').padStart(7)}${fmt(Math.max(0, other(r)), 2).padStart(7)}` +
      `${perOp(r.nodeCores, rate(r)).padStart(9)}${perOp(r.postgresCores, rate(r)).padStart(9)}`);
  };
  log(`concurrency ${l.concurrency} (pool ${l.concurrency}; each run ${SECONDS} s measured after ${WARMUP} s warm-up)`);
  log(`  ${''.padEnd(18)}${'rate'.padStart(10)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'   CPU cores: node / pg / other'.padStart(21)}${'  CPU ms per op: node / pg'}`);
  const tag = (what: string, i: number, n: number) => (n > 1 ? `${what} #${i + 1}` : what);
  l.raws.forEach((r, i) => {
    row(tag('raw tx', i, l.raws.length), r);
    if (l.durables[i]) row(tag('runtime commands', i, l.durables.length), l.durables[i]);
  });
  const worst = Math.max(...[...l.raws, ...l.durables].map(other));
  if (worst > 0.25) log(`  NOTE: other work on this machine (other processes, or clients of other databases) used up to ${fmt(worst, 2)} cores during these runs; the figures are disturbed`);
  log(`  cases/s ${fmt(l.casesPerSec)}   commands/s ${fmt(l.commandsPerSec)}   raw tx/s ${fmt(l.rawTxPerSec)}   ratio ${fmt(l.ratio, 3)}   target ≥ ${TARGET}: ${l.ratio >= TARGET ? 'MET' : 'MISSED'}` +
    (l.durables.length > 1 ? '   (medians over the rounds; ratio: each runtime run against the raw runs around it)' : '   (raw: mean of the runs before and after)'));
  const sizes = l.tables.filter((t) => l.sizeDelta[t] !== 0).map((t) => `${t} ${fmt(l.sizeDelta[t] / l.casesRun)}`).join(', ');
  log(`  bytes per finished case: ${fmt(l.bytesPerCase)} (growth of pg_total_relation_size over ${fmt(l.casesRun)} cases: ${sizes})`);
  const rows = l.tables.filter((t) => l.rowDetail.rows[t]).map((t) => `${t} ${fmt(l.rowDetail.rows[t] / l.rowDetail.cases, 1)} × ${fmt(l.rowDetail.bytes[t] / l.rowDetail.rows[t])} B`).join(', ');
  log(`  live row bytes per case: ${fmt(l.rowBytesPerCase)} (sum of pg_column_size, no indexes: ${rows})`);
  log(`  multixacts per case: ${fmt(l.multixactsPerCase, 2)}`);
  log();
}

// ---------------------------------------------------------------------------------------------
// Profile: round trips per command and where the time goes (concurrency 1, traced).
// ---------------------------------------------------------------------------------------------

interface CommandProfile {
  name: string;
  count: number;
  roundTrips: number;
  latencyMs: number;
  sqlMs: number;
  statements: Array<{ sql: string; ms: number }>;
}

/** Averages the commands that sent the most common sequence of statements (normally all of them). */
function summarise(name: string, all: Array<{ latency: number; queries: Array<{ sql: string; ms: number }> }>): CommandProfile {
  const key = (x: (typeof all)[number]) => x.queries.map((q) => shape(q.sql)).join('\n');
  const counts = new Map<string, number>();
  for (const x of all) counts.set(key(x), (counts.get(key(x)) ?? 0) + 1);
  const modal = [...counts].sort((p, q) => q[1] - p[1])[0][0];
  const spans = all.filter((x) => key(x) === modal);
  const n = spans.length;
  const statements = spans[0].queries.map((q, i) => ({ sql: shape(q.sql), ms: spans.reduce((acc, x) => acc + x.queries[i].ms, 0) / n }));
  return {
    name: n === all.length ? name : `${name} (${n} of ${all.length} commands sent these statements)`,
    count: n,
    roundTrips: statements.length,
    latencyMs: spans.reduce((acc, x) => acc + x.latency, 0) / n,
    sqlMs: statements.reduce((acc, x) => acc + x.ms, 0),
    statements,
  };
}

interface EngineCost {
  startUs: number;
  completeUs: number;
}

/** The engine's part of each command, alone: step + hash chain + snapshot JSON, as the runtime does it. */
async function engineCost(): Promise<EngineCost> {
  const c = await compileBpmn(MODEL);
  if (!c.ok) throw new Error('the benchmark model does not compile');
  const def: BpmnDefinition = { kind: 'bpmn', compiled: c.value, ref: { kind: 'bpmn', key: WORLD.processKey, version: 1, hash: c.value.hash } };
  const now = new Date().toISOString();
  const startOnce = (): InstanceState => {
    const r = step(def, null, { type: 'start', variables: { n: 1 } }, { now, actor });
    if (!r.ok) throw new Error('start');
    const h = chain(randomUUID(), undefined, r.value.events.map(fromEngineEvent), actor, now);
    JSON.stringify(r.value.state);
    for (const e of h) JSON.stringify(e.payload);
    return r.value.state;
  };
  const completeOnce = (s: InstanceState) => {
    const r = step(def, s, { type: 'complete', eid: openWaits(s)[0].id, variables: { approved: true } }, { now, actor });
    if (!r.ok) throw new Error('complete');
    const h = chain('00000000-0000-0000-0000-000000000000', { seq: 3, hash: '0'.repeat(64) }, r.value.events.map(fromEngineEvent), actor, now);
    JSON.stringify(r.value.state);
    for (const e of h) JSON.stringify(e.payload);
  };
  const time = (fn: () => void, ms: number) => {
    const t0 = performance.now();
    let n = 0;
    while (performance.now() - t0 < ms) {
      for (let k = 0; k < 50; k++) fn();
      n += 50;
    }
    return ((performance.now() - t0) * 1000) / n;
  };
  time(() => completeOnce(startOnce()), 300);
  const s = startOnce();
  return { startUs: time(() => startOnce(), 700), completeUs: time(() => completeOnce(s), 700) };
}

interface Profile {
  commands: CommandProfile[];
  raw: CommandProfile;
  engine: EngineCost;
  /** Server-side cost of one case's statements (start then complete), replayed with EXPLAIN ANALYZE. */
  explain: ReplayCost;
  explainRaw: ReplayCost;
}

type Span = { latency: number; queries: TracedQuery[] };

async function profile(bench: BenchDb): Promise<Profile> {
  const db = Database.open({ url: bench.url, poolMax: 1 });
  const tracer = new QueryTracer();
  try {
    const rt = runtimeOn(db);
    const { access } = await accessFor(rt, WORLD.user);
    const noop: Timed = (fn) => fn();
    for (let i = 0; i < 50; i++) await oneCase(rt, access, 'bench-profile-warm', i, noop);
    for (let i = 0; i < 50; i++) await rawTx(db.knex, 0, i);
    tracer.install(db.knex);
    const starts: Span[] = [];
    const completes: Span[] = [];
    const raws: Span[] = [];
    // One command at a time on a pool of one: the statements between a command's start and
    // end are exactly its transaction's.
    const traced = (into: Span[]): Timed => async (fn) => {
      const from = tracer.queries.length;
      const s = performance.now();
      const r = await fn();
      into.push({ latency: performance.now() - s, queries: tracer.queries.slice(from) });
      return r;
    };
    let k = 0;
    let lastCase = '';
    for (let i = 0; i < PROFILE_CASES; i++) {
      lastCase = await oneCase(rt, access, 'bench-profile', i, (fn) => traced(k++ % 2 === 0 ? starts : completes)(fn));
      await traced(raws)(() => rawTx(db.knex, 0, i));
    }
    tracer.uninstall();
    const caseQueries = [...starts[starts.length - 1].queries, ...completes[completes.length - 1].queries];
    const rawQueries = raws[raws.length - 1].queries;
    return {
      commands: [summarise('start-case', starts), summarise('complete-task', completes)],
      raw: summarise('raw INSERT + UPDATE', raws),
      engine: await engineCost(),
      explain: await explainReplay(bench.url, caseQueries, lastCase, 30),
      explainRaw: await explainReplay(bench.url, rawQueries, undefined, 30),
    };
  } finally {
    tracer.uninstall();
    await db.close();
  }
}

const clip = (sql: string, n = 110) => (sql.length > n ? sql.slice(0, n - 3) + '...' : sql);

function printProfile(p: Profile): void {
  log(`Profile at concurrency 1 (${PROFILE_CASES} cases, every statement traced; the tracer adds a little to each)`);
  for (const c of [...p.commands, p.raw]) {
    log(`  ${c.name}: ${c.roundTrips} round trips, ${fmt(c.latencyMs, 3)} ms per command; waiting on the server ${fmt(c.sqlMs, 3)} ms (${fmt((100 * c.sqlMs) / c.latencyMs)} %), in Node between round trips ${fmt(c.latencyMs - c.sqlMs, 3)} ms`);
    for (const s of c.statements) log(`    ${fmt(s.ms, 3).padStart(7)} ms  ${clip(s.sql, 130)}`);
  }
  const rt = p.commands.reduce((a, c) => a + c.roundTrips, 0) / p.commands.length;
  log(`  round trips per command: ${fmt(rt, 1)} on average (start ${p.commands[0].roundTrips}, complete ${p.commands[1].roundTrips}); the raw transaction: ${p.raw.roundTrips}`);
  log(`  engine alone (step + hash chain + JSON, no I/O): start ${fmt(p.engine.startUs, 1)} µs, complete ${fmt(p.engine.completeUs, 1)} µs`);
  log();
  const server = (title: string, r: ReplayCost) => {
    log(`  ${title}`);
    log(`    ${'plan ms'.padStart(8)}${'exec ms'.padStart(8)}${'of it FK'.padStart(9)}  ${'no-RLS plan / exec'.padEnd(19)} statement`);
    let plan = 0;
    let exec = 0;
    let fk = 0;
    let oPlan = 0;
    let oExec = 0;
    r.app.forEach((s, i) => {
      const o = r.owner[i];
      plan += s.planMs;
      exec += s.execMs;
      fk += s.triggerMs;
      oPlan += o.planMs;
      oExec += o.execMs;
      log(`    ${fmt(s.planMs, 3).padStart(8)}${fmt(s.execMs, 3).padStart(8)}${fmt(s.triggerMs, 3).padStart(9)}  ${`${fmt(o.planMs, 3)} / ${fmt(o.execMs, 3)}`.padEnd(19)} ${clip(s.sql, 90)}`);
    });
    log(`    ${fmt(plan, 3).padStart(8)}${fmt(exec, 3).padStart(8)}${fmt(fk, 3).padStart(9)}  ${`${fmt(oPlan, 3)} / ${fmt(oExec, 3)}`.padEnd(19)} total (without BEGIN, set_config and COMMIT)`);
  };
  log('Server-side cost per statement (EXPLAIN ANALYZE of the traced statements, replayed 30× in rolled-back transactions;');
  log('  as the user with RLS, and as the owner without RLS; "of it FK" = foreign-key trigger time inside exec)');
  server('one case (start-case, then complete-task):', p.explain);
  server('the raw transaction:', p.explainRaw);
  log();
}

async function main(): Promise<void> {
  const bench = await createBenchDb();
  // Interrupted: the throwaway database is still dropped.
  let interrupted = false;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      interrupted = true;
      progress(`  ${sig}: dropping ${bench.name}`);
      void bench.drop().finally(() => process.exit(130));
    });
  }
  let failed = false;
  try {
    const setup = Database.open({ url: bench.url, poolMax: 1 });
    try {
      const rt = runtimeOn(setup);
      const deployed = await deployBpmn(rt, MODEL, WORLD.user);
      if (!deployed.ok) throw new Error(`deploy failed: ${deployed.error.message}`);
      await createRawTable(setup.knex);
    } finally {
      await setup.close();
    }
    const version = (await bench.owner.raw('select version() as v')).rows[0].v as string;
    const settings = (await bench.owner.raw(`select name, setting, unit from pg_settings where name in ('synchronous_commit', 'fsync', 'shared_buffers', 'max_connections', 'wal_level')`)).rows as Array<{ name: string; setting: string; unit: string | null }>;

    const cpus = os.cpus();
    log('Camau durable benchmark (bench/durable.ts)');
    log('Workload: a BPMN process start → user task → end, deployed with runtime/commands/deploy-definition.');
    log('  One case = startCase (a user access from accessFor: RLS role camau_app, tenant settings) then');
    log('  completeTask with the expected version; each command is one transaction (lock, step, hash-chained');
    log('  events, snapshot, projections, outbox). N workers each loop over their own cases for a fixed time.');
    log('Physical limit: BEGIN; INSERT INTO bench_raw ... RETURNING id; UPDATE bench_raw ... WHERE id = $1; COMMIT;');
    log('  through the same knex + pg pool, same database, same concurrency, measured before and after the runtime.');
    log(`Machine: node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${fmt(os.totalmem() / 2 ** 30, 1)} GiB, ${os.platform()} ${os.release()}`);
    log(`PostgreSQL: ${version}`);
    log(`  ${settings.map((s) => `${s.name}=${s.setting}${s.unit ? ` (${s.unit})` : ''}`).join(', ')}`);
    log(`  server ${new URL(serverUrl()).host}, throwaway database ${bench.name}`);
    log(`Levels: ${LEVELS.join(', ')}; ${ROUNDS} round${ROUNDS > 1 ? 's' : ''}; ${WARMUP} s warm-up + ${SECONDS} s measured per run; latency = one command (one transaction), client side.`);
    log();

    const tables = await caseTables(bench.owner);
    const levels: Level[] = [];
    for (const c of LEVELS) {
      const l = await runLevel(bench, tables, c);
      levels.push(l);
      printLevel(l);
    }

    log('Summary');
    log(`  ${'conc'.padStart(4)}${'cases/s'.padStart(9)}${'cmds/s'.padStart(9)}${'raw tx/s'.padStart(10)}${'ratio'.padStart(7)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'B/case'.padStart(9)}  target`);
    for (const l of levels) {
      log(`  ${String(l.concurrency).padStart(4)}${fmt(l.casesPerSec).padStart(9)}${fmt(l.commandsPerSec).padStart(9)}${fmt(l.rawTxPerSec).padStart(10)}${fmt(l.ratio, 2).padStart(7)}${fmt(l.p50Ms, 2).padStart(8)}${fmt(l.p99Ms, 2).padStart(8)}${fmt(l.bytesPerCase).padStart(9)}  ${l.ratio >= TARGET ? 'met' : 'MISSED'} (≥ ${TARGET})`);
    }
    log();

    if (PROFILE) {
      progress('  profile…');
      try {
        printProfile(await profile(bench));
      } catch (e) {
        // The figures above stand without it.
        log(`Profile failed: ${e instanceof Error ? e.message : String(e)}`);
        log();
      }
    }

    if (JSON_OUT) {
      log(JSON.stringify({
        levels: levels.map((l) => ({
          concurrency: l.concurrency,
          commandsPerSec: round(l.commandsPerSec, 1),
          rawTxPerSec: round(l.rawTxPerSec, 1),
          ratio: round(l.ratio, 3),
          p50Ms: round(l.p50Ms, 3),
          p99Ms: round(l.p99Ms, 3),
          bytesPerCase: Math.round(l.bytesPerCase),
        })),
      }));
    }
  } catch (e) {
    failed = true;
    if (!interrupted) process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  } finally {
    await bench.drop();
  }
  if (failed) process.exitCode = 1;
}

await main();
