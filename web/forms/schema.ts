// A task form posted back: the fields' raw text read from the body, and a zod schema built from
// the form's fields that turns it into typed variables (numbers, booleans, dates as ISO text,
// lists) or into errors that each name their field, in the page's language.
import { z } from 'zod';
import type { FormField, Labels } from '../../engine/index.js';
import { fromLocal, localParts } from '../../engine/time/london.js';
import type { Lang, Translate } from '../i18n.js';

export const MAX_ROWS = 20;
const MAX_TEXT = 20_000;

/** Raw values as the form holds them (what a page shows back after a mistake). */
export type Raw = string | boolean | number[] | { day: string; month: string; year: string; time?: string } | Array<Record<string, string>>;

export const fieldName = (key: string) => `f.${key}`;
export const fieldId = (key: string) => `f-${key}`;
export const cellName = (key: string, row: number, col: string) => `f.${key}.${row}.${col}`;
export const cellId = (key: string, row: number, col: string) => `f-${key}-${row}-${col}`;

export function labelIn(l: Labels | undefined, lang: Lang): string {
  if (!l) return '';
  return l[lang] ?? l.text ?? l.en ?? l.cy ?? '';
}

/** Each field's raw value from a posted body. */
export function readRaw(fields: FormField[], body: Record<string, string>): Record<string, Raw> {
  const out: Record<string, Raw> = {};
  for (const f of fields) {
    const name = fieldName(f.key);
    switch (f.type) {
      case 'checkbox': out[f.key] = body[name] === 'true'; break;
      case 'checklist': out[f.key] = (f.options ?? []).map((_, i) => i).filter((i) => body[`${name}.${i}`] !== undefined); break;
      case 'date': case 'datetime':
        out[f.key] = { day: body[`${name}-day`] ?? '', month: body[`${name}-month`] ?? '', year: body[`${name}-year`] ?? '', ...(f.type === 'datetime' ? { time: body[`${name}-time`] ?? '' } : {}) };
        break;
      case 'records': {
        const rows: Array<Record<string, string>> = [];
        for (let r = 0; r < MAX_ROWS; r++) {
          const row = Object.fromEntries((f.columns ?? []).map((c) => [c.key, body[cellName(f.key, r, c.key)] ?? '']));
          if (Object.values(row).some((v) => v.trim())) rows.push(row);
        }
        // Blank rows are dropped, so row numbers in errors are those of the page shown back.
        out[f.key] = rows;
        break;
      }
      default: out[f.key] = body[name] ?? '';
    }
  }
  return out;
}

/** Raw values that show a variable's current value (or the field's default) in the form. */
export function rawFromValue(f: FormField, value: unknown): Raw {
  const v = value === undefined ? f.defaultValue : value;
  switch (f.type) {
    case 'checkbox': return v === true;
    case 'checklist': return Array.isArray(v) ? (f.options ?? []).flatMap((o, i) => (v.includes(o.value) ? [i] : [])) : [];
    case 'radio': case 'select': {
      const i = (f.options ?? []).findIndex((o) => o.value === v);
      return i >= 0 ? String(i) : '';
    }
    case 'date': case 'datetime': {
      if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(v)) return { day: '', month: '', year: '', ...(f.type === 'datetime' ? { time: '' } : {}) };
      const local = f.type === 'datetime' && v.length > 10 ? localParts(v) : { date: v.slice(0, 10), time: '' };
      const [year, month, day] = local.date.split('-');
      return { day: String(Number(day)), month: String(Number(month)), year, ...(f.type === 'datetime' ? { time: local.time.slice(0, 5) } : {}) };
    }
    case 'list': return Array.isArray(v) ? v.map(String).join('\n') : typeof v === 'string' ? v : '';
    case 'records': return Array.isArray(v) ? v.filter((r) => r && typeof r === 'object').map((r) => Object.fromEntries((f.columns ?? []).map((c) => [c.key, (r as Record<string, unknown>)[c.key] === undefined ? '' : String((r as Record<string, unknown>)[c.key])]))) : [];
    default: return v === undefined || v === null ? '' : typeof v === 'string' ? v : String(v);
  }
}

type Issue = { message: string; path?: Array<string | number> };
type Check<T> = { value: T } | { issue: Issue } | { empty: true };

function realDate(d: { day: string; month: string; year: string }): string | undefined {
  const [day, month, year] = [d.day, d.month, d.year].map((s) => s.trim());
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return undefined;
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const t = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === iso ? iso : undefined;
}

/** One field's raw value -> its variable value (undefined: left empty and optional). */
function check(f: FormField, raw: Raw, label: string, t: Translate): Check<unknown> {
  const err = (key: string, extra: Record<string, string | number> = {}, path?: Array<string | number>): Check<unknown> => ({ issue: { message: t(`form.errors.${key}`, { label, ...extra }), path } });
  switch (f.type) {
    case 'checkbox': return { value: raw === true };
    case 'checklist': {
      const picked = (raw as number[]).map((i) => f.options![i].value);
      if (f.required && picked.length === 0) return err('choose');
      return { value: picked };
    }
    case 'radio': case 'select': {
      const s = String(raw).trim();
      if (s === '') return f.required ? err('choose') : { empty: true };
      const o = /^\d+$/.test(s) ? f.options?.[Number(s)] : undefined;
      return o ? { value: o.value } : err('option');
    }
    case 'date': case 'datetime': {
      const d = raw as { day: string; month: string; year: string; time?: string };
      const blank = !d.day.trim() && !d.month.trim() && !d.year.trim() && !(d.time ?? '').trim();
      if (blank) return f.required ? err('required', {}, ['day']) : { empty: true };
      const iso = realDate(d);
      if (!iso) return err('date', {}, ['day']);
      if (f.type === 'date') return { value: iso };
      const time = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec((d.time ?? '').trim());
      if (!time) return err('time', {}, ['time']);
      return { value: fromLocal(iso, `${time[1].padStart(2, '0')}:${time[2]}`) };
    }
    case 'time': {
      const s = String(raw).trim();
      if (!s) return f.required ? err('required') : { empty: true };
      const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(s);
      return m ? { value: `${m[1].padStart(2, '0')}:${m[2]}` } : err('time');
    }
    case 'number': {
      const s = String(raw).trim().replace(/,/g, '');
      if (!s) return f.required ? err('required') : { empty: true };
      if (!/^-?\d+(\.\d+)?$/.test(s)) return err('number');
      const n = Number(s);
      if (f.integer && !Number.isInteger(n)) return err('integer');
      if (f.min !== undefined && n < f.min) return err('min', { min: f.min });
      if (f.max !== undefined && n > f.max) return err('max', { max: f.max });
      return { value: n };
    }
    case 'list': {
      const items = String(raw).split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
      if (f.required && items.length === 0) return err('required');
      if (f.min !== undefined && items.length < f.min) return err('min', { min: f.min });
      return { value: items };
    }
    case 'records': return { value: raw };
    default: {
      const s = String(raw).trim();
      if (!s) return f.required ? err('required') : { empty: true };
      if (s.length > (f.maxLength ?? MAX_TEXT)) return err('maxLength', { max: f.maxLength ?? MAX_TEXT });
      if (f.minLength !== undefined && s.length < f.minLength) return err('minLength', { min: f.minLength });
      if (f.pattern && !safePattern(f.pattern).test(s)) return err('pattern');
      return { value: s };
    }
  }
}

/** A model's pattern, anchored; one that does not compile accepts anything rather than refusing every answer. */
function safePattern(p: string): RegExp {
  try {
    return new RegExp(`^(?:${p})$`, 'u');
  } catch {
    return /^[\s\S]*$/;
  }
}

function fieldSchema(f: FormField, lang: Lang, t: Translate) {
  const label = labelIn(f.label, lang);
  return z.unknown().transform((raw, ctx) => {
    if (f.type === 'records') {
      const rows = raw as Array<Record<string, string>>;
      if (f.required && rows.length === 0) {
        ctx.addIssue({ code: 'custom', message: t('form.errors.required', { label }), path: [] });
        return z.NEVER;
      }
      const out: Array<Record<string, unknown>> = [];
      rows.forEach((row, r) => {
        const rec: Record<string, unknown> = {};
        for (const c of f.columns ?? []) {
          const colLabel = t('form.errors.itemLabel', { label: labelIn(c.label, lang), n: r + 1 });
          const res = check(c, row[c.key] ?? '', colLabel, t);
          if ('issue' in res) ctx.addIssue({ code: 'custom', message: res.issue.message, path: [r, c.key] });
          else if ('value' in res) rec[c.key] = res.value;
        }
        out.push(rec);
      });
      return out;
    }
    const res = check(f, raw as Raw, label, t);
    if ('issue' in res) {
      ctx.addIssue({ code: 'custom', message: res.issue.message, path: res.issue.path ?? [] });
      return z.NEVER;
    }
    return 'value' in res ? res.value : undefined;
  });
}

/** The zod schema of a form: raw values in, typed variables out. */
export function formSchema(fields: FormField[], lang: Lang, t: Translate) {
  return z.object(Object.fromEntries(fields.map((f) => [f.key, fieldSchema(f, lang, t)])));
}

/** `cell`: the error of one row's field of a list of records (shown beside it, not above the list). */
export type FieldError = { key: string; text: string; href: string; cell?: boolean };

export function validateForm(fields: FormField[], raw: Record<string, Raw>, lang: Lang, t: Translate): { ok: true; values: Record<string, unknown> } | { ok: false; errors: FieldError[] } {
  const r = formSchema(fields, lang, t).safeParse(raw);
  if (r.success) return { ok: true, values: Object.fromEntries(Object.entries(r.data).filter(([, v]) => v !== undefined)) };
  const errors = r.error.issues.map((i) => {
    const [key, ...rest] = i.path.map(String);
    if (rest.length === 2) return { key, text: i.message, href: `#${cellId(key, Number(rest[0]), rest[1])}`, cell: true };
    // A list of records left empty: the summary links to its first field.
    const first = fields.find((f) => f.key === key && f.type === 'records')?.columns?.[0];
    return { key, text: i.message, href: first ? `#${cellId(key, 0, first.key)}` : `#${fieldId(key)}${rest.length === 1 ? `-${rest[0]}` : ''}` };
  });
  return { ok: false, errors };
}
