// The only methods a JUEL expression may call: the Java String / List / Map methods that
// Camunda 7 and Flowable conditions use, reimplemented over JSON values. Nothing here looks
// a method up on the value itself, so no JavaScript function of a value is ever reachable.
import { ExpressionError } from './expression.js';
import type { MethodName } from './juel-ast.js';
import { deepEquals, integer, isEmptyValue, show, toText } from './juel-coerce.js';

export function callMethod(name: MethodName, target: unknown, args: unknown[]): unknown {
  if (target === null || target === undefined) {
    throw new ExpressionError('expression-eval', `cannot call ${name}() on null`);
  }
  const result = typeof target === 'string' ? stringMethod(name, target, args) : collectionMethod(name, target, args);
  if (result === undefined) throw new ExpressionError('expression-eval', `method ${name}() is not available on ${show(target)}`);
  return result;
}

function stringMethod(name: MethodName, s: string, args: unknown[]): unknown {
  switch (name) {
    case 'contains':
      return s.includes(toText(args[0]));
    case 'equals':
      return deepEquals(s, args[0]);
    case 'size':
    case 'length':
      return s.length;
    case 'isEmpty':
      return s.length === 0;
    case 'startsWith':
      return s.startsWith(toText(args[0]));
    case 'endsWith':
      return s.endsWith(toText(args[0]));
    case 'toUpperCase':
      return s.toUpperCase();
    case 'toLowerCase':
      return s.toLowerCase();
    case 'trim':
      return s.trim();
    case 'indexOf':
      return s.indexOf(toText(args[0]));
    case 'substring':
      return substring(s, args);
  }
}

// Java throws on out-of-range bounds rather than clamping; so do we.
function substring(s: string, args: unknown[]): string {
  const begin = integer(args[0], 'substring begin');
  const end = args.length > 1 ? integer(args[1], 'substring end') : s.length;
  if (begin < 0 || end > s.length || begin > end) {
    throw new ExpressionError('expression-eval', `substring(${begin}, ${end}) is out of range for a text of length ${s.length}`);
  }
  return s.substring(begin, end);
}

function collectionMethod(name: MethodName, target: unknown, args: unknown[]): unknown {
  if (name === 'equals') return deepEquals(target, args[0]);
  if (Array.isArray(target)) {
    switch (name) {
      case 'contains':
        return target.some((v) => deepEquals(v, args[0]));
      case 'indexOf':
        return target.findIndex((v) => deepEquals(v, args[0]));
      case 'size':
      case 'length':
        return target.length;
      case 'isEmpty':
        return target.length === 0;
      default:
        return undefined;
    }
  }
  if (typeof target === 'object' && (name === 'size' || name === 'isEmpty')) {
    const size = target instanceof Map ? target.size : Object.keys(target as object).length;
    return name === 'size' ? size : isEmptyValue(target);
  }
  return undefined;
}
