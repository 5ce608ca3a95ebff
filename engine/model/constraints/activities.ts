// Activity rules: token quantities, resources, service/send/receive task data, sub-processes, call activities, loops.
import { hasVendorExtension, idOf, isA, isUri, itemOf, label, list, sameItem, triggers, type El, type Rule } from './model.js';

const io = (el: El): { inputs: El[]; outputs: El[]; inputSets: El[]; outputSets: El[] } => ({
  inputs: list(el.ioSpecification?.dataInputs),
  outputs: list(el.ioSpecification?.dataOutputs),
  inputSets: list(el.ioSpecification?.inputSets),
  outputSets: list(el.ioSpecification?.outputSets),
});

/** The data inputs/outputs of a call activity must match the called element's, one for one. */
const sameData = (a: El[], b: El[]): boolean => a.length === b.length && a.every((d, i) => sameItem(itemOf(d), itemOf(b[i])));

export const activityRules: Rule[] = [
  // EXT.037, EXT.038: startQuantity and completionQuantity must be at least 1.
  (m, report) => {
    for (const activity of m.of('bpmn:Activity')) {
      if (activity.startQuantity < 1) {
        report('EXT.037', activity, `${label(activity)} has startQuantity ${activity.startQuantity}; it must be at least 1`);
      }
      if (activity.completionQuantity < 1) {
        report('EXT.038', activity, `${label(activity)} has completionQuantity ${activity.completionQuantity}; it must be at least 1`);
      }
    }
  },
  // EXT.039, EXT.040: a resource role uses either resourceRef (with parameter bindings) or a resource assignment expression.
  (m, report) => {
    for (const role of m.of('bpmn:ResourceRole')) {
      if (role.resourceRef && role.resourceAssignmentExpression) {
        report('EXT.039', role, `${label(role)} has both a resourceRef and a resource assignment expression`);
      }
      if (!role.resourceRef && list(role.resourceParameterBindings).length) {
        report('EXT.040', role, `${label(role)} binds resource parameters without referencing a resource`);
      }
    }
  },
  // EXT.042-EXT.045: a service task's data must fit its operation: one input of the in-message's item,
  // at most one input and output set, and one output of the out-message's item when there is one.
  (m, report) => {
    for (const task of m.of('bpmn:ServiceTask')) {
      const op = task.operationRef;
      const { inputs, outputs, inputSets, outputSets } = io(task);
      if (op?.inMessageRef && inputs.length !== 1) {
        report('EXT.042', task, `Service task ${idOf(task)} must have exactly one data input for the in-message of operation ${idOf(op)}`);
      }
      if (inputSets.length > 1 || outputSets.length > 1) {
        report('EXT.043', task, `Service task ${idOf(task)} must have at most one input set and one output set`);
      }
      if (op?.inMessageRef && inputs.length === 1 && !sameItem(itemOf(inputs[0]), op.inMessageRef.itemRef)) {
        report('EXT.044', task, `The data input of service task ${idOf(task)} does not have the item definition of the in-message of operation ${idOf(op)}`);
      }
      if (op?.outMessageRef && (outputs.length !== 1 || !sameItem(itemOf(outputs[0]), op.outMessageRef.itemRef))) {
        report('EXT.045', task, `Service task ${idOf(task)} must have one data output with the item definition of the out-message of operation ${idOf(op)}`);
      }
    }
  },
  // EXT.046-EXT.048: a send task has at most one input set and one data input, of its message's item.
  (m, report) => {
    for (const task of m.of('bpmn:SendTask')) {
      const { inputs, inputSets } = io(task);
      const message = task.messageRef ?? task.operationRef?.inMessageRef;
      if (inputSets.length > 1) report('EXT.046', task, `Send task ${idOf(task)} must have at most one input set`);
      if (inputs.length > 1) report('EXT.047', task, `Send task ${idOf(task)} must have at most one data input`);
      if (message && inputs.length === 1 && !sameItem(itemOf(inputs[0]), message.itemRef)) {
        report('EXT.048', task, `The data input of send task ${idOf(task)} does not have the item definition of message ${idOf(message)}`);
      }
    }
  },
  // EXT.049: a receive task that instantiates the process must not have incoming sequence flows (except from an event-based gateway).
  (m, report) => {
    for (const task of m.of('bpmn:ReceiveTask')) {
      if (task.instantiate && m.incoming(task).some((f) => !isA(f.sourceRef, 'bpmn:EventBasedGateway'))) {
        report('EXT.049', task, `Receive task ${idOf(task)} instantiates the process and must not have incoming sequence flows`);
      }
    }
  },
  // EXT.050-EXT.052: a receive task has at most one output set and one data output, of its message's item.
  (m, report) => {
    for (const task of m.of('bpmn:ReceiveTask')) {
      const { outputs, outputSets } = io(task);
      const message = task.messageRef ?? task.operationRef?.inMessageRef;
      if (outputSets.length > 1) report('EXT.050', task, `Receive task ${idOf(task)} must have at most one output set`);
      if (outputs.length > 1) report('EXT.051', task, `Receive task ${idOf(task)} must have at most one data output`);
      if (message && outputs.length === 1 && !sameItem(itemOf(outputs[0]), message.itemRef)) {
        report('EXT.052', task, `The data output of receive task ${idOf(task)} does not have the item definition of message ${idOf(message)}`);
      }
    }
  },
  // EXT.060: a transaction's method must be a URI.
  (m, report) => {
    for (const tx of m.of('bpmn:Transaction')) {
      if (tx.method !== undefined && !isUri(tx.method)) report('EXT.060', tx, `Transaction ${idOf(tx)} has method "${tx.method}", which is not a URI`);
    }
  },
  // EXT.061, EXT.062: an ad-hoc sub-process contains at least one activity and no start or end events.
  (m, report) => {
    for (const adHoc of m.of('bpmn:AdHocSubProcess')) {
      const elements = list(adHoc.flowElements);
      if (!elements.some((e) => isA(e, 'bpmn:Activity'))) report('EXT.061', adHoc, `Ad-hoc sub-process ${idOf(adHoc)} contains no activity`);
      for (const event of elements.filter((e) => isA(e, 'bpmn:StartEvent') || isA(e, 'bpmn:EndEvent'))) {
        report('EXT.062', event, `Ad-hoc sub-process ${idOf(adHoc)} must not contain ${label(event)}`);
      }
    }
  },
  // EXT.063: a call activity's data inputs and outputs must match those of the element it calls.
  (m, report) => {
    for (const call of m.of('bpmn:CallActivity')) {
      const called = m.of('bpmn:CallableElement').find((c) => c.id === call.calledElement);
      if (!call.ioSpecification || !called?.ioSpecification) continue;
      const [mine, theirs] = [io(call), io(called)];
      if (!sameData(mine.inputs, theirs.inputs) || !sameData(mine.outputs, theirs.outputs)) {
        report('EXT.063', call, `The data inputs and outputs of call activity ${idOf(call)} do not match those of ${label(called)}`);
      }
    }
  },
  // EXT.064, EXT.065: every operation a callable element supports needs an I/O binding, whose data match the operation's messages.
  (m, report) => {
    for (const callable of m.of('bpmn:CallableElement')) {
      const bindings = list(callable.ioBinding);
      for (const op of list(callable.supportedInterfaceRef).flatMap((i) => list(i.operations))) {
        if (!bindings.some((b) => b.operationRef === op)) {
          report('EXT.064', callable, `${label(callable)} supports operation ${idOf(op)} but has no I/O binding for it`);
        }
      }
      for (const b of bindings) {
        const badIn = b.operationRef?.inMessageRef && !sameItem(itemOf(b.inputDataRef), b.operationRef.inMessageRef.itemRef);
        const badOut = b.operationRef?.outMessageRef && !sameItem(itemOf(b.outputDataRef), b.operationRef.outMessageRef.itemRef);
        if (badIn || badOut) {
          report('EXT.065', callable, `An I/O binding of ${label(callable)} binds data whose item definitions differ from the messages of operation ${idOf(b.operationRef)}`);
        }
      }
    }
  },
  // EXT.067: a multi-instance activity needs a loop cardinality or a loop data input (or a vendor extension configuring it).
  (m, report) => {
    for (const mi of m.of('bpmn:MultiInstanceLoopCharacteristics')) {
      if (!mi.loopCardinality && !mi.loopDataInputRef && !hasVendorExtension(mi)) {
        report('EXT.067', mi, `Multi-instance ${label(mi.$parent)} has neither a loop cardinality nor a loop data input`);
      }
    }
  },
  // EXT.069, EXT.070: a multi-instance data item is a single element of the loop data collection's type.
  (m, report) => {
    for (const mi of m.of('bpmn:MultiInstanceLoopCharacteristics')) {
      for (const [code, item, collection] of [['EXT.069', mi.outputDataItem, mi.loopDataOutputRef], ['EXT.070', mi.inputDataItem, mi.loopDataInputRef]] as const) {
        const [itemDef, collectionDef] = [itemOf(item), itemOf(collection)];
        if (itemDef && collectionDef && (itemDef.isCollection || !sameItem(itemDef, collectionDef))) {
          report(code, mi, `The ${code === 'EXT.069' ? 'output' : 'input'} data item of multi-instance ${label(mi.$parent)} must be a single element of ${idOf(collection)}'s type`);
        }
      }
    }
  },
  // EXT.079: a sub-process must not have an input/output specification.
  (m, report) => {
    for (const sub of m.of('bpmn:SubProcess')) {
      if (sub.ioSpecification) report('EXT.079', sub, `Sub-process ${idOf(sub)} must not have an input/output specification`);
    }
  },
  // EXT.099: a process called by a call activity must have at least one none start event.
  (m, report) => {
    for (const call of m.of('bpmn:CallActivity')) {
      const called = m.of('bpmn:Process').find((p) => p.id === call.calledElement);
      const noneStart = list(called?.flowElements).some((e) => isA(e, 'bpmn:StartEvent') && !triggers(e).length);
      if (called && !noneStart) report('EXT.099', call, `Call activity ${idOf(call)} calls process ${idOf(called)}, which has no none start event`);
    }
  },
];
