// db/repositories/events.ts chains history entries with Node's native SHA-256; the result must
// be exactly engine/audit's chain() (which verify() recomputes), for any payload and actor.
import fc from 'fast-check';
import { chain, verifyHistory } from '../../../engine/audit/index.js';
import { chainEvents } from '../../../db/repositories/events.js';

const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'grapheme' }),
    fc.string({ unit: 'binary' }),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: 'grapheme' }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('chainEvents', () => {
  it('gives the same entries and hashes as the engine\'s chain()', () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.option(fc.record({ seq: fc.nat({ max: 1000 }), hash: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }) }), { nil: undefined }),
        fc.array(fc.record({ type: fc.string(), payload: fc.dictionary(fc.string(), json, { maxKeys: 5 }) }), { maxLength: 6 }),
        fc.record({ userId: fc.option(fc.string(), { nil: undefined }), role: fc.option(fc.string(), { nil: undefined }), system: fc.option(fc.string(), { nil: undefined }) }),
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
        (caseId, prev, entries, actor, at) => {
          expect(chainEvents(caseId, prev, entries as Array<{ type: string; payload: Record<string, unknown> }>, actor, at)).toEqual(chain(caseId, prev, entries as Array<{ type: string; payload: Record<string, unknown> }>, actor, at));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('makes a history that verify() accepts', () => {
    const events = chainEvents('6f1c1d0e-8a4f-4b6c-9d3e-2a1b0c9d8e7f', undefined, [{ type: 'a', payload: { x: 'ŵ\u{1F600}"\\' } }, { type: 'b', payload: {} }], { userId: 'u' }, '2026-01-01T00:00:00.000Z');
    expect(verifyHistory(events)).toMatchObject({ ok: true, events: 2 });
  });
});
