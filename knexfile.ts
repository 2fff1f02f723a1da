import { loadConfig } from './src/config';
import { migrationSource } from './migrations';

const config = loadConfig();

export default {
  client: 'better-sqlite3',
  connection: { filename: config.databaseFile },
  useNullAsDefault: true,
  migrations: { migrationSource },
};
