/**
 * Patient identifiers. TAJ is the Hungarian social-security (health insurance) number:
 * nine digits, the last a check digit (digits 1-8 weighted 3,7,3,7..., sum mod 10). CNP is the
 * Romanian personal numeric code (13 digits: src/lib/identifiers.ts checks it).
 */
import { cnpProblem } from '../lib/identifiers';

export const identifierTypes = {
  taj: 'TAJ (social security number)',
  passport: 'Passport number',
  cnp: 'CNP (Romanian personal numeric code)',
} as const;
export type IdentifierType = keyof typeof identifierTypes;
export const allIdentifierTypes = Object.keys(identifierTypes) as IdentifierType[];

export const isIdentifierType = (v: unknown): v is IdentifierType =>
  typeof v === 'string' && Object.hasOwn(identifierTypes, v);

/** Why a patient has no identifier (the form's choice; the database CHECK lists the same). */
export const noIdentifierReasons = ['newborn', 'foreign', 'unknown'] as const;
export type NoIdentifierReason = (typeof noIdentifierReasons)[number];

/** The short names used next to a number ("TAJ 111222333"); the long ones label the form's choices. */
export const identifierShortNames: Record<IdentifierType, string> = {
  taj: 'TAJ',
  cnp: 'CNP',
  passport: 'Passport',
};

/**
 * A number as people read and write it: a TAJ in groups of three ("111 222 337"), a CNP by its
 * parts (sex and century, date of birth, county-serial-check: "1 960529 400019"), others as stored.
 */
export function groupedIdentifier(type: IdentifierType, number: string): string {
  if (type === 'taj' && /^\d{9}$/.test(number)) return number.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3');
  if (type === 'cnp' && /^\d{13}$/.test(number)) return number.replace(/^(\d)(\d{6})(\d{6})$/, '$1 $2 $3');
  return number;
}

/** "TAJ 111 222 337", "Passport AB1234567". */
export function identifierText(type: IdentifierType, number: string): string {
  return `${identifierShortNames[type] ?? type} ${groupedIdentifier(type, number)}`;
}

export function normalizeIdentifier(type: IdentifierType, value: string): string {
  const compact = value.replace(/[\s-]/g, '');
  return type === 'passport' ? compact.toUpperCase() : compact;
}

export function tajCheckDigit(first8: string): number {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(first8[i]) * (i % 2 === 0 ? 3 : 7);
  return sum % 10;
}

export const cnpMessages = {
  format: 'A CNP has 13 digits, the first of them 1 to 9.',
  date: 'This CNP does not contain a valid date of birth.',
  county: 'This CNP does not contain a valid county code.',
  serial: 'This CNP is not valid (its serial number is 000).',
  checksum: 'This CNP is not valid (check digit does not match).',
};

/** null if valid, otherwise the message to show next to the field. */
export function identifierProblem(type: IdentifierType, normalized: string): string | null {
  if (type === 'cnp') {
    const problem = cnpProblem(normalized);
    return problem ? cnpMessages[problem] : null;
  }
  if (type === 'taj') {
    if (!/^\d{9}$/.test(normalized)) return 'A TAJ number has 9 digits.';
    if (tajCheckDigit(normalized) !== Number(normalized[8]))
      return 'This TAJ number is not valid (check digit does not match).';
    return null;
  }
  if (!/^[A-Z0-9]{6,9}$/.test(normalized)) return 'A passport number has 6 to 9 letters and digits.';
  return null;
}

/** Makes a valid TAJ from 8 digits (demo data and tests). */
export function makeTaj(first8: string): string {
  return first8 + String(tajCheckDigit(first8));
}
