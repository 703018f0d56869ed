// One interface for every way an SMS leaves and comes back: an SMPP 3.4
// connection to the aggregator, an HTTP gateway in Kannel's style, and the
// development recorder. The dispatcher only knows this interface.

/** A message handed to a gateway. `id` is ours (sms_messages.id) and is unique. */
export type OutboundSms = {
  id: string;
  /** international digits without '+', e.g. 84912345678 */
  to: string;
  /** brandname, short code or long number; the gateway's default when absent */
  from?: string;
  text: string;
  /** gsm7 for unaccented text (160/153 per part), ucs2 otherwise (70/67) */
  encoding: 'gsm7' | 'ucs2';
};

/**
 * The gateway took the message. Its ids come back in delivery reports: one per
 * part for a long message over SMPP, none for Kannel (its reports carry ours).
 */
export type Accepted = { gatewayMessageIds: string[] };

/** Final and intermediate states a delivery report can carry. */
export type DeliveryState = 'enroute' | 'delivered' | 'expired' | 'deleted' | 'undeliverable' | 'rejected' | 'unknown';

export type DeliveryReport = {
  /** the gateway's id of the message (SMPP receipted_message_id, Kannel's %F) */
  gatewayMessageId?: string;
  /** our id, when the gateway echoes it (Kannel's dlr-url carries it) */
  messageId?: string;
  state: DeliveryState;
  /** when the network says it happened; receive time when unknown */
  at: Date;
  /** network error code, when given */
  error?: string;
  /** the report as received, for the message log */
  raw: string;
};

export type InboundSms = {
  /** the sender, international digits without '+' */
  from: string;
  /** our short code or long number it was sent to */
  to: string;
  text: string;
  receivedAt: Date;
  /** an id the gateway gives the message, to drop a repeated delivery */
  gatewayRef?: string;
};

export type GatewayHandlers = {
  onDeliveryReport(r: DeliveryReport): Promise<void>;
  onInbound(m: InboundSms): Promise<void>;
  /** connected / lost, for the console's gateway state and the outage alert */
  onState?(s: { up: boolean; error?: string }): void;
};

/**
 * Why a send failed. `retryable`: the gateway certainly did not take it (not
 * connected, throttled, queue full), so it may be sent again later.
 * `uncertain`: it went out but no answer came (timeout, connection lost while
 * waiting): the gateway may have taken it, so it must not simply be resent.
 * Neither: refused for good (bad number, bad text).
 */
export class GatewayError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly uncertain: boolean;
  constructor(code: string, message: string, retryable: boolean, uncertain = false) {
    super(message);
    this.name = 'GatewayError';
    this.code = code;
    this.retryable = retryable;
    this.uncertain = uncertain;
  }
}

export interface SmsGateway {
  readonly kind: 'recorder' | 'smpp' | 'http';
  /** messages sent at once without an answer (SMPP window) */
  readonly window: number;
  /** connects (SMPP binds as a transceiver) and starts passing reports and replies to the handlers */
  start(handlers: GatewayHandlers): Promise<void>;
  /** resolves when the gateway accepted the message; throws GatewayError otherwise */
  send(m: OutboundSms): Promise<Accepted>;
  /** unbinds / closes; pending sends fail with a retryable GatewayError */
  stop(): Promise<void>;
}
