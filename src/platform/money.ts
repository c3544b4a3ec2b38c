import { Decimal } from 'decimal.js';

/**
 * Money is a decimal string with two places (the database type is numeric(14,2)).
 * Rounding rule, everywhere: half-even ("banker's") to the cent, applied once at the end of a computation.
 */
Decimal.set({ precision: 34, rounding: Decimal.ROUND_HALF_EVEN });

export type Money = string;
export const MONEY_MAX = new Decimal('999999999999.99');

export function money(value: Decimal.Value): Money {
  return new Decimal(value).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2);
}

export function sumMoney(values: Decimal.Value[]): Money {
  return money(values.reduce<Decimal>((acc, v) => acc.plus(v), new Decimal(0)));
}

export { Decimal };
