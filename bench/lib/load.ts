// GET load from this process with autocannon, with exact latency percentiles
// (autocannon's own summary has no p95), and a bare Fastify process to compare with.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { freePort, root } from './server.ts';

export type GetLoad = {
  /** 200 answers per second */
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  requests: number;
  /** answers other than 200, connection errors and timeouts */
  failed: number;
  firstFailure?: string;
};

/** The q-quantile of sorted samples (nearest rank). */
export function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

/** GETs `url` from `connections` connections for `seconds`; every answer is timed. */
export function loadGet(url: string, headers: Record<string, string>, connections: number, seconds: number): Promise<GetLoad> {
  const times: number[] = [];
  let notOk = 0;
  let firstFailure: string | undefined;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        // A slow answer is a figure, not a failure: only a hung server times out.
        timeout: 60,
        headers,
        requests: [
          {
            method: 'GET',
            onResponse: (status: number, body: string) => {
              if (status !== 200) firstFailure ??= `${status} ${body.slice(0, 300)}`;
            },
          },
        ],
      },
      (err: unknown, r: autocannon.Result) => {
        if (err) return reject(err);
        times.sort((a, b) => a - b);
        resolve({
          perSecond: (times.length - notOk) / r.duration,
          p50: quantile(times, 0.5),
          p95: quantile(times, 0.95),
          p99: quantile(times, 0.99),
          requests: times.length,
          failed: notOk + r.errors + r.timeouts,
          firstFailure: firstFailure ?? (r.errors || r.timeouts ? `${r.errors} errors, ${r.timeouts} timeouts` : undefined),
        });
      },
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      times.push(ms);
      if (status !== 200) notOk++;
    });
  });
}

/** A bare Fastify process answering GET /bare with `body` (parsed, so it is serialized per request like a real answer). */
export async function startBareFastify(body: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'mscore-bench-bare-'));
  const file = path.join(dir, 'body.json');
  writeFileSync(file, body);
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const body = JSON.parse(require('node:fs').readFileSync(${JSON.stringify(file)}, 'utf8'));
       const app = require('fastify')();
       app.get('/bare', async () => body);
       app.listen({ port: ${port}, host: '127.0.0.1' });`,
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const url = `http://127.0.0.1:${port}/bare`;
  const stop = () =>
    new Promise<void>((resolve) => {
      rmSync(dir, { recursive: true, force: true });
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  for (let t0 = Date.now(); ; ) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error('bare Fastify exited');
    }
    if (Date.now() - t0 > 30_000) {
      await stop();
      throw new Error('bare Fastify did not start in 30 s');
    }
    try {
      if ((await fetch(url)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, pid: child.pid as number, stop };
}
