/**
 * CSV export of exactly the statistics table: RFC 4180 (CRLF, quotes doubled, fields with a
 * comma, quote or line break quoted), UTF-8 with a byte-order mark so spreadsheet programs read
 * accents correctly, and text cells defused against formula injection.
 */
import { plainAmount } from '../lib/money';
import { reportColumns, type Report, type ReportRow } from './statistics.service';

const bom = '\uFEFF';

/**
 * A text cell that starts like a formula (= + - @, or tab / CR, which some programs strip
 * first) gets a leading apostrophe, so a partner or doctor named "=HYPERLINK(...)" stays text.
 */
export function defuseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(cells: readonly string[]): string {
  return cells.map(csvField).join(',') + '\r\n';
}

function figures(row: ReportRow): string[] {
  // Numbers are written by us, never typed by a user, so they are not defused (a minus sign stays a number).
  return reportColumns.map((c) => (c.money ? plainAmount(row[c.key]) : String(row[c.key])));
}

export function reportCsv(report: Report): string {
  let out = bom + csvLine([report.groupHeader, ...reportColumns.map((c) => c.header)]);
  for (const row of report.rows) out += csvLine([defuseFormula(row.label), ...figures(row)]);
  out += csvLine([report.totals.label, ...figures(report.totals)]);
  return out;
}

/** "traffic-statistics_2026-01-01_2026-01-31_by-month.csv" */
export function csvFileName(report: Report): string {
  return `traffic-statistics_${report.filters.from}_${report.filters.to}_by-${report.filters.group}.csv`;
}
