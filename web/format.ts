// Dates and times as people in Wales read them: Europe/London, in the page's language.
import type { Lang } from './i18n.js';

const locale = (lang: Lang) => (lang === 'cy' ? 'cy-GB' : 'en-GB');
const fmt = new Map<string, Intl.DateTimeFormat>();

function formatter(lang: Lang, kind: 'date' | 'dateTime' | 'time'): Intl.DateTimeFormat {
  const key = `${lang}|${kind}`;
  let f = fmt.get(key);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions = kind === 'date' ? { dateStyle: 'long' } : kind === 'time' ? { timeStyle: 'medium' } : { dateStyle: 'medium', timeStyle: 'short' };
    f = new Intl.DateTimeFormat(locale(lang), { ...opts, timeZone: 'Europe/London' });
    fmt.set(key, f);
  }
  return f;
}

export function formatDate(iso: string | Date | null | undefined, lang: Lang): string {
  if (!iso) return '';
  return formatter(lang, 'date').format(new Date(iso));
}

export function formatDateTime(iso: string | Date | null | undefined, lang: Lang): string {
  if (!iso) return '';
  return formatter(lang, 'dateTime').format(new Date(iso));
}

/** The London local date of an instant, as YYYY-MM-DD. */
export function londonDate(iso: string | Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

export function formatNumber(n: number, lang: Lang): string {
  return new Intl.NumberFormat(locale(lang)).format(n);
}
