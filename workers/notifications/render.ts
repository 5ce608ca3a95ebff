// Rendering a message for one recipient: pure (no I/O, no clock). Each person gets their
// recorded language: `cy` Welsh only, `en` English only, `both` (or anything unknown) one
// bilingual message with the Welsh first (Welsh Language Standards: Welsh is never later or less
// prominent). Dates are written in Europe/London time in each language's own words, from the
// same instant, so a translation never moves a date. A placeholder without a value is an error,
// never "undefined" in a letter.

export type Language = 'cy' | 'en';
/** A recipient's preference as recorded on people/users; anything else reads as `both`. */
export type Preference = 'cy' | 'en' | 'both';
export type DateStyle = 'date' | 'datetime' | 'time';

export interface Placeholder {
  name: string;
  /** Absent: text. */
  format?: DateStyle;
}

export interface TemplateText {
  subject: string;
  body: string;
}

export interface Template {
  id: string;
  description?: string;
  cy: TemplateText;
  en: TemplateText;
  /** The placeholders both languages use (the loader checks they are the same). */
  placeholders: Placeholder[];
}

/**
 * Values for placeholders. Text: a string, number or boolean, or a value in both languages
 * `{ cy, en }` (a task or school name). Dates: an ISO instant (`2026-11-02T09:00:00Z`), a date
 * (`2026-11-02`), a Date, or epoch milliseconds.
 */
export type TemplateData = Record<string, unknown>;

export interface RenderedMessage {
  template: string;
  language: Preference;
  subject: string;
  text: string;
}

export interface RenderOptions {
  /** Default Europe/London. */
  timeZone?: string;
}

export class TemplateDataError extends Error {
  constructor(
    readonly template: string,
    readonly missing: string[],
    readonly invalid: Array<{ name: string; reason: string }>,
  ) {
    const parts: string[] = [];
    if (missing.length) parts.push(`no value for ${missing.join(', ')}`);
    for (const i of invalid) parts.push(`${i.name}: ${i.reason}`);
    super(`Template "${template}" cannot be rendered: ${parts.join('; ')}`);
    this.name = 'TemplateDataError';
  }
}

export const LONDON = 'Europe/London';

export const MONTHS: Record<Language, readonly string[]> = {
  cy: ['Ionawr', 'Chwefror', 'Mawrth', 'Ebrill', 'Mai', 'Mehefin', 'Gorffennaf', 'Awst', 'Medi', 'Hydref', 'Tachwedd', 'Rhagfyr'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

/** Sunday first, as Date.getUTCDay() counts. */
export const WEEKDAYS: Record<Language, readonly string[]> = {
  cy: ['Dydd Sul', 'Dydd Llun', 'Dydd Mawrth', 'Dydd Mercher', 'Dydd Iau', 'Dydd Gwener', 'Dydd Sadwrn'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
};

/** "at" before a time of day. */
const AT: Record<Language, string> = { cy: 'am', en: 'at' };

/** The first line of a bilingual message, Welsh first. */
export const BILINGUAL_NOTE = 'Saesneg isod / English below';
export const BILINGUAL_SEPARATOR = '-'.repeat(40);

export function preferenceOf(value: unknown): Preference {
  return value === 'cy' || value === 'en' ? value : 'both';
}

// ---------------------------------------------------------------------------------------------
// Placeholders

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*(?:\|\s*([A-Za-z]+)\s*)?\}\}/g;
const FORMATS = new Set<string>(['date', 'datetime', 'time']);

/** The placeholders in a text, in order of first use; throws on a malformed one or an unknown format. */
export function placeholdersIn(text: string): Placeholder[] {
  const found = new Map<string, Placeholder>();
  for (const m of text.matchAll(PLACEHOLDER)) {
    const [, name, format] = m;
    if (format !== undefined && !FORMATS.has(format)) throw new Error(`Unknown format "${format}" in {{${name}|${format}}} (use date, datetime or time)`);
    const key = `${name}|${format ?? ''}`;
    if (!found.has(key)) found.set(key, format ? { name, format: format as DateStyle } : { name });
  }
  const rest = text.replace(PLACEHOLDER, '');
  if (rest.includes('{{') || rest.includes('}}')) {
    const at = rest.indexOf('{{') >= 0 ? rest.indexOf('{{') : rest.indexOf('}}');
    throw new Error(`Malformed placeholder near "${rest.slice(Math.max(0, at - 10), at + 20)}"`);
  }
  return [...found.values()];
}

export const placeholderKey = (p: Placeholder) => (p.format ? `${p.name}|${p.format}` : p.name);

// ---------------------------------------------------------------------------------------------
// Dates

type LocalDate = { y: number; m: number; d: number; time?: { h: number; min: number } };

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** The local calendar date (and time) of a value, or a reason it is not a date. */
function localDate(value: unknown, timeZone: string): LocalDate | string {
  let ms: number;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = value;
  else if (typeof value === 'string') {
    const day = DATE_ONLY.exec(value);
    if (day) {
      const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
      const check = new Date(Date.UTC(y, m - 1, d));
      if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return `"${value}" is not a calendar date`;
      return { y, m, d };
    }
    // An instant must say its offset: a local time without one would be read in this machine's zone.
    if (!INSTANT.test(value)) return `"${value}" is not a date (expected YYYY-MM-DD or an ISO instant with Z or an offset)`;
    ms = Date.parse(value);
  } else return `expected a date, got ${describe(value)}`;
  if (!Number.isFinite(ms)) return `"${String(value)}" is not a valid date`;
  const parts = Object.fromEntries(partsFormatter(timeZone).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return { y: Number(parts.year), m: Number(parts.month), d: Number(parts.day), time: { h: Number(parts.hour), min: Number(parts.minute) } };
}

const two = (n: number) => String(n).padStart(2, '0');

/**
 * A date in one language, in Europe/London (or `timeZone`):
 * `date` -> "Dydd Llun 2 Tachwedd 2026" / "Monday 2 November 2026";
 * `datetime` -> "... am 09:30" / "... at 09:30"; `time` -> "09:30".
 */
export function formatDate(value: unknown, lang: Language, style: DateStyle = 'date', timeZone = LONDON): string {
  const r = localDate(value, timeZone);
  if (typeof r === 'string') throw new Error(r);
  return formatLocal(r, lang, style);
}

function formatLocal(r: LocalDate, lang: Language, style: DateStyle): string {
  const weekday = WEEKDAYS[lang][new Date(Date.UTC(r.y, r.m - 1, r.d)).getUTCDay()];
  const date = `${weekday} ${r.d} ${MONTHS[lang][r.m - 1]} ${r.y}`;
  if (style === 'date' || !r.time) return date;
  const time = `${two(r.time.h)}:${two(r.time.min)}`;
  return style === 'time' ? time : `${date} ${AT[lang]} ${time}`;
}

// ---------------------------------------------------------------------------------------------
// Values

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** `{ cy, en }`: a value given in both languages (either may be missing; the other stands in). */
function isLocalised(v: unknown): v is { cy?: unknown; en?: unknown } {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Date) return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys.every((k) => k === 'cy' || k === 'en');
}

/** The value in `lang`, resolving `{ cy, en }`; undefined when there is none. */
function pick(v: unknown, lang: Language): unknown {
  if (!isLocalised(v)) return v;
  const other: Language = lang === 'cy' ? 'en' : 'cy';
  return !isBlank(v[lang]) ? v[lang] : !isBlank(v[other]) ? v[other] : undefined;
}

type Resolved = { ok: true; text: string } | { ok: false; missing: true } | { ok: false; missing: false; reason: string };

function resolve(p: Placeholder, data: TemplateData, lang: Language, timeZone: string): Resolved {
  const raw = Object.prototype.hasOwnProperty.call(data, p.name) ? pick(data[p.name], lang) : undefined;
  if (isBlank(raw)) return { ok: false, missing: true };
  if (p.format) {
    const r = localDate(raw, timeZone);
    if (typeof r === 'string') return { ok: false, missing: false, reason: r };
    if (p.format === 'time' && !r.time) return { ok: false, missing: false, reason: `"${String(raw)}" has no time of day` };
    return { ok: true, text: formatLocal(r, lang, p.format) };
  }
  if (typeof raw === 'string') return { ok: true, text: raw };
  if (typeof raw === 'number' || typeof raw === 'boolean') return { ok: true, text: String(raw) };
  if (raw instanceof Date) return { ok: false, missing: false, reason: 'a date in a text placeholder (write {{name|date}} in the template)' };
  return { ok: false, missing: false, reason: `expected text, got ${describe(raw)}` };
}

/** Checks every placeholder of the template against `data` in the given languages; throws one error naming all problems. */
function check(template: Template, data: TemplateData, langs: Language[], timeZone: string): void {
  const missing = new Set<string>();
  const invalid = new Map<string, string>();
  for (const lang of langs) {
    for (const p of template.placeholders) {
      const r = resolve(p, data, lang, timeZone);
      if (r.ok) continue;
      if (r.missing) missing.add(p.name);
      else if (!invalid.has(p.name)) invalid.set(p.name, r.reason);
    }
  }
  if (missing.size || invalid.size) throw new TemplateDataError(template.id, [...missing], [...invalid].map(([name, reason]) => ({ name, reason })));
}

function fill(text: string, template: Template, data: TemplateData, lang: Language, timeZone: string): string {
  return text.replace(PLACEHOLDER, (_m, name: string, format?: string) => {
    const r = resolve(format ? { name, format: format as DateStyle } : { name }, data, lang, timeZone);
    // check() ran first; this guards a caller of fill() that skipped it.
    if (!r.ok) throw new TemplateDataError(template.id, r.missing ? [name] : [], r.missing ? [] : [{ name, reason: r.reason }]);
    return r.text;
  });
}

// ---------------------------------------------------------------------------------------------
// Messages

/** The template in one language. */
export function renderText(template: Template, lang: Language, data: TemplateData, opts: RenderOptions = {}): TemplateText {
  const tz = opts.timeZone ?? LONDON;
  check(template, data, [lang], tz);
  const t = template[lang];
  return { subject: fill(t.subject, template, data, lang, tz).replace(/\s*\n\s*/g, ' ').trim(), body: fill(t.body, template, data, lang, tz) };
}

/**
 * The message for a recipient's preference: Welsh only, English only, or (both, or unknown)
 * one bilingual message: subject "Welsh / English", body Welsh then English.
 */
export function renderMessage(template: Template, preference: unknown, data: TemplateData, opts: RenderOptions = {}): RenderedMessage {
  const language = preferenceOf(preference);
  if (language !== 'both') {
    const t = renderText(template, language, data, opts);
    return { template: template.id, language, subject: t.subject, text: t.body };
  }
  check(template, data, ['cy', 'en'], opts.timeZone ?? LONDON);
  const cy = renderText(template, 'cy', data, opts);
  const en = renderText(template, 'en', data, opts);
  return {
    template: template.id,
    language,
    subject: `${cy.subject} / ${en.subject}`,
    text: `${BILINGUAL_NOTE}\n\n${cy.body}\n\n${BILINGUAL_SEPARATOR}\n\n${en.body}`,
  };
}
