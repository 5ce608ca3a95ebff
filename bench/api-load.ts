// Load at a fixed request rate, open model: request i is sent at t0 + i / rate whether or not
// earlier ones have returned (undici Pool with enough connections that none waits for a free
// one), and its latency is measured from that scheduled time to the last byte of the response,
// so a stalled server (or a late generator) cannot hide behind fewer requests sent
// (no coordinated omission). How late the generator itself sent is reported apart.
//
// `autocannonRun` is the cross-check with autocannon's own rate limiting (overallRate): each
// connection sends back to back until its per-second budget is spent, then waits for the next
// second, so its requests come in bursts and its latencies are closed-loop figures.
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { Pool } from 'undici';
import { percentile } from './api-trace.js';

export interface Req {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface RunResult {
  rate: number;
  seconds: number;
  requests: number;
  /** Successful responses per second, from the first scheduled send to the last response. */
  achievedRate: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Non-2xx responses by status, plus `timeout` and `error` (connection errors). */
  errorsBy: Record<string, number>;
  errors: number;
  /** How late the generator sent, after the scheduled time (p99 and max, ms). */
  sendLateP99Ms: number;
  sendLateMaxMs: number;
  /** The most requests in flight at once. */
  maxInFlight: number;
  /** A sample of error bodies. */
  errorSamples: string[];
}

export const TIMEOUT_MS = 10_000;

export function newPool(origin: string): Pool {
  return new Pool(origin, { connections: 512, pipelining: 1, headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS, keepAliveTimeout: 60_000 });
}

/** Sends `make(i)` at `rate` per second for `seconds`; waits for every answer. */
export async function openLoop(pool: Pool, rate: number, seconds: number, make: (i: number) => Req): Promise<RunResult> {
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latencies = new Array<number>(total);
  const late = new Array<number>(total);
  const errorsBy: Record<string, number> = {};
  const errorSamples: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const pending: Promise<void>[] = [];
  const fail = (kind: string, sample: string) => {
    errorsBy[kind] = (errorsBy[kind] ?? 0) + 1;
    if (errorSamples.length < 5) errorSamples.push(sample.slice(0, 300));
  };

  const fire = (i: number, due: number) => {
    const r = make(i);
    const sent = performance.now();
    late[i] = sent - due;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    pending.push((async () => {
      try {
        const res = await pool.request({ method: r.method, path: r.path, headers: r.headers, body: r.body });
        const text = await res.body.text();
        if (res.statusCode < 200 || res.statusCode > 299) fail(String(res.statusCode), `${r.method} ${r.path} → ${res.statusCode} ${text}`);
      } catch (e) {
        const code = (e as { code?: string }).code ?? '';
        fail(/TIMEOUT/.test(code) ? 'timeout' : 'error', `${r.method} ${r.path} → ${code} ${(e as Error).message}`);
      } finally {
        latencies[i] = performance.now() - due;
        inFlight--;
      }
    })());
  };

  const t0 = performance.now() + 2;
  let i = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (i < total && t0 + i * interval <= now) {
        fire(i, t0 + i * interval);
        i++;
      }
      if (i >= total) return resolve();
      setTimeout(tick, Math.max(0, t0 + i * interval - performance.now()));
    };
    setTimeout(tick, 2);
  });
  await Promise.all(pending);
  const elapsed = (performance.now() - t0) / 1000;

  const sorted = [...latencies].sort((a, b) => a - b);
  const lateSorted = [...late].sort((a, b) => a - b);
  const errors = Object.values(errorsBy).reduce((a, b) => a + b, 0);
  return {
    rate, seconds, requests: total, achievedRate: (total - errors) / elapsed,
    p50Ms: percentile(sorted, 50), p90Ms: percentile(sorted, 90), p99Ms: percentile(sorted, 99), maxMs: sorted[sorted.length - 1],
    errorsBy, errors, sendLateP99Ms: percentile(lateSorted, 99), sendLateMaxMs: lateSorted[lateSorted.length - 1],
    maxInFlight, errorSamples,
  };
}

export interface CannonResult {
  rate: number;
  seconds: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
}

/** The same scenario through autocannon at overallRate (see the note at the top). */
export async function autocannonRun(origin: string, rate: number, seconds: number, connections: number, make: () => Req): Promise<CannonResult> {
  const first = make();
  const result = await autocannon({
    url: origin,
    connections,
    overallRate: rate,
    duration: seconds,
    timeout: TIMEOUT_MS / 1000,
    ignoreCoordinatedOmission: true,
    requests: [{
      method: first.method, path: first.path, headers: first.headers, body: first.body,
      setupRequest: (req) => {
        const r = make();
        return { ...req, method: r.method, path: r.path, headers: r.headers, body: r.body };
      },
    }],
  });
  const r = result as autocannon.Result & { latency: { p50: number; p99: number; max: number } };
  return {
    rate, seconds, requests: r.requests.total,
    p50Ms: r.latency.p50, p99Ms: r.latency.p99, maxMs: r.latency.max,
    errors: r.non2xx + r.errors + r.timeouts,
  };
}
