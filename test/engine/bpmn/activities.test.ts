// Activities: multi-instance (parallel and sequential, collection and cardinality, input and
// output elements, loopCounter, completion condition), standard loops, call activities (Zeebe
// propagation flags, Camunda 7 in/out mappings, a missing called process), script tasks, and
// user and service tasks with Zeebe and Camunda 7 extension attributes and io mappings.
import { instance, scenarioSuite, type ScenarioRun } from '../../helpers/scenarios.js';
import { Driver } from '../../helpers/driver.js';
import { ACTIVITY_MODELS } from './suites.js';

const only = (run: ScenarioRun) => [...run.world.instances.values()][0];
const started = (run: ScenarioRun, process: string) => run.result.trace.filter((t) => t.kind === 'started' && t.process === process);

scenarioSuite(ACTIVITY_MODELS, {
  extras: {
    'multi-instance.full-run': (run) => {
      const s = only(run).state;
      // Two of four panel votes completed the body; the other two were cancelled.
      expect(s.done).toMatchObject({ Task_review: 4, Task_notify: 4, Task_vote: 3 });
      expect(s.elements).toEqual({});
      // Loop bookkeeping stays on the body, not on the process.
      for (const v of ['loopCounter', 'nrOfInstances', 'nrOfCompletedInstances', 'reviewer', 'recipient', 'member']) expect(s.vars[v]).toBeUndefined();
    },
    'multi-instance-camunda.collection-and-cardinality': (run) => {
      expect(only(run).state.done).toMatchObject({ Task_requestQuote: 3, Script_tally: 4 });
    },
    'standard-loop.loop-maximum': (run) => {
      // Three iterations of the script (do-while), none of the test-before task, two of the approval (loopMaximum).
      expect(only(run).state.done).toMatchObject({ Script_attempt: 4, Task_extra: 1, Task_approve: 3 });
    },
    'standard-loop.condition-ends-loop': (run) => {
      expect(only(run).state.done).toMatchObject({ Script_attempt: 2, Task_extra: 3 });
    },
    'call-zeebe.propagate-all': (run) => {
      const [child] = started(run, 'child-zeebe');
      expect(child.variables).toEqual({ applicant: { name: 'Ana' }, name: 'Bob' });
    },
    'call-zeebe.child-variables-not-propagated': (run) => {
      const vars = instance(run.world, 'parent').state.vars;
      expect(vars.secret).toBeUndefined();
    },
    'call-camunda.in-out-mappings': (run) => {
      // Only the camunda:in mappings reach the child, only the camunda:out mapping comes back.
      const [child] = started(run, 'creditCheck');
      expect(child.variables).toEqual({ name: 'Ana', exposure: 3000 });
      const parent = instance(run.world, 'loan').state;
      expect(parent.vars.workerDetail).toBeUndefined();
      expect(parent.vars.score).toBeUndefined();
      const childState = [...run.world.instances.values()].find((i) => i.state.process === 'creditCheck')!.state;
      expect(childState.status).toBe('completed');
      expect(childState.vars.internalNote).toBeUndefined();
    },
    'call-missing.incident': (run) => {
      const s = only(run).state;
      expect(Object.values(s.incidents)).toEqual([expect.objectContaining({ code: 'call-failed', el: 'Call_missing' })]);
      expect(run.world.instances.size).toBe(1);
    },
    'script-task.large': (run) => {
      // The input mapping `rate` is local to the script task.
      expect(only(run).state.vars.rate).toBeUndefined();
    },
    'zeebe-usertask.open': (run) => {
      const s = only(run).state;
      const [task] = Object.values(s.elements).filter((e) => e.el === 'Task_plan');
      expect(task.wait).toEqual({
        kind: 'userTask',
        task: {
          name: 'Write the plan',
          assignee: 'cerys',
          candidateGroups: ['teachers', 'heads'],
          candidateUsers: ['ana', 'bryn'],
          formKey: 'camunda-forms:bpmn:plan-form',
          dueAt: expect.stringMatching(/^2026-11-20T17:00:00(\.000)?Z$/),
          followUpAt: expect.stringMatching(/^2026-11-18T17:00:00(\.000)?Z$/),
        },
      });
      expect(task.vars).toEqual({ email: 'cerys@school.wales' });
      expect(s.vars.email).toBeUndefined();
    },
    'zeebe-usertask.output-mappings': (run) => {
      // With output mappings, only the mapped variables leave the task.
      const vars = only(run).state.vars;
      expect(vars).toEqual({ owner: 'cerys', planApproved: true, planOwnerEmail: 'cerys@school.wales' });
    },
    'camunda7-mappings.inputs-local-to-task': (run) => {
      const s = only(run).state;
      const [task] = Object.values(s.elements).filter((e) => e.el === 'Task_quote');
      expect(task.vars).toEqual({ weightKg: 1.25, carrier: 'parcelco' });
      expect(task.wait).toMatchObject({ kind: 'job', type: 'shipping-quote' });
      expect(s.vars.weightKg).toBeUndefined();
    },
    'camunda7-mappings.free-shipping': (run) => {
      const vars = only(run).state.vars;
      expect(vars.weightKg).toBeUndefined();
      expect(vars.carrier).toBeUndefined();
    },
  },
});

describe('multi-instance through step()', () => {
  test('outputs are collected by loopCounter, whatever order the instances complete in', async () => {
    const d = await Driver.forModel('multi-instance');
    d.send({ type: 'start', variables: { reviewers: ['ana', 'bryn', 'cerys'], panel: [] } });
    const inner = d.at('Task_review').filter((e) => e.wait?.kind === 'userTask');
    expect(inner).toHaveLength(3);
    const body = d.at('Task_review').find((e) => e.loop)!;
    expect(body.vars).toMatchObject({ nrOfInstances: 3, nrOfActiveInstances: 3, nrOfCompletedInstances: 0 });

    d.send({ type: 'complete', eid: inner[2].id, variables: { verdict: 'third' } });
    expect(d.s.elements[body.id].vars).toMatchObject({ nrOfActiveInstances: 2, nrOfCompletedInstances: 1 });
    d.send({ type: 'complete', eid: inner[0].id, variables: { verdict: 'first' } });
    d.send({ type: 'complete', eid: inner[1].id, variables: { verdict: 'second' } });
    expect(d.s.vars.verdicts).toEqual([
      { by: 'ana', verdict: 'first', n: 1 },
      { by: 'bryn', verdict: 'second', n: 2 },
      { by: 'cerys', verdict: 'third', n: 3 },
    ]);
    // The sequential body runs one job at a time.
    const jobs = d.at('Task_notify').filter((e) => e.wait?.kind === 'job');
    expect(jobs).toHaveLength(1);
    expect(jobs[0].vars).toMatchObject({ recipient: 'ana', loopCounter: 1 });
  });

  test('a collection that is not a list raises an incident on the body', async () => {
    const d = await Driver.forModel('multi-instance');
    d.send({ type: 'start', variables: { reviewers: 'ana', panel: [] } });
    expect(Object.values(d.s.incidents)).toEqual([expect.objectContaining({ code: 'collection-not-a-list', el: 'Task_review' })]);
  });
});

describe('standard loop through step()', () => {
  test('a test-before loop whose condition is false runs no iteration', async () => {
    const d = await Driver.forModel('standard-loop');
    d.send({ type: 'start', variables: { attempts: 0, needsExtra: false } });
    expect(d.s.done.Task_extra).toBe(1);
    expect(d.at('Task_extra')).toEqual([]);
    expect(d.at('Task_approve').filter((e) => e.wait?.kind === 'userTask')).toHaveLength(1);
  });
});

describe('call activity through step()', () => {
  test('a Zeebe call activity asks the runtime to start the called process with the parent variables', async () => {
    const d = await Driver.forModel('call-zeebe');
    const out = d.send({ type: 'start', variables: { applicant: { name: 'Ana' }, name: 'Bob' } });
    const call = out.effects.find((e) => e.type === 'startCall');
    expect(call).toMatchObject({ type: 'startCall', processKey: 'child-zeebe', binding: 'latest', el: 'Call_all', variables: { applicant: { name: 'Ana' }, name: 'Bob' } });
  });

  test('a Camunda 7 call activity passes only its camunda:in mappings', async () => {
    const d = await Driver.forModel('call-camunda');
    const out = d.send({ type: 'start', variables: { applicantName: 'Ana', amount: 10, other: true } });
    expect(out.effects.find((e) => e.type === 'startCall')).toMatchObject({ processKey: 'creditCheck', variables: { name: 'Ana', exposure: 20 } });
    const eid = d.at('Call_credit')[0].id;
    d.send({ type: 'callEnded', eid, outcome: 'completed', variables: { score: 650, noise: 1 } });
    expect(d.s.vars).toEqual({ applicantName: 'Ana', amount: 10, other: true, creditScore: 650 });
    expect(d.s.done.End_accepted).toBe(1);
  });
});

describe('jobs through step()', () => {
  test('a Zeebe service task is a job with its type and retries; failing it to zero retries raises an incident that resolving re-activates', async () => {
    const d = await Driver.forModel('exclusive-zeebe');
    d.send({ type: 'start', variables: { channel: 'web', customer: { tier: 'standard' } } });
    const out = d.complete('Activity_assess', { score: 5 });
    const job = out.effects.find((e) => e.type === 'activateJob');
    expect(job).toMatchObject({ type: 'activateJob', el: 'Activity_handle', jobType: 'handle-request', retries: 5 });
    const eid = d.waiting('Activity_handle').id;

    d.send({ type: 'failJob', eid, retries: 2, message: 'timeout' });
    expect(d.s.incidents).toEqual({});
    expect(d.s.elements[eid].wait).toMatchObject({ kind: 'job', retries: 2 });
    const failed = d.send({ type: 'failJob', eid, retries: 0, message: 'still failing' });
    const [incident] = Object.values(d.s.incidents);
    expect(incident).toMatchObject({ code: 'job-failed', el: 'Activity_handle', message: 'still failing' });
    expect(failed.effects).toContainEqual(expect.objectContaining({ type: 'incidentRaised' }));

    const resolved = d.send({ type: 'resolveIncident', incidentId: incident.id });
    expect(d.s.incidents).toEqual({});
    expect(resolved.effects).toContainEqual(expect.objectContaining({ type: 'activateJob', eid, retries: 5 }));
    d.send({ type: 'complete', eid, variables: { handledBy: 'worker' } });
    expect(d.s.status).toBe('completed');
    expect(d.s.vars.handledBy).toBe('worker');
  });

  test('cancelling an instance cancels its called instance and refuses later commands', async () => {
    const d = await Driver.forModel('call-zeebe');
    d.send({ type: 'start', variables: { applicant: { name: 'Ana' }, name: 'Bob' } });
    const callEid = d.at('Call_all')[0].id;
    const out = d.send({ type: 'cancel', reason: 'withdrawn' });
    expect(out.effects).toContainEqual({ type: 'cancelCall', callId: callEid, eid: callEid });
    expect(d.s.status).toBe('terminated');
    expect(d.s.elements).toEqual({});
    const after = d.trySend({ type: 'setVariables', variables: { x: 1 } });
    expect(after.ok).toBe(false);
    if (!after.ok) expect(after.failure.code).toBe('INSTANCE_NOT_ACTIVE');
  });
});
