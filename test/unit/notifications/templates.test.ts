// Template parity: every template Camau ships exists in Welsh and English with the same
// placeholders; the loader refuses one that does not.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { placeholderKey, placeholdersIn } from '../../../workers/notifications/render.js';
import { bundledTemplates, checkTemplates, loadTemplates, TemplateError } from '../../../workers/notifications/templates.js';
import { messageIdFor } from '../../../workers/notifications/consumer.js';

const good = {
  cy: { subject: 'Nodyn atgoffa: {{taskName}}', body: ['Dyddiad cau: {{dueDate|date}}'] },
  en: { subject: 'Reminder: {{taskName}}', body: ['Due date: {{dueDate|date}}'] },
};

describe('bundled templates', () => {
  const templates = bundledTemplates();

  it('has the message types the procedures use', () => {
    expect([...templates.keys()].sort()).toEqual(expect.arrayContaining(['meeting-invitation', 'task-assigned', 'task-overdue-escalation', 'task-reminder', 'warning-notice-copy']));
  });

  it.each([...bundledTemplates().keys()])('%s: both languages, the same placeholders in each', (id) => {
    const t = templates.get(id)!;
    const cy = placeholdersIn(`${t.cy.subject}\n${t.cy.body}`).map(placeholderKey).sort();
    const en = placeholdersIn(`${t.en.subject}\n${t.en.body}`).map(placeholderKey).sort();
    expect(cy.length).toBeGreaterThan(0);
    expect(cy).toEqual(en);
    expect(t.cy.body).not.toEqual(t.en.body);
    expect(t.cy.subject.trim()).not.toBe('');
    expect(t.en.subject.trim()).not.toBe('');
  });
});

describe('the loader', () => {
  it('accepts a good template', () => {
    const set = checkTemplates({ reminder: good });
    expect(set.get('reminder')!.placeholders).toEqual([{ name: 'taskName' }, { name: 'dueDate', format: 'date' }]);
    expect(set.get('reminder')!.cy.body).toBe('Dyddiad cau: {{dueDate|date}}');
  });

  it('refuses a template missing a language', () => {
    expect(() => checkTemplates({ x: { en: good.en } })).toThrow(/x: no Welsh \(cy\) version/);
    expect(() => checkTemplates({ x: { cy: good.cy } })).toThrow(/x: no English \(en\) version/);
    expect(() => checkTemplates({ x: { cy: { subject: '', body: 'a' }, en: good.en } })).toThrow(/x: cy: no subject/);
  });

  it('refuses different placeholders or date formats in the two languages', () => {
    expect(() => checkTemplates({ x: { cy: good.cy, en: { subject: 'Reminder', body: 'Due: {{dueDate|date}}' } } })).toThrow(/placeholders only in Welsh: \{\{taskName\}\}/);
    expect(() => checkTemplates({ x: { cy: good.cy, en: { ...good.en, body: 'Due: {{dueDate|datetime}}' } } })).toThrow(/only in Welsh: \{\{dueDate\|date\}\}[\s\S]*only in English: \{\{dueDate\|datetime\}\}/);
  });

  it('refuses malformed placeholders and unknown formats, and lists every problem at once', () => {
    try {
      checkTemplates({
        a: { cy: { subject: 'S {{taskName}', body: 'b' }, en: good.en },
        b: { cy: { ...good.cy, body: '{{dueDate|shout}}' }, en: good.en },
        c: { id: 'not-c', ...good },
      });
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(TemplateError);
      const problems = (e as TemplateError).problems.join('\n');
      expect(problems).toMatch(/a: cy: Malformed placeholder/);
      expect(problems).toMatch(/b: cy: Unknown format "shout"/);
      expect(problems).toMatch(/c: its id "not-c" differs from its file name/);
    }
  });

  it('loads a folder of JSON files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'camau-templates-'));
    try {
      writeFileSync(join(dir, 'reminder.json'), JSON.stringify(good));
      writeFileSync(join(dir, 'notes.md'), 'not a template');
      expect([...loadTemplates(dir).keys()]).toEqual(['reminder']);
      writeFileSync(join(dir, 'broken.json'), '{ "cy": ');
      expect(() => loadTemplates(dir)).toThrow(/broken:/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('message ids', () => {
  it('are deterministic, valid and distinct per recipient', () => {
    expect(messageIdFor(12, 'person:person-head-a')).toBe('<12.person.person-head-a@camau>');
    expect(messageIdFor('12', 'person:person-head-a')).toBe(messageIdFor(12, 'person:person-head-a'));
    const odd = [messageIdFor(12, 'user:a b'), messageIdFor(12, 'user:a-b'), messageIdFor(12, 'user:a/b')];
    expect(new Set(odd).size).toBe(3);
    for (const id of odd) expect(id).toMatch(/^<[A-Za-z0-9_.-]+@camau>$/);
  });
});
