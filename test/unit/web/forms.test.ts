// Forms for tasks whose model declares none, built from the bundled procedures (what the
// documentation asks for, what the next gateway tests), and the server-side check of a posted
// form: typed variables out, or errors that name their field in Welsh and English.
import { readFileSync } from 'node:fs';
import { compileBpmn, type FormField } from '../../../engine/index.js';
import { docIn, parseDocs } from '../../../web/data/docs.js';
import { translator } from '../../../web/i18n.js';
import { askedInDoc, inferForm } from '../../../web/forms/infer.js';
import { equalsLiteral, reads } from '../../../web/forms/reads.js';
import { rawFromValue, readRaw, validateForm } from '../../../web/forms/schema.js';

async function bundled(file: string) {
  const src = readFileSync(new URL(`../../../workflows/bpmn/${file}.bpmn`, import.meta.url), 'utf8');
  const c = await compileBpmn(src);
  if (!c.ok) throw new Error(c.failure[0].message);
  const graphs = Object.values(c.value.processes);
  const docs = parseDocs(src);
  return (task: string) => {
    const g = graphs.find((x) => x.nodes[task])!;
    return inferForm(graphs, g, g.nodes[task], docIn(docs.get(task), 'en'));
  };
}

const summary = (fields: FormField[]) => fields.map((f) => [f.key, f.type, ...(f.options ? [f.options.map((o) => o.value)] : []), ...(f.columns ? [f.columns.map((c) => `${c.key}:${c.type}`)] : [])]);

describe('what a condition reads', () => {
  it('types variables by how the condition uses them', () => {
    expect(reads('=count(panel) >= minPanel and isSchoolDay(reviewDate) and date(reviewDate) >= addWorkingDays(today(), noticeDays)')).toEqual([
      { name: 'panel', type: 'list' }, { name: 'minPanel', type: 'number' }, { name: 'reviewDate', type: 'date' }, { name: 'noticeDays', type: undefined },
    ]);
    expect(reads('=every g in appeal satisfies not(list contains(dismissal, g))')).toEqual([{ name: 'appeal', type: 'list' }, { name: 'dismissal', type: 'list' }]);
    expect(reads('${approved}')).toEqual([{ name: 'approved', type: 'checkbox' }]);
    expect(reads('=status = "open" and action.owner = x')).toEqual([{ name: 'status', type: undefined }, { name: 'x', type: undefined }]);
  });

  it('recognises a flow taken for one value of one variable', () => {
    expect(equalsLiteral('=progress = "insufficient"')).toEqual({ name: 'progress', value: 'insufficient' });
    expect(equalsLiteral('=groundsDealtWith = true')).toEqual({ name: 'groundsDealtWith', value: true });
    expect(equalsLiteral('${score == 3}')).toEqual({ name: 'score', value: 3 });
    expect(equalsLiteral('=a = "x" and b')).toBeUndefined();
  });
});

describe('what a task documentation asks for', () => {
  it('reads the bundled models\' "Complete with" and "Record" sentences', () => {
    expect(askedInDoc('Complete with: plan, actions (a list of { title, owner, dueWeeks }), staffActions.')).toEqual([
      { name: 'plan', literals: [] }, { name: 'actions', literals: [], columns: ['title', 'owner', 'dueWeeks'] }, { name: 'staffActions', literals: [] },
    ].map((a) => ({ boolean: undefined, columns: undefined, ...a })));
    expect(askedInDoc('Complete with power = "advice" (s.5), "governors" (s.6) or "ieb" (s.7).').map((a) => [a.name, a.literals])).toEqual([['power', ['advice', 'governors', 'ieb']]]);
    expect(askedInDoc('Complete with groundsDealtWith = true or false; if not, another power.').map((a) => [a.name, a.boolean])).toEqual([['groundsDealtWith', true]]);
    expect(askedInDoc('The case ended early: record why (endReason = "improved", "withdrawn" or "other-procedure").').map((a) => [a.name, a.literals])).toEqual([['endReason', ['improved', 'withdrawn', 'other-procedure']]]);
    expect(askedInDoc('Complete with: grounds, compliancePeriod (e.g. "P15D", school days), intendedAction.').map((a) => [a.name, a.literals])).toEqual([['grounds', []], ['compliancePeriod', []], ['intendedAction', []]]);
    expect(askedInDoc('The local authority records that the governing body complied.')).toEqual([]);
    expect(askedInDoc('The teacher submits their record of the year by recordDue. Complete with record.').map((a) => a.name)).toEqual(['record']);
    expect(askedInDoc('Complete with objectives (a list of objectives).')).toEqual([{ name: 'objectives', literals: [], list: true }]);
    expect(askedInDoc('Complete with appeal = true (and appealGrounds) or appeal = false (accept).').map((a) => [a.name, a.boolean, a.optional])).toEqual([['appeal', true, undefined], ['appealGrounds', undefined, true]]);
  });
});

describe('forms for the bundled procedures', () => {
  it('school intervention plan', async () => {
    const form = await bundled('school-intervention-plan');
    expect(summary(form('draftPlan'))).toEqual([['plan', 'textarea'], ['actions', 'records', ['title:textfield', 'owner:textfield', 'dueWeeks:number']], ['staffActions', 'textarea']]);
    const progress = form('reviewProgress');
    expect(summary(progress)).toEqual([['progress', 'radio', ['sufficient', 'insufficient']]]);
    expect(progress[0].label).toEqual({ cy: 'Cynnydd digonol?', en: 'Enough progress?' });
    expect(progress[0].options![0].label).toEqual({ cy: 'Digonol', en: 'Sufficient' });
    expect(summary(form('recordGrounds'))).toEqual([['groundsDealtWith', 'radio', [true, false]]]);
    expect(summary(form('choosePower'))).toEqual([['power', 'radio', ['advice', 'governors', 'ieb', 'suspend-budget', 'directions']]]);
    expect(form('confirmComplete')).toEqual([]);
  });

  it('capability: dates and committees from the gateway, never a setting or what an earlier task asked', async () => {
    const form = await bundled('headteacher-capability');
    expect(summary(form('arrangeStage1'))).toEqual([['stage1Date', 'date']]);
    expect(summary(form('arrangeReview'))).toEqual([['capabilityPanel', 'list'], ['reviewDate', 'date']]);
    expect(summary(form('arrangeAppeal'))).toEqual([['appealCommittee', 'list'], ['appealDate', 'date']]);
    expect(summary(form('informalStage'))).toEqual([['informalOutcome', 'radio', ['formal', 'improved']]]);
    expect(summary(form('recordEnding'))).toEqual([['endReason', 'radio', ['improved', 'withdrawn', 'other-procedure']]]);
  });
});

describe('checking a posted form', () => {
  const fields: FormField[] = [
    { key: 'summary', type: 'textfield', label: { cy: 'Crynodeb', en: 'Summary' }, required: true, minLength: 3 },
    { key: 'score', type: 'number', label: { text: 'Score' }, integer: true, min: 1, max: 10 },
    { key: 'urgent', type: 'checkbox', label: { text: 'Urgent' } },
    { key: 'rating', type: 'radio', label: { cy: 'Barn', en: 'Judgement' }, required: true, options: [{ value: 'good', label: { text: 'Good' } }, { value: 2, label: { text: 'Two' } }] },
    { key: 'day', type: 'date', label: { text: 'Day' }, required: true },
    { key: 'at', type: 'datetime', label: { text: 'At' } },
    { key: 'panel', type: 'list', label: { text: 'Panel' } },
    { key: 'areas', type: 'checklist', label: { text: 'Areas' }, options: [{ value: 'teaching', label: { text: 'Teaching' } }, { value: 'leadership', label: { text: 'Leadership' } }] },
    { key: 'actions', type: 'records', label: { text: 'Actions' }, required: true, columns: [{ key: 'title', type: 'textfield', label: { text: 'Title' }, required: true }, { key: 'weeks', type: 'number', label: { text: 'Weeks' }, integer: true, required: true }] },
  ];

  it('gives typed variables', () => {
    const raw = readRaw(fields, {
      'f.summary': ' Visited ', 'f.score': '7', 'f.urgent': 'true', 'f.rating': '1', 'f.day-day': '4', 'f.day-month': '3', 'f.day-year': '2027',
      'f.at-day': '29', 'f.at-month': '3', 'f.at-year': '2026', 'f.at-time': '9:30', 'f.panel': 'huw\n\n mair \n',
      'f.areas.1': 'on',
      'f.actions.0.title': 'Literacy', 'f.actions.0.weeks': '6', 'f.actions.1.title': '', 'f.actions.1.weeks': '', 'f.actions.2.title': 'Coaching', 'f.actions.2.weeks': '10',
    });
    expect(validateForm(fields, raw, 'en', translator('en'))).toEqual({ ok: true, values: {
      summary: 'Visited', score: 7, urgent: true, rating: 2, day: '2027-03-04', at: '2026-03-29T08:30:00.000Z', panel: ['huw', 'mair'], areas: ['leadership'],
      actions: [{ title: 'Literacy', weeks: 6 }, { title: 'Coaching', weeks: 10 }],
    } });
  });

  it.each(['cy', 'en'] as const)('names every field at fault (%s)', (lang) => {
    const t = translator(lang);
    const raw = readRaw(fields, { 'f.summary': 'ab', 'f.score': '2.5', 'f.day-day': '30', 'f.day-month': '2', 'f.day-year': '2027', 'f.actions.0.title': 'x', 'f.actions.0.weeks': 'ten' });
    const r = validateForm(fields, raw, lang, t);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      { key: 'summary', text: t('form.errors.minLength', { label: lang === 'cy' ? 'Crynodeb' : 'Summary', min: 3 }), href: '#f-summary' },
      { key: 'score', text: t('form.errors.integer', { label: 'Score' }), href: '#f-score' },
      { key: 'rating', text: t('form.errors.choose', { label: lang === 'cy' ? 'Barn' : 'Judgement' }), href: '#f-rating' },
      { key: 'day', text: t('form.errors.date', { label: 'Day' }), href: '#f-day-day' },
      { key: 'actions', text: t('form.errors.number', { label: t('form.errors.itemLabel', { label: 'Weeks', n: 1 }) }), href: '#f-actions-0-weeks', cell: true },
    ]);
    expect(validateForm(fields, readRaw(fields, { 'f.summary': 'abc', 'f.rating': '0', 'f.day-day': '1', 'f.day-month': '1', 'f.day-year': '2027' }), lang, t)).toEqual({ ok: false, errors: [
      { key: 'actions', text: t('form.errors.required', { label: 'Actions' }), href: '#f-actions-0-title' },
    ] });
  });

  it('shows a variable\'s current value back in its field', () => {
    expect(rawFromValue(fields[3], 2)).toBe('1');
    expect(rawFromValue(fields[4], '2027-03-04')).toEqual({ day: '4', month: '3', year: '2027' });
    expect(rawFromValue(fields[5], '2026-03-29T08:30:00.000Z')).toEqual({ day: '29', month: '3', year: '2026', time: '09:30' });
    expect(rawFromValue(fields[6], ['huw', 'mair'])).toBe('huw\nmair');
    expect(rawFromValue(fields[7], ['leadership'])).toEqual([1]);
    expect(rawFromValue(fields[8], [{ title: 'Literacy', weeks: 6 }])).toEqual([{ title: 'Literacy', weeks: '6' }]);
  });
});
