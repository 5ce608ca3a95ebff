// Property: for any sequence of commands, folding the events a step returns over the previous
// state gives exactly the state it returns, and replaying all events from the start gives the
// final state. Runs random walks over the betsy models and the fixture models.
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { apply, compileBpmn, replay, step, type Command, type Definition, type EngineEvent, type InstanceState } from '../../engine/index.js';
import { openWaits } from '../../engine/inspect.js';
import { BETSY } from '../conformance/betsy.js';

const files = [
  ...['gateways', 'events', 'activities', 'cfpatterns'].flatMap((g) => readdirSync(join(BETSY, 'processes', g)).map((f) => join(BETSY, 'processes', g, f))),
  ...readdirSync(new URL('../fixtures/scenarios/', import.meta.url).pathname).filter((f) => f.endsWith('.bpmn')).map((f) => new URL(`../fixtures/scenarios/${f}`, import.meta.url).pathname),
];

const host = { runScript: ({ body }: { body: string }) => (body.trim() === 'THROW_ERROR' ? { error: { code: 'ERR_CODE' } } : body.includes('INCREMENT') ? { variables: { integerVariable: 1 } } : {}) };

async function definitions(): Promise<Definition[]> {
  const out: Definition[] = [];
  for (const f of files) {
    const c = await compileBpmn(readFileSync(f, 'utf8'), { defaultExpressionLanguage: 'juel', hostScriptsWithoutFormat: true });
    if (!c.ok) continue;
    for (const key of c.value.executable) out.push({ kind: 'bpmn', compiled: c.value, ref: { kind: 'bpmn', key, version: 1, hash: c.value.hash } });
  }
  return out;
}

/** Turns a random choice into a command that makes sense for the current state (or a nonsensical one, which must be refused cleanly). */
function command(state: InstanceState, choice: { kind: number; pick: number; value: number }): Command {
  const waits = openWaits(state);
  const timers = Object.keys(state.timers);
  const subs = Object.values(state.subs);
  const w = waits[choice.pick % Math.max(1, waits.length)];
  switch (choice.kind) {
    case 0: return w ? { type: 'complete', eid: w.id, variables: { integerVariable: choice.value, test: choice.value % 2 ? 'a' : 'b' } } : { type: 'complete', eid: 'e999' };
    case 1: return w ? { type: 'throwError', eid: w.id, code: choice.value % 2 ? 'ERR_CODE' : 'OTHER' } : { type: 'fireTimer', timerId: 't999' };
    case 2: return { type: 'fireTimer', timerId: timers[choice.pick % Math.max(1, timers.length)] ?? 't999' };
    case 3: {
      const s = subs[choice.pick % Math.max(1, subs.length)];
      return s?.kind === 'message' ? { type: 'correlateMessage', name: s.name ?? '', correlationKey: s.correlationKey } : { type: 'signal', name: s?.name ?? 'none' };
    }
    case 4: return { type: 'setVariables', variables: { integerVariable: choice.value } };
    case 5: {
      const inc = Object.keys(state.incidents)[0];
      return inc ? { type: 'resolveIncident', incidentId: inc } : { type: 'cancel', reason: 'random walk' };
    }
    default: return w ? { type: 'failJob', eid: w.id, retries: choice.value % 2, message: 'worker failed' } : { type: 'cancel' };
  }
}

describe('replay invariant', () => {
  let defs: Definition[];
  beforeAll(async () => {
    defs = await definitions();
  });

  it('holds for random command sequences on every model', () => {
    expect(defs.length).toBeGreaterThan(100);
    const choice = fc.record({ kind: fc.nat(6), pick: fc.nat(20), value: fc.integer({ min: 0, max: 5 }) });
    fc.assert(
      fc.property(fc.nat(defs.length - 1), fc.array(choice, { maxLength: 12 }), fc.integer({ min: 0, max: 4 }), (d, choices, vars) => {
        const def = defs[d];
        let now = Date.parse('2026-03-27T10:00:00Z');
        const ctx = () => ({ now: new Date(now).toISOString(), host });
        const started = step(def, null, { type: 'start', variables: { integerVariable: vars, test: vars % 2 ? 'a' : 'ab', testCaseNumber: 1 } }, ctx());
        if (!started.ok) return;
        const all: EngineEvent[] = [...started.value.events];
        let state = started.value.state;
        for (const c of choices) {
          if (state.status !== 'active') break;
          now += 3_600_000 * (c.value + 1);
          const res = step(def, state, command(state, c), ctx());
          if (!res.ok) {
            expect(typeof res.failure.message).toBe('string');
            continue;
          }
          const folded = res.value.events.reduce((s, e) => apply(s, e), state);
          expect(folded).toEqual(res.value.state);
          all.push(...res.value.events);
          state = res.value.state;
        }
        expect(replay(all)).toEqual(state);
      }),
      { numRuns: 250, seed: 20261123 },
    );
  });
});
