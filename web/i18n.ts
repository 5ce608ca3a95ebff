// Every string of the pages, in Welsh and English (web/i18n/cy.json, en.json). Keys are
// dotted paths; `{name}` in a string is replaced by params.name. A key missing from a language
// is a bug the i18n test catches; at run time it shows the key, never the other language.
import { readFileSync } from 'node:fs';

export type Lang = 'cy' | 'en';
export const LANGS: Lang[] = ['cy', 'en'];

type Dict = Record<string, string>;

function flatten(obj: Record<string, unknown>, prefix = '', out: Dict = {}): Dict {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') flatten(v as Record<string, unknown>, key, out);
    else out[key] = String(v);
  }
  return out;
}

export function loadDictionary(lang: Lang): Dict {
  return flatten(JSON.parse(readFileSync(new URL(`./i18n/${lang}.json`, import.meta.url), 'utf8')));
}

const dictionaries: Record<Lang, Dict> = { cy: loadDictionary('cy'), en: loadDictionary('en') };

export type Translate = (key: string, params?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const dict = dictionaries[lang];
  return (key, params) => {
    const s = dict[key] ?? key;
    return params ? s.replace(/\{(\w+)\}/g, (m, p: string) => (p in params ? String(params[p]) : m)) : s;
  };
}

/** Whether a key exists (for labels built from data, e.g. role names: fall back to the code). */
export const hasKey = (lang: Lang, key: string) => key in dictionaries[lang];

export const isLang = (x: unknown): x is Lang => x === 'cy' || x === 'en';

/** A user's stored preference as a page language: `both` means Welsh first. */
export const fromPreference = (p: string | null | undefined): Lang => (p === 'en' ? 'en' : 'cy');

/** The browser's preference between Welsh and English (Welsh when it names neither). */
export function fromAcceptLanguage(header: string | undefined): Lang {
  const prefs = (header ?? '').split(',').map((part) => {
    const [tag, ...rest] = part.trim().toLowerCase().split(';');
    const q = rest.map((r) => /^q=([\d.]+)$/.exec(r.trim())).find(Boolean);
    return { tag: tag.split('-')[0], q: q ? Number(q[1]) : 1 };
  }).filter((p) => p.tag === 'cy' || p.tag === 'en').sort((a, b) => b.q - a.q);
  return prefs[0]?.tag === 'en' ? 'en' : 'cy';
}
