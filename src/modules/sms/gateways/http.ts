// The HTTP gateway in Kannel's style: messages go out through smsbox's
// sendsms interface, and Kannel calls us back for delivery reports (the
// dlr-url we pass with each message) and for incoming messages (the get-url
// of an sms-service, see kannelSmsService). Nothing stays connected: each
// send is one GET, the callbacks arrive at our HTTP routes.
import http from 'node:http';
import https from 'node:https';
import type { Logger } from 'pino';
import {
  type Accepted,
  type DeliveryReport,
  type DeliveryState,
  GatewayError,
  type GatewayHandlers,
  type InboundSms,
  type OutboundSms,
  type SmsGateway,
} from '../gateway.ts';

export type HttpGatewayConfig = {
  /** smsbox's sendsms, e.g. http://127.0.0.1:13013/cgi-bin/sendsms */
  sendUrl: string;
  username: string;
  password: string;
  /** sender when the message has none; Kannel's global-sender otherwise */
  from?: string;
  /** route over this smsc-id */
  smsc?: string;
  /** our public base for Kannel to call back, e.g. http://127.0.0.1:3000 */
  callbackBase: string;
  /** secret put in the callback URLs so nobody else can post reports */
  callbackToken: string;
  /** default 15 */
  timeoutSeconds?: number;
  /** requests at once, default 10 */
  window?: number;
};

export const HTTP_HOOKS_PATH = '/api/v1/sms/hooks/http';

/** Every delivery report Kannel has: delivered, failed, buffered, SMSC accepted, SMSC rejected. */
const DLR_MASK = 31;

const DLR_STATES: Record<number, DeliveryState> = {
  1: 'delivered',
  2: 'undeliverable',
  4: 'enroute', // buffered in the SMSC
  8: 'enroute', // the SMSC took it
  16: 'rejected',
};

// Kannel replaces %x in dlr-url and get-url and turns '%%' into '%', so our
// own values are percent-encoded with the '%' doubled.
function literal(s: string): string {
  return encodeURIComponent(s).replaceAll('%', '%%');
}

function hooks(callbackBase: string): string {
  return `${callbackBase.replace(/\/+$/, '')}${HTTP_HOOKS_PATH}`;
}

/**
 * The dlr-url sent with a message. Kannel fills in: %d the report type
 * (1 delivered, 2 failed, 4 buffered, 8 SMSC accepted, 16 SMSC rejected),
 * %F the SMSC's message id, %T the report time (unix seconds), %A the
 * report text (an SMPP receipt "id:… stat:DELIVRD err:000 …", or "ACK/"
 * and "NACK/<code>/<text>" for the SMSC's answer). A message Kannel split
 * gets reports for each part, all with our id.
 */
export function kannelDlrUrl(callbackBase: string, token: string, messageId: string): string {
  return `${hooks(callbackBase)}/dlr?token=${literal(token)}&id=${literal(messageId)}&type=%d&smsc_id=%F&ts=%T&reply=%A`;
}

/**
 * The get-url of the sms-service that passes incoming messages to us:
 *
 *   <callbackBase>/api/v1/sms/hooks/http/incoming?token=<token>&from=%p&to=%P&text=%b&coding=%c&charset=%C&ts=%T&id=%I
 *
 * %p sender, %P our number, %b the whole text URL-encoded (%a would join the
 * words with single spaces), %c/%C its coding and charset, %T receive time
 * (unix seconds), %I Kannel's message id (for dropping repeats). Text that
 * arrives as UCS-2 (all Vietnamese with diacritics) is only UTF-8 here when
 * the smsbox group has `mo-recode = true`; parseHttpInbound refuses it otherwise.
 * The service needs `max-messages = 0` so Kannel sends no reply SMS.
 */
export function kannelSmsService(callbackBase: string, token: string): string {
  return `${hooks(callbackBase)}/incoming?token=${literal(token)}&from=%p&to=%P&text=%b&coding=%c&charset=%C&ts=%T&id=%I`;
}

type Query = Record<string, string | undefined>;

function unixTime(ts: string | undefined): Date | undefined {
  if (!ts || !/^\d+$/.test(ts)) return undefined;
  const d = new Date(Number(ts) * 1000);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function number(s: string): string {
  return s.trim().replace(/^\+/, '');
}

/** A delivery report from Kannel's dlr-url (see kannelDlrUrl). */
export function parseHttpDlr(q: Query): DeliveryReport {
  if (!q.type || !/^\d+$/.test(q.type)) throw new Error(`Kannel delivery report without a numeric type: ${q.type ?? '(none)'}`);
  if (!q.id && !q.smsc_id) throw new Error('Kannel delivery report carries neither our id nor the SMSC id');
  const raw = q.reply ?? '';
  // SMPP receipts say "err:000" when all is well; Kannel's own NACK is "NACK/<code>/<text>".
  const err = /\berr:(\w+)/i.exec(raw)?.[1] ?? /^NACK\/([^/]+)/.exec(raw)?.[1];
  return {
    messageId: q.id || undefined,
    gatewayMessageId: q.smsc_id || undefined,
    state: DLR_STATES[Number(q.type)] ?? 'unknown',
    at: unixTime(q.ts) ?? new Date(),
    ...(err && !/^0+$/.test(err) ? { error: err } : {}),
    raw,
  };
}

/** An incoming message from the sms-service get-url (see kannelSmsService). */
export function parseHttpInbound(q: Query): InboundSms {
  const from = q.from === undefined ? '' : number(q.from);
  if (!from) throw new Error('Kannel incoming message without a sender (from=%p)');
  if (q.text === undefined) throw new Error('Kannel incoming message without text (text=%b)');
  const charset = q.charset?.toUpperCase();
  if ((charset && charset !== 'UTF-8') || q.coding === '1' || q.coding === '2') {
    throw new Error(
      `Kannel passed the text as ${q.charset || `coding ${q.coding}`}, not UTF-8: set mo-recode = true in the smsbox group`,
    );
  }
  return {
    from,
    to: number(q.to ?? ''),
    text: q.text,
    receivedAt: unixTime(q.ts) ?? new Date(),
    ...(q.id ? { gatewayRef: q.id } : {}),
  };
}

type Reply = { status: number; body: string };

export function httpGateway(config: HttpGatewayConfig, log?: Pick<Logger, 'info' | 'warn'>): SmsGateway {
  const window = config.window ?? 10;
  const timeoutMs = (config.timeoutSeconds ?? 15) * 1000;
  const sendUrl = new URL(config.sendUrl);
  const transport = sendUrl.protocol === 'https:' ? https : http;

  let handlers: GatewayHandlers | undefined;
  let up: boolean | undefined;
  let stopped = false;
  let active = 0;
  const waiting: Array<{ go(): void; fail(e: GatewayError): void }> = [];
  const inFlight = new Set<(e: GatewayError) => void>();

  function setState(next: boolean, error?: string) {
    if (next === up) return;
    up = next;
    if (next) log?.info('sms gateway http: Kannel answers');
    else log?.warn({ error }, 'sms gateway http: Kannel is not reachable');
    handlers?.onState?.(error ? { up: next, error } : { up: next });
  }

  async function acquire(): Promise<void> {
    if (active < window) {
      active++;
      return;
    }
    await new Promise<void>((go, fail) => waiting.push({ go, fail }));
  }

  function release() {
    const next = waiting.shift();
    if (next) next.go();
    else active--;
  }

  // One GET. Failing before the connection stood means Kannel never saw the
  // message (retryable); failing after means it may have taken it (uncertain).
  function get(params: URLSearchParams, limitMs: number): Promise<Reply> {
    const url = new URL(sendUrl);
    for (const [k, v] of params) url.searchParams.append(k, v);
    return new Promise<Reply>((resolve, reject) => {
      // Once connected the GET goes out at once: from then on count it as sent.
      let sent = false;
      let done = false;
      const finish = (e: GatewayError | null, r?: Reply) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        inFlight.delete(abort);
        if (e) {
          req.destroy();
          reject(e);
        } else resolve(r!);
      };
      const lost = (what: string) =>
        sent
          ? new GatewayError('http.uncertain', `${what} after the message went to Kannel; it may have been taken`, false, true)
          : new GatewayError('http.unreachable', `${what} before the message reached Kannel`, true);
      const abort = (e: GatewayError) => finish(sent ? lost(e.message) : e);
      const req = transport.request(url, { method: 'GET', agent: false, headers: { accept: 'text/plain' } });
      const timer = setTimeout(() => finish(lost(`timed out after ${limitMs / 1000} s`)), limitMs);
      inFlight.add(abort);
      req.on('socket', (s) => {
        if (!s.connecting) sent = true;
        else s.once('connect', () => (sent = true));
      });
      req.on('error', (e: NodeJS.ErrnoException) => finish(lost(`${e.code ?? 'error'}: ${e.message}`)));
      req.on('response', (res) => {
        sent = true;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= 64 * 1024) chunks.push(c);
        });
        res.on('end', () => finish(null, { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').trim() }));
        res.on('error', (e) => finish(lost(`answer broken off: ${e.message}`)));
      });
      req.end();
    });
  }

  function credentials(): URLSearchParams {
    return new URLSearchParams({ username: config.username, password: config.password });
  }

  return {
    kind: 'http',
    window,

    async start(h) {
      handlers = h;
      stopped = false;
      up = undefined;
      // Credentials without a receiver: Kannel answers 400 "Missing receiver
      // number" when it is up and takes them, 403 when it refuses them.
      try {
        const r = await get(credentials(), Math.min(timeoutMs, 5000));
        if (r.status === 401 || r.status === 403) setState(false, `Kannel refused our credentials: ${r.status} ${r.body}`);
        else setState(true);
      } catch (e) {
        setState(false, (e as Error).message);
      }
    },

    async send(m: OutboundSms): Promise<Accepted> {
      if (stopped) throw new GatewayError('http.stopped', 'the HTTP gateway is stopped', true);
      await acquire();
      try {
        if (stopped) throw new GatewayError('http.stopped', 'the HTTP gateway is stopped', true);
        const q = credentials();
        q.set('to', m.to);
        const from = m.from ?? config.from;
        if (from) q.set('from', from);
        q.set('text', m.text);
        // Kannel converts from the charset to GSM 03.38 or UCS-2 and splits long text itself.
        q.set('coding', m.encoding === 'ucs2' ? '2' : '0');
        q.set('charset', 'UTF-8');
        q.set('dlr-mask', String(DLR_MASK));
        q.set('dlr-url', kannelDlrUrl(config.callbackBase, config.callbackToken, m.id));
        if (config.smsc) q.set('smsc', config.smsc);
        let r: Reply;
        try {
          r = await get(q, timeoutMs);
        } catch (e) {
          if (e instanceof GatewayError && e.code === 'http.unreachable') setState(false, e.message);
          throw e;
        }
        const text = r.body.slice(0, 300);
        if (r.status >= 200 && r.status < 300) {
          setState(true);
          // "0: Accepted for delivery", "3: Queued for later delivery"
          if (!/^[03]:/.test(r.body))
            log?.warn({ status: r.status, answer: text }, 'sms gateway http: unexpected sendsms answer');
          return { gatewayMessageIds: [] };
        }
        if (r.status === 401 || r.status === 403) setState(false, `Kannel refused our credentials: ${text}`);
        else setState(true);
        if (r.status === 408 || r.status === 429 || r.status >= 500) {
          throw new GatewayError('http.unavailable', `Kannel cannot take the message now (${r.status}): ${text}`, true);
        }
        throw new GatewayError('http.rejected', `Kannel refused the message (${r.status}): ${text}`, false);
      } finally {
        release();
      }
    },

    async stop() {
      stopped = true;
      const gone = new GatewayError('http.stopped', 'the HTTP gateway stopped', true);
      for (const w of waiting.splice(0)) w.fail(gone);
      for (const abort of [...inFlight]) abort(gone);
      handlers = undefined;
    },
  };
}
