/** The Romanian CNP validator (src/lib/identifiers.ts). */
import { cnpBirthDate, cnpCheckDigit, cnpProblem, isValidCnp } from '../src/lib/identifiers';

/** A CNP from its first 12 digits with the right check digit. */
const withCheck = (first12: string) => first12 + String(cnpCheckDigit(first12));

describe('CNP', () => {
  it('computes the check digit with the weights 279146358279 mod 11', () => {
    // 1 9 6 0 5 2 9 4 0 0 0 1 x 2 7 9 1 4 6 3 5 8 2 7 9:
    // 2+63+54+0+20+12+27+20+0+0+0+9 = 207; 207 mod 11 = 9.
    expect(cnpCheckDigit('196052940001')).toBe(9);
    expect(isValidCnp('1960529400019')).toBe(true);
    expect(cnpProblem('1960529400018')).toBe('checksum');
  });

  it('counts a remainder of 10 as 1', () => {
    // Find a 12-digit start whose weighted sum is 10 mod 11.
    let start = '';
    for (let serial = 1; serial < 1000 && !start; serial++) {
      const s = `19001011200${String(serial).padStart(3, '0')}`.slice(0, 12);
      const sum = [...s].reduce((acc, d, i) => acc + Number(d) * [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9][i], 0);
      if (sum % 11 === 10 && s.slice(9, 12) !== '000') start = s;
    }
    expect(start).not.toBe('');
    expect(cnpCheckDigit(start)).toBe(1);
    expect(isValidCnp(start + '1')).toBe(true);
    expect(cnpProblem(start + '0')).toBe('checksum');
  });

  it('refuses a date that does not exist, by the century of the first digit', () => {
    expect(cnpProblem(withCheck('190023012001'))).toBe('date'); // 30 February
    expect(isValidCnp(withCheck('500022912001'))).toBe(true); // 29 Feb 2000
    expect(cnpProblem(withCheck('100022912001'))).toBe('date'); // 1900 was no leap year
    expect(cnpProblem(withCheck('191130112001'))).toBe('date'); // month 13
    expect(cnpBirthDate(withCheck('500022912001'))).toBe('2000-02-29');
    expect(cnpBirthDate(withCheck('285120140001'))).toBe('1985-12-01');
  });

  it('refuses an unknown county and serial 000', () => {
    expect(cnpProblem(withCheck('185120149001'))).toBe('county');
    expect(cnpProblem(withCheck('185120100001'))).toBe('county');
    expect(isValidCnp(withCheck('185120152001'))).toBe(true); // Giurgiu
    expect(isValidCnp(withCheck('185120140001'))).toBe(true); // Bucharest
    expect(cnpProblem(withCheck('185120140000'))).toBe('serial');
  });

  it('refuses anything but 13 digits starting 1-9', () => {
    for (const bad of ['', '123', '0960529400019', '19605294000190', '196052940001A'])
      expect(cnpProblem(bad)).toBe('format');
    expect(isValidCnp('196 0529 400019')).toBe(true);
  });
});
