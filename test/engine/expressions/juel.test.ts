import { compile, compileError, env, evalError } from './helpers.js';

const vars = {
  test: 'abc',
  integerVariable: 2,
  activationCount: 1,
  name: 'Ann',
  n: 7,
  d: 2.5,
  s: '12',
  word: ' Hello ',
  nothing: null,
  t: true,
  f: false,
  list: [1, 2, 3],
  words: ['a', 'b'],
  none: [],
  obj: { a: { b: 3 }, 'with space': 'x', empty: 'kw' },
  emptyObj: {},
};

describe('JUEL: Betsy conformance conditions as bare text', () => {
  it.each([
    ['test.contains("a")', { test: 'abc' }, true],
    ['test.contains("a")', { test: 'xyz' }, false],
    ['!test.contains("a")', { test: 'abc' }, false],
    ['!test.contains("a")', { test: 'xyz' }, true],
    ['integerVariable<3', { integerVariable: 2 }, true],
    ['integerVariable<3', { integerVariable: 3 }, false],
    ['true', {}, true],
    ['false', {}, false],
    ['activationCount>=1', { activationCount: 1 }, true],
    ['activationCount>=1', { activationCount: 0 }, false],
    ['3', {}, 3],
    ['-1', {}, -1],
    ['${integerVariable}', { integerVariable: 5 }, 5],
  ])('%s with %j -> %j', (text, v, expected) => {
    expect(compile(text).evaluate(v, env)).toEqual(expected);
  });

  it('rejects the known-broken `test.contains("a")>` at compile time, with the position', () => {
    expect(compileError('test.contains("a")>')).toBe(
      'JUEL syntax error at 20: expected an operand, found the end of the expression: test.contains("a")>',
    );
  });
});

describe('JUEL: every construct of the subset', () => {
  it.each([
    // literals
    ['${42}', 42],
    ['${4.5}', 4.5],
    ['${.5}', 0.5],
    ['${1e3}', 1000],
    ['${1.5E-1}', 0.15],
    ["${'single'}", 'single'],
    ['${"double"}', 'double'],
    ["${'it\\'s'}", "it's"],
    ['${"say \\"hi\\""}', 'say "hi"'],
    ['${"back\\\\slash"}', 'back\\slash'],
    ['${"C:\\temp"}', 'C:\\temp'],
    ['${true}', true],
    ['${false}', false],
    ['${null}', null],
    // variables and properties
    ['${name}', 'Ann'],
    ['${nothing}', null],
    ['${obj.a.b}', 3],
    ["${obj['a']['b']}", 3],
    ['${obj["with space"]}', 'x'],
    ['${obj.empty}', 'kw'],
    ['${obj.missing}', null],
    ['${obj.missing.deeper}', null],
    ['${nothing.a}', null],
    ['${list[0]}', 1],
    ['${list[2]}', 3],
    ["${list['1']}", 2],
    ['${list[5]}', null],
    ['${list[-1]}', null],
    ['${list[n - 6]}', 2],
    ['${obj}', { a: { b: 3 }, 'with space': 'x', empty: 'kw' }],
    // arithmetic
    ['${1 + 2}', 3],
    ['${n - 10}', -3],
    ['${n * d}', 17.5],
    ['${7 / 2}', 3.5],
    ['${7 div 2}', 3.5],
    ['${7 % 3}', 1],
    ['${7 mod 3}', 1],
    ['${-7 % 3}', -1],
    ['${-n}', -7],
    ['${- -n}', 7],
    ['${1 + 2 * 3}', 7],
    ['${(1 + 2) * 3}', 9],
    ['${10 - 2 - 3}', 5],
    ['${s + 1}', 13],
    ["${'2.5' * 2}", 5],
    ['${nothing + 1}', 1],
    ["${'' + 1}", 1],
    // comparison
    ['${n == 7}', true],
    ['${n eq 7}', true],
    ['${n != 7}', false],
    ['${n ne 8}', true],
    ['${n < 8}', true],
    ['${n lt 7}', false],
    ['${n > 7}', false],
    ['${n gt 6}', true],
    ['${n <= 7}', true],
    ['${n le 6}', false],
    ['${n >= 7}', true],
    ['${n ge 8}', false],
    ["${n == '7'}", true],
    ["${s < 13}", true],
    ["${'abc' < 'abd'}", true],
    ["${'b' > 'a'}", true],
    ["${name == 'Ann'}", true],
    ["${name eq \"Bob\"}", false],
    ['${t == true}', true],
    ["${t == 'true'}", true],
    ['${nothing == null}', true],
    ['${nothing != null}', false],
    ['${name == null}', false],
    ['${nothing < 1}', false],
    ['${nothing <= nothing}', true],
    ['${false < true}', true],
    ['${list == list}', true],
    ["${obj.a == obj['a']}", true],
    // logic
    ['${t && f}', false],
    ['${t and t}', true],
    ['${f || t}', true],
    ['${f or f}', false],
    ['${!f}', true],
    ['${not t}', false],
    ['${not empty name}', true],
    ['${nothing && missing}', false],
    ['${t || missing}', true],
    ['${1 < 2 && 2 < 3 || false}', true],
    ["${'true' && t}", true],
    // ternary
    ["${n > 5 ? 'big' : 'small'}", 'big'],
    ["${n > 9 ? 'big' : 'small'}", 'small'],
    ['${f ? 1 : t ? 2 : 3}', 2],
    ['${f ? missing : 0}', 0],
    // empty
    ['${empty nothing}', true],
    ['${empty missing}', true],
    ['${empty missing.deeper}', true],
    ["${empty ''}", true],
    ['${empty none}', true],
    ['${empty emptyObj}', true],
    ['${empty list}', false],
    ['${empty name}', false],
    ['${empty 0}', false],
    ['${!empty obj.a}', true],
    // methods
    ['${test.contains("b")}', true],
    ['${list.contains(2)}', true],
    ['${list.contains(9)}', false],
    ['${words.contains("b")}', true],
    ['${list.size()}', 3],
    ['${name.size()}', 3],
    ['${obj.size()}', 3],
    ['${name.length()}', 3],
    ['${name.equals("Ann")}', true],
    ['${name.equals("ann")}', false],
    ['${list.equals(list)}', true],
    ['${n.equals(7)}', true],
    ["${''.isEmpty()}", true],
    ['${none.isEmpty()}', true],
    ['${emptyObj.isEmpty()}', true],
    ['${list.isEmpty()}', false],
    ['${name.startsWith("An")}', true],
    ['${name.endsWith("nn")}', true],
    ['${name.toUpperCase()}', 'ANN'],
    ['${name.toLowerCase()}', 'ann'],
    ['${word.trim()}', 'Hello'],
    ['${word.trim().toUpperCase().startsWith("HE")}', true],
    ['${test.substring(1)}', 'bc'],
    ['${test.substring(0, 2)}', 'ab'],
    ['${test.indexOf("c")}', 2],
    ['${test.indexOf("z")}', -1],
    ['${list.indexOf(3)}', 2],
    ['${obj.a.b.equals(3)}', true],
    // whitespace and #{}
    ['  ${ n  >  1 }  ', true],
    ['#{n + 1}', 8],
    ['\n  ${name}\n', 'Ann'],
  ])('%s -> %j', (text, expected) => {
    const expr = compile(text);
    expect(expr.language).toBe('juel');
    expect(expr.evaluate(vars, env)).toEqual(expected);
  });
});

describe('JUEL: composite templates give text', () => {
  it.each([
    ['Hello ${name}!', 'Hello Ann!'],
    ['${name}${n}', 'Ann7'],
    ['${n} items', '7 items'],
    ['Total: ${n * 2}, ok: ${t}', 'Total: 14, ok: true'],
    ['[${nothing}]', '[]'],
    ['list ${list}', 'list [1,2,3]'],
    ['#{name} and ${name}', 'Ann and Ann'],
    ["${'}'} closes", '} closes'],
    ['cost \\${n} is ${n}', 'cost ${n} is 7'],
  ])('%s -> %j', (text, expected) => {
    expect(compile(text).evaluate(vars, env)).toBe(expected);
  });
});

describe('JUEL: evaluation errors', () => {
  it.each([
    ['missing', "unknown variable 'missing'"],
    ['${missing > 1}', "unknown variable 'missing'"],
    ['${obj.a.b + missing}', "unknown variable 'missing'"],
    ['${n / 0}', 'division by zero'],
    ['${n div 0}', 'division by zero'],
    ['${n % 0}', 'division by zero'],
    ['${n mod nothing}', 'division by zero'],
    ["${name + 1}", "cannot convert 'Ann' to a number"],
    ['${t + 1}', 'cannot convert true to a number'],
    ['${-name}', "cannot convert 'Ann' to a number"],
    ["${n == 'x'}", "cannot convert 'x' to a number"],
    ['${list < 1}', 'cannot convert a list to a number'],
    ['${list < obj}', 'cannot compare a list with an object'],
    ['${n && t}', 'cannot convert 7 to a boolean'],
    ['${list ? 1 : 2}', 'cannot convert a list to a boolean'],
    ['${nothing.size()}', 'cannot call size() on null'],
    ['${n.trim()}', 'method trim() is not available on 7'],
    ['${list.trim()}', 'method trim() is not available on a list'],
    ['${obj.contains("a")}', 'method contains() is not available on an object'],
    ['${test.substring(2, 9)}', 'substring(2, 9) is out of range for a text of length 3'],
    ['${test.substring(1.5)}', "substring begin must be a whole number, got 1.5"],
    ['${name.x}', "cannot read property 'x' of 'Ann'"],
    ['${list.x}', "cannot convert 'x' to a number"],
    ['${list[0.5]}', 'list index must be a whole number, got 0.5'],
    ['${1e308 * 10}', 'result Infinity is not a finite number'],
  ])('%s fails: %s', (text, reason) => {
    const err = evalError(compile(text), vars);
    expect(err.code).toBe('expression-eval');
    expect(err.message).toContain(reason);
  });

  it('names the expression in the message', () => {
    expect(evalError(compile('${missing > 1}'), vars).message).toBe(
      "JUEL evaluation failed: unknown variable 'missing' (in ${missing > 1})",
    );
  });
});

describe('JUEL: hostile input never reaches JavaScript objects', () => {
  it.each([
    ["constructor.constructor('return 1')()", "method 'constructor' is not supported"],
    ["${constructor.constructor('return process')()}", "method 'constructor' is not supported"],
    ['a.__proto__', "property '__proto__' is not accessible"],
    ["''.constructor", "property 'constructor' is not accessible"],
    ["${name['constructor']}", "property 'constructor' is not accessible"],
    ['${obj.prototype}', "property 'prototype' is not accessible"],
    ['${name.toString()}', "method 'toString' is not supported"],
    ['${name.valueOf()}', "method 'valueOf' is not supported"],
    ['${list.map(x)}', "method 'map' is not supported"],
    ["${obj['__pro'.concat('to__')]}", "method 'concat' is not supported"],
    ['${execution.getVariable("x")}', "method 'getVariable' is not supported"],
    ["${eval('1')}", "function 'eval' is not supported"],
    ['${fn:length(x)}', "unexpected ':'"],
    ['${(name)()}', 'calling a value as a function is not supported'],
    ['${obj.a()}', "method 'a' is not supported"],
    ['${x instanceof y}', "unexpected 'instanceof'"],
    ['${instanceof}', "'instanceof' is not supported"],
    ['${name.contains()}', "method 'contains' takes 1 argument(s), got 0"],
    ['${name.substring(1, 2, 3)}', "method 'substring' takes 1 or 2 argument(s), got 3"],
    ['${name.size(1)}', "method 'size' takes 0 argument(s), got 1"],
  ])('%s is rejected at compile time: %s', (text, reason) => {
    expect(compileError(text)).toContain(reason);
  });

  it.each([
    ['${obj[key]}', { obj: {}, key: '__proto__' }, "property '__proto__' is not accessible"],
    ['${obj[key]}', { obj: {}, key: 'constructor' }, "property 'constructor' is not accessible"],
    ['${toString}', {}, "unknown variable 'toString'"],
    ['${constructor}', {}, "unknown variable 'constructor'"],
    ['${__proto__}', {}, "unknown variable '__proto__'"],
    ['${hasOwnProperty}', {}, "unknown variable 'hasOwnProperty'"],
    ['${obj.x}', { obj: new Date(0) }, "cannot read property 'x' of an object"],
  ])('%s with %j fails at evaluation: %s', (text, v, reason) => {
    expect(evalError(compile(text), v).message).toContain(reason);
  });

  it('reads a JSON key named __proto__ as nothing, not as the prototype', () => {
    const vars = JSON.parse('{"obj": {"__proto__": {"polluted": 1}}}') as Record<string, unknown>;
    expect(evalError(compile('${obj[k]}'), { ...vars, k: '__proto__' }).message).toContain('not accessible');
    expect(compile('${obj.polluted}').evaluate(vars, env)).toBeNull();
    expect(compile('${empty obj.polluted}').evaluate(vars, env)).toBe(true);
  });

  it('returns copies, so callers cannot mutate the variables through a result', () => {
    const v = { obj: { a: [1] } };
    const out = compile('${obj}').evaluate(v, env) as { a: number[] };
    out.a.push(2);
    expect(v.obj.a).toEqual([1]);
  });
});

describe('JUEL: syntax errors carry the position', () => {
  it.each([
    ['', 1, 'expected an operand, found the end of the expression'],
    ['${}', 3, 'expected an operand, found the end of the expression'],
    ['${a +}', 6, 'expected an operand, found the end of the expression'],
    ['${a b}', 5, "unexpected 'b'"],
    ['${(a}', 5, "expected ')', found the end of the expression"],
    ['${a[1}', 6, "expected ']', found the end of the expression"],
    ['${a ? b}', 8, "expected ':', found the end of the expression"],
    ['Hello ${name', 7, "unterminated '${'"],
    ["${'abc}", 1, "unterminated '${'"],
    ["'abc", 1, 'unterminated string'],
    ['${a = 1}', 5, "unexpected character '='"],
    ['${a & b}', 5, "unexpected character '&'"],
    ['${3abc}', 3, 'invalid number'],
    ['${a.}', 5, 'expected a property name, found the end of the expression'],
    ['${a.1}', 4, "unexpected '0.1'"],
    ['${ ${x} }', 5, "unexpected character '{'"],
    ['a +', 4, 'expected an operand, found the end of the expression'],
    ['1 2', 3, "unexpected '2'"],
  ])('%j fails at %i: %s', (text, pos, reason) => {
    expect(compileError(text)).toBe(`JUEL syntax error at ${pos}: ${reason}: ${text.trim()}`);
  });
});
