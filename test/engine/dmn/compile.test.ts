// Compiling DMN files: every problem of a file is reported at once, each with the id of the
// element at fault and a stable code, before anything is deployed.
import { readFileSync } from 'node:fs';
import { compileDmn } from '../../../engine/dmn/index.js';
import { hashSource } from '../../../engine/model/compile.js';
import { compiled, diagnostics, dmnXml, type TableSpec } from './helpers.js';

const codes = (ds: Array<{ code: string; elementId?: string }>) => ds.map((d) => `${d.code}@${d.elementId ?? ''}`).sort();
const simple = (over: Partial<TableSpec> = {}): TableSpec => ({ inputs: [{ expr: 'x' }], outputs: [{ name: 'y' }], rules: [[['> 1'], ['"big"']]], ...over });

describe('compileDmn', () => {
  test('a file Camunda Modeler saved compiles; its hash is the source hash', async () => {
    const xml = readFileSync(new URL('../../fixtures/dmn/absence-trigger.dmn', import.meta.url), 'utf8');
    const c = await compileDmn(xml);
    if (!c.ok) throw new Error(JSON.stringify(c.failure));
    expect(c.value.kind).toBe('dmn');
    expect(c.value.hash).toBe(hashSource(xml));
    expect(Object.keys(c.value.decisions)).toEqual(['absence-trigger']);
    const d = c.value.decisions['absence-trigger'];
    expect(d).toMatchObject({ id: 'absence-trigger', name: 'Absence trigger', resultName: 'absence-trigger', requires: [] });
    expect(d.logic).toMatchObject({ kind: 'table', hitPolicy: 'FIRST', inputs: [{ id: 'Input_1', typeRef: 'integer' }, { id: 'InputClause_0x2bq3d' }], outputs: [{ name: 'trigger' }, { name: 'stage' }] });
  });

  test('FEEL syntax errors in input expressions, input entries and output entries are all reported, with element ids', async () => {
    const xml = dmnXml([{ id: 'd', table: { inputs: [{ expr: 'occasions +', label: 'Occasions' }, { expr: 'days' }], outputs: [{ name: 'trigger' }], rules: [[['>= ', '[1..'], ['"unterminated']], [['-', '-'], ['false']]] } }]);
    const ds = await diagnostics(xml);
    expect(codes(ds)).toEqual(['expression-syntax@d_in1_expr', 'expression-syntax@r1_o1', 'unary-tests-syntax@r1_i1', 'unary-tests-syntax@r1_i2']);
    expect(ds.find((d) => d.elementId === 'd_in1_expr')?.message).toBe('Input "Occasions" (d_in1): FEEL syntax error at 12: occasions +');
    expect(ds.find((d) => d.elementId === 'r1_i1')?.message).toMatch(/^Rule r1, input "Occasions": FEEL unary tests syntax error/);
    expect(ds.find((d) => d.elementId === 'r1_o1')?.message).toMatch(/^Rule r1, output "trigger": FEEL syntax error/);
  });

  test('broken XML, and DMN versions before 1.3, are parse errors', async () => {
    expect(await diagnostics('<definitions')).toEqual([expect.objectContaining({ code: 'xml-parse' })]);
    const old = '<definitions xmlns="http://www.omg.org/spec/DMN/20151101/dmn.xsd" id="d"><decision id="x"/></definitions>';
    expect(await diagnostics(old)).toEqual([{ code: 'xml-parse', message: 'The XML could not be parsed: the file is DMN 1.1; Camau reads DMN 1.3 (open it in Camunda Modeler and save it to convert it)' }]);
  });

  test('unknown elements and duplicate ids are moddle warnings, which reject the file', async () => {
    const xml = dmnXml([{ id: 'd', table: simple() }]).replace('<rule id="r1">', '<rule id="r1"><bogus id="b1" />');
    expect(codes(await diagnostics(xml))).toEqual(['moddle-warning@b1']);
    const dup = dmnXml([{ id: 'd', literal: '1' }, { id: 'd', literal: '2' }]);
    expect(codes(await diagnostics(dup))).toEqual(['moddle-warning@d']);
  });

  test('business knowledge models, decision services and other decision logic are not supported', async () => {
    const xml = dmnXml([{ id: 'd', literal: '1' }]).replace('</definitions>', `
  <businessKnowledgeModel id="bkm1" name="Rules" />
  <decisionService id="svc1" name="Service" />
  <decision id="ctx"><context id="ctx_logic" /></decision>
  <decision id="empty" />
  <inputData id="in1" name="Occasions" />
  <knowledgeSource id="ks1" name="Attendance policy" />
</definitions>`);
    expect(codes(await diagnostics(xml))).toEqual(['decision-without-logic@empty', 'unsupported-element@bkm1', 'unsupported-element@ctx_logic', 'unsupported-element@svc1']);
  });

  test.each<[string, Partial<TableSpec>, string]>([
    ['an unknown hit policy', { hitPolicy: 'UNORDERED' }, 'hit-policy@d_table'],
    ['an aggregation without COLLECT', { hitPolicy: 'FIRST', aggregation: 'SUM' }, 'hit-policy@d_table'],
    ['an unknown aggregation', { hitPolicy: 'COLLECT', aggregation: 'AVG' }, 'hit-policy@d_table'],
    ['PRIORITY without output values', { hitPolicy: 'PRIORITY' }, 'hit-policy@d_table'],
    ['a rule with too few input entries', { rules: [[[], ['1']]] }, 'rule-shape@r1'],
    ['a rule with too many output entries', { rules: [[['-'], ['1', '2']]] }, 'rule-shape@r1'],
    ['no output', { outputs: [], rules: [] }, 'table-without-output@d_table'],
    ['an empty input expression', { inputs: [{ expr: ' ' }] }, 'expression-missing@d_in1_expr'],
    ['a bad output values list', { hitPolicy: 'OUTPUT ORDER', outputs: [{ name: 'y', values: '"a",' }] }, 'unary-tests-syntax@d_out1_values'],
  ])('%s is a diagnostic', async (_what, over, code) => {
    expect(codes(await diagnostics(dmnXml([{ id: 'd', table: simple(over) }])))).toEqual([code]);
  });

  test('an aggregation needs a table with one output', async () => {
    const t = simple({ hitPolicy: 'COLLECT', aggregation: 'SUM', outputs: [{ name: 'a' }, { name: 'b' }], rules: [[['-'], ['1', '2']]] });
    expect(codes(await diagnostics(dmnXml([{ id: 'd', table: t }])))).toEqual(['hit-policy@d_table']);
  });

  test('outputs of a table with several outputs need distinct names', async () => {
    const t = simple({ outputs: [{}, { name: 'y' }, { name: 'y' }], rules: [[['-'], ['1', '2', '3']]] });
    expect(codes(await diagnostics(dmnXml([{ id: 'd', table: t }])))).toEqual(['duplicate-output-name@d_out3', 'output-without-name@d_out1']);
  });

  test('names that would become __proto__ keys are refused', async () => {
    const xml = dmnXml([{ id: 'd', variable: '__proto__', table: simple({ outputs: [{ name: '__proto__' }] }) }]);
    expect(codes(await diagnostics(xml))).toEqual(['invalid-name@d', 'invalid-name@d_out1']);
  });

  test('a single output without a name returns its value, keyed by its id in rule results', async () => {
    const dmn = await compiled([{ id: 'd', table: simple({ outputs: [{}] }) }]);
    const table = dmn.decisions.d.logic;
    expect(table.kind === 'table' && table.outputs[0].name).toBe('d_out1');
  });

  test('input entries in another expression language are not supported', async () => {
    const xml = dmnXml([{ id: 'd', table: simple() }]).replace('<inputEntry id="r1_i1">', '<inputEntry id="r1_i1" expressionLanguage="juel">');
    expect(codes(await diagnostics(xml))).toEqual(['unsupported-expression-language@r1_i1']);
  });

  test('an output entry in JUEL is compiled as JUEL where the model says so', async () => {
    const xml = dmnXml([{ id: 'd', table: simple() }]).replace('<outputEntry id="r1_o1"><text>"big"</text>', '<outputEntry id="r1_o1" expressionLanguage="juel"><text>x * 2</text>');
    const c = await compileDmn(xml);
    expect(c.ok).toBe(true);
  });

  test('requirements on decisions outside the file, and cycles, are diagnostics', async () => {
    expect(codes(await diagnostics(dmnXml([{ id: 'a', requires: ['elsewhere'], literal: '1' }])))).toEqual(['requirement-missing@a']);
    expect(codes(await diagnostics(dmnXml([{ id: 'a', requires: ['b'], literal: 'b' }, { id: 'b', requires: ['a'], literal: 'a' }])))).toEqual(['requirement-cycle@b']);
    expect(codes(await diagnostics(dmnXml([{ id: 'a', requires: ['a'], literal: '1' }])))).toEqual(['requirement-cycle@a']);
  });

  test('a file without decisions is rejected', async () => {
    const xml = '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="defs" name="n" namespace="x"><inputData id="i" /></definitions>';
    expect(codes(await diagnostics(xml))).toEqual(['no-decision@defs']);
  });
});
