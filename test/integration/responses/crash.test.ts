// A response is acknowledged only after it is committed: kill the server
// process in the middle of a load of submissions, start it again, and every
// acknowledged id is there, with the counts still equal to the raw answers.
import { type ChildProcess, execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ADMIN_PASSWORD, Client, freePort, freshDatabase, type TestDb } from '../../support/platform.ts';
import { ROOT, serverEnv, startServerProcess } from '../../support/server-process.ts';

const children: ChildProcess[] = [];
let db: TestDb | undefined;

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await db?.drop();
});

it('every acknowledged response survives a killed server', { timeout: 240_000 }, async () => {
  db = await freshDatabase();
  const port = await freePort();
  const first = await startServerProcess(db, port, children);
  const base = `http://127.0.0.1:${port}`;
  const admin = new Client(base);
  expect((await admin.login('admin', ADMIN_PASSWORD)).status).toBe(200);

  const acknowledged: string[] = [];
  let stop = false;
  const worker = async () => {
    while (!stop) {
      const id = randomUUID();
      try {
        const r = await admin.post('/api/v1/responses', {
          id,
          instrument: 'KIOSK_QUICK',
          channel: 'kiosk',
          unit: 'QT-DH-MC',
          submittedAt: new Date().toISOString(),
          answers: { OVERALL: 1 + (acknowledged.length % 4) },
        });
        if (r.status === 201 || r.status === 200) acknowledged.push(id);
      } catch {
        return; // the connection died with the server
      }
    }
  };
  const load = Promise.all(Array.from({ length: 16 }, worker));
  const t0 = Date.now();
  while (acknowledged.length < 150 && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 20));
  first.kill('SIGKILL');
  await new Promise((r) => first.once('exit', r));
  stop = true;
  await load;
  expect(acknowledged.length).toBeGreaterThanOrEqual(150);

  await startServerProcess(db, port, children);
  const again = new Client(base);
  expect((await again.login('admin', ADMIN_PASSWORD)).status).toBe(200);
  const missing: string[] = [];
  for (const id of acknowledged) if ((await again.get(`/api/v1/responses/${id}`)).status !== 200) missing.push(id);
  expect(missing).toEqual([]);

  // The counts folded from deltas still equal the raw answers after the crash.
  const check = await new Promise<{ code: number; out: string }>((resolve) =>
    execFile(
      path.join(ROOT, 'bin/mscore'),
      ['rollups', 'check'],
      { cwd: ROOT, env: serverEnv(db as TestDb, port) },
      (e, out, err) => resolve({ code: e ? Number(e.code ?? 1) : 0, out: String(out) + String(err) }),
    ),
  );
  expect(check.out).toMatch(/ 0 differences/);
  expect(check.code).toBe(0);
});
