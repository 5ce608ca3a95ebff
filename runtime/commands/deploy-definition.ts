// deploy-definition: compile and store a BPMN model or a DMN file, or register a bundled
// statechart. The same source deployed again returns the version that already holds it;
// instances stay pinned to the version they started on. Decisions are not pinned: a
// business-rule task calls the latest version of its decision (runtime/definitions.ts).
import type { Knex } from 'knex';
import { systemAccess } from '../../db/access.js';
import { insertDefinition, latestDefinition } from '../../db/repositories/definitions.js';
import type { DefinitionRow } from '../../db/repositories/rows.js';
import { checkMachine, compileBpmn, compileDmn, hashSource } from '../../engine/index.js';
import { err, invalidModel, ok, type Outcome } from '../errors.js';
import type { Runtime } from '../runtime.js';

export interface Deployed {
  id: string;
  key: string;
  version: number;
  hash: string;
  /** False when the same source was already deployed (its existing version is returned). */
  created: boolean;
}

export async function deployBpmn(rt: Runtime, source: string, deployedBy: string): Promise<Outcome<Deployed[]>> {
  const compiled = await compileBpmn(source);
  if (!compiled.ok) return invalidModel(compiled.failure);
  const c = compiled.value;
  return rt.db.transaction(systemAccess(`deploy by ${deployedBy}`), async (trx) => {
    const clash = await keyOfAnotherKind(trx, c.executable, 'bpmn');
    if (clash) return clash;
    const out: Deployed[] = [];
    for (const key of c.executable) {
      const { row, created } = await insertDefinition(trx, { key, kind: 'bpmn', flavour: c.flavour, source, hash: c.hash, deployedBy });
      out.push({ id: String(row.id), key, version: row.version, hash: row.hash, created });
    }
    return ok(out);
  });
}

/**
 * Stores a DMN file (as Camunda Modeler saves it) as one definition per decision, keyed by the
 * decision id, each holding the whole file. An LA replaces a table by deploying the edited file.
 */
export async function deployDmn(rt: Runtime, source: string, deployedBy: string): Promise<Outcome<Deployed[]>> {
  const compiled = await compileDmn(source);
  if (!compiled.ok) return invalidModel(compiled.failure);
  const c = compiled.value;
  const keys = Object.keys(c.decisions);
  return rt.db.transaction(systemAccess(`deploy by ${deployedBy}`), async (trx) => {
    const clash = await keyOfAnotherKind(trx, keys, 'dmn');
    if (clash) return clash;
    const out: Deployed[] = [];
    for (const key of keys) {
      const { row, created } = await insertDefinition(trx, { key, kind: 'dmn', source, hash: c.hash, deployedBy });
      out.push({ id: String(row.id), key, version: row.version, hash: row.hash, created });
    }
    return ok(out);
  });
}

/** Processes and decisions share one key space: a key deployed as one kind cannot become the other. */
async function keyOfAnotherKind(trx: Knex, keys: string[], kind: DefinitionRow['kind']): Promise<Outcome<never> | undefined> {
  for (const key of keys) {
    const existing = await latestDefinition(trx, key);
    if (existing && existing.kind !== kind) return err('CONFLICT', `${key} is already deployed as a ${existing.kind} definition; it cannot also be a ${kind} one`, { key, kind: existing.kind });
  }
  return undefined;
}

/** Registers a statechart bundled with this build (its module source is what is hashed and kept). */
export async function deployMachine(rt: Runtime, key: string, moduleSource: string, deployedBy: string): Promise<Outcome<Deployed>> {
  const machine = rt.definitions.machine(key);
  if (!machine) return err('NOT_FOUND', `No bundled statechart ${key}`);
  const problems = checkMachine(machine);
  if (problems.length) return invalidModel(problems);
  const hash = hashSource(moduleSource);
  return rt.db.transaction(systemAccess(`deploy by ${deployedBy}`), async (trx) => {
    const clash = await keyOfAnotherKind(trx, [key], 'xstate');
    if (clash) return clash;
    const { row, created } = await insertDefinition(trx, { key, kind: 'xstate', source: moduleSource, hash, deployedBy });
    return ok({ id: String(row.id), key, version: row.version, hash, created });
  });
}
