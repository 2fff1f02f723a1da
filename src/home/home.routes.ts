import { guardedRouter } from '../lib/router';
import {
  can,
  mayAdministerPartnerUsers,
  mayCancelSomeBookings,
  mayViewAuditLog,
  type CurrentUser,
  type Permission,
} from '../lib/permissions';
import type { MessageKey } from '../i18n';

export type Tile = {
  label: string;
  href: string;
  permission: Permission;
  description: string;
  /** The label and description in the catalogue (the English texts above are its en values). */
  labelKey: MessageKey;
  descriptionKey: MessageKey;
  /** When a permission alone does not decide it (lib/permissions.ts does). */
  visible?: (user: CurrentUser) => boolean;
};

/** Bookings are cancelled by those who may book (see bookings.service mayCancel); others only list. */
const listOnlyBookings = 'List and filter bookings.';

/** The administration home page: one tile per function the user may use, nothing else. */
export const tiles: readonly Tile[] = [
  {
    label: 'Book to partner',
    href: '/partner-booking',
    labelKey: 'tile.partnerBooking',
    descriptionKey: 'tile.partnerBooking.description',
    permission: 'partner_booking',
    description: 'Record an appointment on behalf of a partner.',
  },
  {
    label: 'Calendar',
    href: '/booking',
    labelKey: 'tile.calendar',
    descriptionKey: 'tile.calendar.description',
    permission: 'booking',
    description: 'Book patients into the doctors\u2019 calendars.',
  },
  {
    label: 'Bookings',
    href: '/bookings',
    labelKey: 'tile.bookings',
    descriptionKey: 'tile.bookings.description',
    permission: 'bookings_view',
    description: 'List, filter and cancel bookings.',
  },
  {
    label: 'Day list',
    href: '/day-list',
    labelKey: 'tile.dayList',
    descriptionKey: 'tile.dayList.description',
    permission: 'bookings_view',
    description: 'A day\u2019s bookings per doctor, ready to print.',
  },
  {
    label: 'Patients',
    href: '/patients',
    labelKey: 'tile.patients',
    descriptionKey: 'tile.patients.description',
    permission: 'patients',
    description: 'Search and manage patient records.',
  },
  {
    label: 'Statistics',
    href: '/statistics',
    labelKey: 'tile.statistics',
    descriptionKey: 'tile.statistics.description',
    permission: 'statistics',
    description: 'Traffic statistics and partner commission.',
  },
  {
    label: 'Traffic channels',
    href: '/settings/traffic-channels',
    labelKey: 'tile.trafficChannels',
    descriptionKey: 'tile.trafficChannels.description',
    permission: 'settings',
    description: 'Which services each channel and partner may book.',
  },
  {
    label: 'Settings',
    href: '/settings',
    labelKey: 'tile.settings',
    descriptionKey: 'tile.settings.description',
    permission: 'settings',
    description: 'Institutions, doctors, services, partners, schedules.',
  },
  {
    label: 'Admin users',
    href: '/admin/users',
    labelKey: 'tile.adminUsers',
    descriptionKey: 'tile.adminUsers.description',
    permission: 'users_admin',
    description: 'Users, passwords and permissions.',
  },
  {
    label: 'Partner users',
    href: '/partner/users',
    labelKey: 'tile.partnerUsers',
    descriptionKey: 'tile.partnerUsers.description',
    permission: 'partner_admin',
    description: 'Your organisation\u2019s users, passwords and permissions.',
    visible: mayAdministerPartnerUsers,
  },
  {
    label: 'Audit log',
    href: '/audit-log',
    labelKey: 'tile.auditLog',
    descriptionKey: 'tile.auditLog.description',
    permission: 'users_admin',
    description: 'Who did what, and when.',
    visible: mayViewAuditLog,
  },
];

export function tilesFor(user: CurrentUser): Tile[] {
  return tiles
    .filter((t) => (t.visible ? t.visible(user) : can(user, t.permission)))
    .map((t) =>
      t.href === '/bookings' && !mayCancelSomeBookings(user)
        ? { ...t, description: listOnlyBookings, descriptionKey: 'tile.bookings.listOnly' as const }
        : t,
    );
}

export function homeRoutes() {
  const r = guardedRouter();
  r.get('/', 'authenticated', (req, res) => {
    res.render('home/index', { title: req.t('home.title'), tiles: tilesFor(req.user!) });
  });
  return r;
}
