// Timing and memory helpers for the benchmarks: fixed-time rounds, medians, heap per object.

export function collect(): void {
  if (typeof globalThis.gc !== 'function') throw new Error('Run with node --expose-gc (npm run bench:engine does)');
  globalThis.gc();
  globalThis.gc();
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** A round's figures: instances per second of wall-clock time and per second of this process's CPU time. */
export interface Rate {
  wall: number;
  cpu: number;
}

const cpuMicros = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return u.user + u.system;
};

/** Runs `run(i)` back to back for `ms` milliseconds. */
export function rateSync(run: (i: number) => unknown, ms: number): Rate {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const until = t0 + ms;
  let n = 0;
  let now = t0;
  while (now < until) {
    // Batches of 16 keep the clock reads out of the measurement.
    for (let k = 0; k < 16; k++) run(n++);
    now = performance.now();
  }
  return { wall: (n * 1000) / (now - t0), cpu: (n * 1e6) / cpuMicros(c0) };
}

/** As rateSync, for an asynchronous run: one instance at a time, each awaited. */
export async function rateAsync(run: (i: number) => Promise<unknown>, ms: number): Promise<Rate> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const until = t0 + ms;
  let n = 0;
  let now = t0;
  while (now < until) {
    await run(n++);
    now = performance.now();
  }
  return { wall: (n * 1000) / (now - t0), cpu: (n * 1e6) / cpuMicros(c0) };
}

/** Heap bytes per object: builds `count` objects with `make`, holds them, and measures heapUsed around it. */
export async function heapPer<T>(count: number, make: (i: number) => T | Promise<T>): Promise<number> {
  const held: T[] = [];
  held.length = 0;
  collect();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < count; i++) held.push(await make(i));
  collect();
  const after = process.memoryUsage().heapUsed;
  if (held.length !== count) throw new Error('lost objects');
  return (after - before) / count;
}
