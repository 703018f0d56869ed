// The development gateway: sends nothing, takes every message at once and
// reports it delivered, so the console's message log shows what would have
// gone out. Replies are typed into the console instead (recorder only).
import { randomUUID } from 'node:crypto';
import type { GatewayHandlers, SmsGateway } from '../gateway.ts';

export function recorderGateway(): SmsGateway {
  let handlers: GatewayHandlers | undefined;
  return {
    kind: 'recorder',
    window: 50,
    async start(h) {
      handlers = h;
      h.onState?.({ up: true });
    },
    async send() {
      const gatewayMessageId = `rec-${randomUUID()}`;
      const h = handlers;
      // After the send is recorded, like a real network's receipt.
      setTimeout(() => {
        h?.onDeliveryReport({ gatewayMessageId, state: 'delivered', at: new Date(), raw: 'recorder' }).catch(() => {});
      }, 200).unref();
      return { gatewayMessageIds: [gatewayMessageId] };
    },
    async stop() {
      handlers = undefined;
    },
  };
}
