// Plans demo months for a bulk load on a worker thread: the main thread asks
// for a month by its index and gets the events as CSV rows and the answers.
import { parentPort, workerData } from 'node:worker_threads';
import { createVault } from '../../platform/vault.ts';
import { bulkEventWriter, type Plan, type PlannedMonth, planMonth } from './generate.ts';

const { plan, secretKey } = workerData as { plan: Plan; secretKey: string };
const vault = createVault(secretKey);
const port = parentPort;
if (!port) throw new Error('bulk-worker runs as a worker thread');

port.on('message', async (mi: number) => {
  const eventCsv: string[] = [];
  const m = await planMonth(plan, mi, bulkEventWriter(vault, plan, eventCsv));
  const out: PlannedMonth = { mi, events: m.events, eventCsv, answers: m.answers };
  port.postMessage(out);
});
