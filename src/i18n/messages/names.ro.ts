import type { namesEn } from './names.en';

export const namesRo: Record<keyof typeof namesEn, string> = {
  'names.doctorHint':
    'Titlul, prenumele, apoi numele de familie ca ultim cuvânt, de ex. \u201eDr. Anna Kovács\u201d. Paginile îl afișează în ordinea limbii cititorului (în maghiară: \u201eDr. Kovács Anna\u201d).',
};
