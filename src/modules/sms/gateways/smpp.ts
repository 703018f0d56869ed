// SMPP 3.4 transceiver connection to the aggregator's SMSC.
//
// start() resolves on the first successful bind, and also when the SMSC cannot
// be reached at all: the dispatcher must be able to start while the aggregator
// is down, so the adapter reports onState({ up: false }) and keeps reconnecting
// in the background. Only a refused first bind (wrong credentials) rejects.
//
// Text: data_coding 0 is sent as the GSM 03.38 default alphabet, one septet per
// octet (what the `smpp` package and most SMSCs mean by it); data_coding 8 as
// UCS-2 big-endian. Long texts go out as concatenated parts (UDH IEI 0x00).
// Long replies are joined before onInbound. MO deliver_sm carries no id of its
// own, so inbound messages have no gatewayRef.
import { randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import smpp, { type PDU, type Session } from 'smpp';
import {
  type Accepted,
  type DeliveryReport,
  type DeliveryState,
  GatewayError,
  type GatewayHandlers,
  type OutboundSms,
  type SmsGateway,
} from '../gateway.ts';

export type SmppConfig = {
  host: string;
  port: number;
  systemId: string;
  password: string;
  systemType?: string;
  /** default sender when a message has no `from`: brandname, short code or long number */
  sourceAddr?: string;
  /** override the TON/NPI otherwise chosen from the sender's form */
  sourceTon?: number;
  sourceNpi?: number;
  /** submit_sm outstanding at once (default 10) */
  window?: number;
  enquireLinkSeconds?: number;
  responseTimeoutSeconds?: number;
  reconnectMaxSeconds?: number;
};

type Log = Pick<Logger, 'info' | 'warn' | 'error'>;

const quiet: Log = { info() {}, warn() {}, error() {} };

const ESME_RSYSERR = 0x08;
const ESME_RMSGQFUL = 0x14;
const ESME_RTHROTTLED = 0x58;
const ESME_RX_T_APPN = 0x64;
/** the SMSC certainly did not take the message and may take it later */
const TRANSIENT = new Set([ESME_RSYSERR, ESME_RMSGQFUL, ESME_RTHROTTLED]);

const statusNames = new Map(Object.entries(smpp.errors).map(([name, value]) => [value, name]));
function statusName(status: number): string {
  return statusNames.get(status) ?? `0x${status.toString(16).padStart(2, '0')}`;
}

/** Characters that take two septets (escape + code) in the GSM default alphabet. */
const GSM_EXTENSION = new Set('\f^{}\\[~]|€');
const GSM_CHARSET = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);

export type EncodedSms = { dataCoding: 0 | 8; parts: Buffer[] };

/**
 * Encodes a text into short_message bodies, each with its UDH when the text
 * needs more than one part. `ref` is the concatenation reference (0-255).
 */
export function encodeSms(text: string, encoding: 'gsm7' | 'ucs2', ref: number): EncodedSms {
  const chars = [...text];
  // A 'gsm7' text with a character outside the alphabet would lose it; UCS-2 keeps it.
  const gsm = encoding === 'gsm7' && chars.every((c) => GSM_CHARSET.has(c) || GSM_EXTENSION.has(c));
  const cost = (c: string) => (gsm ? (GSM_EXTENSION.has(c) ? 2 : 1) : c.length);
  const encode = (s: string) => (gsm ? smpp.gsmCoder.encode(s, 0) : Buffer.from(s, 'utf16le').swap16());
  const total = chars.reduce((n, c) => n + cost(c), 0);
  if (total <= (gsm ? 160 : 70)) return { dataCoding: gsm ? 0 : 8, parts: [encode(text)] };

  // Whole characters per part, so neither an escape pair nor a surrogate pair is cut.
  const per = gsm ? 153 : 67;
  const chunks: string[] = [];
  let chunk = '';
  let used = 0;
  for (const c of chars) {
    if (used + cost(c) > per) {
      chunks.push(chunk);
      chunk = '';
      used = 0;
    }
    chunk += c;
    used += cost(c);
  }
  chunks.push(chunk);
  if (chunks.length > 255) throw new GatewayError('smpp.too_long', `text needs ${chunks.length} parts (at most 255)`, false);
  const parts = chunks.map((s, i) => Buffer.concat([Buffer.from([5, 0, 3, ref, chunks.length, i + 1]), encode(s)]));
  return { dataCoding: gsm ? 0 : 8, parts };
}

/** TON/NPI for a sender: alphanumeric brandname 5/0, short code 3/0 (network specific), long number 1/1. */
function sourceAddress(addr: string, config: SmppConfig): { ton: number; npi: number; addr: string } {
  const digits = addr.replace(/^\+/, '');
  const [ton, npi] = !addr ? [0, 0] : !/^\d+$/.test(digits) ? [5, 0] : digits.length <= 8 ? [3, 0] : [1, 1];
  return { ton: config.sourceTon ?? ton, npi: config.sourceNpi ?? npi, addr: ton === 5 ? addr : digits };
}

const STATE_BY_TLV: Record<number, DeliveryState> = {
  0: 'enroute', // scheduled
  1: 'enroute',
  2: 'delivered',
  3: 'expired',
  4: 'deleted',
  5: 'undeliverable',
  6: 'enroute', // accepted
  7: 'unknown',
  8: 'rejected',
};
const STATE_BY_STAT: Record<string, DeliveryState> = {
  DELIVRD: 'delivered',
  EXPIRED: 'expired',
  DELETED: 'deleted',
  UNDELIV: 'undeliverable',
  REJECTD: 'rejected',
  ACCEPTD: 'enroute',
  ENROUTE: 'enroute',
  UNKNOWN: 'unknown',
};

/** The body of a short_message or message_payload as the package decoded it. */
function body(pdu: PDU): { text: string | Buffer; udh?: Buffer[] } {
  const sm = pdu.short_message;
  if (sm?.message?.length || !pdu.message_payload) return { text: sm?.message ?? '', udh: sm?.udh };
  return { text: pdu.message_payload.message ?? '', udh: pdu.message_payload.udh };
}

/**
 * The package decodes data_coding 0 and 1 alike as the GSM alphabet; its
 * encoder is the exact inverse for 7-bit octets, which gives the octets back
 * when they are meant as ASCII (IA5, and receipt texts).
 */
function asAscii(text: string | Buffer, dataCoding: number): string {
  if (Buffer.isBuffer(text)) return text.toString('latin1');
  return (dataCoding & 0x0f) <= 1 ? smpp.gsmCoder.encode(text, 0).toString('latin1') : text;
}

function messageText(pdu: PDU): { text: string; udh?: Buffer[] } {
  const { text, udh } = body(pdu);
  const dc = (pdu.data_coding ?? 0) & 0x0f;
  if (dc === 1) return { text: asAscii(text, dc), udh };
  return { text: Buffer.isBuffer(text) ? text.toString('latin1') : text, udh };
}

/** ref/total/seq of a concatenated part, from the UDH (8- or 16-bit reference) or the SAR TLVs. */
function concatInfo(pdu: PDU, udh?: Buffer[]): { ref: number; total: number; seq: number } | undefined {
  for (const ie of udh ?? []) {
    if (ie[0] === 0x00 && ie.length >= 5) return { ref: ie[2]!, total: ie[3]!, seq: ie[4]! };
    if (ie[0] === 0x08 && ie.length >= 6) return { ref: ie.readUInt16BE(2), total: ie[4]!, seq: ie[5]! };
  }
  if (typeof pdu.sar_msg_ref_num === 'number' && pdu.sar_total_segments && pdu.sar_segment_seqnum) {
    return { ref: pdu.sar_msg_ref_num, total: pdu.sar_total_segments, seq: pdu.sar_segment_seqnum };
  }
  return undefined;
}

function isReceipt(pdu: PDU): boolean {
  // 0x04 SMSC delivery receipt, 0x20 intermediate delivery notification
  return ((pdu.esm_class ?? 0) & 0x24) !== 0 || typeof pdu.receipted_message_id === 'string';
}

/** id:… sub:… dlvrd:… submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DELIVRD err:000 text:… */
export function parseReceipt(pdu: PDU, now = new Date()): DeliveryReport {
  const raw = asAscii(body(pdu).text, pdu.data_coding ?? 0);
  const field = (name: string) => raw.match(new RegExp(`(?:^|\\s)${name}:(\\S*)`, 'i'))?.[1];
  const stat = field('stat')?.toUpperCase();
  const state =
    (typeof pdu.message_state === 'number' ? STATE_BY_TLV[pdu.message_state] : undefined) ??
    (stat ? STATE_BY_STAT[stat] : undefined) ??
    'unknown';
  const done = raw.match(/done date:(\d{10})(\d{2})?/i);
  let at = now;
  if (done) {
    const [y, mo, d, h, mi] = done[1]!.match(/\d\d/g)!.map(Number) as [number, number, number, number, number];
    const t = new Date(Date.UTC(2000 + y, mo - 1, d, h, mi, Number(done[2] ?? 0)));
    if (!Number.isNaN(t.getTime()) && mo >= 1 && mo <= 12) at = t;
  }
  const id = (pdu.receipted_message_id as string | undefined) || field('id');
  const error = field('err');
  return {
    ...(id ? { gatewayMessageId: id } : {}),
    state,
    at,
    ...(error ? { error } : {}),
    raw: raw || `receipted_message_id:${id ?? ''} message_state:${pdu.message_state ?? ''}`,
  };
}

type Job = {
  body: Buffer;
  dataCoding: number;
  udh: boolean;
  to: string;
  source: { ton: number; npi: number; addr: string };
  resolve(id: string): void;
  reject(e: GatewayError): void;
};

type Outstanding = { job: Job; timer: NodeJS.Timeout };

type Connection = {
  session: Session;
  bound: boolean;
  /** bound at some point, for the log's wording */
  wasBound: boolean;
  dead: boolean;
  outstanding: Set<Outstanding>;
  timers: Set<NodeJS.Timeout>;
  enquire?: NodeJS.Timeout;
};

/** Parts of a long inbound message waiting for the rest. */
type Partial = { from: string; to: string; parts: (string | undefined)[]; since: number };
const PARTIAL_MAX_AGE_MS = 10 * 60_000;

export function smppGateway(config: SmppConfig, log: Log = quiet): SmsGateway {
  const window = config.window ?? 10;
  const enquireMs = (config.enquireLinkSeconds ?? 30) * 1000;
  const responseMs = (config.responseTimeoutSeconds ?? 30) * 1000;
  const reconnectMaxMs = (config.reconnectMaxSeconds ?? 30) * 1000;
  const where = { smsc: `${config.host}:${config.port}`, systemId: config.systemId };

  let handlers: GatewayHandlers | undefined;
  let conn: Connection | undefined;
  let stopping = false;
  let failures = 0;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let reportedUp: boolean | undefined;
  let starting: { resolve(): void; reject(e: Error): void } | undefined;
  let ref = randomInt(256);
  const queue: Job[] = [];
  const partials = new Map<string, Partial>();

  function report(up: boolean, error?: string) {
    if (reportedUp === up) return;
    reportedUp = up;
    try {
      handlers?.onState?.(error ? { up, error } : { up });
    } catch (e) {
      log.error({ err: e }, 'smpp: onState handler failed');
    }
  }

  function settleStart(error?: Error) {
    const s = starting;
    starting = undefined;
    if (s) error ? s.reject(error) : s.resolve();
  }

  function connect() {
    reconnectTimer = undefined;
    if (stopping) return;
    const session = smpp.connect({ host: config.host, port: config.port });
    // Small PDUs in a window: without this, Nagle holds each one until the previous is acknowledged.
    session.socket.setNoDelay(true);
    const c: Connection = { session, bound: false, wasBound: false, dead: false, outstanding: new Set(), timers: new Set() };
    conn = c;
    // Covers a host that never answers the TCP handshake as well as a silent bind.
    const bindTimer = setTimeout(() => lost(c, 'no answer to bind'), responseMs);
    c.timers.add(bindTimer);

    session.on('connect', () => {
      session.bind_transceiver(
        {
          system_id: config.systemId,
          password: config.password,
          system_type: config.systemType ?? '',
          interface_version: 0x34,
        },
        (resp) => {
          clearTimeout(bindTimer);
          c.timers.delete(bindTimer);
          if (c.dead) return;
          if (resp.command_status !== 0) return bindRefused(c, resp.command_status);
          c.bound = true;
          c.wasBound = true;
          failures = 0;
          log.info(where, 'smpp: bound');
          c.enquire = setInterval(() => enquireLink(c), enquireMs);
          report(true);
          settleStart();
          pump();
        },
      );
    });
    session.on('pdu', (pdu: PDU) => onPdu(c, pdu));
    session.on('error', (e: Error) => lost(c, e.message));
    session.on('close', () => lost(c, 'connection closed'));
  }

  function bindRefused(c: Connection, status: number) {
    const name = statusName(status);
    if (starting) {
      // Wrong credentials will not fix themselves: fail the start, do not retry.
      log.error({ ...where, status: name }, 'smpp: bind refused');
      stopping = true;
      lost(c, `bind refused: ${name}`);
      settleStart(new GatewayError('smpp.bind_refused', `SMSC ${where.smsc} refused the bind: ${name}`, false));
      return;
    }
    log.error({ ...where, status: name }, 'smpp: bind refused, retrying');
    lost(c, `bind refused: ${name}`);
  }

  function enquireLink(c: Connection) {
    const timer = setTimeout(() => lost(c, 'no answer to enquire_link'), responseMs);
    c.timers.add(timer);
    const sent = c.session.enquire_link({}, () => {
      clearTimeout(timer);
      c.timers.delete(timer);
    });
    if (!sent) lost(c, 'connection not writable');
    sweepPartials();
  }

  /** The connection is gone (closed, error, silent, unbound): fail what was on it and reconnect. */
  function lost(c: Connection, reason: string) {
    if (c.dead) return;
    c.dead = true;
    c.bound = false;
    for (const t of c.timers) clearTimeout(t);
    c.timers.clear();
    if (c.enquire) clearInterval(c.enquire);
    c.session.destroy();
    if (conn === c) conn = undefined;
    for (const o of c.outstanding) {
      clearTimeout(o.timer);
      o.job.reject(new GatewayError('smpp.no_answer', `connection lost before the SMSC answered (${reason})`, false, true));
    }
    c.outstanding.clear();
    failQueue(stopping ? 'smpp.stopped' : 'smpp.not_connected', `not sent: ${reason}`);
    if (stopping) return;
    if (c.wasBound) log.warn({ ...where, reason }, 'smpp: connection lost');
    else log.warn({ ...where, reason, attempt: failures + 1 }, 'smpp: cannot connect');
    report(false, reason);
    settleStart();
    const delay = Math.min(500 * 2 ** failures, reconnectMaxMs);
    failures++;
    reconnectTimer = setTimeout(connect, delay);
  }

  function failQueue(code: string, message: string) {
    for (const job of queue.splice(0)) job.reject(new GatewayError(code, message, true));
  }

  function pump() {
    const c = conn;
    while (c?.bound && c.outstanding.size < window && queue.length > 0) write(c, queue.shift()!);
  }

  function write(c: Connection, job: Job) {
    const o: Outstanding = {
      job,
      timer: setTimeout(() => {
        if (!c.outstanding.delete(o)) return;
        job.reject(new GatewayError('smpp.no_answer', `no submit_sm_resp within ${responseMs / 1000} s`, false, true));
        pump();
      }, responseMs),
    };
    c.outstanding.add(o);
    const sent = c.session.submit_sm(
      {
        source_addr_ton: job.source.ton,
        source_addr_npi: job.source.npi,
        source_addr: job.source.addr,
        dest_addr_ton: 1,
        dest_addr_npi: 1,
        destination_addr: job.to,
        esm_class: job.udh ? 0x40 : 0,
        registered_delivery: 1,
        data_coding: job.dataCoding,
        short_message: job.body,
      },
      (resp) => {
        if (!c.outstanding.delete(o)) return;
        clearTimeout(o.timer);
        const status = resp.command_status;
        if (status === 0) job.resolve(String(resp.message_id ?? ''));
        else {
          const name = statusName(status);
          job.reject(new GatewayError(`smpp.${name}`, `SMSC refused the message: ${name}`, TRANSIENT.has(status)));
        }
        pump();
      },
    );
    if (!sent) {
      c.outstanding.delete(o);
      clearTimeout(o.timer);
      job.reject(new GatewayError('smpp.not_connected', 'connection not writable', true));
      lost(c, 'connection not writable');
    }
  }

  function onPdu(c: Connection, pdu: PDU) {
    if (pdu.isResponse()) return;
    switch (pdu.command) {
      case 'enquire_link':
        c.session.send(pdu.response());
        return;
      case 'unbind':
        c.bound = false;
        c.session.send(pdu.response(), () => lost(c, 'unbound by the SMSC'));
        return;
      case 'deliver_sm':
        void onDeliver(c, pdu);
        return;
      case 'alert_notification': // has no response
        return;
      default:
        c.session.send(pdu.response({ command_status: smpp.errors.ESME_RINVCMDID }));
    }
  }

  /** Answers deliver_sm only once the handler is done; a failed handler asks the SMSC to deliver again later. */
  async function onDeliver(c: Connection, pdu: PDU) {
    let status = 0;
    try {
      if (!handlers) throw new Error('not started');
      if (isReceipt(pdu)) await handlers.onDeliveryReport(parseReceipt(pdu));
      else await onInbound(pdu);
    } catch (e) {
      log.warn({ err: e, ...where }, 'smpp: deliver_sm not handled, SMSC will retry');
      status = ESME_RX_T_APPN;
    }
    c.session.send(pdu.response({ command_status: status }));
  }

  async function onInbound(pdu: PDU) {
    const { text, udh } = messageText(pdu);
    const from = String(pdu.source_addr ?? '').replace(/^\+/, '');
    const to = String(pdu.destination_addr ?? '').replace(/^\+/, '');
    const part = concatInfo(pdu, udh);
    if (!part || part.total <= 1) return handlers!.onInbound({ from, to, text, receivedAt: new Date() });
    // Earlier parts are acknowledged as they come and held in memory; the last one
    // is acknowledged once the joined text is handled.
    const key = `${from}|${to}|${part.ref}|${part.total}`;
    let p = partials.get(key);
    if (!p) {
      p = { from, to, parts: new Array(part.total).fill(undefined), since: Date.now() };
      partials.set(key, p);
    }
    if (part.seq >= 1 && part.seq <= part.total) p.parts[part.seq - 1] = text;
    if (p.parts.some((t) => t === undefined)) return;
    partials.delete(key);
    try {
      await handlers!.onInbound({ from, to, text: p.parts.join(''), receivedAt: new Date() });
    } catch (e) {
      partials.set(key, p);
      throw e;
    }
  }

  /** A long message whose last parts never came is passed on as far as it got. */
  function sweepPartials() {
    const now = Date.now();
    for (const [key, p] of partials) {
      if (now - p.since < PARTIAL_MAX_AGE_MS) continue;
      partials.delete(key);
      log.warn(
        { ...where, from: p.from, missing: p.parts.filter((t) => t === undefined).length },
        'smpp: incomplete long message',
      );
      handlers
        ?.onInbound({ from: p.from, to: p.to, text: p.parts.map((t) => t ?? '…').join(''), receivedAt: new Date() })
        .catch((e) => log.error({ err: e, ...where }, 'smpp: incomplete long message not handled'));
    }
  }

  return {
    kind: 'smpp',
    window,

    start(h) {
      if (handlers) return Promise.reject(new Error('smpp gateway already started'));
      handlers = h;
      return new Promise<void>((resolve, reject) => {
        starting = { resolve, reject };
        connect();
      });
    },

    async send(m: OutboundSms): Promise<Accepted> {
      if (stopping) throw new GatewayError('smpp.stopped', 'gateway stopped', true);
      if (!conn?.bound) throw new GatewayError('smpp.not_connected', `not bound to ${where.smsc}`, true);
      ref = (ref + 1) & 0xff;
      const { dataCoding, parts } = encodeSms(m.text, m.encoding, ref);
      const source = sourceAddress(m.from ?? config.sourceAddr ?? '', config);
      const to = m.to.replace(/^\+/, '');
      if (dataCoding === 8 && m.encoding === 'gsm7') log.warn({ id: m.id }, 'smpp: text outside the GSM alphabet sent as UCS-2');
      const pending = parts.map(
        (b) =>
          new Promise<string>((resolve, reject) => {
            queue.push({ body: b, dataCoding, udh: parts.length > 1, to, source, resolve, reject });
          }),
      );
      pump();
      const results = await Promise.allSettled(pending);
      const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as GatewayError] : []));
      if (failed.length === 0) return { gatewayMessageIds: results.map((r) => (r as PromiseFulfilledResult<string>).value) };
      // A part that may have gone out outweighs a refusal, which outweighs "try again".
      throw failed.find((e) => e.uncertain) ?? failed.find((e) => !e.retryable) ?? failed[0]!;
    },

    async stop() {
      if (stopping && !conn) return;
      stopping = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      reconnectTimer = undefined;
      failQueue('smpp.stopped', 'gateway stopped before sending');
      const c = conn;
      if (c?.bound) {
        // Answers to outstanding submits may still arrive before unbind_resp.
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 2000);
          const sent = c.session.unbind({}, () => {
            clearTimeout(t);
            resolve();
          });
          if (!sent) {
            clearTimeout(t);
            resolve();
          }
        });
      }
      if (c) lost(c, 'stopped');
      settleStart(new GatewayError('smpp.stopped', 'gateway stopped', true));
      partials.clear();
    },
  };
}
