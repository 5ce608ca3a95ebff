// Compiled definitions by database id. A (key, version) never changes once deployed, so this
// cache can never disagree with another process's: it only saves recompiling.
//
// DMN decisions are different: a business-rule task calls the latest version of its decision.
// Which version is latest is read from the database at the start of every command on a case
// (decisionsFor), so a task evaluates the version that was latest when the command that runs
// it began; a table deployed later changes the outcome of later evaluations only. Compiled DMN
// files are cached by source hash. A model that names a decision by an expression (an LA's own
// table, `decisionId="=triggerDecision"`) may call any of them: it is lent the latest version of
// every deployed decision, a map kept until a deploy (here or in another process) changes which
// versions are latest.
import type { Knex } from 'knex';
import type { AnyStateMachine } from 'xstate';
import { calledDecisions, callsDecisionsByExpression, compileBpmn, compileDmn, type CompiledBpmn, type CompiledDecision, type CompiledDmn, type Definition } from '../engine/index.js';
import { getDefinition, latestDecisions } from '../db/repositories/definitions.js';
import type { DefinitionRow } from '../db/repositories/rows.js';

const NO_DECISIONS: ReadonlyMap<string, CompiledDecision> = new Map();

export class DefinitionCache {
  private compiled = new Map<string, Promise<Definition>>();
  private dmn = new Map<string, Promise<CompiledDmn>>();
  /** The decision ids a model calls; 'any' when it names one by an expression. */
  private called = new WeakMap<CompiledBpmn, string[] | 'any'>();
  /** Every deployed decision's latest version, for the latest rows it was built from (their ids, joined). */
  private everyDecision?: { latest: string; decisions: Promise<ReadonlyMap<string, CompiledDecision>> };

  /** Statechart modules bundled with Camau, by machine id (their code is never read from the database). */
  constructor(private machines: Record<string, AnyStateMachine> = {}) {}

  async byId(trx: Knex, id: string): Promise<Definition> {
    const key = String(id);
    let p = this.compiled.get(key);
    if (!p) {
      p = (async () => {
        const row = await getDefinition(trx, key);
        if (!row) throw new Error(`Definition ${key} is missing`);
        return this.fromRow(row);
      })();
      this.compiled.set(key, p);
      p.catch(() => this.compiled.delete(key));
    }
    return p;
  }

  async fromRow(row: DefinitionRow): Promise<Definition> {
    if (row.kind === 'dmn') throw new Error(`Definition ${row.key} v${row.version} is a DMN decision, not a workflow`);
    const ref = { kind: row.kind === 'xstate' ? ('xstate' as const) : ('bpmn' as const), key: row.key, version: row.version, hash: row.hash };
    if (row.kind === 'xstate') {
      const machine = this.machines[row.key];
      if (!machine) throw new Error(`Statechart ${row.key} is not bundled with this build`);
      return { kind: 'xstate', machine, ref: { ...ref, kind: 'xstate' } };
    }
    const c = await compileBpmn(row.source);
    if (!c.ok) throw new Error(`Deployed definition ${row.key} v${row.version} no longer compiles: ${c.failure[0]?.message}`);
    return { kind: 'bpmn', compiled: c.value, ref: { ...ref, kind: 'bpmn' } };
  }

  /**
   * The latest deployed version of each decision the definition's business-rule tasks call
   * (absent ones are left out): of every deployed decision when a task names its decision by an
   * expression.
   */
  async decisionsFor(trx: Knex, def: Definition): Promise<ReadonlyMap<string, CompiledDecision>> {
    if (def.kind !== 'bpmn') return NO_DECISIONS;
    let ids = this.called.get(def.compiled);
    if (!ids) {
      ids = callsDecisionsByExpression(def.compiled) ? 'any' : calledDecisions(def.compiled);
      this.called.set(def.compiled, ids);
    }
    if (ids === 'any') return this.latestOfEvery(trx);
    if (ids.length === 0) return NO_DECISIONS;
    return this.compiledDecisions(trx, await latestDecisions(trx, ids));
  }

  /** Which versions are latest is read every time; the map is rebuilt only when that changed. */
  private async latestOfEvery(trx: Knex): Promise<ReadonlyMap<string, CompiledDecision>> {
    const rows = await latestDecisions(trx);
    const latest = rows.map((r) => r.id).join(',');
    if (this.everyDecision?.latest !== latest) {
      const decisions = this.compiledDecisions(trx, rows);
      this.everyDecision = { latest, decisions };
      decisions.catch(() => {
        if (this.everyDecision?.decisions === decisions) this.everyDecision = undefined;
      });
    }
    return this.everyDecision.decisions;
  }

  private async compiledDecisions(trx: Knex, rows: Array<Pick<DefinitionRow, 'id' | 'key' | 'version' | 'hash'>>): Promise<ReadonlyMap<string, CompiledDecision>> {
    const out = new Map<string, CompiledDecision>();
    for (const row of rows) {
      const decision = (await this.dmnFile(trx, row)).decisions[row.key];
      if (decision) out.set(row.key, decision);
    }
    return out;
  }

  private dmnFile(trx: Knex, row: Pick<DefinitionRow, 'id' | 'key' | 'version' | 'hash'>): Promise<CompiledDmn> {
    let p = this.dmn.get(row.hash);
    if (!p) {
      p = (async () => {
        const full = await getDefinition(trx, row.id);
        const c = await compileDmn(full?.source ?? '');
        if (!c.ok) throw new Error(`Deployed decision ${row.key} v${row.version} no longer compiles: ${c.failure[0]?.message}`);
        return c.value;
      })();
      this.dmn.set(row.hash, p);
      p.catch(() => this.dmn.delete(row.hash));
    }
    return p;
  }

  machine(key: string): AnyStateMachine | undefined {
    return this.machines[key];
  }
}
