// Rendering notifications: each recipient's language, one bilingual message Welsh first, dates
// in Europe/London in each language's words (the same instant in both), and a clear error
// instead of a gap when data is missing.
import { BILINGUAL_NOTE, BILINGUAL_SEPARATOR, formatDate, renderMessage, renderText, TemplateDataError } from '../../../workers/notifications/render.js';
import { bundledTemplates } from '../../../workers/notifications/templates.js';

const templates = bundledTemplates();
const reminder = templates.get('task-reminder')!;

const data = {
  taskName: { cy: 'Derbyn y cynllun gweithredu', en: 'Accept the action plan' },
  schoolName: { cy: 'Ysgol y Bryn', en: 'Ysgol y Bryn' },
  // 23:30 on Sunday 1 November in London (GMT); a machine in Central European Time would say
  // Monday. The message must say Sunday, in both languages.
  dueDate: '2026-11-01T23:30:00Z',
  caseLink: 'https://camau.example/cases/abc',
};

describe('dates', () => {
  it('writes dates in Welsh and English from the same instant, in Europe/London', () => {
    expect(formatDate('2026-11-02T09:00:00Z', 'cy')).toBe('Dydd Llun 2 Tachwedd 2026');
    expect(formatDate('2026-11-02T09:00:00Z', 'en')).toBe('Monday 2 November 2026');
    expect(formatDate('2026-11-02T09:30:00Z', 'cy', 'datetime')).toBe('Dydd Llun 2 Tachwedd 2026 am 09:30');
    expect(formatDate('2026-11-02T09:30:00Z', 'en', 'datetime')).toBe('Monday 2 November 2026 at 09:30');
    expect(formatDate('2026-11-02T09:30:00Z', 'cy', 'time')).toBe('09:30');
  });

  it('uses every Welsh month and weekday name', () => {
    const months = Array.from({ length: 12 }, (_, i) => formatDate(`2027-${String(i + 1).padStart(2, '0')}-15`, 'cy').split(' ').slice(-2, -1)[0]);
    expect(months).toEqual(['Ionawr', 'Chwefror', 'Mawrth', 'Ebrill', 'Mai', 'Mehefin', 'Gorffennaf', 'Awst', 'Medi', 'Hydref', 'Tachwedd', 'Rhagfyr']);
    // 1-7 February 2027: Monday to Sunday.
    const days = Array.from({ length: 7 }, (_, i) => formatDate(`2027-02-0${i + 1}`, 'cy').split(' ').slice(0, 2).join(' '));
    expect(days).toEqual(['Dydd Llun', 'Dydd Mawrth', 'Dydd Mercher', 'Dydd Iau', 'Dydd Gwener', 'Dydd Sadwrn', 'Dydd Sul']);
  });

  it('reads instants in London time across both clock changes', () => {
    // Clocks go forward at 01:00 GMT on Sunday 29 March 2026.
    expect(formatDate('2026-03-29T00:30:00Z', 'en', 'datetime')).toBe('Sunday 29 March 2026 at 00:30');
    expect(formatDate('2026-03-29T01:30:00Z', 'en', 'datetime')).toBe('Sunday 29 March 2026 at 02:30');
    // Clocks go back at 01:00 GMT on Sunday 25 October 2026; 23:30 UTC on the 24th is already the 25th in London.
    expect(formatDate('2026-10-24T23:30:00Z', 'cy', 'datetime')).toBe('Dydd Sul 25 Hydref 2026 am 00:30');
    expect(formatDate('2026-10-25T01:30:00Z', 'cy', 'datetime')).toBe('Dydd Sul 25 Hydref 2026 am 01:30');
    // In summer time, 23:30 UTC is the next day in London.
    expect(formatDate('2026-07-31T23:30:00Z', 'cy')).toBe('Dydd Sadwrn 1 Awst 2026');
    expect(formatDate('2026-07-31T23:30:00Z', 'en')).toBe('Saturday 1 August 2026');
  });

  it('takes a plain date as that calendar date, whatever the zone', () => {
    expect(formatDate('2026-12-25', 'cy')).toBe('Dydd Gwener 25 Rhagfyr 2026');
    expect(formatDate(new Date('2026-12-25T12:00:00Z'), 'en')).toBe('Friday 25 December 2026');
    expect(() => formatDate('2026-02-30', 'en')).toThrow(/not a calendar date/);
    expect(() => formatDate('25/12/2026', 'en')).toThrow(/not a date/);
    // A local time with no offset would be read in this machine's zone: refused.
    expect(() => formatDate('2026-12-25T09:00:00', 'en')).toThrow(/not a date/);
  });
});

describe('messages', () => {
  it('a Welsh reader gets Welsh only', () => {
    const m = renderMessage(reminder, 'cy', data);
    expect(m.language).toBe('cy');
    expect(m.subject).toBe('Nodyn atgoffa: Derbyn y cynllun gweithredu');
    expect(m.text).toContain('Dyddiad cau: Dydd Sul 1 Tachwedd 2026');
    expect(m.text).toContain('https://camau.example/cases/abc');
    expect(m.text).not.toMatch(/Reminder|Due date|Accept the action plan|November/);
  });

  it('an English reader gets English only', () => {
    const m = renderMessage(reminder, 'en', data);
    expect(m.language).toBe('en');
    expect(m.subject).toBe('Reminder: Accept the action plan');
    expect(m.text).toContain('Due date: Sunday 1 November 2026');
    expect(m.text).not.toMatch(/Nodyn|Dyddiad|Tachwedd|Derbyn/);
  });

  it.each(['both', undefined, null, 'fr', ''])('preference %p gets one bilingual message, Welsh first', (pref) => {
    const m = renderMessage(reminder, pref, data);
    expect(m.language).toBe('both');
    expect(m.subject).toBe('Nodyn atgoffa: Derbyn y cynllun gweithredu / Reminder: Accept the action plan');
    expect(m.text.startsWith(BILINGUAL_NOTE)).toBe(true);
    const cy = m.text.indexOf("Mae'r dasg isod yn aros");
    const sep = m.text.indexOf(BILINGUAL_SEPARATOR);
    const en = m.text.indexOf('The task below is waiting');
    expect(cy).toBeGreaterThan(0);
    expect(sep).toBeGreaterThan(cy);
    expect(en).toBeGreaterThan(sep);
    // The same date in both halves.
    expect(m.text.slice(0, sep)).toContain('Dydd Sul 1 Tachwedd 2026');
    expect(m.text.slice(sep)).toContain('Sunday 1 November 2026');
  });

  it('a translation never moves a date: every template gives the same day, month and year in both languages', () => {
    const instants = ['2026-03-28T23:59:00Z', '2026-03-29T00:59:00Z', '2026-10-24T23:30:00Z', '2026-12-31T23:59:59Z', '2027-06-30T23:00:00Z'];
    const cyMonths = ['Ionawr', 'Chwefror', 'Mawrth', 'Ebrill', 'Mai', 'Mehefin', 'Gorffennaf', 'Awst', 'Medi', 'Hydref', 'Tachwedd', 'Rhagfyr'];
    const enMonths = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
    const dmy = (s: string, months: string[]) => {
      const m = /(\d{1,2}) ([A-Za-z]+) (\d{4})/.exec(s)!;
      return [Number(m[1]), months.indexOf(m[2]), Number(m[3])];
    };
    for (const at of instants) {
      for (const style of ['date', 'datetime'] as const) {
        expect(dmy(formatDate(at, 'cy', style), cyMonths)).toEqual(dmy(formatDate(at, 'en', style), enMonths));
        if (style === 'datetime') expect(formatDate(at, 'cy', style).slice(-5)).toBe(formatDate(at, 'en', style).slice(-5));
      }
    }
  });

  it('missing data is an error naming what is missing, never "undefined" in a letter', () => {
    const { dueDate: _d, schoolName: _s, ...partial } = data;
    expect(() => renderMessage(reminder, 'cy', partial)).toThrow(TemplateDataError);
    expect(() => renderMessage(reminder, 'en', partial)).toThrow(/task-reminder.*no value for .*schoolName.*dueDate|task-reminder.*no value for .*dueDate.*schoolName/);
    try {
      renderMessage(reminder, 'both', { ...partial, schoolName: '  ' });
      throw new Error('rendered');
    } catch (e) {
      expect(e).toBeInstanceOf(TemplateDataError);
      expect((e as TemplateDataError).missing.sort()).toEqual(['dueDate', 'schoolName']);
    }
    expect(() => renderMessage(reminder, 'en', { ...data, dueDate: 'next Tuesday' })).toThrow(/dueDate: "next Tuesday" is not a date/);
    expect(() => renderMessage(reminder, 'en', { ...data, taskName: { name: 'x' } })).toThrow(/taskName: expected text/);
  });

  it('a value in one language only stands in for the other, so nothing is left blank', () => {
    const m = renderMessage(reminder, 'cy', { ...data, taskName: { en: 'Accept the action plan' } });
    expect(m.subject).toBe('Nodyn atgoffa: Accept the action plan');
  });

  it('renders every bundled template in every language with full data', () => {
    const full = {
      ...data, laName: { cy: 'Sir Gâr', en: 'Carmarthenshire' }, noticeDate: '2026-11-02', complianceDate: '2026-12-14',
      meetingName: { cy: 'Cyfarfod ffurfiol cam 1', en: 'Formal stage 1 meeting' }, meetingAt: '2026-11-09T14:00:00Z', location: 'Ysgol y Bryn, Ystafell 4',
    };
    for (const t of templates.values()) {
      for (const lang of ['cy', 'en'] as const) {
        const r = renderText(t, lang, full);
        expect(r.subject).not.toMatch(/\{\{|\}\}|undefined|null/);
        expect(r.body).not.toMatch(/\{\{|\}\}|undefined|null/);
      }
      const both = renderMessage(t, 'both', full);
      expect(both.subject).toContain(' / ');
    }
    const invite = renderMessage(templates.get('meeting-invitation')!, 'cy', full);
    expect(invite.text).toContain('Dyddiad ac amser: Dydd Llun 9 Tachwedd 2026 am 14:00');
    const warning = renderMessage(templates.get('warning-notice-copy')!, 'en', full);
    expect(warning.text).toContain('End of the compliance period: Monday 14 December 2026');
  });
});
