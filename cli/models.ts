// Loading workflow files for the command line: BPMN XML compiled by the engine, DMN XML
// (decisions that business-rule tasks call), or a TypeScript module exporting an XState
// machine made with setup().
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnyStateMachine } from 'xstate';
import { checkMachine, compileBpmn, compileDmn, hashSource, type CompiledDmn, type Definition, type Diagnostic } from '../engine/index.js';

/** A .dmn file loads as `decisions` and no definitions. */
export type Loaded = { ok: true; definitions: Definition[]; decisions?: CompiledDmn } | { ok: false; diagnostics: Diagnostic[] };

export async function loadModel(path: string): Promise<Loaded> {
  const abs = resolve(path);
  if (/\.(m?ts|m?js)$/.test(abs)) return loadMachine(abs);
  let xml: string;
  try {
    xml = await readFile(abs, 'utf8');
  } catch (e) {
    return { ok: false, diagnostics: [{ code: 'file-unreadable', message: `${path}: ${(e as Error).message}` }] };
  }
  if (abs.endsWith('.dmn')) {
    const dmn = await compileDmn(xml);
    return dmn.ok ? { ok: true, definitions: [], decisions: dmn.value } : { ok: false, diagnostics: dmn.failure };
  }
  const compiled = await compileBpmn(xml);
  if (!compiled.ok) return { ok: false, diagnostics: compiled.failure };
  const c = compiled.value;
  return {
    ok: true,
    definitions: Object.keys(c.processes).map((key) => ({ kind: 'bpmn' as const, compiled: c, ref: { kind: 'bpmn' as const, key, version: 1, hash: c.hash } })),
  };
}

async function loadMachine(abs: string): Promise<Loaded> {
  let mod: Record<string, unknown>;
  try {
    mod = await import(pathToFileURL(abs).href);
  } catch (e) {
    return { ok: false, diagnostics: [{ code: 'module-load', message: `${abs}: ${(e as Error).message}` }] };
  }
  const machines = [...new Set(Object.values(mod).filter(isMachine))];
  if (machines.length !== 1) {
    return { ok: false, diagnostics: [{ code: 'machine-export', message: `${abs} must export exactly one XState machine (found ${machines.length})` }] };
  }
  const machine = machines[0];
  const problems = checkMachine(machine);
  if (problems.length) return { ok: false, diagnostics: problems };
  const source = await readFile(abs, 'utf8');
  return { ok: true, definitions: [{ kind: 'xstate', machine, ref: { kind: 'xstate', key: machine.id, version: 1, hash: hashSource(source) } }] };
}

function isMachine(v: unknown): v is AnyStateMachine {
  return typeof v === 'object' && v !== null && (v as { config?: unknown }).config !== undefined && typeof (v as { transition?: unknown }).transition === 'function';
}

export function formatDiagnostics(ds: Diagnostic[]): string {
  return ds.map((d) => `${d.code}${d.elementId ? ` [${d.elementId}]` : ''}: ${d.message}`).join('\n');
}
