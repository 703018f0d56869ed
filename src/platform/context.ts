import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Database, Db } from '../db/index.ts';
import type { Dispatcher } from '../modules/sms/dispatcher.ts';
import type { Jobs } from './jobs.ts';
import type { Vault } from './vault.ts';

/** The platform's notion of now: tests move it to check what depends on time passing. */
export type Clock = { now(): Date };

/** What route modules and commands get: built once at start. */
export type AppContext = {
  config: Config;
  database: Database;
  db: Db;
  vault: Vault;
  jobs: Jobs;
  log: Logger;
  clock: Clock;
  /** sends queued SMS; present in processes that run workers */
  sms?: Dispatcher;
};
