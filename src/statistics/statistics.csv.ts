/**
 * CSV export of exactly the statistics table: RFC 4180 (CRLF, quotes doubled, fields with a
 * separator, quote or line break quoted), UTF-8 with a byte-order mark so spreadsheet programs read
 * accents correctly, and text cells defused against formula injection. In the reader's spreadsheet
 * convention: English "," and a decimal point; Hungarian and Romanian ";" and a decimal comma (what
 * Excel there expects, as the comma is their decimal separator). The header row is translated.
 */
import { plainAmount } from '../lib/money';
import { translatorFor, type Language, type MessageKey, type Translate } from '../i18n';
import { reportColumns, type Report, type ReportRow } from './statistics.service';

export type CsvConvention = { separator: ',' | ';'; decimal: '.' | ',' };

export function csvConventionOf(lang: Language): CsvConvention {
  return lang === 'en' ? { separator: ',', decimal: '.' } : { separator: ';', decimal: ',' };
}

const english: CsvConvention = { separator: ',', decimal: '.' };

const bom = '\uFEFF';

/**
 * A text cell that starts like a formula (= + - @, or tab / CR, which some programs strip
 * first) gets a leading apostrophe, so a partner or doctor named "=HYPERLINK(...)" stays text.
 */
export function defuseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function csvField(value: string, separator: ',' | ';' = ','): string {
  const needsQuotes = value.includes(separator) || /["\r\n]/.test(value);
  return needsQuotes ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(cells: readonly string[], separator: ',' | ';' = ','): string {
  return cells.map((c) => csvField(c, separator)).join(separator) + '\r\n';
}

function figures(row: ReportRow, decimal: '.' | ','): string[] {
  // Numbers are written by us, never typed by a user, so they are not defused (a minus sign stays a number).
  return reportColumns.map((c) =>
    c.money ? plainAmount(row[c.key]).replace('.', decimal) : String(row[c.key]),
  );
}

/** The report (already in the reader's language, see localizeReport) as CSV text. */
export function reportCsv(
  report: Report,
  t: Translate = translatorFor('en'),
  convention: CsvConvention = english,
): string {
  const { separator, decimal } = convention;
  const headers = reportColumns.map((c) => t(`stats.col.${c.key}` as MessageKey));
  let out = bom + csvLine([report.groupHeader, ...headers], separator);
  for (const row of report.rows)
    out += csvLine([defuseFormula(row.label), ...figures(row, decimal)], separator);
  out += csvLine([report.totals.label, ...figures(report.totals, decimal)], separator);
  return out;
}

/** "traffic-statistics_2026-01-01_2026-01-31_by-month.csv" */
export function csvFileName(report: Report): string {
  return `traffic-statistics_${report.filters.from}_${report.filters.to}_by-${report.filters.group}.csv`;
}
