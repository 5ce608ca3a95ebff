// A fast path for the FEEL that gateways and conditions use most: a variable (or a path into
// one), or such a path compared with a literal. feelin re-parses and re-resolves an expression
// on every evaluation; these forms need neither. Only unambiguous cases are answered here (a
// missing value is null; = and != with null; ordering numbers or strings); anything else — a
// path through a list, values of different kinds — is declined and feelin decides, so the result
// is always feelin's (a differential test holds the two together).
type Fast = (vars: Record<string, unknown>) => unknown;

/** A path or comparison this fast path does not answer. */
const DECLINE = Symbol('decline');

const KEYWORDS = new Set(['true', 'false', 'null', 'not', 'and', 'or', 'if', 'then', 'else', 'for', 'in', 'return', 'some', 'every', 'satisfies', 'between', 'instance', 'of', 'function', 'external']);
const NAME = '[A-Za-z_][A-Za-z0-9_]*';
const PATH = new RegExp(`^(${NAME}(?:\\.${NAME})*)$`);
const COMPARISON = new RegExp(`^(${NAME}(?:\\.${NAME})*)\\s*(=|!=|<=|>=|<|>)\\s*(-?\\d+(?:\\.\\d+)?|"[^"\\\\]*"|true|false|null)$`);

function path(p: string): Fast | undefined {
  const parts = p.split('.');
  if (parts.some((x) => KEYWORDS.has(x))) return undefined;
  return (vars) => {
    // A name the variables lack may be one of FEEL's built-ins (count, sum...): feelin decides.
    if (!Object.prototype.hasOwnProperty.call(vars, parts[0]) || vars[parts[0]] === undefined) return DECLINE;
    let v: unknown = vars;
    for (const k of parts) {
      if (v === null || v === undefined) return null;
      if (typeof v !== 'object' || Array.isArray(v)) return DECLINE;
      v = Object.prototype.hasOwnProperty.call(v, k) ? (v as Record<string, unknown>)[k] : null;
      // Stored variables are JSON and never undefined; anything else is feelin's to judge.
      if (v === undefined) return DECLINE;
    }
    return v;
  };
}

function literal(text: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (text.startsWith('"')) return text.slice(1, -1);
  return Number(text);
}

const kind = (v: unknown) => (v === null ? 'null' : typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? typeof v : 'other');

function compare(op: string, a: unknown, b: unknown): unknown {
  const ka = kind(a);
  const kb = kind(b);
  if (a === DECLINE || ka === 'other' || kb === 'other') return undefined;
  if (ka !== kb && ka !== 'null' && kb !== 'null') return undefined;
  if (op === '=' || op === '!=') {
    const eq = a === b;
    return op === '=' ? eq : !eq;
  }
  if (ka === 'null' || kb === 'null') return null;
  if (ka === 'boolean') return undefined;
  const x = a as number | string;
  const y = b as number | string;
  return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
}

/** A closure for `body` when it is one of the simple forms; undefined otherwise (use feelin). */
export function fastFeel(body: string): ((vars: Record<string, unknown>) => { value: unknown } | undefined) | undefined {
  const text = body.trim();
  const p = PATH.exec(text);
  if (p) {
    const get = path(p[1]);
    if (!get) return undefined;
    return (vars) => {
      const v = get(vars);
      // Anything but a plain value (a list, a context) is left to feelin, which knows its FEEL types.
      return v === DECLINE || kind(v) === 'other' ? undefined : { value: v };
    };
  }
  const c = COMPARISON.exec(text);
  if (c) {
    const get = path(c[1]);
    if (!get) return undefined;
    const lit = literal(c[3]);
    return (vars) => {
      const r = compare(c[2], get(vars), lit);
      return r === undefined ? undefined : { value: r };
    };
  }
  return undefined;
}
