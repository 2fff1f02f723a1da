import type { Knex } from 'knex';

const refusal = 'audit_log is append-only';

function isPostgres(db: Knex): boolean {
  return /^(pg|postgres|postgresql)$/.test(String(db.client.config.client));
}

/**
 * The audit log is append-only at the database, not only by convention: UPDATE and DELETE on
 * audit_log are refused, whoever sends them.
 */
export async function up(db: Knex): Promise<void> {
  if (isPostgres(db)) {
    await db.raw(`create or replace function audit_log_refuse_change() returns trigger as $$
      begin
        raise exception '${refusal}';
      end;
      $$ language plpgsql`);
    await db.raw(`create trigger audit_log_no_update before update or delete on audit_log
      for each row execute function audit_log_refuse_change()`);
    // TRUNCATE fires no row trigger; refuse it with a statement trigger.
    await db.raw(`create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function audit_log_refuse_change()`);
    return;
  }
  await db.raw(`create trigger audit_log_no_update before update on audit_log
    begin select raise(abort, '${refusal}'); end`);
  await db.raw(`create trigger audit_log_no_delete before delete on audit_log
    begin select raise(abort, '${refusal}'); end`);
}

export async function down(db: Knex): Promise<void> {
  if (isPostgres(db)) {
    await db.raw('drop trigger if exists audit_log_no_truncate on audit_log');
    await db.raw('drop trigger if exists audit_log_no_update on audit_log');
    await db.raw('drop function if exists audit_log_refuse_change()');
    return;
  }
  await db.raw('drop trigger if exists audit_log_no_update');
  await db.raw('drop trigger if exists audit_log_no_delete');
}
