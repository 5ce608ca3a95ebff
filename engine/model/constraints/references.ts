// Reference rules: an id reference must point at an element of the type the BPMN metamodel declares.
// bpmn-moddle resolves references by id alone, so a reference to an element of the wrong kind parses silently.
import { isA, label, list, type Rule } from './model.js';

/** Flow ends get more specific codes in sequence-flows.ts and collaboration.ts. */
const CHECKED_ELSEWHERE = new Set(['sourceRef', 'targetRef']);

export const referenceRules: Rule[] = [
  // REF: a reference (attribute or element) must resolve to an instance of the declared type.
  (m, report) => {
    for (const el of m.all) {
      const flowEnd = isA(el, 'bpmn:SequenceFlow') || isA(el, 'bpmn:MessageFlow');
      for (const p of el.$descriptor.properties) {
        if (!p.isReference || p.ns.prefix !== 'bpmn' || (flowEnd && CHECKED_ELSEWHERE.has(p.name))) continue;
        for (const target of list(el[p.name])) {
          if (typeof target.$instanceOf === 'function' && !target.$instanceOf(p.type)) {
            report('REF', el, `${label(el)} references ${label(target)} as ${p.name}, which must be of type ${p.type.replace(/^bpmn:/, '')}`);
          }
        }
      }
    }
  },
];
