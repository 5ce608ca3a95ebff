// Models with task forms for the browser tests: a Camunda 8 model with an embedded Camunda form
// (labels "Cymraeg / English" or custom properties label:cy / label:en), one whose form is
// linked by formId, one naming a form nobody has, one with a start form, and a Camunda 7 model
// with camunda:formData.
import { readFileSync } from 'node:fs';
import { deployBpmn } from '../../runtime/commands/deploy-definition.js';
import type { Runtime } from '../../runtime/runtime.js';

export const VISIT_FORM = {
  id: 'visit-form',
  type: 'default',
  schemaVersion: 16,
  components: [
    { type: 'text', text: 'Record the visit.' },
    { type: 'textfield', key: 'summary', label: "Crynodeb o'r ymweliad / Summary of the visit", validate: { required: true, minLength: 5 } },
    { type: 'number', key: 'score', label: 'Score', properties: { 'label:cy': 'Sgôr', 'label:en': 'Score' }, decimalDigits: 0, validate: { required: true, min: 1, max: 10 } },
    { type: 'checkbox', key: 'urgent', label: 'Angen gweithredu ar frys / Needs urgent action' },
    { type: 'radio', key: 'rating', label: 'Barn / Judgement', validate: { required: true }, values: [{ label: 'Da / Good', value: 'good' }, { label: 'Angen gwella / Needs improvement', value: 'improve' }] },
    { type: 'select', key: 'area', label: 'Maes / Area', values: [{ label: 'Addysgu / Teaching', value: 'teaching' }, { label: 'Arweinyddiaeth / Leadership', value: 'leadership' }] },
    { type: 'datetime', subtype: 'date', key: 'visitDate', dateLabel: "Dyddiad yr ymweliad / Date of the visit", validate: { required: true } },
    { type: 'textarea', key: 'notes', label: 'Nodiadau / Notes' },
  ],
};

const zeebe = (id: string, formDefinition: string, processExtensions = '') => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:camau="https://camau.cymru/schema/1.0" id="Definitions_${id}" targetNamespace="https://camau.cymru/test">
  <bpmn:process id="${id}" name="Ymweliad ysgol / School visit" isExecutable="true">
    <bpmn:extensionElements>${processExtensions}</bpmn:extensionElements>
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="record" />
    <bpmn:userTask id="record" name="Cofnodi'r ymweliad / Record the visit">
      <bpmn:extensionElements>
        <zeebe:userTask />
        <zeebe:assignmentDefinition candidateGroups="challenge-adviser" />
        ${formDefinition}
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="record" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

export const EMBEDDED_FORM_MODEL = zeebe('visit-embedded', '<zeebe:formDefinition formKey="camunda-forms:bpmn:visitForm" />',
  `<zeebe:userTaskForm id="visitForm">${JSON.stringify(VISIT_FORM)}</zeebe:userTaskForm>`);
export const LINKED_FORM_MODEL = zeebe('visit-linked', '<zeebe:formDefinition formId="visit-form" />');
export const UNKNOWN_FORM_MODEL = zeebe('visit-unknown', '<zeebe:formDefinition formId="nobody-has-this-form" />');

/** A procedure whose start event declares a form: the launch page asks for it. */
export const START_FORM_MODEL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Definitions_start" targetNamespace="https://camau.cymru/test">
  <bpmn:process id="support-start" name="Cymorth wedi'i gynllunio / Planned support" isExecutable="true">
    <bpmn:extensionElements><zeebe:userTaskForm id="startForm">${JSON.stringify({ components: [
      { type: 'textarea', key: 'concern', label: 'Y pryder / The concern', validate: { required: true } },
      { type: 'number', key: 'weeks', label: 'Wythnosau o gymorth / Weeks of support', decimalDigits: 0, validate: { min: 1 } },
    ] })}</zeebe:userTaskForm></bpmn:extensionElements>
    <bpmn:startEvent id="start"><bpmn:extensionElements><zeebe:formDefinition formKey="camunda-forms:bpmn:startForm" /></bpmn:extensionElements></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="support" />
    <bpmn:userTask id="support" name="Rhoi'r cymorth / Give the support"><bpmn:extensionElements><zeebe:userTask /><zeebe:assignmentDefinition candidateGroups="challenge-adviser" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="support" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

export const C7_FORM_MODEL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_c7form" targetNamespace="https://camau.cymru/test">
  <bpmn:process id="support-c7" name="Cymorth / Support" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="plan" />
    <bpmn:userTask id="plan" name="Cynllunio'r cymorth / Plan the support" camunda:candidateGroups="challenge-adviser">
      <bpmn:extensionElements>
        <camunda:formData>
          <camunda:formField id="weeks" label="Wythnosau o gymorth / Weeks of support" type="long">
            <camunda:validation><camunda:constraint name="required" /><camunda:constraint name="min" config="1" /></camunda:validation>
          </camunda:formField>
          <camunda:formField id="agreed" label="Cytunwyd gyda'r ysgol / Agreed with the school" type="boolean" />
          <camunda:formField id="startDate" label="Dyddiad dechrau / Start date" type="date">
            <camunda:validation><camunda:constraint name="required" /></camunda:validation>
          </camunda:formField>
          <camunda:formField id="stage" label="Cam / Stage" type="enum">
            <camunda:value id="informal" name="Anffurfiol / Informal" />
            <camunda:value id="formal" name="Ffurfiol / Formal" />
          </camunda:formField>
          <camunda:formField id="reason" label="Rheswm / Reason" type="string">
            <camunda:validation><camunda:constraint name="maxlength" config="20" /></camunda:validation>
          </camunda:formField>
        </camunda:formData>
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="plan" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

export const BUNDLED_PLAN = readFileSync(new URL('../../workflows/bpmn/school-intervention-plan.bpmn', import.meta.url), 'utf8');

export async function deployFormModels(rt: Runtime): Promise<void> {
  for (const xml of [EMBEDDED_FORM_MODEL, LINKED_FORM_MODEL, UNKNOWN_FORM_MODEL, START_FORM_MODEL, C7_FORM_MODEL, BUNDLED_PLAN]) {
    const r = await deployBpmn(rt, xml, 'admin');
    if (!r.ok) throw new Error(`${r.error.message} ${JSON.stringify(r.error)}`);
  }
}
