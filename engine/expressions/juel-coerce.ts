// EL type coercion and the operators built on it (EL 3.0 §1.7-1.8, §1.23), over JSON values.
// `+` is numeric only, as in EL: numeric strings are coerced ("2" + 1 is 3), any other string
// is an error rather than a concatenation. Concatenation is what composite templates
// (`Hello ${name}`) are for. Division by zero is an error rather than Java's Infinity, because
// Infinity cannot be stored in JSON variables.
import { ExpressionError } from './expression.js';

const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function fail(message: string): never {
  throw new ExpressionError('expression-eval', message);
}

/** A value as error messages name it. */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

export function toNumber(value: unknown): number {
  if (value === null || value === undefined || value === '') return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMERIC.test(value)) return Number(value);
  return fail(`cannot convert ${show(value)} to a number`);
}

export function toBoolean(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.toLowerCase() === 'true';
  return fail(`cannot convert ${show(value)} to a boolean`);
}

/** Objects and lists print as JSON (Java would print its own Map/List form). */
export function toText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function integer(value: unknown, what: string): number {
  const n = toNumber(value);
  if (!Number.isInteger(n)) fail(`${what} must be a whole number, got ${show(value)}`);
  return n;
}

export function arithmetic(op: '+' | '-' | '*' | '/' | '%', a: unknown, b: unknown): number {
  const x = toNumber(a);
  const y = toNumber(b);
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
    case '%':
      if (y === 0) fail('division by zero');
      return op === '/' ? x / y : x % y;
  }
}

/** EL `==`: numbers, then booleans, then text decide the comparison; otherwise structural equality. */
export function looseEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return false;
  if (typeof a === 'number' || typeof b === 'number') return toNumber(a) === toNumber(b);
  if (typeof a === 'boolean' || typeof b === 'boolean') return toBoolean(a) === toBoolean(b);
  if (typeof a === 'string' || typeof b === 'string') return toText(a) === toText(b);
  return deepEquals(a, b);
}

/** Java `equals` on JSON values: same type and same content. */
export function deepEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEquals(v, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const bo = b as Record<string, unknown>;
  const ao = a as Record<string, unknown>;
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(bo, k) && deepEquals(ao[k], bo[k]));
}

/** EL `<`, `>`, `<=`, `>=`: false when either side is null; numbers, then text, then booleans. */
export function compare(op: '<' | '>' | '<=' | '>=', a: unknown, b: unknown): boolean {
  if (a === b && (op === '<=' || op === '>=')) return true;
  if (a === null || a === undefined || b === null || b === undefined) return false;
  let c: number;
  if (typeof a === 'number' || typeof b === 'number') {
    c = Math.sign(toNumber(a) - toNumber(b));
  } else if (typeof a === 'string' || typeof b === 'string') {
    const [x, y] = [toText(a), toText(b)];
    c = x < y ? -1 : x > y ? 1 : 0;
  } else if (typeof a === 'boolean' && typeof b === 'boolean') {
    c = Number(a) - Number(b);
  } else {
    return fail(`cannot compare ${show(a)} with ${show(b)}`);
  }
  switch (op) {
    case '<':
      return c < 0;
    case '>':
      return c > 0;
    case '<=':
      return c <= 0;
    case '>=':
      return c >= 0;
  }
}

/** EL `empty`: null, '', and empty lists and objects. */
export function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (value instanceof Map) return value.size === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}
