// The `mscore` command.

import { absolutizeArgs, OFFLINE_COMMANDS, runCommand } from './commands.ts';
import { loadConfigOrExit } from './config.ts';
import { readLock } from './db/datadir-lock.ts';

async function viaServer(port: number, token: string, argv: string[]) {
  const res = await fetch(`http://127.0.0.1:${port}/api/internal/cli`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-mscore-control': token },
    body: JSON.stringify({ argv }),
  });
  if (!res.ok) throw new Error(`the running server refused the command (HTTP ${res.status})`);
  return (await res.json()) as { code: number; stdout: string; stderr: string };
}

/** Exits only once the output is written: a pipe (`mscore import --json | jq`) would otherwise be cut short. */
async function finish(out: { code: number; stdout: string; stderr: string }): Promise<never> {
  await new Promise<void>((r) => process.stdout.write(out.stdout, () => r()));
  await new Promise<void>((r) => process.stderr.write(out.stderr, () => r()));
  process.exit(out.code);
}

async function main(argv: string[]) {
  const first = argv[0] ?? 'help';
  if (first === 'serve' || first === 'worker') {
    const { runServer } = await import('./main.ts');
    await runServer({ listen: first === 'serve' });
    return;
  }
  const config = loadConfigOrExit();
  const args = absolutizeArgs(argv, process.cwd());
  if (!config.databaseUrl && !OFFLINE_COMMANDS.has(first)) {
    const holder = readLock(config.dataDir);
    if (holder) {
      if (!holder.port || !holder.controlToken) {
        process.stderr.write(
          `The embedded database in ${config.dataDir} is open in process ${holder.pid}, which is not a running server; wait for it to finish or stop it.\n`,
        );
        process.exit(75);
      }
      const out = await viaServer(holder.port, holder.controlToken, args);
      await finish(out);
    }
  }
  if (OFFLINE_COMMANDS.has(first)) {
    const out = await runCommand({} as never, args);
    await finish(out);
  }
  const { startPlatform, createLogger } = await import('./main.ts');
  const log = createLogger({ logLevel: 'warn' });
  const { ctx, close } = await startPlatform({ ...config, jobs: false }, log, { listen: false, workers: false });
  const out = await runCommand(ctx, args);
  await close();
  await finish(out);
}

try {
  await main(process.argv.slice(2));
} catch (e) {
  // A person reads this: the message, not a stack trace.
  process.stderr.write(`mscore: ${(e as Error).message}\n`);
  process.exit((e as { code?: string }).code === 'datadir.busy' ? 75 : 1);
}
