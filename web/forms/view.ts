// A task form's fields as the parameters of GOV.UK Frontend's macros (web/views/_form-fields.njk
// picks the macro by `macro`), in the page's language, with each field's value and its error.
import type { FormField } from '../../engine/index.js';
import type { Lang, Translate } from '../i18n.js';
import { cellId, cellName, fieldId, fieldName, labelIn, rawFromValue, type FieldError, type Raw } from './schema.js';

export interface FieldView { macro: 'input' | 'textarea' | 'radios' | 'checkboxes' | 'select' | 'date' | 'datetime' | 'records'; params: Record<string, unknown>; time?: Record<string, unknown>; rows?: Array<{ legend: string; cells: Array<Record<string, unknown>> }>; legend?: string; hint?: string; error?: string; id: string }

/**
 * The raw values a form starts with: the variables' current values where the caller may see them
 * (a plan sent back for revision shows the draft), else the defaults. A choice Camau built from a
 * gateway starts empty: the last round's decision is not this one's.
 */
export function startingRaw(fields: FormField[], vars: Record<string, unknown> | undefined, inferred: boolean): Record<string, Raw> {
  return Object.fromEntries(fields.map((f) => [f.key, rawFromValue(f, inferred && f.type === 'radio' ? undefined : vars?.[f.key])]));
}

export function fieldViews(fields: FormField[], raw: Record<string, Raw>, errors: FieldError[], lang: Lang, t: Translate): FieldView[] {
  return fields.map((f) => {
    const id = fieldId(f.key);
    const name = fieldName(f.key);
    const label = labelIn(f.label, lang) + (f.required || f.type === 'checkbox' ? '' : ` ${t('form.optional')}`);
    const own = errors.filter((e) => e.key === f.key);
    const errorMessage = own.length ? { text: own.map((e) => e.text).join('. ') } : undefined;
    const description = labelIn(f.description, lang);
    const value = raw[f.key];
    const hintText = (extra?: string) => [description, extra].filter(Boolean).join(' ') || undefined;
    const hint = (extra?: string) => (hintText(extra) ? { text: hintText(extra) } : undefined);
    const options = (f.options ?? []).map((o, i) => ({ value: String(i), text: labelIn(o.label, lang) }));
    switch (f.type) {
      case 'textarea':
        return { id, macro: 'textarea', params: { id, name, label: { text: label, classes: 'govuk-label--s' }, hint: hint(), value, errorMessage, rows: 5 } };
      case 'list':
        return { id, macro: 'textarea', params: { id, name, label: { text: label, classes: 'govuk-label--s' }, hint: hint(t('form.listHint')), value, errorMessage, rows: 4, spellcheck: false } };
      case 'number':
        return { id, macro: 'input', params: { id, name, label: { text: label, classes: 'govuk-label--s' }, hint: hint(), value, errorMessage, inputmode: f.integer ? 'numeric' : 'decimal', spellcheck: false, classes: 'govuk-input--width-10' } };
      case 'time':
        return { id, macro: 'input', params: { id, name, label: { text: label, classes: 'govuk-label--s' }, hint: hint(t('form.timeHint')), value, errorMessage, classes: 'govuk-input--width-5' } };
      case 'checkbox':
        return { id, macro: 'checkboxes', params: { idPrefix: id, name, hint: hint(), errorMessage, items: [{ value: 'true', text: label, checked: value === true }] } };
      case 'checklist':
        return { id, macro: 'checkboxes', params: { idPrefix: id, name, fieldset: { legend: { text: label, classes: 'govuk-fieldset__legend--s' } }, hint: hint(), errorMessage,
          items: options.map((o, i) => ({ ...o, name: `${name}.${i}`, value: 'on', checked: (value as number[]).includes(i) })) } };
      case 'radio':
        return { id, macro: 'radios', params: { idPrefix: id, name, fieldset: { legend: { text: label, classes: 'govuk-fieldset__legend--s' } }, hint: hint(), errorMessage,
          items: options.map((o) => ({ ...o, checked: o.value === value })) } };
      case 'select':
        return { id, macro: 'select', params: { id, name, label: { text: label, classes: 'govuk-label--s' }, hint: hint(), errorMessage,
          items: [{ value: '', text: t('form.chooseOne') }, ...options.map((o) => ({ ...o, selected: o.value === value }))] } };
      case 'date': case 'datetime': {
        const d = value as { day: string; month: string; year: string; time?: string };
        const dateError = own.find((e) => !e.href.endsWith('-time'));
        const timeError = own.find((e) => e.href.endsWith('-time'));
        const view: FieldView = { id, macro: f.type, params: { id, namePrefix: name, fieldset: { legend: { text: label, classes: 'govuk-fieldset__legend--s' } }, hint: hint(t('form.dateHint')),
          errorMessage: dateError ? { text: dateError.text } : undefined,
          items: (['day', 'month', 'year'] as const).map((p) => ({ name: p, label: t(`form.${p}`), value: d[p], classes: `govuk-input--width-${p === 'year' ? 4 : 2}${dateError ? ' govuk-input--error' : ''}` })) } };
        if (f.type === 'datetime') view.time = { id: `${id}-time`, name: `${name}-time`, label: { text: `${label}: ${t('form.time')}` }, hint: { text: t('form.timeHint') }, value: d.time, classes: 'govuk-input--width-5', errorMessage: timeError ? { text: timeError.text } : undefined };
        return view;
      }
      case 'records': {
        const rows = value as Array<Record<string, string>>;
        const count = Math.min(Math.max(rows.length + 1, 3), 20);
        const listError = own.filter((e) => !e.cell).map((e) => e.text).join('. ');
        return { id, macro: 'records', legend: label, hint: hintText(t('form.itemsHint')), error: listError || undefined, params: {},
          rows: Array.from({ length: count }, (_, r) => ({
            legend: t('form.item', { n: r + 1 }),
            cells: (f.columns ?? []).map((c) => {
              const cid = cellId(f.key, r, c.key);
              const cellError = errors.find((e) => e.cell && e.href === `#${cid}`);
              return { id: cid, name: cellName(f.key, r, c.key), label: { text: labelIn(c.label, lang) }, value: rows[r]?.[c.key] ?? '',
                inputmode: c.type === 'number' ? 'numeric' : undefined, classes: c.type === 'number' ? 'govuk-input--width-4' : undefined, errorMessage: cellError ? { text: cellError.text } : undefined };
            }),
          })) };
      }
      default:
        return { id, macro: 'input', params: { id, name, label: { text: label, classes: 'govuk-label--s' }, hint: hint(), value, errorMessage } };
    }
  });
}
