import { openDb, migrate } from '../src/lib/db';
import { FixedClock } from '../src/lib/clock';
import { seedDemo } from '../seeds/demo';
import { loadConfig } from '../src/config';

describe('demo seed', () => {
  it('makes every booking and the cancellation through the services, with an actor and audit entries', async () => {
    const db = openDb(':memory:');
    try {
      await migrate(db);
      await seedDemo(db, new FixedClock(new Date(Date.now() + 3_600_000)));
      const bookings = await db('bookings').select(
        'id',
        'status',
        'created_by_user_id',
        'cancelled_by_user_id',
      );
      expect(bookings.length).toBeGreaterThanOrEqual(4);
      const audits = await db('audit_log').select('action', 'actor_user_id', 'entity_id');
      for (const b of bookings) {
        expect(b.created_by_user_id).toEqual(expect.any(Number));
        const created = audits.find((a) => a.action === 'booking.created' && a.entity_id === b.id);
        expect(created?.actor_user_id).toBe(b.created_by_user_id);
      }
      const cancelled = bookings.filter((b) => b.status === 'cancelled');
      expect(cancelled).toHaveLength(1);
      const entry = audits.find((a) => a.action === 'booking.cancelled' && a.entity_id === cancelled[0].id);
      expect(entry?.actor_user_id).toBe(cancelled[0].cancelled_by_user_id);
    } finally {
      await db.destroy();
    }
  });
});

describe('config.demo', () => {
  it('is on in development, off in production, and DEMO=1 or DEMO=0 decides', () => {
    const base = { DATABASE_FILE: ':memory:' };
    expect(loadConfig({ ...base }).demo).toBe(true);
    expect(loadConfig({ ...base, NODE_ENV: 'production' }).demo).toBe(false);
    expect(loadConfig({ ...base, NODE_ENV: 'production', DEMO: '1' }).demo).toBe(true);
    expect(loadConfig({ ...base, DEMO: '0' }).demo).toBe(false);
  });
});
