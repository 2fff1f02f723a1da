/**
 * The catalogues: every key in all three languages, no empty text, the same placeholders as the
 * English message, every plural category the language has (CLDR: hu one/other, ro one/few/other),
 * and no Hungarian or Romanian text left as the English one except where the word is the same.
 */
import {
  catalogues,
  keyOfEnglish,
  languages,
  localeOf,
  localizeMessage,
  translate,
  translateHtml,
} from '../src/i18n';
import type { MessageKey } from '../src/i18n';
import { compileMessage, placeholdersOf, pluralCasesOf } from '../src/i18n/message-format';

const keys = Object.keys(catalogues.en) as MessageKey[];

/** Texts that are rightly the same as the English one (a word both languages share, a pure pattern). */
const sameAsEnglish: Record<'hu' | 'ro', readonly MessageKey[]> = {
  hu: [
    'bookings.partner',
    'bookings.colPartner',
    'bookings.bookedByAt',
    'stats.iso',
    'stats.group.partner',
    'stats.partner',
    'stats.commission.partner',
    'common.partner',
    'common.partnerLower',
    'settings.titlePartner',
    'patients.idShort.taj', // TAJ is the number's Hungarian name
    'patients.idShort.cnp', // CNP: the Romanian number's own name, used as is
    'booking.partner',
    'audit.col.partner',
    'mail.partnerReference', // the partner's own label, then the number
  ],
  ro: [
    'tile.calendar',
    'booking.titleClinic',
    'booking.weekLabel',
    'bookings.bookedByAt',
    'stats.iso',
    'stats.total',
    'settings.contact',
    'settings.durationMin',
    'patients.idShort.taj',
    'patients.idShort.cnp',
    'patients.email',
    'schedules.minutes',
    'mail.partnerReference',
  ],
};

describe('message catalogues', () => {
  it('have the same keys in every language', () => {
    expect(keys.length).toBeGreaterThan(200);
    for (const lang of languages) expect(Object.keys(catalogues[lang]).sort()).toEqual([...keys].sort());
  });

  it('have no empty text', () => {
    for (const lang of languages)
      for (const key of keys)
        expect([lang, key, catalogues[lang][key].trim().length > 0]).toEqual([lang, key, true]);
  });

  it('use the English message\u2019s placeholders, no more and no fewer', () => {
    const problems: string[] = [];
    for (const key of keys) {
      const expected = placeholdersOf(catalogues.en[key]);
      for (const lang of ['hu', 'ro'] as const) {
        const got = placeholdersOf(catalogues[lang][key]);
        if (got.join() !== expected.join())
          problems.push(`${lang} ${key}: ${got.join()} vs ${expected.join()}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('give every plural the categories of its language', () => {
    const problems: string[] = [];
    for (const lang of languages) {
      const needed = new Intl.PluralRules(localeOf[lang]).resolvedOptions().pluralCategories;
      for (const key of keys)
        for (const plural of pluralCasesOf(catalogues[lang][key])) {
          const missing = needed.filter((c) => !plural.cases.includes(c));
          if (missing.length) problems.push(`${lang} ${key} {${plural.name}}: no ${missing.join(', ')}`);
        }
    }
    expect(new Intl.PluralRules('hu').resolvedOptions().pluralCategories.sort()).toEqual(['one', 'other']);
    expect(new Intl.PluralRules('ro').resolvedOptions().pluralCategories.sort()).toEqual([
      'few',
      'one',
      'other',
    ]);
    expect(problems).toEqual([]);
  });

  it('leave no Hungarian or Romanian text in English, except the listed shared words', () => {
    for (const lang of ['hu', 'ro'] as const) {
      const same = keys.filter((k) => catalogues[lang][k] === catalogues.en[k]);
      expect([lang, same.sort()]).toEqual([lang, [...sameAsEnglish[lang]].sort()]);
    }
  });

  it('compile in every language', () => {
    for (const lang of languages)
      for (const key of keys)
        expect(() => compileMessage(catalogues[lang][key], localeOf[lang])).not.toThrow();
  });
});

describe('formatting a message', () => {
  it('chooses Romanian one / few / other and Hungarian one / other', () => {
    expect(translate('ro', 'bookings.count', { count: 1 })).toBe('1 programare');
    expect(translate('ro', 'bookings.count', { count: 3 })).toBe('3 programări');
    expect(translate('ro', 'bookings.count', { count: 25 })).toBe('25 de programări');
    expect(translate('hu', 'bookings.count', { count: 1 })).toBe('1 foglalás');
    expect(translate('en', 'bookings.count', { count: 1 })).toBe('1 booking');
    expect(translate('en', 'bookings.count', { count: 2 })).toBe('2 bookings');
  });

  it('fills named placeholders', () => {
    expect(translate('hu', 'bookings.detailTitle', { id: 42 })).toBe('42. foglalás');
    expect(translate('en', 'validate.maxLength', { max: 64 })).toBe('At most 64 characters.');
  });

  it('translates messages raised in English, with their values', () => {
    expect(localizeMessage('hu', 'At most 64 characters.')).toBe('Legfeljebb 64 karakter.');
    expect(localizeMessage('ro', 'Wrong user name or password.')).toBe(
      'Nume de utilizator sau parolă greșită.',
    );
    expect(localizeMessage('hu', 'Too many failed logins. Please wait about 3 minutes and try again.')).toBe(
      'Túl sok sikertelen bejelentkezés. Várjon körülbelül 3 percet, majd próbálja újra.',
    );
    expect(localizeMessage('hu', 'from: Enter a date as YYYY-MM-DD.; to: Unknown status.')).toBe(
      'from: A dátumot ÉÉÉÉ-HH-NN formában adja meg.; to: Ismeretlen állapot.',
    );
    expect(localizeMessage('hu', 'Dr. Anna Kovács')).toBe('Dr. Anna Kovács');
    expect(localizeMessage('en', 'At most 64 characters.')).toBe('At most 64 characters.');
  });

  it('escapes values in HTML messages and keeps only the catalogue\u2019s emphasis', () => {
    expect(translateHtml('en', 'stats.partnerOnlyFigures', { partner: '<b>Evil & Co</b>' })).toBe(
      'These are the figures of <strong>&lt;b&gt;Evil &amp; Co&lt;/b&gt;</strong> only.',
    );
  });
});

describe('messages the converted features raise', () => {
  it('are all catalogue texts (so every page can show them in its language)', async () => {
    const modules: Record<string, Record<string, unknown>> = {
      'settings/catalogue.service': await import('../src/settings/catalogue.service'),
      'settings/traffic-channels.service': await import('../src/settings/traffic-channels.service'),
      'settings/traffic-channels.routes': await import('../src/settings/traffic-channels.routes'),
      'partners/partners.forms': await import('../src/partners/partners.forms'),
      'users/users.service': await import('../src/users/users.service'),
      'users/users.routes': await import('../src/users/users.routes'),
      'bookings/bookings.forms': await import('../src/bookings/bookings.forms'),
      'bookings/bookings.service': await import('../src/bookings/bookings.service'),
      'bookings/bookings.routes': await import('../src/bookings/bookings.routes'),
      'statistics/statistics.filters': await import('../src/statistics/statistics.filters'),
      'contracts/contracts.service': await import('../src/contracts/contracts.service'),
      'contracts/contracts.forms': await import('../src/contracts/contracts.forms'),
      'contracts/contracts.settings': await import('../src/contracts/contracts.settings'),
      'contracts/contracts.routes': await import('../src/contracts/contracts.routes'),
      'lib/validate': await import('../src/lib/validate'),
      'lib/forms': await import('../src/lib/forms'),
      'lib/auth': await import('../src/lib/auth'),
      app: await import('../src/app'),
    };
    const unknown: string[] = [];
    for (const [name, mod] of Object.entries(modules))
      for (const [exported, value] of Object.entries(mod)) {
        if (!/messages$|Messages$|Labels$|^dateBases$/i.test(exported) || !value || typeof value !== 'object')
          continue;
        for (const [k, text] of Object.entries(value as Record<string, unknown>)) {
          let sample: unknown = text;
          if (typeof text === 'function')
            try {
              sample = (text as (...a: unknown[]) => unknown)(3, 5);
            } catch {
              sample = (text as (...a: unknown[]) => unknown)(['Booking', 'Settings']);
            }
          if (typeof sample === 'string' && keyOfEnglish(sample) === null)
            unknown.push(`${name} ${exported}.${k}: ${sample}`);
        }
      }
    expect(unknown).toEqual([]);
  });
});
