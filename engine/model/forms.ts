// The form a user task declares, as plain data that pages render and check: a Camunda 8 form
// (zeebe:formDefinition naming an embedded zeebe:userTaskForm, or a linked form by formId that
// the host looks up) or a Camunda 7 generated form (camunda:formData). Pure: form JSON is
// parsed from the model's text; nothing is read from files.
import type { ModdleElement } from 'bpmn-moddle';
import { attr, extension, extensions } from './extensions.js';

/** A text in Welsh and English, or one text for both (`text`) when the model gives no language. */
export interface Labels { cy?: string; en?: string; text?: string }

export type FormFieldType =
  | 'textfield' | 'textarea' | 'number' | 'checkbox' | 'checklist' | 'radio' | 'select'
  | 'date' | 'datetime' | 'time' | 'list' | 'records';

export type OptionValue = string | number | boolean | null;

export interface FormOption { value: OptionValue; label: Labels }

export interface FormField {
  /** The variable the field sets. */
  key: string;
  type: FormFieldType;
  label: Labels;
  description?: Labels;
  required?: boolean;
  min?: number;
  max?: number;
  minLength?: number;
  maxLength?: number;
  /** A regular expression the whole text must match (Camunda forms' validate.pattern). */
  pattern?: string;
  integer?: boolean;
  options?: FormOption[];
  defaultValue?: unknown;
  /** A list of records (type `records`): the fields of each row. */
  columns?: FormField[];
}

export interface TaskForm {
  source: 'camunda-form' | 'camunda-form-data';
  fields: FormField[];
}

export const FIELD_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** "Cymraeg / English" (the bundled models' convention) or custom properties label:cy / label:en. */
export function labelsOf(text: unknown, props?: Record<string, unknown>): Labels {
  const cy = props?.['label:cy'];
  const en = props?.['label:en'];
  if (typeof cy === 'string' && typeof en === 'string') return { cy, en };
  const s = typeof text === 'string' ? text.trim() : '';
  const halves = s.split(' / ');
  return halves.length === 2 && halves[0] && halves[1] ? { cy: halves[0].trim(), en: halves[1].trim() } : { text: s };
}

const DISPLAY_ONLY = new Set(['text', 'html', 'image', 'button', 'separator', 'spacer', 'iframe', 'table', 'documentPreview']);
const INPUTS: Record<string, FormFieldType> = {
  textfield: 'textfield', textarea: 'textarea', number: 'number', checkbox: 'checkbox',
  checklist: 'checklist', taglist: 'checklist', radio: 'radio', select: 'select',
};

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);

/** A Camunda form's JSON (schema of Camunda Modeler 5 / Camunda 8) -> fields, or why it cannot be shown. */
export function parseCamundaForm(json: unknown): { ok: true; form: TaskForm } | { ok: false; message: string } {
  const fields: FormField[] = [];
  const problems: string[] = [];
  const walk = (components: unknown) => {
    if (!Array.isArray(components)) return;
    for (const c of components as Array<Record<string, unknown>>) {
      const type = String(c?.type ?? '');
      if (DISPLAY_ONLY.has(type)) continue;
      if (type === 'group' && !c.path) { walk(c.components); continue; }
      const key = String(c.key ?? '');
      const validate = (c.validate ?? {}) as Record<string, unknown>;
      const props = (c.properties ?? {}) as Record<string, unknown>;
      let fieldType: FormFieldType | undefined = INPUTS[type];
      let label = c.label;
      if (type === 'datetime') {
        fieldType = c.subtype === 'time' ? 'time' : c.subtype === 'datetime' ? 'datetime' : 'date';
        label = c.dateLabel ?? c.label ?? c.timeLabel;
      }
      if (!fieldType) { problems.push(`component type "${type}" is not supported`); continue; }
      if (!FIELD_KEY.test(key)) { problems.push(`"${key}" is not a variable name`); continue; }
      const f: FormField = { key, type: fieldType, label: labelsOf(label, props) };
      if (c.description) f.description = labelsOf(c.description, { 'label:cy': props['description:cy'], 'label:en': props['description:en'] });
      if (validate.required === true) f.required = true;
      for (const k of ['min', 'max', 'minLength', 'maxLength'] as const) {
        const v = num(validate[k]);
        if (v !== undefined) f[k] = v;
      }
      if (typeof validate.pattern === 'string' && validate.pattern) f.pattern = validate.pattern;
      if (validate.validationType === 'email') f.pattern ??= '[^@\\s]+@[^@\\s]+\\.[^@\\s]+';
      if (type === 'number' && c.decimalDigits === 0) f.integer = true;
      if (fieldType === 'radio' || fieldType === 'select' || fieldType === 'checklist') {
        if (!Array.isArray(c.values)) { problems.push(`${key}: options from a variable (valuesKey) are not supported`); continue; }
        f.options = (c.values as Array<Record<string, unknown>>).map((v) => ({ value: v.value as OptionValue, label: labelsOf(v.label ?? String(v.value)) }));
      }
      if (c.defaultValue !== undefined) f.defaultValue = c.defaultValue;
      fields.push(f);
    }
  };
  const root = json as Record<string, unknown> | null;
  if (!root || typeof root !== 'object' || !Array.isArray(root.components)) return { ok: false, message: 'the form has no components' };
  walk(root.components);
  if (problems.length) return { ok: false, message: problems.join('; ') };
  return { ok: true, form: { source: 'camunda-form', fields } };
}

const C7_TYPES: Record<string, FormFieldType> = { string: 'textfield', long: 'number', boolean: 'checkbox', date: 'date', enum: 'radio' };

/** Camunda 7 camunda:formData: string, long, boolean, date and enum fields with their constraints. */
export function camundaFormData(fd: ModdleElement): { ok: true; form: TaskForm } | { ok: false; message: string } {
  const fields: FormField[] = [];
  const problems: string[] = [];
  for (const ff of (fd.fields ?? []) as ModdleElement[]) {
    const type = C7_TYPES[String(ff.type ?? 'string')];
    const key = String(ff.id ?? '');
    if (!type) { problems.push(`${key}: type "${ff.type}" is not supported`); continue; }
    if (!FIELD_KEY.test(key)) { problems.push(`"${key}" is not a variable name`); continue; }
    const props = Object.fromEntries(((ff.properties?.values ?? []) as ModdleElement[]).map((p) => [p.id, p.value]));
    const constraints = Object.fromEntries(((ff.validation?.constraints ?? []) as ModdleElement[]).map((c) => [String(c.name).toLowerCase(), c.config]));
    if ('readonly' in constraints) continue;
    const f: FormField = { key, type, label: labelsOf(ff.label ?? key, props) };
    if (ff.type === 'long') f.integer = true;
    if ('required' in constraints) f.required = true;
    const bounds: Array<[string, 'min' | 'max' | 'minLength' | 'maxLength']> = [['min', 'min'], ['max', 'max'], ['minlength', 'minLength'], ['maxlength', 'maxLength']];
    for (const [c, k] of bounds) {
      const v = num(constraints[c]);
      if (v !== undefined) f[k] = v;
    }
    if (type === 'radio') f.options = ((ff.values ?? []) as ModdleElement[]).map((v) => ({ value: String(v.id), label: labelsOf(v.name ?? v.id) }));
    if (ff.defaultValue !== undefined && !/^\$\{/.test(String(ff.defaultValue))) {
      const d = String(ff.defaultValue);
      f.defaultValue = ff.type === 'long' ? num(d) : ff.type === 'boolean' ? d === 'true' : d;
    }
    fields.push(f);
  }
  if (problems.length) return { ok: false, message: problems.join('; ') };
  return { ok: true, form: { source: 'camunda-form-data', fields } };
}

/** The process a task is in (embedded Camunda forms are declared on the process). */
function processOf(el: ModdleElement): ModdleElement | undefined {
  let p: ModdleElement | undefined = el.$parent;
  while (p && p.$type !== 'bpmn:Process') p = p.$parent;
  return p;
}

/** `invalid`: a broken model (refused at deployment); `unsupported`: a form the pages cannot build, so they ask for raw variables. */
export type DeclaredForm = { form?: TaskForm; formId?: string; invalid?: string; unsupported?: string };

/**
 * What a user task declares: an embedded Camunda form or camunda:formData (compiled here), a
 * linked form (formId, zeebe:formDefinition or camunda:formRef) for the host to resolve, an
 * embedded form that is not valid JSON, or one that asks for what the pages cannot show.
 */
export function declaredForm(fe: ModdleElement): DeclaredForm {
  const zf = extension(fe, 'zeebe:FormDefinition');
  if (zf?.formId) return { formId: String(zf.formId) };
  const embedded = /^camunda-forms:bpmn:(.+)$/.exec(String(zf?.formKey ?? ''));
  if (embedded) {
    const proc = processOf(fe);
    const utf = proc ? extensions(proc, 'zeebe:UserTaskForm').find((u) => u.id === embedded[1]) : undefined;
    if (!utf) return {};
    let json: unknown;
    try {
      json = JSON.parse(String(utf.body ?? ''));
    } catch (e) {
      return { invalid: `the embedded form ${embedded[1]} is not valid JSON (${(e as Error).message})` };
    }
    const r = parseCamundaForm(json);
    return r.ok ? { form: r.form } : { unsupported: `the embedded form ${embedded[1]}: ${r.message}` };
  }
  const formRef = attr(fe, 'camunda', 'formRef');
  if (formRef) return { formId: String(formRef) };
  const fd = extension(fe, 'camunda:FormData');
  if (fd) {
    const r = camundaFormData(fd);
    return r.ok ? { form: r.form } : { unsupported: `camunda:formData: ${r.message}` };
  }
  return {};
}
