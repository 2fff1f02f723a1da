import type { Knex } from 'knex';

/** Users, their named permissions, and (when all_institutions is false) their institutions. */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('users', (t) => {
    t.increments('id');
    t.string('username', 64).notNullable().unique();
    t.string('display_name', 200).notNullable();
    t.string('password_hash', 255).notNullable();
    t.integer('partner_id').nullable().references('id').inTable('partners');
    t.boolean('active').notNullable().defaultTo(true);
    t.boolean('all_institutions').notNullable().defaultTo(true);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
  });
  await db.schema.createTable('user_permissions', (t) => {
    t.integer('user_id').notNullable().references('id').inTable('users');
    t.string('permission', 40).notNullable();
    t.primary(['user_id', 'permission']);
  });
  await db.schema.createTable('user_institutions', (t) => {
    t.integer('user_id').notNullable().references('id').inTable('users');
    t.integer('institution_id').notNullable().references('id').inTable('institutions');
    t.primary(['user_id', 'institution_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('user_institutions');
  await db.schema.dropTable('user_permissions');
  await db.schema.dropTable('users');
}
