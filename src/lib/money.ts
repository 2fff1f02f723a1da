/** Money is stored in integer minor units (1 HUF = 100 fillér); formatted only for display. */
export function formatMoney(minor: number, currency: string, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(minor / 100);
}

/** Plain machine-readable amount for CSV: "12345.67". */
export function plainAmount(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Parses "12000", "12000.5", "12 000,50" into minor units; null if it is not an amount. */
export function parseAmount(input: string): number | null {
  const cleaned = input.replace(/\s/g, '').replace(',', '.');
  if (!/^\d{1,10}(\.\d{1,2})?$/.test(cleaned)) return null;
  const [whole, frac = ''] = cleaned.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

/** A commission rate stored in hundredths of a percent, as people write it: 1000 -> "10", 1250 -> "12.5". */
export function formatPercent(hundredths: number): string {
  return String(hundredths / 100);
}

/** How a partner's commission is charged: a share of the price, or a fixed amount per booking. */
export type CommissionRule = { type: 'percent' | 'fixed'; value: number };

/**
 * The one wording of a commission, on the partners page and in statistics alike:
 * "10 % of the price", "12.5 % of the price", or "<money> per booking" (money is the app's formatter).
 */
export function describeCommission(rule: CommissionRule, money: (minor: number) => string): string {
  return rule.type === 'percent'
    ? `${formatPercent(rule.value)} % of the price`
    : `${money(rule.value)} per booking`;
}
