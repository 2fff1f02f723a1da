import { guardedRouter } from '../lib/router';
import { can, mayCancelSomeBookings, type CurrentUser, type Permission } from '../lib/permissions';

export type Tile = { label: string; href: string; permission: Permission; description: string };

/** Bookings are cancelled by those who may book (see bookings.service mayCancel); others only list. */
const listOnlyBookings = 'List and filter bookings.';

/** The administration home page: one tile per function the user may use, nothing else. */
export const tiles: readonly Tile[] = [
  {
    label: 'Book to partner',
    href: '/partner-booking',
    permission: 'partner_booking',
    description: 'Record an appointment on behalf of a partner.',
  },
  {
    label: 'Calendar',
    href: '/booking',
    permission: 'booking',
    description: 'Book patients into the doctors\u2019 calendars.',
  },
  {
    label: 'Bookings',
    href: '/bookings',
    permission: 'bookings_view',
    description: 'List, filter and cancel bookings.',
  },
  {
    label: 'Patients',
    href: '/patients',
    permission: 'patients',
    description: 'Search and manage patient records.',
  },
  {
    label: 'Statistics',
    href: '/statistics',
    permission: 'statistics',
    description: 'Traffic statistics and partner commission.',
  },
  {
    label: 'Traffic channels',
    href: '/settings/traffic-channels',
    permission: 'settings',
    description: 'Which services each channel and partner may book.',
  },
  {
    label: 'Settings',
    href: '/settings',
    permission: 'settings',
    description: 'Institutions, doctors, services, partners, schedules.',
  },
  {
    label: 'Admin users',
    href: '/admin/users',
    permission: 'users_admin',
    description: 'Users, passwords and permissions.',
  },
];

export function tilesFor(user: CurrentUser): Tile[] {
  return tiles
    .filter((t) => can(user, t.permission))
    .map((t) =>
      t.href === '/bookings' && !mayCancelSomeBookings(user) ? { ...t, description: listOnlyBookings } : t,
    );
}

export function homeRoutes() {
  const r = guardedRouter();
  r.get('/', 'authenticated', (req, res) => {
    res.render('home/index', { title: 'Home', tiles: tilesFor(req.user!) });
  });
  return r;
}
