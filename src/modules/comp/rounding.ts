import { Decimal } from '../../platform/money.js';

/**
 * Rounding of the ledger (docs/compensation.md, "Rounding"): every line's amount is computed exactly with decimal.js
 * (no floats) and rounded once, half-even to the cent, when the line is made. Amounts derived from a booked line (a
 * hold from its earning, a release from its hold, a clawback from what was paid) start from the rounded amounts, so
 * releases and clawbacks give back exactly what was booked and totals always add up.
 */
export function roundLine(value: Decimal.Value): Decimal {
  return new Decimal(value).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN);
}

export const toMoney = (value: Decimal.Value) => roundLine(value).toFixed(2);

const SYMBOLS: Record<string, string> = { USD: '$', EUR: '€', GBP: '£', JPY: '¥', INR: '₹' };

/** "$40,000.00" / "-$1,250.00" / "CHF 12.00": money for the arithmetic text, from the exact decimal (no floats). */
export function formatMoney(value: Decimal.Value, currency: string): string {
  // Amounts are usually already two-decimal strings: format them as text, without a Decimal.
  const text = typeof value === 'string' && /^-?\d+\.\d\d$/.test(value) ? value : new Decimal(value).toFixed(2);
  const negative = text.charCodeAt(0) === 45 && /[1-9]/.test(text);
  const dot = text.indexOf('.');
  const int = text.slice(negative || text.charCodeAt(0) === 45 ? 1 : 0, dot);
  let grouped = int.slice(0, ((int.length - 1) % 3) + 1);
  for (let i = grouped.length; i < int.length; i += 3) grouped += `,${int.slice(i, i + 3)}`;
  return `${negative ? '-' : ''}${SYMBOLS[currency] ?? `${currency} `}${grouped}${text.slice(dot)}`;
}

const percents = new Map<string, string>();
/** "6.25%" / "9.375%": a percent with the decimals it needs (at most four). */
export function formatPercent(value: Decimal.Value): string {
  const key = String(value);
  let out = percents.get(key);
  if (!out) {
    out = `${new Decimal(value).toDecimalPlaces(4).toString()}%`;
    if (percents.size < 10_000) percents.set(key, out);
  }
  return out;
}

/**
 * Ratios (attainment) are shown and kept in inputs, not paid: a 12-digit decimal is plenty and divides much faster
 * than the 34 digits money uses.
 */
const Ratio = Decimal.clone({ precision: 12, rounding: Decimal.ROUND_HALF_EVEN });

/** An attainment ratio as a percent with one decimal: 1.0525 -> "105.3%". Display only. */
export const formatRatio = (ratio: Decimal.Value) => `${new Ratio(ratio.toString()).times(100).toFixed(1)}%`;

export { Decimal };

/** The total of some lines' amounts, two decimals. */
export const sumLines = (lines: { amount: string }[]) => lines.reduce((s, l) => s.plus(l.amount), new Decimal(0)).toFixed(2);
