// Static deployment validation: the BPMN 2.0 specification's constraints that the XML schema does not
// enforce, numbered as in the catalogue of Geiger, Harrer et al. (University of Bamberg; betsy / BPMNspector
// "EXT.nnn"), plus "REF" for references that resolve to an element of the wrong type.
// Parse errors, moddle warnings, expression syntax and timer values are checked by compile.ts before this runs.
// The rules live in ./constraints/, one file per group; each rule cites the constraints it checks.
import type { ModdleElement } from 'bpmn-moddle';
import type { Diagnostic } from '../types.js';
import { activityRules } from './constraints/activities.js';
import { collaborationRules } from './constraints/collaboration.js';
import { dataRules } from './constraints/data.js';
import { eventRules } from './constraints/events.js';
import { expressionRules } from './constraints/expressions.js';
import { gatewayRules } from './constraints/gateways.js';
import { identified, indexModel, type Rule } from './constraints/model.js';
import { referenceRules } from './constraints/references.js';
import { sequenceFlowRules } from './constraints/sequence-flows.js';

const RULES: Rule[] = [
  ...referenceRules,
  ...expressionRules,
  ...sequenceFlowRules,
  ...collaborationRules,
  ...activityRules,
  ...gatewayRules,
  ...eventRules,
  ...dataRules,
];

/** The BPMN 2.0 specification's constraints that the XML schema does not enforce (the "EXT.nnn" list), checked on a parsed bpmn:Definitions. Returns every violation found (never stops at the first). */
export function checkConstraints(definitions: ModdleElement): Diagnostic[] {
  const model = indexModel(definitions);
  const diagnostics: Diagnostic[] = [];
  for (const rule of RULES) {
    rule(model, (code, element, message) => {
      const elementId = identified(element).id;
      diagnostics.push(elementId ? { code, elementId, message } : { code, message });
    });
  }
  return diagnostics;
}
