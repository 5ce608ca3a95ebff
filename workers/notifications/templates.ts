// Loading the message templates (workflows/templates/*.json, one file per message type) and
// refusing any that would let a message go out in one language only or with different details
// in each: both languages, each with a subject and a body, the same placeholders (and date
// formats) in both. See workflows/templates/README.md for the format.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { placeholderKey, placeholdersIn, type Language, type Placeholder, type Template } from './render.js';

export type TemplateSet = ReadonlyMap<string, Template>;

export const DEFAULT_TEMPLATE_DIR = fileURLToPath(new URL('../../workflows/templates/', import.meta.url));

export class TemplateError extends Error {
  constructor(readonly problems: string[]) {
    super(`Message templates are not usable:\n- ${problems.join('\n- ')}`);
    this.name = 'TemplateError';
  }
}

const LANGS: Language[] = ['cy', 'en'];

/** Checks one template's raw JSON; returns the template, or the problems (each naming the template). */
export function parseTemplate(id: string, raw: unknown): { template?: Template; problems: string[] } {
  const problems: string[] = [];
  const say = (p: string) => problems.push(`${id}: ${p}`);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { problems: [`${id}: not a JSON object`] };
  const r = raw as Record<string, unknown>;
  if (r.id !== undefined && r.id !== id) say(`its id "${String(r.id)}" differs from its file name`);
  const texts: Partial<Record<Language, { subject: string; body: string }>> = {};
  const used: Partial<Record<Language, Placeholder[]>> = {};
  for (const lang of LANGS) {
    const t = r[lang] as Record<string, unknown> | undefined;
    if (typeof t !== 'object' || t === null) {
      say(`no ${lang === 'cy' ? 'Welsh (cy)' : 'English (en)'} version`);
      continue;
    }
    const subject = t.subject;
    const body = Array.isArray(t.body) && t.body.every((l) => typeof l === 'string') ? t.body.join('\n') : t.body;
    if (typeof subject !== 'string' || subject.trim() === '') say(`${lang}: no subject`);
    if (typeof body !== 'string' || body.trim() === '') say(`${lang}: no body (a string or a list of lines)`);
    if (typeof subject !== 'string' || typeof body !== 'string') continue;
    if (subject.includes('\n')) say(`${lang}: the subject spans lines`);
    try {
      used[lang] = placeholdersIn(`${subject}\n${body}`);
      texts[lang] = { subject, body };
    } catch (e) {
      say(`${lang}: ${(e as Error).message}`);
    }
  }
  const cy = used.cy;
  const en = used.en;
  if (cy && en) {
    const cyKeys = new Set(cy.map(placeholderKey));
    const enKeys = new Set(en.map(placeholderKey));
    const onlyCy = [...cyKeys].filter((k) => !enKeys.has(k));
    const onlyEn = [...enKeys].filter((k) => !cyKeys.has(k));
    if (onlyCy.length) say(`placeholders only in Welsh: ${onlyCy.map((k) => `{{${k}}}`).join(', ')}`);
    if (onlyEn.length) say(`placeholders only in English: ${onlyEn.map((k) => `{{${k}}}`).join(', ')}`);
    const formats = new Map<string, Set<string>>();
    for (const p of cy) formats.set(p.name, (formats.get(p.name) ?? new Set()).add(p.format ?? 'text'));
    for (const [name, f] of formats) if (f.has('text') && f.size > 1) say(`{{${name}}} is used both as text and as a date`);
  }
  if (problems.length || !texts.cy || !texts.en || !cy) return { problems };
  return {
    template: { id, ...(typeof r.description === 'string' ? { description: r.description } : {}), cy: texts.cy, en: texts.en, placeholders: cy },
    problems,
  };
}

/** Checks a set of raw templates (id -> JSON); throws a TemplateError listing every problem. */
export function checkTemplates(raw: Record<string, unknown>): TemplateSet {
  const out = new Map<string, Template>();
  const problems: string[] = [];
  for (const [id, json] of Object.entries(raw)) {
    const r = parseTemplate(id, json);
    problems.push(...r.problems);
    if (r.template) out.set(id, r.template);
  }
  if (problems.length) throw new TemplateError(problems);
  return out;
}

/** Reads every `*.json` in `dir` (default workflows/templates/) and checks them all. */
export function loadTemplates(dir = DEFAULT_TEMPLATE_DIR): TemplateSet {
  const raw: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const id = basename(file, '.json');
    try {
      raw[id] = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (e) {
      problems.push(`${id}: ${(e as Error).message}`);
    }
  }
  if (problems.length) throw new TemplateError(problems);
  return checkTemplates(raw);
}

let bundled: TemplateSet | undefined;

/** The templates Camau ships, loaded and checked once. */
export function bundledTemplates(): TemplateSet {
  return (bundled ??= loadTemplates());
}
