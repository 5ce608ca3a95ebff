// The two dictionaries of the pages: the same keys, the same placeholders, and no English left
// in the Welsh one (a value identical in both languages must be a proper name or a code).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fromAcceptLanguage, fromPreference, loadDictionary, translator } from '../../../web/i18n.js';

/** Values allowed to be the same in Welsh and English: names and codes. */
const SAME_IN_BOTH = new Set<string>(['Camau', 'JSON', 'BPMN', 'API']);

const cy = loadDictionary('cy');
const en = loadDictionary('en');
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('web/i18n dictionaries', () => {
  it('have the same keys', () => {
    expect(Object.keys(cy).filter((k) => !(k in en))).toEqual([]);
    expect(Object.keys(en).filter((k) => !(k in cy))).toEqual([]);
  });

  it('use the same placeholders in each language', () => {
    for (const k of Object.keys(en)) expect({ k, p: placeholders(cy[k]) }).toEqual({ k, p: placeholders(en[k]) });
  });

  it('leave no English in the Welsh pages', () => {
    const same = Object.keys(en).filter((k) => cy[k] === en[k] && !SAME_IN_BOTH.has(en[k]));
    expect(same).toEqual([]);
    for (const v of Object.values(cy)) expect(v.trim().length).toBeGreaterThan(0);
  });

  it('holds every key the templates and pages use', () => {
    const root = new URL('../../../web/', import.meta.url).pathname;
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory() && e.name !== 'i18n' && e.name !== 'public') walk(join(dir, e.name));
        else if (/\.(ts|njk)$/.test(e.name)) files.push(join(dir, e.name));
      }
    };
    walk(root);
    const used = new Set<string>();
    for (const f of files) for (const m of readFileSync(f, 'utf8').matchAll(/\bt\(['`]([a-zA-Z0-9_.-]+)['`]/g)) if (!m[1].endsWith('.')) used.add(m[1]);
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((k) => !(k in en))).toEqual([]);
  });

  it('interpolates and falls back to the key, never to the other language', () => {
    expect(translator('cy')('history.at', { seq: 3, of: 9 })).toBe('Digwyddiad 3 o 9');
    expect(translator('en')('history.at', { seq: 3, of: 9 })).toBe('Event 3 of 9');
    expect(translator('cy')('no.such.key')).toBe('no.such.key');
  });

  it('chooses the language from the user preference and the browser', () => {
    expect(fromPreference('both')).toBe('cy');
    expect(fromPreference('cy')).toBe('cy');
    expect(fromPreference('en')).toBe('en');
    expect(fromAcceptLanguage('en-GB,en;q=0.9')).toBe('en');
    expect(fromAcceptLanguage('cy-GB,cy;q=0.9,en;q=0.8')).toBe('cy');
    expect(fromAcceptLanguage('en;q=0.5,cy;q=0.9')).toBe('cy');
    expect(fromAcceptLanguage('fr-FR')).toBe('cy');
    expect(fromAcceptLanguage(undefined)).toBe('cy');
  });
});
