// `camau replay <case> [--at <seq>]` and `camau verify <case>`: for operators and auditors.
import { systemAccess } from '../db/access.js';
import { readFile } from 'node:fs/promises';
import { activeElements, type InstanceState } from '../engine/index.js';
import { verifyHistory, type HistoryEvent } from '../engine/audit/index.js';
import { replayCase, verifyCase } from '../runtime/commands/history.js';
import type { Runtime } from '../runtime/runtime.js';

export async function replay(rt: Runtime, caseId: string, at: number | undefined, out: (s: string) => void): Promise<number> {
  const r = await replayCase(rt, systemAccess('camau replay'), caseId, at);
  if (!r.ok) {
    out(`${r.error.code}: ${r.error.message}`);
    return r.error.code === 'NOT_FOUND' ? 2 : 1;
  }
  const s = r.value.state;
  out(JSON.stringify({ case: caseId, seq: r.value.seq, of: r.value.events, status: s.status, active: activeElements(s), variables: s.vars, timers: Object.values(s.timers).map((t) => ({ element: t.el, dueAt: t.dueAt })), incidents: Object.values(s.incidents) }, null, 2));
  return 0;
}

export async function verify(rt: Runtime, caseId: string, out: (s: string) => void): Promise<number> {
  const r = await verifyCase(rt, systemAccess('camau verify'), caseId);
  if (!r.ok) {
    out(`${r.error.code}: ${r.error.message}`);
    return 2;
  }
  if (r.value.ok) {
    out(`case ${caseId}: intact (${r.value.events} events, last hash ${r.value.lastHash})`);
    return 0;
  }
  out(`case ${caseId}: BROKEN at seq ${r.value.seq} (${r.value.reason}): ${r.value.message}`);
  return 1;
}

/** Checks an exported case bundle (GET /api/v1/cases/:id/export) offline. */
export async function verifyBundle(path: string, out: (s: string) => void): Promise<number> {
  let bundle: { format?: string; case?: { id?: string }; head?: { seq: number; hash: string }; snapshot?: unknown; events?: HistoryEvent[] };
  try {
    bundle = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    out(`${path}: ${(e as Error).message}`);
    return 2;
  }
  if (bundle.format !== 'camau-case-bundle/1' || !Array.isArray(bundle.events)) {
    out(`${path} is not a Camau case bundle (format camau-case-bundle/1)`);
    return 2;
  }
  const r = verifyHistory(bundle.events, bundle.snapshot as InstanceState, bundle.head);
  if (r.ok) {
    out(`bundle of case ${bundle.case?.id}: intact (${r.events} events, last hash ${r.lastHash})`);
    return 0;
  }
  out(`bundle of case ${bundle.case?.id}: BROKEN at seq ${r.seq} (${r.reason}): ${r.message}`);
  return 1;
}
