// Gateways as Camunda Modeler draws them: exclusive (FEEL and JUEL conditions, default flow),
// parallel fork/join, inclusive split and join (the join waits only for tokens that can still
// arrive), event-based (first event wins, the others are withdrawn), and the incident of an
// exclusive gateway with no true condition and no default flow.
import { scenarioSuite, type ScenarioRun } from '../../helpers/scenarios.js';
import { Driver } from '../../helpers/driver.js';
import { GATEWAY_MODELS } from './suites.js';

const only = (run: ScenarioRun) => [...run.world.instances.values()][0];

scenarioSuite(GATEWAY_MODELS, {
  extras: {
    'parallel.all-branches': (run) => {
      const s = only(run).state;
      expect(s.done).toMatchObject({ Gateway_fork: 1, Gateway_fork2: 1, Gateway_join2: 1, Gateway_join: 1, Task_welcome: 1 });
      expect(s.joins).toEqual({});
    },
    'inclusive.all-branches': (run) => {
      // Three tokens reach the join; it fires once.
      expect(only(run).state.done.Gateway_join).toBe(1);
      expect(only(run).state.joins).toEqual({});
    },
    'inclusive.waits-for-pending-branch': (run) => {
      expect(only(run).state.done.Gateway_join).toBe(1);
      expect(only(run).state.done.EndEvent_1).toBe(1);
    },
    'inclusive-upstream.waits-for-rework-loop': (run) => {
      expect(only(run).state.done).toMatchObject({ Task_b: 2, Rework: 2, Join: 1 });
    },
    'event-gateway.message-wins': (run) => {
      const s = only(run).state;
      // The other message and the timer were withdrawn when the payment arrived.
      expect(Object.values(s.subs)).toEqual([]);
      expect(s.timers).toEqual({});
      expect(run.world.publish('order-cancelled', 'ORD-1', {})).toBe(false);
    },
    'event-gateway.timer-wins': (run) => {
      expect(Object.values(only(run).state.subs)).toEqual([]);
      expect(run.world.publish('payment-received', 'ORD-2', {})).toBe(false);
    },
    'incident-gateway.no-true-condition': (run) => {
      const incidents = Object.values(only(run).state.incidents);
      expect(incidents).toHaveLength(1);
      expect(incidents[0]).toMatchObject({ code: 'no-outgoing-flow', el: 'Gateway_route' });
    },
  },
});

describe('event-based gateway: correlation', () => {
  test('a message with another key does not reach the waiting gateway', async () => {
    const d = await Driver.forModel('event-gateway');
    d.send({ type: 'start', variables: { orderId: 'ORD-7' } });
    d.complete('Task_invoice');
    const before = JSON.stringify(d.s);
    const wrong = d.trySend({ type: 'correlateMessage', name: 'payment-received', correlationKey: 'ORD-8' });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.failure.code).toBe('NO_SUBSCRIPTION');
    expect(JSON.stringify(d.s)).toBe(before);
    const right = d.send({ type: 'correlateMessage', name: 'payment-received', correlationKey: 'ORD-7' });
    expect(right.effects).toContainEqual(expect.objectContaining({ type: 'cancelTimer' }));
    expect(d.waiting('Task_ship')).toBeDefined();
    expect(d.s.subs).toEqual({});
  });
});

describe('exclusive gateway incident', () => {
  test('is resolved by setting a variable and retrying the gateway', async () => {
    const d = await Driver.forModel('incident-gateway');
    d.send({ type: 'start' });
    d.complete('Task_classify', { route: 'c' });
    const [incident] = Object.values(d.s.incidents);
    expect(incident).toMatchObject({ code: 'no-outgoing-flow', el: 'Gateway_route' });
    expect(d.s.status).toBe('active');

    // Retrying without a fix fails again: the incident is resolved and a new one raised.
    d.send({ type: 'resolveIncident', incidentId: incident.id });
    const again = Object.values(d.s.incidents);
    expect(again).toHaveLength(1);
    expect(again[0].id).not.toBe(incident.id);
    expect(d.s.done.Gateway_route).toBeUndefined();

    d.send({ type: 'setVariables', variables: { route: 'b' } });
    expect(Object.keys(d.s.incidents)).toHaveLength(1);
    const out = d.send({ type: 'resolveIncident', incidentId: again[0].id });
    expect(d.s.incidents).toEqual({});
    expect(d.s.done.Gateway_route).toBe(1);
    expect(d.waiting('Task_b').wait?.kind).toBe('userTask');
    expect(out.effects).toContainEqual(expect.objectContaining({ type: 'taskCreated', el: 'Task_b' }));
    expect(d.at('Task_a')).toEqual([]);
  });

  test('an unknown incident id is refused', async () => {
    const d = await Driver.forModel('incident-gateway');
    d.send({ type: 'start' });
    const r = d.trySend({ type: 'resolveIncident', incidentId: 'i999' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.failure.code).toBe('UNKNOWN_INCIDENT');
  });
});
