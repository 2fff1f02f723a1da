import type { namesEn } from './names.en';

export const namesHu: Record<keyof typeof namesEn, string> = {
  'names.doctorHint':
    'Cím, utónevek, végül a családnév utolsó szóként, pl. \u201eDr. Anna Kovács\u201d. Az oldalak az olvasó nyelvének sorrendjében mutatják (magyarul: \u201eDr. Kovács Anna\u201d).',
};
