// Tree-walking evaluation of the JUEL subset over instance variables. Variables and
// properties are read only as own entries of plain objects, lists and Maps, never through
// prototypes; names that lead to prototypes or constructors are refused outright.
import { ExpressionError } from './expression.js';
import type { Node } from './juel-ast.js';
import { arithmetic, compare, integer, isEmptyValue, looseEquals, show, toBoolean, toNumber, toText } from './juel-coerce.js';
import { callMethod } from './juel-methods.js';
import { isForbiddenProperty } from './juel-syntax.js';

export type Vars = Record<string, unknown>;

export function evaluateNode(node: Node, vars: Vars): unknown {
  switch (node.k) {
    case 'literal':
      return node.value;
    case 'variable':
      if (!hasVariable(vars, node.name)) throw new ExpressionError('expression-eval', `unknown variable '${node.name}'`);
      return vars[node.name] ?? null;
    case 'property':
      return readProperty(evaluateNode(node.target, vars), evaluateNode(node.key, vars));
    case 'method':
      return callMethod(node.name, evaluateNode(node.target, vars), node.args.map((a) => evaluateNode(a, vars)));
    case 'unary':
      if (node.op === 'empty') return isEmptyValue(evaluateOperandOfEmpty(node.arg, vars));
      if (node.op === '!') return !toBoolean(evaluateNode(node.arg, vars));
      return -toNumber(evaluateNode(node.arg, vars));
    case 'conditional':
      return toBoolean(evaluateNode(node.test, vars)) ? evaluateNode(node.then, vars) : evaluateNode(node.else, vars);
    case 'binary':
      return evaluateBinary(node, vars);
  }
}

function evaluateBinary(node: Extract<Node, { k: 'binary' }>, vars: Vars): unknown {
  const left = evaluateNode(node.left, vars);
  // && and || short-circuit, so `x != null && x.a` is safe.
  if (node.op === '&&') return toBoolean(left) && toBoolean(evaluateNode(node.right, vars));
  if (node.op === '||') return toBoolean(left) || toBoolean(evaluateNode(node.right, vars));
  const right = evaluateNode(node.right, vars);
  switch (node.op) {
    case '==':
      return looseEquals(left, right);
    case '!=':
      return !looseEquals(left, right);
    case '<':
    case '>':
    case '<=':
    case '>=':
      return compare(node.op, left, right);
    default:
      return arithmetic(node.op, left, right);
  }
}

// `empty x` is the idiom for "x is not set": an unknown variable there is empty, not an error.
function evaluateOperandOfEmpty(node: Node, vars: Vars): unknown {
  if (node.k === 'variable') return hasVariable(vars, node.name) ? vars[node.name] : null;
  if (node.k === 'property') return readProperty(evaluateOperandOfEmpty(node.target, vars), evaluateNode(node.key, vars));
  return evaluateNode(node, vars);
}

function hasVariable(vars: Vars, name: string): boolean {
  return !isForbiddenProperty(name) && Object.hasOwn(vars, name);
}

// EL: a property of null is null; a missing key of a map is null; an index out of range is null.
function readProperty(target: unknown, key: unknown): unknown {
  if (target === null || target === undefined) return null;
  if (Array.isArray(target)) {
    const index = integer(key, 'list index');
    return index >= 0 && index < target.length ? (target[index] ?? null) : null;
  }
  const name = toText(key);
  if (isForbiddenProperty(name)) throw new ExpressionError('expression-eval', `property '${name}' is not accessible`);
  if (target instanceof Map) return target.get(name) ?? null;
  if (isPlainObject(target)) return Object.hasOwn(target, name) ? (target[name] ?? null) : null;
  throw new ExpressionError('expression-eval', `cannot read property '${name}' of ${show(target)}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
