// Splits a SQL script into statements. PGlite (like any extended-protocol client) runs one
// statement per call. Semicolons inside $$-quoted bodies, strings and comments are kept.
export function statements(script: string): string[] {
  const out: string[] = [];
  let current = '';
  let dollar = false;
  let quote = false;
  for (let i = 0; i < script.length; i++) {
    const ch = script[i];
    if (!quote && script.startsWith('$$', i)) {
      dollar = !dollar;
      current += '$$';
      i++;
      continue;
    }
    if (!dollar && ch === "'") quote = !quote;
    if (!dollar && !quote && script.startsWith('--', i)) {
      const end = script.indexOf('\n', i);
      i = end < 0 ? script.length : end;
      current += '\n';
      continue;
    }
    if (!dollar && !quote && ch === ';') {
      if (current.trim()) out.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}
