// A local SMSC in its own process for the SMS benchmark (the npm smpp server,
// the same as the tests use); prints its port, answers at once, sends receipts.
import { startSmsc } from '../../test/support/smsc.ts';

const smsc = await startSmsc({ systemId: 'bench', password: 'bench', autoReceipt: 'DELIVRD', receiptDelayMs: 0 });
process.stdout.write(`${JSON.stringify({ port: smsc.port })}\n`);
process.on('SIGTERM', () => {
  smsc.close().finally(() => process.exit(0));
});
