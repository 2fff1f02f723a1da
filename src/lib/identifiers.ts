/**
 * Romanian personal numeric code (CNP): S YY MM DD JJ NNN C, 13 digits.
 * - S (1-9): sex and century: 1/2 born 1900-1999, 3/4 1800-1899, 5/6 2000-2099, 7/8 foreign
 *   residents and 9 foreigners (their century is not in the code: the date must exist in 1900 or 2000).
 * - YYMMDD: a real date of birth.
 * - JJ: county code 01-46 (40 Bucharest), 41-48 Bucharest sectors, 51 Călărași, 52 Giurgiu.
 * - NNN: serial 001-999.
 * - C: check digit: the first 12 digits times 279146358279, summed, mod 11; a result of 10 counts as 1.
 * The patient forms use it through src/patients/identifiers.ts (identifier type `cnp`).
 */
const weights = [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9];

export type CnpProblem = 'format' | 'checksum' | 'date' | 'county' | 'serial';

export function cnpCheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * weights[i];
  const rest = sum % 11;
  return rest === 10 ? 1 : rest;
}

const centuries: Record<string, number[]> = {
  '1': [1900],
  '2': [1900],
  '3': [1800],
  '4': [1800],
  '5': [2000],
  '6': [2000],
  '7': [1900, 2000],
  '8': [1900, 2000],
  '9': [1900, 2000],
};

function isRealDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

const validCounty = (jj: number) => (jj >= 1 && jj <= 48) || jj === 51 || jj === 52;

/** What is wrong with a CNP, or null when it is valid. Spaces are ignored. */
export function cnpProblem(input: string): CnpProblem | null {
  const cnp = input.replace(/\s/g, '');
  if (!/^[1-9]\d{12}$/.test(cnp)) return 'format';
  const yy = Number(cnp.slice(1, 3));
  const mm = Number(cnp.slice(3, 5));
  const dd = Number(cnp.slice(5, 7));
  if (!centuries[cnp[0]].some((century) => isRealDate(century + yy, mm, dd))) return 'date';
  if (!validCounty(Number(cnp.slice(7, 9)))) return 'county';
  if (cnp.slice(9, 12) === '000') return 'serial';
  if (cnpCheckDigit(cnp) !== Number(cnp[12])) return 'checksum';
  return null;
}

export function isValidCnp(input: string): boolean {
  return cnpProblem(input) === null;
}

/** The date of birth (YYYY-MM-DD) a valid CNP states, when its century is known (S 1-6). */
export function cnpBirthDate(input: string): string | null {
  const cnp = input.replace(/\s/g, '');
  if (!isValidCnp(cnp) || centuries[cnp[0]].length !== 1) return null;
  const year = centuries[cnp[0]][0] + Number(cnp.slice(1, 3));
  return `${year}-${cnp.slice(3, 5)}-${cnp.slice(5, 7)}`;
}
