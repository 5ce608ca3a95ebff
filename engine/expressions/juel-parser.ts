// Recursive-descent parser of one EL expression (the inside of `${...}`, or a whole bare text).
// Precedence follows the EL specification, lowest first:
//   ?:  ||/or  &&/and  ==/!=/eq/ne  </>/<=/>=/lt/gt/le/ge  +/-  * / div % mod  unary - ! not empty  . [] ()
// Unsupported constructs (function calls, unlisted methods, prototype properties, instanceof)
// are rejected here, so a model using them fails at deploy time rather than at run time.
import { type BinaryOp, isMethodName, METHOD_ARITY, type Node } from './juel-ast.js';
import { tokenize, type Token } from './juel-lexer.js';
import { isForbiddenProperty, juelSyntaxError } from './juel-syntax.js';

// Word operators are spellings of the symbolic ones.
const ALIASES: Record<string, string> = {
  or: '||', and: '&&', eq: '==', ne: '!=', lt: '<', gt: '>', le: '<=', ge: '>=', div: '/', mod: '%', not: '!',
};

const LEVELS: BinaryOp[][] = [
  ['||'],
  ['&&'],
  ['==', '!='],
  ['<', '>', '<=', '>='],
  ['+', '-'],
  ['*', '/', '%'],
];

/** Parses text[from, to) as one expression; throws ExpressionError('expression-syntax'). */
export function parseJuel(text: string, from: number, to: number): Node {
  return new Parser(text, tokenize(text, from, to)).parseAll();
}

class Parser {
  private i = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  parseAll(): Node {
    const node = this.conditional();
    const rest = this.peek();
    if (rest.kind !== 'end') throw this.error(rest, `unexpected ${describe(rest)}`);
    return node;
  }

  private conditional(): Node {
    const test = this.binary(0);
    if (!this.acceptOp('?')) return test;
    const then = this.conditional();
    this.expectOp(':');
    return { k: 'conditional', test, then, else: this.conditional() };
  }

  private binary(level: number): Node {
    if (level === LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const op = operatorOf(this.peek());
      if (op === undefined || !(LEVELS[level] as string[]).includes(op)) return left;
      this.i++;
      left = { k: 'binary', op: op as BinaryOp, left, right: this.binary(level + 1) };
    }
  }

  private unary(): Node {
    const t = this.peek();
    const op = operatorOf(t);
    if (op === '-' || op === '!') {
      this.i++;
      return { k: 'unary', op, arg: this.unary() };
    }
    if (t.kind === 'keyword' && t.value === 'empty') {
      this.i++;
      return { k: 'unary', op: 'empty', arg: this.unary() };
    }
    return this.postfix(this.primary());
  }

  private postfix(node: Node): Node {
    for (;;) {
      const t = this.peek();
      if (this.isOp(t, '.')) {
        this.i++;
        const name = this.next();
        // A keyword after '.' is a property name in EL (e.g. `a.empty`).
        if (name.kind !== 'ident' && name.kind !== 'keyword') throw this.error(name, `expected a property name, found ${describe(name)}`);
        if (this.isOp(this.peek(), '(')) {
          node = this.method(node, name.value, name.pos);
        } else {
          this.checkProperty(name.value, name.pos);
          node = { k: 'property', target: node, key: { k: 'literal', value: name.value } };
        }
      } else if (this.isOp(t, '[')) {
        this.i++;
        const key = this.conditional();
        if (key.k === 'literal' && typeof key.value === 'string') this.checkProperty(key.value, t.pos);
        this.expectOp(']');
        node = { k: 'property', target: node, key };
      } else if (this.isOp(t, '(')) {
        throw this.error(t, 'calling a value as a function is not supported');
      } else {
        return node;
      }
    }
  }

  private method(target: Node, name: string, pos: number): Node {
    if (!isMethodName(name)) throw juelSyntaxError(this.text, pos, `method '${name}' is not supported`);
    this.expectOp('(');
    const args: Node[] = [];
    if (!this.isOp(this.peek(), ')')) {
      do args.push(this.conditional());
      while (this.acceptOp(','));
    }
    this.expectOp(')');
    const [min, max] = METHOD_ARITY[name];
    if (args.length < min || args.length > max) {
      const expected = min === max ? `${min}` : `${min} or ${max}`;
      throw juelSyntaxError(this.text, pos, `method '${name}' takes ${expected} argument(s), got ${args.length}`);
    }
    return { k: 'method', target, name, args };
  }

  private primary(): Node {
    const t = this.next();
    switch (t.kind) {
      case 'number':
      case 'string':
        return { k: 'literal', value: t.value };
      case 'ident':
        if (this.isOp(this.peek(), '(')) throw this.error(t, `function '${t.value}' is not supported`);
        return { k: 'variable', name: t.value };
      case 'keyword':
        if (t.value === 'true' || t.value === 'false') return { k: 'literal', value: t.value === 'true' };
        if (t.value === 'null') return { k: 'literal', value: null };
        if (t.value === 'instanceof') throw this.error(t, "'instanceof' is not supported");
        throw this.error(t, `expected an operand, found ${describe(t)}`);
      case 'op':
        if (t.value === '(') {
          const inner = this.conditional();
          this.expectOp(')');
          return inner;
        }
        throw this.error(t, `expected an operand, found ${describe(t)}`);
      case 'end':
        throw this.error(t, 'expected an operand, found the end of the expression');
    }
  }

  private checkProperty(name: string, pos: number): void {
    if (isForbiddenProperty(name)) throw juelSyntaxError(this.text, pos, `property '${name}' is not accessible`);
  }

  private peek(): Token {
    return this.tokens[this.i];
  }

  private next(): Token {
    const t = this.tokens[this.i];
    if (t.kind !== 'end') this.i++;
    return t;
  }

  private isOp(t: Token, op: string): boolean {
    return t.kind === 'op' && t.value === op;
  }

  private acceptOp(op: string): boolean {
    if (!this.isOp(this.peek(), op)) return false;
    this.i++;
    return true;
  }

  private expectOp(op: string): void {
    const t = this.peek();
    if (!this.acceptOp(op)) throw this.error(t, `expected '${op}', found ${describe(t)}`);
  }

  private error(t: Token, reason: string) {
    return juelSyntaxError(this.text, t.pos, reason);
  }
}

function operatorOf(t: Token): string | undefined {
  if (t.kind === 'op') return t.value;
  if (t.kind === 'keyword') return ALIASES[t.value];
  return undefined;
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'end':
      return 'the end of the expression';
    case 'string':
      return 'a string';
    default:
      return `'${t.value}'`;
  }
}
