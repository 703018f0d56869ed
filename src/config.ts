// Environment -> typed, validated configuration. Every problem is reported at
// once, with the variable's name, so a bad deployment fails before it listens.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'].includes(v), {
    message: 'must be one of on/off, true/false, yes/no, 1/0',
  })
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('localhost'),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  MSCORE_DATA_DIR: z.string().min(1).default('./data'),
  MSCORE_SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  MSCORE_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  MSCORE_DEMO: bool.default(true),
  MSCORE_DEMO_MONTHS: z.coerce.number().int().min(0).max(120).default(24),
  MSCORE_TENANT_CODE: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, - and _ only')
    .default('QT'),
  MSCORE_TENANT_NAME: z.string().min(1).default('Tỉnh Quảng Trị'),
  MSCORE_TIME_ZONE: z.string().default('Asia/Ho_Chi_Minh'),
  MSCORE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MSCORE_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(30),
  MSCORE_SESSION_MAX_HOURS: z.coerce.number().int().min(1).default(12),
  MSCORE_TRUST_PROXY: bool.default(false),
  MSCORE_JOBS: bool.default(true),
  MSCORE_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  secretKey: string;
  adminPassword: string | undefined;
  demo: boolean;
  /** months of demo history loaded at the first start when demo is on (0: the unit tree only) */
  demoMonths: number;
  tenantCode: string;
  tenantName: string;
  timeZone: string;
  logLevel: z.infer<typeof envSchema>['MSCORE_LOG_LEVEL'];
  sessionIdleMs: number;
  sessionMaxMs: number;
  trustProxy: boolean;
  jobs: boolean;
  /** address citizens reach (QR posters, survey links); default: the address of the request */
  publicUrl: string | undefined;
};

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

/** Reads the secret from the data directory, or writes a new one (0600) on first start. */
function embeddedSecret(dataDir: string): string {
  const file = path.join(dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return secret;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  // The checks below read the raw values too, so every problem is listed in one go.
  const timeZone = String(cleaned.MSCORE_TIME_ZONE ?? 'Asia/Ho_Chi_Minh');
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    problems.push(`MSCORE_TIME_ZONE: unknown time zone "${timeZone}"`);
  }
  if (cleaned.DATABASE_URL && !cleaned.MSCORE_SECRET_KEY) {
    problems.push(
      'MSCORE_SECRET_KEY: required with DATABASE_URL (a string of at least 32 characters; keep it outside the database and back it up: without it encrypted personal data cannot be read)',
    );
  }
  if (problems.length || !parsed.success) throw new ConfigError(problems);
  const e = parsed.data;
  const dataDir = path.resolve(e.MSCORE_DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir,
    secretKey: e.MSCORE_SECRET_KEY ?? embeddedSecret(dataDir),
    adminPassword: e.MSCORE_ADMIN_PASSWORD,
    demo: e.MSCORE_DEMO,
    demoMonths: e.MSCORE_DEMO_MONTHS,
    tenantCode: e.MSCORE_TENANT_CODE,
    tenantName: e.MSCORE_TENANT_NAME,
    timeZone: e.MSCORE_TIME_ZONE,
    logLevel: e.MSCORE_LOG_LEVEL,
    sessionIdleMs: e.MSCORE_SESSION_IDLE_MINUTES * 60_000,
    sessionMaxMs: e.MSCORE_SESSION_MAX_HOURS * 3_600_000,
    trustProxy: e.MSCORE_TRUST_PROXY,
    jobs: e.MSCORE_JOBS,
    publicUrl: e.MSCORE_PUBLIC_URL?.replace(/\/+$/, ''),
  };
}

/** For commands and the server: a bad environment is a message and exit code 78 (EX_CONFIG), not a stack trace. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(78);
    }
    throw e;
  }
}
