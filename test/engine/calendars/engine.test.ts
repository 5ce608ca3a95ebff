// The calendars in a model: `camau:calendar` on a timer event definition and on a user task
// (with `camau:due`), resolved through the host's calendars (EngineHost.calendar), and the
// incident when the deadline lies beyond the loaded calendar.
import { step } from '../../../engine/step.js';
import type { Effect, StepContext } from '../../../engine/index.js';
import type { CalendarOwner } from '../../../engine/time/index.js';
import { calendarsFor } from '../../../workflows/calendars/index.js';
import { definitionsFromXml } from '../../helpers/scenarios.js';

const model = (taskCalendar: string, due: string, timerCalendar: string, timer: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:camau="https://camau.cymru/schema/1.0" id="defs" targetNamespace="https://camau.cymru/test">
  <bpmn:process id="meeting" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="arrange" />
    <bpmn:userTask id="arrange" name="Arrange the meeting" camau:calendar="${taskCalendar}" camau:due="${due}" />
    <bpmn:boundaryEvent id="remind" attachedToRef="arrange" cancelActivity="false">
      <bpmn:timerEventDefinition camau:calendar="${timerCalendar}"><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">${timer}</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="remind" targetRef="reminded" />
    <bpmn:endEvent id="reminded" />
    <bpmn:sequenceFlow id="f3" sourceRef="arrange" targetRef="done" />
    <bpmn:endEvent id="done" />
  </bpmn:process>
</bpmn:definitions>`;

async function start(xml: string, now: string, owner: CalendarOwner | null) {
  const [def] = await definitionsFromXml(xml);
  const ctx: StepContext = { now, ...(owner ? { host: { calendar: calendarsFor(owner) } } : {}) };
  const r = step(def, null, { type: 'start' }, ctx);
  if (!r.ok) throw new Error(`${r.failure.code}: ${r.failure.message}`);
  return r.value;
}

const effect = <T extends Effect['type']>(effects: Effect[], type: T) => effects.find((e): e is Extract<Effect, { type: T }> => e.type === type);

describe('camau:calendar in a model', () => {
  it('counts a task due date in working days and a timer in school days', async () => {
    // Thursday 22 October 2026 15:00 BST. 5 working days: Thursday 29 October 15:00 GMT (half
    // term does not matter; the clocks went back on the 25th). 3 school days at Ysgol y Bryn: Friday 23 October, then (half term, INSET on
    // 2 November) Tuesday 3 and Wednesday 4 November, 15:00 GMT.
    const out = await start(model('working-days', 'P5D', 'school-days', 'P3D'), '2026-10-22T14:00:00.000Z', { laId: 'carmarthenshire', schoolId: 'school-ysgol-y-bryn' });
    expect(effect(out.effects, 'taskCreated')?.task.dueAt).toBe('2026-10-29T15:00:00.000Z');
    expect(effect(out.effects, 'scheduleTimer')).toMatchObject({ el: 'remind', dueAt: '2026-11-04T15:00:00.000Z' });
  });

  it('uses the school of the case', async () => {
    const out = await start(model('school-days', 'P1W', 'school-days', 'P1D'), '2026-10-22T14:00:00.000Z', { laId: 'swansea', schoolId: 'school-ysgol-glan-mor' });
    // Ysgol Glan Môr: INSET on Friday 23 October. 1 school day: Monday 2 November; a week (5): Friday 6 November.
    expect(effect(out.effects, 'scheduleTimer')?.dueAt).toBe('2026-11-02T15:00:00.000Z');
    expect(effect(out.effects, 'taskCreated')?.task.dueAt).toBe('2026-11-06T15:00:00.000Z');
  });

  it('raises an incident naming the date when the deadline is beyond the loaded calendar', async () => {
    const out = await start(model('calendar-days', 'P1D', 'school-days', 'P3D'), '2027-07-19T08:00:00.000Z', { laId: 'carmarthenshire' });
    const incident = effect(out.effects, 'incidentRaised')?.incident;
    expect(incident).toMatchObject({ code: 'outside-calendar' });
    expect(incident?.message).toContain('2027-09-01');
    expect(effect(out.effects, 'scheduleTimer')).toBeUndefined();
  });

  it('raises calendar-not-loaded when the case has no school days', async () => {
    const out = await start(model('calendar-days', 'P1D', 'school-days', 'P3D'), '2026-10-22T14:00:00.000Z', { laId: 'la-not-in-the-data' });
    expect(effect(out.effects, 'incidentRaised')?.incident).toMatchObject({ code: 'calendar-not-loaded' });
  });
});
