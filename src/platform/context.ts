import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Database, Db } from '../db/index.ts';
import type { Jobs } from './jobs.ts';
import type { Vault } from './vault.ts';

/** What route modules and commands get: built once at start. */
export type AppContext = {
  config: Config;
  database: Database;
  db: Db;
  vault: Vault;
  jobs: Jobs;
  log: Logger;
};
