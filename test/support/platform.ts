// Starts a real platform (database, migrations, jobs, HTTP server on a free
// port) for a test file: embedded PGlite in a temporary directory, or a fresh
// database on the PostgreSQL server named by TEST_DATABASE_URL.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import pino from 'pino';
import { type Config, loadConfig } from '../../src/config.ts';
import { startPlatform } from '../../src/main.ts';

export const ADMIN_PASSWORD = 'quang-tri-admin-2014';
export const SECRET = 'test-secret-key-that-is-long-enough-0123456789';

export type TestDb = { url?: string; dataDir: string; drop(): Promise<void> };

/** A fresh, empty database of the kind the run is testing. */
export async function freshDatabase(): Promise<TestDb> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mscore-test-'));
  const base = process.env.TEST_DATABASE_URL;
  if (!base) return { dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  const name = `mscore_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dataDir,
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const backend = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

/** A TCP port on 127.0.0.1 that was free a moment ago, for a server process a test starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

export type TestPlatform = Awaited<ReturnType<typeof startTestPlatform>>;

export async function startTestPlatform(overrides: Partial<Config> = {}, env: Record<string, string> = {}) {
  const tdb = await freshDatabase();
  const config: Config = {
    ...loadConfig({
      MSCORE_DATA_DIR: tdb.dataDir,
      MSCORE_SECRET_KEY: SECRET,
      MSCORE_ADMIN_PASSWORD: ADMIN_PASSWORD,
      MSCORE_DEMO_MONTHS: '0',
      PORT: '0',
      HOST: '127.0.0.1',
      ...(tdb.url ? { DATABASE_URL: tdb.url } : {}),
      ...env,
    }),
    ...overrides,
  };
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(String(chunk));
      cb();
    },
  });
  const log = pino({ level: 'info', redact: ['req.headers.authorization', 'req.headers.cookie'] }, sink);
  const p = await startPlatform(config, log, {});
  const address = p.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    ...p,
    config,
    baseUrl,
    logLines,
    tdb,
    client: () => new Client(baseUrl),
    async admin() {
      const c = new Client(baseUrl);
      await c.login('admin', ADMIN_PASSWORD);
      return c;
    },
    async stop() {
      await p.close();
      await tdb.drop();
    },
  };
}

export type Res<T = unknown> = { status: number; headers: Headers; body: T; text: string };

/** A small HTTP client that keeps the session cookie and sends the anti-forgery token. */
export class Client {
  readonly baseUrl: string;
  cookie: string | undefined;
  csrf: string | undefined;
  bearer: string | undefined;
  headers: Record<string, string> = {};
  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  async request<T = any>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res<T>> {
    const h: Record<string, string> = { ...this.headers, ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    if (this.csrf && method !== 'GET' && !('x-csrf-token' in h)) h['x-csrf-token'] = this.csrf;
    let payload: string | FormData | Uint8Array | undefined;
    if (body instanceof FormData)
      payload = body; // fetch sets the multipart boundary
    else if (body instanceof Uint8Array)
      payload = body; // raw bytes (uploads); the caller sets the type
    else if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      h['content-type'] ??= typeof body === 'string' ? 'text/csv' : 'application/json';
    }
    const res = await fetch(this.baseUrl + url, { method, headers: h, body: payload });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const m = /(?:^|,\s*)((?:__Host-)?mscore_session)=([^;]*)/.exec(setCookie);
      if (m) this.cookie = m[2] ? `${m[1]}=${m[2]}` : undefined;
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {}
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }
  get<T = any>(url: string, headers?: Record<string, string>) {
    return this.request<T>('GET', url, undefined, headers);
  }
  post<T = any>(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', url, body, headers);
  }
  patch<T = any>(url: string, body?: unknown) {
    return this.request<T>('PATCH', url, body);
  }
  put<T = any>(url: string, body?: unknown) {
    return this.request<T>('PUT', url, body);
  }
  delete<T = any>(url: string) {
    return this.request<T>('DELETE', url);
  }

  async login(username: string, password: string, headers: Record<string, string> = {}) {
    const r = await this.post('/api/v1/auth/login', { username, password }, headers);
    if (r.status === 200) this.csrf = r.body.csrfToken;
    return r;
  }
}

/** Creates a user with one grant through the API and returns a logged-in client. */
export async function userWithRole(
  tp: { baseUrl: string },
  admin: Client,
  username: string,
  role: string,
  unitCode: string | null,
): Promise<{ client: Client; id: string; password: string }> {
  const password = `pw-${username}-${randomBytes(4).toString('hex')}`;
  const u = await admin.post('/api/v1/users', { username, displayName: username, password });
  if (u.status !== 201) throw new Error(`create user ${username}: ${u.status} ${u.text}`);
  const g = await admin.post(`/api/v1/users/${u.body.id}/grants`, { role, unitCode });
  if (g.status !== 201) throw new Error(`grant ${role}: ${g.status} ${g.text}`);
  const client = new Client(tp.baseUrl);
  const l = await client.login(username, password);
  if (l.status !== 200) throw new Error(`login ${username}: ${l.status} ${l.text}`);
  return { client, id: u.body.id, password };
}
