// Task forms compiled with the model: a Camunda 8 embedded form, a linked form left to the host,
// Camunda 7 camunda:formData, what the pages cannot build (kept as unsupported, not refused),
// and an embedded form that is not JSON (refused at deployment with the task's id).
import { compileBpmn, type CompiledBpmn } from '../../engine/index.js';
import { parseCamundaForm } from '../../engine/model/forms.js';

const zeebe = (task: string, processExt = '') => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:extensionElements>${processExt}</bpmn:extensionElements>
    <bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="u" />
    <bpmn:userTask id="u"><bpmn:extensionElements><zeebe:userTask />${task}</bpmn:extensionElements></bpmn:userTask>
    <bpmn:sequenceFlow id="f2" name="Ymlaen / Onward" sourceRef="u" targetRef="e" /><bpmn:endEvent id="e" />
  </bpmn:process>
</bpmn:definitions>`;

const userTask = (c: CompiledBpmn) => c.processes.p.nodes.u.userTask!;

async function compiled(xml: string): Promise<CompiledBpmn> {
  const r = await compileBpmn(xml);
  if (!r.ok) throw new Error(JSON.stringify(r.failure));
  return r.value;
}

const FORM = {
  components: [
    { type: 'text', text: 'Intro' },
    { type: 'textfield', key: 'summary', label: 'Crynodeb / Summary', validate: { required: true, minLength: 5, maxLength: 50, pattern: '[A-Z].*' } },
    { type: 'number', key: 'score', label: 'Score', properties: { 'label:cy': 'Sgôr', 'label:en': 'Score' }, decimalDigits: 0, validate: { min: 1, max: '10' } },
    { type: 'group', components: [{ type: 'checkbox', key: 'urgent', label: 'Urgent' }] },
    { type: 'radio', key: 'rating', label: 'Barn / Judgement', values: [{ label: 'Da / Good', value: 'good' }, { label: 'Poor', value: 'poor' }] },
    { type: 'datetime', subtype: 'date', key: 'day', dateLabel: 'Dyddiad / Date' },
    { type: 'datetime', subtype: 'datetime', key: 'at', dateLabel: 'When' },
    { type: 'taglist', key: 'tags', label: 'Tags', values: [{ label: 'A', value: 'a' }] },
  ],
};

describe('task forms in the compiled model', () => {
  it('compiles an embedded Camunda form: types, bilingual labels, validation', async () => {
    const c = await compiled(zeebe('<zeebe:formDefinition formKey="camunda-forms:bpmn:f1" />', `<zeebe:userTaskForm id="f1">${JSON.stringify(FORM)}</zeebe:userTaskForm>`));
    expect(userTask(c).formKey).toBe('camunda-forms:bpmn:f1');
    expect(userTask(c).form).toEqual({
      source: 'camunda-form',
      fields: [
        { key: 'summary', type: 'textfield', label: { cy: 'Crynodeb', en: 'Summary' }, required: true, minLength: 5, maxLength: 50, pattern: '[A-Z].*' },
        { key: 'score', type: 'number', label: { cy: 'Sgôr', en: 'Score' }, min: 1, max: 10, integer: true },
        { key: 'urgent', type: 'checkbox', label: { text: 'Urgent' } },
        { key: 'rating', type: 'radio', label: { cy: 'Barn', en: 'Judgement' }, options: [{ value: 'good', label: { cy: 'Da', en: 'Good' } }, { value: 'poor', label: { text: 'Poor' } }] },
        { key: 'day', type: 'date', label: { cy: 'Dyddiad', en: 'Date' } },
        { key: 'at', type: 'datetime', label: { text: 'When' } },
        { key: 'tags', type: 'checklist', label: { text: 'Tags' }, options: [{ value: 'a', label: { text: 'A' } }] },
      ],
    });
    expect(c.processes.p.flows.f2.name).toBe('Ymlaen / Onward');
  });

  it('leaves a linked form (formId) for the host to find', async () => {
    const c = await compiled(zeebe('<zeebe:formDefinition formId="visit" />'));
    expect(userTask(c)).toMatchObject({ formKey: 'visit', formId: 'visit' });
    expect(userTask(c).form).toBeUndefined();
  });

  it('keeps a form it cannot build as unsupported, and refuses an embedded form that is not JSON', async () => {
    const picker = { components: [{ type: 'filepicker', key: 'evidence', label: 'Evidence' }] };
    const c = await compiled(zeebe('<zeebe:formDefinition formKey="camunda-forms:bpmn:f1" />', `<zeebe:userTaskForm id="f1">${JSON.stringify(picker)}</zeebe:userTaskForm>`));
    expect(userTask(c).form).toBeUndefined();
    expect(userTask(c).formUnsupported).toMatch(/filepicker/);
    const bad = await compileBpmn(zeebe('<zeebe:formDefinition formKey="camunda-forms:bpmn:f1" />', '<zeebe:userTaskForm id="f1">{ not json</zeebe:userTaskForm>'));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.failure).toEqual([expect.objectContaining({ code: 'form-invalid', elementId: 'u' })]);
  });

  it('compiles the form of a start event', async () => {
    const xml = zeebe('', `<zeebe:userTaskForm id="sf">${JSON.stringify({ components: [{ type: 'textfield', key: 'concern', label: 'Pryder / Concern' }] })}</zeebe:userTaskForm>`)
      .replace('<bpmn:startEvent id="s" />', '<bpmn:startEvent id="s"><bpmn:extensionElements><zeebe:formDefinition formKey="camunda-forms:bpmn:sf" /></bpmn:extensionElements></bpmn:startEvent>');
    expect((await compiled(xml)).processes.p.nodes.s.startForm?.form).toEqual({ source: 'camunda-form', fields: [{ key: 'concern', type: 'textfield', label: { cy: 'Pryder', en: 'Concern' } }] });
  });

  it('compiles Camunda 7 camunda:formData', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="u" />
    <bpmn:userTask id="u"><bpmn:extensionElements><camunda:formData>
      <camunda:formField id="weeks" label="Wythnosau / Weeks" type="long" defaultValue="6"><camunda:validation><camunda:constraint name="required" /><camunda:constraint name="min" config="1" /></camunda:validation></camunda:formField>
      <camunda:formField id="ok" label="OK" type="boolean" defaultValue="true" />
      <camunda:formField id="when" label="When" type="date" />
      <camunda:formField id="stage" label="Stage" type="enum"><camunda:value id="a" name="Cam A / Stage A" /></camunda:formField>
      <camunda:formField id="note" type="string"><camunda:properties><camunda:property id="label:cy" value="Nodyn" /><camunda:property id="label:en" value="Note" /></camunda:properties><camunda:validation><camunda:constraint name="maxlength" config="20" /></camunda:validation></camunda:formField>
      <camunda:formField id="shown" label="Shown" type="string"><camunda:validation><camunda:constraint name="readonly" /></camunda:validation></camunda:formField>
    </camunda:formData></bpmn:extensionElements></bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="u" targetRef="e" /><bpmn:endEvent id="e" />
  </bpmn:process>
</bpmn:definitions>`;
    expect(userTask(await compiled(xml)).form).toEqual({
      source: 'camunda-form-data',
      fields: [
        { key: 'weeks', type: 'number', label: { cy: 'Wythnosau', en: 'Weeks' }, integer: true, required: true, min: 1, defaultValue: 6 },
        { key: 'ok', type: 'checkbox', label: { text: 'OK' }, defaultValue: true },
        { key: 'when', type: 'date', label: { text: 'When' } },
        { key: 'stage', type: 'radio', label: { text: 'Stage' }, options: [{ value: 'a', label: { cy: 'Cam A', en: 'Stage A' } }] },
        { key: 'note', type: 'textfield', label: { cy: 'Nodyn', en: 'Note' }, maxLength: 20 },
      ],
    });
  });

  it('says why a Camunda form cannot be shown', () => {
    expect(parseCamundaForm({})).toEqual({ ok: false, message: 'the form has no components' });
    expect(parseCamundaForm({ components: [{ type: 'select', key: 'x', valuesKey: 'choices' }] })).toEqual({ ok: false, message: 'x: options from a variable (valuesKey) are not supported' });
    expect(parseCamundaForm({ components: [{ type: 'textfield', key: 'a.b' }] })).toEqual({ ok: false, message: '"a.b" is not a variable name' });
  });
});
