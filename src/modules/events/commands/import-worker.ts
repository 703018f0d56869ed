// Makes an import's chunks on a worker thread (see prepare-import.ts): at most
// `ahead` chunks wait for the main thread, which asks for more as it writes.
import { parentPort, workerData } from 'node:worker_threads';
import { createVault } from '../../../platform/vault.ts';
import { ImportFileError } from '../import/index.ts';
import { type PrepareArgs, preparedChunks } from './prepare-import.ts';

const { secretKey, args, ahead } = workerData as { secretKey: string; args: PrepareArgs; ahead: number };
const port = parentPort;
if (!port) throw new Error('import-worker runs as a worker thread');

let credit = ahead;
let resume: (() => void) | undefined;
port.on('message', () => {
  credit++;
  resume?.();
});

try {
  for await (const chunk of preparedChunks(createVault(secretKey), args)) {
    while (credit <= 0)
      await new Promise<void>((r) => {
        resume = r;
      });
    credit--;
    port.postMessage({ type: 'chunk', chunk });
  }
  port.postMessage({ type: 'done' });
} catch (e) {
  const err = e as Error;
  port.postMessage({ type: 'error', code: e instanceof ImportFileError ? e.code : undefined, message: err.message });
}
port.close();
