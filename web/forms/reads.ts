// The variables an expression reads, with what its text says of their type: a FEEL or JUEL
// condition as written in the model (e.g. `=isSchoolDay(stage1Date) and count(panel) >= minPanel`
// reads stage1Date as a date, panel as a list and minPanel as a number). Used to build a form
// for a task whose model declares none, from the conditions that decide what follows it.
import type { FormFieldType } from '../../engine/index.js';

export interface Read { name: string; type?: FormFieldType }

const WORDS = new Set([
  'and', 'or', 'not', 'if', 'then', 'else', 'for', 'in', 'return', 'some', 'every', 'satisfies',
  'true', 'false', 'null', 'instance', 'of', 'between', 'function', 'list', 'contains', 'empty', 'eq', 'ne', 'lt', 'gt', 'le', 'ge',
]);
const DATE_FNS = /(?:isSchoolDay|isWorkingDay|is school day|is working day|date|date and time|addSchoolDays|addWorkingDays|addCalendarDays|workingDaysBetween|schoolDaysBetween|addDuration|add school days|add working days)\(\s*$/;
const LIST_FNS = /(?:count|sum|min|max|distinct values|list contains|is empty)\(\s*$|\bin\s*$/;

export function reads(source: string): Read[] {
  const text = source.trim().replace(/^=/, '').replace(/^[$#]\{([\s\S]*)\}$/, '$1').replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const bound = new Set([...text.matchAll(/\b(?:some|every|for)\s+([A-Za-z_]\w*)\s+in\b/g)].map((m) => m[1]));
  const out = new Map<string, Read>();
  for (const m of text.matchAll(/(?<![\w.])([A-Za-z_][A-Za-z0-9_]*)\b/g)) {
    const name = m[1];
    const before = text.slice(0, m.index);
    const after = text.slice(m.index + name.length).trimStart();
    if (WORDS.has(name) || bound.has(name) || after.startsWith('(') || after.startsWith('.') || /\b(?:some|every|for)\s+$/.test(before)) continue;
    let type: FormFieldType | undefined;
    if (DATE_FNS.test(before)) type = 'date';
    else if (LIST_FNS.test(before)) type = 'list';
    else if (/^(?:=|==|!=)\s*(?:true|false)\b/.test(after) || /(?:\bnot\s*\(|!)\s*$/.test(before) || text.trim() === name) type = 'checkbox';
    else if (/^(?:>=|<=|>|<)/.test(after) || /(?:>=|<=|>|<)\s*$/.test(before) || /^[-+*/]\s*\d/.test(after)) type = 'number';
    const known = out.get(name);
    if (!known) out.set(name, { name, type });
    else if (!known.type) known.type = type;
  }
  return [...out.values()];
}

/** `name = "literal"` (or true, false, a number) and nothing else: the variable and the value a flow is taken for. */
export function equalsLiteral(source: string): { name: string; value: string | number | boolean } | undefined {
  const m = /^(?:=|[$#]\{)?\s*([A-Za-z_]\w*)\s*(?:=|==)\s*("([^"]*)"|'([^']*)'|true|false|-?\d+(?:\.\d+)?)\s*\}?\s*$/.exec(source.trim());
  if (!m) return undefined;
  const lit = m[2];
  const value = m[3] ?? m[4] ?? (lit === 'true' ? true : lit === 'false' ? false : Number(lit));
  return { name: m[1], value };
}
