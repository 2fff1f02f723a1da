/**
 * Patient identifiers. TAJ is the Hungarian social-security (health insurance) number:
 * nine digits, the last a check digit (digits 1-8 weighted 3,7,3,7..., sum mod 10).
 */
export const identifierTypes = {
  taj: 'TAJ (social security number)',
  passport: 'Passport number',
} as const;
export type IdentifierType = keyof typeof identifierTypes;

/** The short names used next to a number ("TAJ 111222333"); the long ones label the form's choices. */
export const identifierShortNames: Record<IdentifierType, string> = { taj: 'TAJ', passport: 'Passport' };

/** A number as people read and write it: a TAJ in groups of three ("111 222 337"), others as stored. */
export function groupedIdentifier(type: IdentifierType, number: string): string {
  return type === 'taj' && /^\d{9}$/.test(number)
    ? number.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3')
    : number;
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

/** null if valid, otherwise the message to show next to the field. */
export function identifierProblem(type: IdentifierType, normalized: string): string | null {
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
