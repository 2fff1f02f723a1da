/**
 * The statistics report in the reader's language: group names, day labels (hu 2026. 01. 05.),
 * "Total" and the no-partner row. The queries and the service stay language-free; the page, the
 * chart and the CSV all take the report through here, so the three say the same.
 */
import type { Translate, MessageKey } from '../i18n';
import { nameParts, type Formats } from '../i18n/formats';
import { noPartnerLabel } from './statistics.queries';
import type { Report } from './statistics.service';
import type { Grouping } from './statistics.types';

export const groupKey = (g: Grouping) => `stats.group.${g}` as MessageKey;

export function localizeReport(report: Report, t: Translate, f: Formats): Report {
  const group = report.filters.group;
  // Doctors are persons: named in the language's order and listed by family name, English too.
  if (group === 'doctor')
    report = {
      ...report,
      rows: f
        .sortByFamily(report.rows, (r) => nameParts(r.label))
        .map((r) => ({ ...r, label: f.writtenName(r.label) })),
    };
  if (f.lang === 'en') return report;
  const label = (l: string) =>
    group === 'day' ? f.formatDay(l) : l === noPartnerLabel ? t('stats.noPartnerLabel') : l;
  return {
    ...report,
    groupHeader: t(groupKey(group)),
    rows: report.rows.map((r) => ({ ...r, label: label(r.label) })),
    totals: { ...report.totals, label: t('stats.total') },
  };
}
