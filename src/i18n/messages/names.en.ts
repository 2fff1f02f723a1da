/**
 * Names of persons (src/i18n/formats.ts: one rule of name order): English, the reference for
 * names.hu.ts and names.ro.ts.
 */
export const namesEn = {
  // The doctor form's name field (views/settings/doctor-form.ejs): how a one-field name is read.
  'names.doctorHint':
    'Title, given names, then the family name as the last word, e.g. \u201cDr. Anna Kov\u00e1cs\u201d. Pages show it in the reader\u2019s order (Hungarian: \u201cDr. Kov\u00e1cs Anna\u201d).',
};
