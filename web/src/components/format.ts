import { useMemo } from 'react';
import { useSession } from '../app/session';

/**
 * Money and dates as the workspace shows them: its currency, its time zone.
 * Amounts arrive as exact decimal strings and go to Intl as strings, so no float ever rounds them.
 */
export function makeFormat(currency: string, timeZone: string, locale?: string) {
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0 });
  const exactMoney = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const dateTime = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium', timeStyle: 'short' });
  const date = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium' });
  // 'YYYY-MM-DD' values are calendar days, not instants: format them without a time-zone shift.
  const day = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', dateStyle: 'medium' });
  return {
    /** Whole units for tables and boards. */
    money: (v: string | null | undefined) => (v == null || v === '' ? '' : money.format(v as Intl.StringNumericLiteral)),
    /** To the cent, for a record's own page. */
    exactMoney: (v: string | null | undefined) => (v == null || v === '' ? '' : exactMoney.format(v as Intl.StringNumericLiteral)),
    dateTime: (v: string | Date | null | undefined) => (v ? dateTime.format(new Date(v)) : ''),
    date: (v: string | Date | null | undefined) => (v ? date.format(new Date(v)) : ''),
    day: (v: string | null | undefined) => (v ? day.format(new Date(`${v}T00:00:00Z`)) : ''),
    timeZone,
    currency,
  };
}

export type Format = ReturnType<typeof makeFormat>;

export function useFormat(): Format {
  const { workspace } = useSession();
  return useMemo(() => makeFormat(workspace.currency, workspace.timezone), [workspace.currency, workspace.timezone]);
}

/** Today's date in the workspace time zone as 'YYYY-MM-DD' (for date inputs' defaults). */
export function todayIn(timeZone: string, plusDays = 0): string {
  const d = new Date(Date.now() + plusDays * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

export const personName = (r: { firstName?: string | null; lastName?: string | null }) =>
  [r.firstName, r.lastName].filter(Boolean).join(' ');

/** Adds decimal money strings exactly (as integer cents), e.g. to total ARR; never through floats. */
export function sumMoney(values: (string | null | undefined)[]): string {
  let cents = 0n;
  for (const v of values) {
    if (!v) continue;
    const neg = v.startsWith('-');
    const [whole, frac = ''] = v.replace(/^[-+]/, '').split('.');
    const c = BigInt(whole || '0') * 100n + BigInt(`${frac}00`.slice(0, 2));
    cents += neg ? -c : c;
  }
  const neg = cents < 0n;
  const abs = neg ? -cents : cents;
  return `${neg ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}
