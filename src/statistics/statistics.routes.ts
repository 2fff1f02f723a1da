import type { Request, Response } from 'express';
import { guardedRouter } from '../lib/router';
import { AppError } from '../lib/errors';
import { isHtmx, renderPageOrFragment } from '../lib/render';
import { isPartnerUser } from '../lib/permissions';
import {
  dateBases,
  fieldLabels,
  filterQueryString,
  formFromFilters,
  formFromQuery,
  groupingLabels,
  groupings,
  resolveFilters,
  type StatisticsFilters,
} from './statistics.filters';
import { clinicTimeZone } from '../settings/institutions.queries';
import { filterOptions, scopeOf, type FilterOptions } from './statistics.queries';
import { buildReport, commissionRule, reportColumns } from './statistics.service';
import { buildChart } from './statistics.chart';
import { csvConventionOf, csvFileName, reportCsv } from './statistics.csv';
import { groupKey, localizeReport } from './statistics.i18n';
import { statisticsBookingsCsv } from './statistics-bookings.routes';

export const messages = {
  title: 'Traffic statistics',
};

type Resolved = { options: FilterOptions; filters: StatisticsFilters };

async function resolve(req: Request): Promise<Resolved> {
  const user = req.user!;
  const [options, zone] = await Promise.all([
    filterOptions(req.ctx.db, scopeOf(user)),
    clinicTimeZone(req.ctx.db),
  ]);
  return { options, filters: resolveFilters(req.query, user, options, zone, req.ctx.clock.now()) };
}

function commonLocals(req: Request, options: FilterOptions) {
  return {
    title: req.t('stats.title'),
    options: {
      institutions: req.formats.sortBy(options.institutions, (o) => o.name),
      channels: options.channels,
      partners: req.formats.sortBy(options.partners, (o) => o.name),
      services: req.formats.sortBy(options.services, (o) => o.name),
      doctors: req.formats.peopleByFamily(options.doctors),
    },
    groupKey,
    groupings,
    groupingLabels,
    dateBases,
    fieldLabels,
    reportColumns,
    partnerUser: isPartnerUser(req.user!),
    // Worded with the app's one money formatter (res.locals.money) in the view.
    commissionRule,
  };
}

export function statisticsRoutes() {
  const r = guardedRouter();

  r.get('/statistics', 'statistics', async (req: Request, res: Response) => {
    const user = req.user!;
    const options = await filterOptions(req.ctx.db, scopeOf(user));
    let filters: StatisticsFilters;
    try {
      filters = resolveFilters(
        req.query,
        user,
        options,
        await clinicTimeZone(req.ctx.db),
        req.ctx.clock.now(),
      );
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      // The page itself shows the message next to the filters. htmx does not swap a 400, so an
      // htmx request gets the same message as a 422 (which it is configured to swap into #report).
      res.status(isHtmx(req) ? 422 : err.status);
      return renderPageOrFragment(req, res, 'statistics/index', 'statistics/_report', {
        ...commonLocals(req, options),
        form: formFromQuery(req.query),
        errors: err.fieldErrors,
        errorMessage: err.message,
        report: null,
      });
    }
    const report = localizeReport(await buildReport(req.ctx.db, filters, scopeOf(user)), req.t, req.formats);
    const { chart, note } = buildChart(report, req.t, req.formats);
    renderPageOrFragment(req, res, 'statistics/index', 'statistics/_report', {
      ...commonLocals(req, options),
      form: formFromFilters(filters),
      errors: {},
      errorMessage: null,
      report,
      chart,
      chartNote: note,
      csvHref: `/statistics.csv?${filterQueryString(filters)}`,
      bookingsCsvHref: `/statistics/bookings.csv?${filterQueryString(filters)}`,
    });
  });

  r.get('/statistics.csv', 'statistics', async (req: Request, res: Response) => {
    const { filters } = await resolve(req);
    const report = localizeReport(
      await buildReport(req.ctx.db, filters, scopeOf(req.user!)),
      req.t,
      req.formats,
    );
    res.set('Content-Type', 'text/csv; charset=utf-8');
    res.set('Content-Disposition', `attachment; filename="${csvFileName(report)}"`);
    res.set('Cache-Control', 'private, no-store');
    res.send(reportCsv(report, req.t, csvConventionOf(req.lang)));
  });

  // The report's bookings with their reference numbers (issue 17): the same filters and scope.
  r.get('/statistics/bookings.csv', 'statistics', async (req: Request, res: Response) => {
    const { filters } = await resolve(req);
    await statisticsBookingsCsv(req, res, filters);
  });

  return r;
}
