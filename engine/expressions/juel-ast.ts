// Syntax tree of the JUEL subset.

export type BinaryOp =
  | '+' | '-' | '*' | '/' | '%'
  | '==' | '!=' | '<' | '>' | '<=' | '>='
  | '&&' | '||';

export type MethodName =
  | 'contains' | 'size' | 'equals' | 'length' | 'isEmpty' | 'startsWith' | 'endsWith'
  | 'toUpperCase' | 'toLowerCase' | 'trim' | 'substring' | 'indexOf';

export type Node =
  | { k: 'literal'; value: string | number | boolean | null }
  | { k: 'variable'; name: string }
  /** `a.b` and `a['b']` alike: the key of `a.b` is a string literal. */
  | { k: 'property'; target: Node; key: Node }
  | { k: 'method'; target: Node; name: MethodName; args: Node[] }
  | { k: 'unary'; op: '-' | '!' | 'empty'; arg: Node }
  | { k: 'binary'; op: BinaryOp; left: Node; right: Node }
  | { k: 'conditional'; test: Node; then: Node; else: Node };

/** Allowed methods and their [min, max] argument counts. */
export const METHOD_ARITY: Record<MethodName, [number, number]> = {
  contains: [1, 1],
  size: [0, 0],
  equals: [1, 1],
  length: [0, 0],
  isEmpty: [0, 0],
  startsWith: [1, 1],
  endsWith: [1, 1],
  toUpperCase: [0, 0],
  toLowerCase: [0, 0],
  trim: [0, 0],
  substring: [1, 2],
  indexOf: [1, 1],
};

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(METHOD_ARITY, name);
}
