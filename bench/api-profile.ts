// Where the API server's CPU goes: a V8 sampling profile (node:inspector) summed by self time,
// by area (an npm package, a folder of this project, Node's internals, the garbage collector)
// and by function.
import { fileURLToPath } from 'node:url';

export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Sampled time not idle, ms. */
  busyMs: number;
  idleMs: number;
  areas: Array<{ name: string; ms: number; share: number }>;
  /**
   * The same time charged to the nearest caller that is a package or a folder of Camau (native
   * code, Node's internals and the garbage collector's time go to whoever was running then).
   */
  responsible: Array<{ name: string; ms: number; share: number }>;
  functions: Array<{ name: string; where: string; area: string; ms: number; share: number }>;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function areaOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native / V8)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.startsWith('node:')) return 'node internals';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  if (path.startsWith(ROOT)) {
    const rel = path.slice(ROOT.length);
    return `${rel.split('/')[0]}/ (Camau)`;
  }
  return 'other';
}

function whereOf(url: string, line: number): string {
  if (!url) return '';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const short = path.includes('node_modules/') ? path.slice(path.lastIndexOf('node_modules/') + 13) : path.startsWith(ROOT) ? path.slice(ROOT.length) : path;
  return `${short}:${line + 1}`;
}

export function summariseProfile(p: CpuProfile, top = 14): ProfileSummary {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000; // µs → ms: the time until the next sample
    self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + dt);
  }
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const generic = (a: string) => a.startsWith('(') || a === 'node internals';
  const responsibleOf = (id: number): string => {
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      if (!n) break;
      const a = areaOf(n.callFrame.url, n.callFrame.functionName);
      if (!generic(a) && a !== '(root)') return a;
    }
    return areaOf(byId.get(id)?.callFrame.url ?? '', byId.get(id)?.callFrame.functionName ?? '');
  };
  const responsible = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  const areas = new Map<string, number>();
  const fns = new Map<string, { name: string; where: string; area: string; ms: number }>();
  for (const [id, ms] of self) {
    const n = byId.get(id);
    if (!n) continue;
    const { functionName, url, lineNumber } = n.callFrame;
    if (functionName === '(idle)') {
      idle += ms;
      continue;
    }
    busy += ms;
    const area = areaOf(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + ms);
    const r = responsibleOf(id);
    responsible.set(r, (responsible.get(r) ?? 0) + ms);
    const where = whereOf(url, lineNumber);
    const key = `${functionName}@${where}`;
    const f = fns.get(key) ?? { name: functionName || '(anonymous)', where, area, ms: 0 };
    f.ms += ms;
    fns.set(key, f);
  }
  return {
    busyMs: busy, idleMs: idle,
    responsible: [...responsible.entries()].map(([name, ms]) => ({ name, ms, share: ms / busy })).sort((a, b) => b.ms - a.ms).slice(0, top),
    areas: [...areas.entries()].map(([name, ms]) => ({ name, ms, share: ms / busy })).sort((a, b) => b.ms - a.ms).slice(0, top),
    functions: [...fns.values()].map((f) => ({ ...f, share: f.ms / busy })).sort((a, b) => b.ms - a.ms).slice(0, top),
  };
}
