// Engine benchmark: Camau's pure core against bpmn-engine (npm), same workloads, same process,
// same run. `npm run bench:engine [-- --json] [--seconds=2] [--rounds=3] [--warmup=1]`
//
// Each workload runs for both engines: a warm-up, then rounds of fixed duration, alternating
// Camau and the peer, with a GC between rounds; the figure is the median round.
// Also: the JSON size and heap size of a waiting Camau instance of (c), and the peer's.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { camauDefinition, checkCamau, runCamau, startWaiting } from './camau.js';
import { checkPeer, peerModel, peerStartWaiting, peerState, runPeer } from './peer.js';
import { collect, heapPer, median, rateAsync, rateSync, type Rate } from './measure.js';
import { DESCRIPTIONS, type WorkloadName } from './models.js';

const args = process.argv.slice(2);
const flag = (name: string, dflt: number): number => {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.slice(name.length + 3)) : dflt;
};
const JSON_OUT = args.includes('--json');
const SECONDS = flag('seconds', 2);
const ROUNDS = flag('rounds', 3);
const WARMUP = flag('warmup', 1);
const HELD = flag('held', 10_000);
const PEER_HELD = flag('peer-held', 1_000);

const NAMES: WorkloadName[] = ['a', 'b', 'c', 'd'];
const SHORT: Record<WorkloadName, string> = { a: '10 sequential jobs', b: '8-way fork/join', c: 'user task + XOR', d: '(c) + JSON round trip' };

interface Row {
  name: WorkloadName;
  /** Median wall-clock instances/s. */
  camau: number;
  peer: number;
  ratio: number;
  /** Median instances per CPU-second of the process (less sensitive to other load on the machine). */
  camauCpu: number;
  peerCpu: number;
  camauRounds: Rate[];
  peerRounds: Rate[];
}

const log = (line = '') => process.stdout.write(line + '\n');
const progress = (line: string) => process.stderr.write(line + '\n');
const int = (n: number) => Math.round(n).toLocaleString('en-GB');
const pad = (s: string, n: number) => s.padStart(n);

async function bench(name: WorkloadName): Promise<Row> {
  const def = await camauDefinition(name);
  const peer = await peerModel(name);
  // Both engines must run the workload as the model says before they are timed.
  for (const i of [0, 1]) {
    checkCamau(name, runCamau(name, def, i), i);
    await checkPeer(peer, i);
  }
  const camau = (i: number) => runCamau(name, def, i);
  const other = (i: number) => runPeer(peer, i);
  rateSync(camau, WARMUP * 1000);
  await rateAsync(other, WARMUP * 1000);
  const camauRounds: Rate[] = [];
  const peerRounds: Rate[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    collect();
    camauRounds.push(rateSync(camau, SECONDS * 1000));
    collect();
    peerRounds.push(await rateAsync(other, SECONDS * 1000));
  }
  const c = median(camauRounds.map((x) => x.wall));
  const p = median(peerRounds.map((x) => x.wall));
  progress(`  (${name}) camau rounds ${camauRounds.map((x) => int(x.wall)).join(' / ')}; bpmn-engine rounds ${peerRounds.map((x) => int(x.wall)).join(' / ')}`);
  return {
    name, camau: c, peer: p, ratio: c / p,
    camauCpu: median(camauRounds.map((x) => x.cpu)), peerCpu: median(peerRounds.map((x) => x.cpu)),
    camauRounds, peerRounds,
  };
}

async function main(): Promise<void> {
  const cpus = os.cpus();
  const peerVersion = (JSON.parse(readFileSync(new URL('../node_modules/bpmn-engine/package.json', import.meta.url), 'utf8')) as { version: string }).version;
  log('Camau engine benchmark (bench/engine.ts)');
  log('Workloads, each run to its end event (instances/s, one instance at a time):');
  for (const n of NAMES) log(`  (${n}) ${DESCRIPTIONS[n]}`);
  log('Camau: compiled once; one instance = `start` + one `complete` command per wait (each a full step(), service tasks are jobs).');
  log(`Peer: bpmn-engine ${peerVersion}, XML parsed once and its serialised context shared; a fresh Engine per instance;`);
  log('  service tasks call back at once (synchronously); the user task is signalled { approved }, its result');
  log('  put in environment.output for the condition ${environment.output.approved}; no-op Logger.');
  log('  (d): getState() without the embedded source -> JSON -> new Engine().recover() -> resume() -> signal.');
  log(`Method: ${WARMUP} s warm-up per engine, then ${ROUNDS} rounds of ${SECONDS} s alternating the engines, GC between rounds; median round.`);
  log(`Machine: node ${process.version}, ${cpus[0]?.model ?? 'unknown CPU'} x${cpus.length}, ${os.platform()} ${os.arch()}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  log();

  const rows: Row[] = [];
  for (const n of NAMES) {
    progress(`running (${n})...`);
    rows.push(await bench(n));
  }

  // A waiting Camau instance of (c): its JSON and its heap footprint.
  const def = await camauDefinition('c');
  const waiting = startWaiting(def);
  const waitingJsonBytes = Buffer.byteLength(JSON.stringify(waiting));
  const waitingHeapBytes = await heapPer(HELD, () => startWaiting(def));
  const restoredHeapBytes = await heapPer(HELD, () => JSON.parse(JSON.stringify(startWaiting(def))) as unknown);

  // The peer's equivalents.
  const pm = await peerModel('c');
  const pEngine = await peerStartWaiting(pm);
  const peerJsonFull = Buffer.byteLength(JSON.stringify(await peerState(pEngine, true)));
  const peerJsonLean = Buffer.byteLength(JSON.stringify(await peerState(pEngine, false)));
  const peerHeapBytes = await heapPer(PEER_HELD, () => peerStartWaiting(pm));
  collect();

  log('workload                   camau inst/s   bpmn-engine inst/s   camau/peer   | per CPU-second: camau   bpmn-engine   camau/peer');
  for (const r of rows) {
    log(
      `(${r.name}) ${SHORT[r.name].padEnd(22)} ${pad(int(r.camau), 12)}   ${pad(r.peer.toFixed(1), 18)}   ${pad(r.ratio.toFixed(1) + 'x', 10)}   | ` +
        `${pad(int(r.camauCpu), 21)}   ${pad(r.peerCpu.toFixed(1), 11)}   ${pad((r.camauCpu / r.peerCpu).toFixed(1) + 'x', 10)}`,
    );
  }
  log('(inst/s: wall clock, median round; per CPU-second: instances per second of this process\'s CPU time, median round)');
  log();
  log(`Waiting instance of (c), Camau: JSON ${waitingJsonBytes} bytes; heap ${int(waitingHeapBytes)} bytes per instance (${int(HELD)} held as step() returns them), ${int(restoredHeapBytes)} bytes each when restored from JSON`);
  log(`Waiting instance of (c), bpmn-engine: getState() JSON ${int(peerJsonFull)} bytes (${int(peerJsonLean)} without its embedded definition source); heap ${int(peerHeapBytes)} bytes per waiting Engine (${int(PEER_HELD)} held)`);
  log(`Targets: camau/peer >= 50x on each workload: ${rows.every((r) => r.ratio >= 50) ? 'met' : 'MISSED on ' + rows.filter((r) => r.ratio < 50).map((r) => r.name).join(', ')}; waiting JSON <= 1024 bytes: ${waitingJsonBytes <= 1024 ? 'met' : 'MISSED'}; heap <= 5120 bytes: ${waitingHeapBytes <= 5120 ? 'met' : 'MISSED'}`);
  log(`Load average at the end: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);

  if (JSON_OUT) {
    const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
    log(
      JSON.stringify({
        workloads: rows.map((r) => ({ name: r.name, camau: Math.round(r.camau), peer: round(r.peer), ratio: round(r.ratio) })),
        waitingJsonBytes,
        waitingHeapBytes: Math.round(waitingHeapBytes),
      }),
    );
  }
}

await main();
