// Plans demo months for a bulk load on a worker thread: the main thread asks
// for a month by its index and gets its rows ready for COPY.
import { parentPort, workerData } from 'node:worker_threads';
import { createVault } from '../../platform/vault.ts';
import type { PublishedVersion } from '../surveys/queries.ts';
import { type Plan, planBulkMonth } from './generate.ts';

const { plan, versions, secretKey } = workerData as {
  plan: Plan;
  versions: Map<string, PublishedVersion | undefined>;
  secretKey: string;
};
const vault = createVault(secretKey);
const port = parentPort;
if (!port) throw new Error('bulk-worker runs as a worker thread');

port.on('message', async (mi: number) => {
  const m = await planBulkMonth(plan, versions, vault, mi);
  // The row buffers move to the main thread instead of being copied.
  const parts = [m.eventRows, m.responseRows, m.answerRows, m.rollupRows];
  port.postMessage(
    m,
    parts.map((b) => b.buffer as ArrayBuffer),
  );
});
