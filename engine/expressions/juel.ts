// JUEL as Camunda 7 and Flowable write it: `${expr}` / `#{expr}` (one expression: its value),
// text mixing literal parts and `${...}` (a composite template: always a string), or a bare
// expression when the model's language says JUEL.
import { type Compiled, ExpressionError } from './expression.js';
import type { Node } from './juel-ast.js';
import { toText } from './juel-coerce.js';
import { evaluateNode, type Vars } from './juel-eval.js';
import { parseJuel } from './juel-parser.js';
import { juelSyntaxError } from './juel-syntax.js';
import { toJson } from './json.js';

// `\${` is EL's escape for a literal `${`.
const TEMPLATE_START = /(?:^|[^\\])[$#]\{/;

export function hasTemplate(text: string): boolean {
  return TEMPLATE_START.test(text);
}

/** `text` is the trimmed model text; positions in messages are relative to it. */
export function compileJuel(source: string, text: string, bare: boolean): Compiled {
  let run: (vars: Vars) => unknown;
  try {
    run = bare ? single(parseJuel(text, 0, text.length)) : template(text);
  } catch (err) {
    // Anything else is the parser's recursion giving up on absurdly nested text.
    return { ok: false, message: err instanceof ExpressionError ? err.message : `JUEL expression cannot be compiled (${describe(err)})` };
  }
  return {
    ok: true,
    expr: {
      language: 'juel',
      source,
      evaluate: (vars) => {
        try {
          return toJson(run(vars));
        } catch (err) {
          throw new ExpressionError('expression-eval', `JUEL evaluation failed: ${describe(err)} (in ${text})`);
        }
      },
    },
  };
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function single(node: Node): (vars: Vars) => unknown {
  return (vars) => evaluateNode(node, vars);
}

function template(text: string): (vars: Vars) => unknown {
  const parts = splitTemplate(text);
  if (parts.length === 1 && typeof parts[0] !== 'string') return single(parts[0]);
  return (vars) => parts.map((p) => (typeof p === 'string' ? p : toText(evaluateNode(p, vars)))).join('');
}

/** Literal text and parsed `${...}` / `#{...}` parts, in order. */
function splitTemplate(text: string): Array<string | Node> {
  const parts: Array<string | Node> = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && (text[i + 1] === '$' || text[i + 1] === '#') && text[i + 2] === '{') {
      literal += text.slice(i + 1, i + 3);
      i += 3;
    } else if ((c === '$' || c === '#') && text[i + 1] === '{') {
      const close = closingBrace(text, i + 2);
      if (close < 0) throw juelSyntaxError(text, i, `unterminated '${c}{'`);
      if (literal !== '') parts.push(literal);
      literal = '';
      parts.push(parseJuel(text, i + 2, close));
      i = close + 1;
    } else {
      literal += c;
      i++;
    }
  }
  if (literal !== '') parts.push(literal);
  return parts;
}

// The first '}' outside a string literal closes the expression: the subset has no braces.
function closingBrace(text: string, from: number): number {
  let quote: string | null = null;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote !== null) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '}') {
      return i;
    }
  }
  return -1;
}
