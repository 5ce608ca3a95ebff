// Compile-time failures of the JUEL subset, positioned (1-based) in the text as written.
import { ExpressionError } from './expression.js';

export function juelSyntaxError(text: string, pos: number, reason: string): ExpressionError {
  return new ExpressionError('expression-syntax', `JUEL syntax error at ${pos + 1}: ${reason}: ${text}`);
}

// Reading these would reach prototypes or constructors instead of variable data.
const FORBIDDEN_PROPERTIES = new Set(['__proto__', 'constructor', 'prototype']);

export function isForbiddenProperty(name: string): boolean {
  return FORBIDDEN_PROPERTIES.has(name);
}
