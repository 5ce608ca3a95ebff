// Tokens of the JUEL (Unified EL) subset. Works on a slice [from, to) of the whole text so
// positions stay those of the model text, also inside `${...}` of a composite template.
import { juelSyntaxError } from './juel-syntax.js';

export type Token =
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'ident'; value: string; pos: number }
  | { kind: 'keyword'; value: string; pos: number }
  | { kind: 'op'; value: string; pos: number }
  | { kind: 'end'; pos: number };

const KEYWORDS = new Set([
  'true', 'false', 'null', 'empty', 'not', 'and', 'or', 'div', 'mod',
  'eq', 'ne', 'lt', 'gt', 'le', 'ge', 'instanceof',
]);

// Longest first, so `<=` is not read as `<` then `=`.
const OPERATORS = ['&&', '||', '==', '!=', '<=', '>=', '<', '>', '!', '+', '-', '*', '/', '%', '?', ':', '.', '[', ']', '(', ')', ','];

const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const IDENTIFIER = /[\p{L}_$][\p{L}\p{N}_$]*/uy;
const IDENTIFIER_START = /[\p{L}_$]/u;
const IDENTIFIER_CHAR = /[\p{L}\p{N}_$]/u;

export function tokenize(text: string, from: number, to: number): Token[] {
  const tokens: Token[] = [];
  let i = from;
  while (i < to) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (/\d/.test(c) || (c === '.' && /\d/.test(text[i + 1] ?? ''))) {
      const literal = match(NUMBER, text, i, to);
      if (i + literal.length < to && IDENTIFIER_CHAR.test(text[i + literal.length])) {
        throw juelSyntaxError(text, i, 'invalid number');
      }
      tokens.push({ kind: 'number', value: Number(literal), pos: i });
      i += literal.length;
    } else if (c === '"' || c === "'") {
      const [value, end] = readString(text, i, to);
      tokens.push({ kind: 'string', value, pos: i });
      i = end;
    } else if (IDENTIFIER_START.test(c)) {
      const word = match(IDENTIFIER, text, i, to);
      tokens.push({ kind: KEYWORDS.has(word) ? 'keyword' : 'ident', value: word, pos: i });
      i += word.length;
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, i) && i + o.length <= to);
      if (op === undefined) throw juelSyntaxError(text, i, `unexpected character '${c}'`);
      tokens.push({ kind: 'op', value: op, pos: i });
      i += op.length;
    }
  }
  tokens.push({ kind: 'end', pos: to });
  return tokens;
}

function match(re: RegExp, text: string, at: number, to: number): string {
  re.lastIndex = at;
  return (re.exec(text.slice(0, to))?.[0]) ?? '';
}

// EL escapes are \\, \' and \"; any other backslash is kept as written.
function readString(text: string, start: number, to: number): [string, number] {
  const quote = text[start];
  let out = '';
  for (let i = start + 1; i < to; i++) {
    const c = text[i];
    if (c === quote) return [out, i + 1];
    if (c === '\\' && (text[i + 1] === '\\' || text[i + 1] === '"' || text[i + 1] === "'") && i + 1 < to) {
      out += text[++i];
    } else {
      out += c;
    }
  }
  throw juelSyntaxError(text, start, 'unterminated string');
}
