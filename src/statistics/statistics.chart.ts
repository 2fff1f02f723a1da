/**
 * Geometry for the server-rendered SVG bar chart (bookings and cancellations per group). The
 * template only draws what this computes; no chart library, no script, no inline styles.
 */
import type { Report } from './statistics.service';
import { translatorFor, type Translate } from '../i18n';
import type { Formats } from '../i18n/formats';

export const maxChartGroups = 62;

export type ChartBar = {
  x: number;
  y: number;
  width: number;
  height: number;
  value: number;
  series: 'bookings' | 'cancellations';
  labelY: number;
};
export type ChartGroup = { label: string; x: number; labelX: number; bars: ChartBar[] };
export type Chart = {
  width: number;
  height: number;
  title: string;
  desc: string;
  plot: { left: number; top: number; right: number; bottom: number };
  yTicks: { y: number; value: number }[];
  groups: ChartGroup[];
  rotateLabels: boolean;
  yAxisLabel: string;
  xAxisLabel: string;
};

export type ChartResult = { chart: Chart | null; note: string | null };

/** 1, 2, 5, 10, 20, 50, ...: a tick step giving about four gridlines. */
function niceStep(max: number): number {
  const raw = Math.max(1, max / 4);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * magnitude >= raw) return m * magnitude;
  return 10 * magnitude;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Axis labels stay short enough to fit under a bar; the table has the full name. */
function shorten(label: string): string {
  return label.length > 22 ? `${label.slice(0, 21)}…` : label;
}

/** `t` and `f` word it in the reader's language (English and ISO dates when left out). */
export function buildChart(report: Report, t: Translate = translatorFor('en'), f?: Formats): ChartResult {
  const rows = report.rows;
  if (report.totals.bookings === 0) return { chart: null, note: t('chart.empty') };
  if (rows.length > maxChartGroups)
    return { chart: null, note: t('chart.tooMany', { n: rows.length, max: maxChartGroups }) };

  // Narrower bars for many groups, so a month by day still fits a desktop screen.
  const dense = rows.length > 16;
  const barWidth = dense ? 13 : 20;
  const groupWidth = barWidth * 2 + (dense ? 8 : 20);
  // About 6.5 px per character at 11 px; labels wider than a group are drawn at 45 degrees.
  const labels = rows.map((r) => shorten(r.label));
  const longest = Math.max(...labels.map((l) => l.length)) * 6.5;
  const rotateLabels = longest > groupWidth - 6;
  const slant = rotateLabels ? longest * Math.SQRT1_2 : 0;
  const plot = { left: Math.max(56, Math.ceil(slant - barWidth)), top: 40, right: 0, bottom: 0 };
  const plotHeight = 220;
  plot.right = plot.left + Math.max(rows.length * groupWidth, 360);
  plot.bottom = plot.top + plotHeight;
  const width = plot.right + 16;
  const height = plot.bottom + (rotateLabels ? Math.ceil(slant) + 36 : 50);

  const max = Math.max(...rows.map((r) => r.bookings), 1);
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const scale = (v: number) => (v / top) * plotHeight;
  const yTicks: Chart['yTicks'] = [];
  for (let v = 0; v <= top; v += step) yTicks.push({ y: round(plot.bottom - scale(v)), value: v });

  const groups: ChartGroup[] = rows.map((row, i) => {
    const x = plot.left + i * groupWidth + (groupWidth - 2 * barWidth) / 2;
    const bar = (value: number, series: ChartBar['series'], offset: number): ChartBar => {
      const h = round(scale(value));
      return {
        x: x + offset,
        y: round(plot.bottom - h),
        width: barWidth,
        height: h,
        value,
        series,
        labelY: round(plot.bottom - h - 4),
      };
    };
    return {
      label: labels[i],
      x,
      labelX: x + barWidth,
      bars: [bar(row.bookings, 'bookings', 0), bar(row.cancellations, 'cancellations', barWidth)],
    };
  });

  const period = report.filters;
  const day = (d: string) => (f ? f.formatDay(d) : d);
  const num = (n: number) => (f && f.lang !== 'en' ? f.formatNumber(n) : String(n));
  const group = report.groupHeader.toLocaleLowerCase(f?.locale);
  const title = t('chart.title', { group, from: day(period.from), to: day(period.to) });
  const parts = rows.map((r) =>
    t('chart.part', { label: r.label, bookings: num(r.bookings), cancelled: num(r.cancellations) }),
  );
  const desc = t('chart.desc', { group, parts: parts.join('; ') });
  return {
    chart: {
      width,
      height,
      title,
      desc,
      plot,
      yTicks,
      groups,
      rotateLabels,
      yAxisLabel: t('chart.yAxis'),
      xAxisLabel: report.groupHeader,
    },
    note: null,
  };
}
