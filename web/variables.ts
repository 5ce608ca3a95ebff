// Variables typed into a form: a JSON object, or one `name: value` per line where the value is
// read as JSON when it can be (numbers, true, false, lists) and as text otherwise.
import { z } from 'zod';

export const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export type Parsed = { ok: true; value: Record<string, unknown> } | { ok: false; line?: number };

export function parseVariables(text: string): Parsed {
  const src = text.trim();
  if (!src) return { ok: true, value: {} };
  if (src.startsWith('{')) {
    try {
      const v = JSON.parse(src);
      return v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).every((k) => NAME.test(k)) ? { ok: true, value: v } : { ok: false };
    } catch {
      return { ok: false };
    }
  }
  const out: Record<string, unknown> = {};
  const lines = src.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const m = /^([^:=]+?)\s*[:=]\s*(.*)$/.exec(line);
    if (!m || !NAME.test(m[1])) return { ok: false, line: i + 1 };
    let value: unknown = m[2];
    try {
      value = JSON.parse(m[2]);
    } catch {
      /* text */
    }
    out[m[1]] = value;
  }
  return { ok: true, value: out };
}

/** How variables are shown back in the form: one `name: value` per line. */
export function formatVariables(v: Record<string, unknown>): string {
  return Object.entries(v).map(([k, x]) => `${k}: ${typeof x === 'string' ? x : JSON.stringify(x)}`).join('\n');
}

export const VariablesText = z.string().max(256 * 1024);
