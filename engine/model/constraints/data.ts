// Data rules: item-aware elements, input/output sets, data associations and event data.
import { eventDefinitions, idOf, isA, itemOf, label, list, sameItem, type El, type Rule } from './model.js';

/** The ItemDefinition an event definition carries: a message's item, or a signal's, error's or escalation's structure. */
const itemOfDefinition = (def: El): El | undefined =>
  def.messageRef?.itemRef ?? def.signalRef?.structureRef ?? def.errorRef?.structureRef ?? def.escalationRef?.structureRef;
/** The data an event carries: a catch event's outputs, a throw event's inputs. */
const eventData = (event: El): El[] => [...list(event.dataOutputs), ...list(event.dataInputs)];
const subset = (part: El[], whole: El[]): boolean => part.every((el) => whole.includes(el));

export const dataRules: Rule[] = [
  // EXT.077, EXT.081, EXT.083 (generally EXT.020): isCollection of a data object, input or output must match its item definition.
  (m, report) => {
    const codes: Record<string, string> = { 'bpmn:DataObject': 'EXT.077', 'bpmn:DataInput': 'EXT.081', 'bpmn:DataOutput': 'EXT.083' };
    for (const [type, code] of Object.entries(codes)) {
      for (const el of m.of(type)) {
        if (el.itemSubjectRef && !!el.isCollection !== !!el.itemSubjectRef.isCollection) {
          report(code, el, `${label(el)} has isCollection=${!!el.isCollection}, unlike its item definition ${idOf(el.itemSubjectRef)}`);
        }
      }
    }
  },
  // EXT.076: a named data object reference with a state is named "<data object name> [<state>]".
  (m, report) => {
    for (const ref of m.of('bpmn:DataObjectReference')) {
      const expected = `${ref.dataObjectRef?.name} [${ref.dataState?.name}]`;
      if (ref.name && ref.dataState?.name && ref.dataObjectRef && ref.name !== expected) {
        report('EXT.076', ref, `Data object reference ${idOf(ref)} is named "${ref.name}"; with its state it must be named "${expected}"`);
      }
    }
  },
  // EXT.080, EXT.082: a data input is never written by an output association, a data output never read by an input association.
  (m, report) => {
    for (const assoc of m.of('bpmn:DataOutputAssociation')) {
      if (isA(assoc.targetRef, 'bpmn:DataInput')) report('EXT.080', assoc, `${label(assoc)} must not target the data input ${idOf(assoc.targetRef)}`);
    }
    for (const assoc of m.of('bpmn:DataInputAssociation')) {
      for (const source of list(assoc.sourceRef).filter((s) => isA(s, 'bpmn:DataOutput'))) {
        report('EXT.082', assoc, `${label(assoc)} must not read the data output ${idOf(source)}`);
      }
    }
  },
  // EXT.084, EXT.088: every data input (output) of an input/output specification or event belongs to one of its input (output) sets.
  (m, report) => {
    for (const [type, code, refs] of [['bpmn:DataInput', 'EXT.084', 'dataInputRefs'], ['bpmn:DataOutput', 'EXT.088', 'dataOutputRefs']] as const) {
      for (const data of m.of(type)) {
        const owner = data.$parent;
        // an input/output specification has inputSets/outputSets, an event a single inputSet/outputSet
        const sets = type === 'bpmn:DataInput' ? [...list(owner?.inputSets), ...list(owner?.inputSet)] : [...list(owner?.outputSets), ...list(owner?.outputSet)];
        const owned = isA(owner, 'bpmn:InputOutputSpecification') || isA(owner, 'bpmn:Event');
        if (owned && !sets.some((set) => list(set[refs]).includes(data))) {
          report(code, data, `${label(data)} is not part of any ${type === 'bpmn:DataInput' ? 'input' : 'output'} set`);
        }
      }
    }
  },
  // EXT.085, EXT.086, EXT.089, EXT.090: optional and while-executing data of a set are a subset of the set's data.
  (m, report) => {
    for (const set of m.of('bpmn:InputSet')) {
      if (!subset(list(set.optionalInputRefs), list(set.dataInputRefs))) {
        report('EXT.085', set, `${label(set)} has optional inputs that are not among its data inputs`);
      }
      if (!subset(list(set.whileExecutingInputRefs), list(set.dataInputRefs))) {
        report('EXT.086', set, `${label(set)} has while-executing inputs that are not among its data inputs`);
      }
    }
    for (const set of m.of('bpmn:OutputSet')) {
      if (!subset(list(set.optionalOutputRefs), list(set.dataOutputRefs))) {
        report('EXT.089', set, `${label(set)} has optional outputs that are not among its data outputs`);
      }
      if (!subset(list(set.whileExecutingOutputRefs), list(set.dataOutputRefs))) {
        report('EXT.090', set, `${label(set)} has while-executing outputs that are not among its data outputs`);
      }
    }
  },
  // EXT.087: an input set names an output set exactly when that output set names the input set.
  (m, report) => {
    for (const spec of m.of('bpmn:InputOutputSpecification')) {
      for (const input of list(spec.inputSets)) {
        for (const output of list(spec.outputSets)) {
          if (list(input.outputSetRefs).includes(output) !== list(output.inputSetRefs).includes(input)) {
            report('EXT.087', spec, `${label(input)} and ${label(output)} do not reference each other consistently`);
          }
        }
      }
    }
  },
  // EXT.091, EXT.092: without a transformation, a data association has one source of the target's item definition.
  (m, report) => {
    for (const assoc of m.of('bpmn:DataAssociation')) {
      if (assoc.transformation) continue;
      const sources = list(assoc.sourceRef);
      if (sources.length > 1) report('EXT.092', assoc, `${label(assoc)} has several sources but no transformation`);
      const [from, to] = [itemOf(sources[0]), itemOf(assoc.targetRef)];
      if (sources.length === 1 && !list(assoc.assignment).length && from && to && !sameItem(from, to)) {
        report('EXT.091', assoc, `${label(assoc)} connects data of different item definitions (${idOf(from)}, ${idOf(to)}) without a transformation`);
      }
    }
  },
  // EXT.093, EXT.094: an event with data has one data input/output per event definition, each of the definition's item.
  (m, report) => {
    for (const event of m.of('bpmn:Event')) {
      const [data, defs] = [eventData(event), eventDefinitions(event)];
      if (!data.length) continue;
      if (data.length !== defs.length) {
        report('EXT.093', event, `${label(event)} has ${data.length} data inputs/outputs for ${defs.length} event definitions`);
      }
      else if (defs.some((def, i) => itemOfDefinition(def) && !sameItem(itemOf(data[i]), itemOfDefinition(def)))) {
        report('EXT.094', event, `The data of ${label(event)} does not have the item definitions of its event definitions`);
      }
    }
  },
];
