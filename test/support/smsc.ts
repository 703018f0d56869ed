// A local SMSC for tests and benchmarks: accepts transceiver binds, answers
// submit_sm with its own message ids, sends delivery receipts and replies, and
// can throttle, delay, refuse, go silent, drop every connection and come back.
import smpp, { type PDU, type Session } from 'smpp';

export type SubmittedSms = {
  id: string;
  to: string;
  from: string;
  text: string;
  dataCoding: number;
  /** concatenation header of a part of a long message */
  udh?: { ref: number; total: number; seq: number };
  sourceTon: number;
  sourceNpi: number;
  destTon: number;
  destNpi: number;
  registeredDelivery: number;
  at: Date;
};

export type SmscOptions = {
  /** default: any free port on 127.0.0.1 */
  port?: number;
  systemId: string;
  password: string;
  /** send this receipt for every accepted message */
  autoReceipt?: 'DELIVRD' | false;
  receiptDelayMs?: number;
  /**
   * Runs after the message is recorded in `submitted` and before submit_sm_resp
   * is written. A non-zero number answers with that command_status instead
   * (and takes the message out of `submitted`).
   */
  onSubmit?: (pdu: PDU, sms: SubmittedSms) => unknown;
};

export type Smsc = Awaited<ReturnType<typeof startSmsc>>;

const MESSAGE_STATE: Record<string, number> = {
  ENROUTE: 1,
  DELIVRD: 2,
  EXPIRED: 3,
  DELETED: 4,
  UNDELIV: 5,
  ACCEPTD: 6,
  UNKNOWN: 7,
  REJECTD: 8,
};

const GSM = /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà\f^{}\\[~\]|€]*$/;

/** Text of a short_message as decoded by the package, with data_coding 1 read as ASCII rather than GSM. */
function decodeText(message: string | Buffer | undefined, dataCoding: number): string {
  if (message === undefined) return '';
  if (Buffer.isBuffer(message)) return message.toString('latin1');
  return (dataCoding & 0x0f) === 1 ? smpp.gsmCoder.encode(message, 0).toString('latin1') : message;
}

function encodeText(text: string): { dataCoding: number; bytes: Buffer } {
  return GSM.test(text)
    ? { dataCoding: 0, bytes: smpp.gsmCoder.encode(text, 0) }
    : { dataCoding: 8, bytes: Buffer.from(text, 'utf16le').swap16() };
}

function yymmddhhmm(d: Date): string {
  return d.toISOString().replace(/\D/g, '').slice(2, 12);
}

export async function startSmsc(options: SmscOptions) {
  const submitted: SubmittedSms[] = [];
  const bound = new Set<Session>();
  const timers = new Set<NodeJS.Timeout>();
  let nextId = 0x5a000;
  let throttled = false;
  let silent = false;
  let inFlight = 0;
  let maxInFlight = 0;
  let server: smpp.Server | undefined;
  let port = options.port ?? 0;

  function onSession(session: Session) {
    session.socket.setNoDelay(true);
    session.on('error', () => {});
    session.on('close', () => bound.delete(session));
    session.on('pdu', (pdu: PDU) => {
      if (pdu.isResponse()) return;
      switch (pdu.command) {
        case 'bind_transceiver':
        case 'bind_transmitter':
        case 'bind_receiver': {
          const ok = pdu.system_id === options.systemId && pdu.password === options.password;
          session.send(pdu.response(ok ? { system_id: 'mscore-test-smsc' } : { command_status: smpp.errors.ESME_RBINDFAIL }));
          if (ok) bound.add(session);
          return;
        }
        case 'enquire_link':
          if (!silent) session.send(pdu.response());
          return;
        case 'unbind':
          bound.delete(session);
          session.send(pdu.response(), () => session.close());
          return;
        case 'submit_sm':
          void onSubmit(session, pdu);
          return;
        default:
          session.send(pdu.response({ command_status: smpp.errors.ESME_RINVCMDID }));
      }
    });
  }

  async function onSubmit(session: Session, pdu: PDU) {
    if (!bound.has(session)) return session.send(pdu.response({ command_status: smpp.errors.ESME_RINVBNDSTS }));
    if (throttled) return session.send(pdu.response({ command_status: smpp.errors.ESME_RTHROTTLED }));
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const dataCoding = pdu.data_coding ?? 0;
    const ie = (pdu.short_message?.udh as Buffer[] | undefined)?.find((u) => u[0] === 0x00 && u.length >= 5);
    const sms: SubmittedSms = {
      id: (nextId++).toString(16),
      to: pdu.destination_addr,
      from: pdu.source_addr,
      text: decodeText(pdu.short_message?.message, dataCoding),
      dataCoding,
      ...(ie ? { udh: { ref: ie[2]!, total: ie[3]!, seq: ie[4]! } } : {}),
      sourceTon: pdu.source_addr_ton,
      sourceNpi: pdu.source_addr_npi,
      destTon: pdu.dest_addr_ton,
      destNpi: pdu.dest_addr_npi,
      registeredDelivery: pdu.registered_delivery,
      at: new Date(),
    };
    submitted.push(sms);
    let status = 0;
    try {
      const r = await options.onSubmit?.(pdu, sms);
      status = typeof r === 'number' ? r : 0;
    } catch {
      status = smpp.errors.ESME_RSYSERR!;
    }
    inFlight--;
    if (status) {
      submitted.splice(submitted.indexOf(sms), 1);
      return session.send(pdu.response({ command_status: status }));
    }
    session.send(pdu.response({ message_id: sms.id }));
    if (options.autoReceipt) later(options.receiptDelayMs ?? 0, () => deliverReceipt(sms.id, options.autoReceipt || 'DELIVRD'));
  }

  function later(ms: number, f: () => Promise<unknown>) {
    const t = setTimeout(() => {
      timers.delete(t);
      // Through a promise: with no session left, f throws before it returns one,
      // and a throw in a timer would end the whole process.
      Promise.resolve()
        .then(f)
        .catch(() => {});
    }, ms);
    timers.add(t);
  }

  /** The most recently bound session. */
  function session(): Session {
    const s = [...bound].at(-1);
    if (!s) throw new Error('smsc: no bound session');
    return s;
  }

  /** Sends a deliver_sm and resolves with the command_status of its deliver_sm_resp. */
  function deliver(fields: Record<string, unknown>): Promise<number> {
    const s = session();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('smsc: no deliver_sm_resp')), 10_000);
      t.unref();
      const sent = s.deliver_sm(fields, (resp) => {
        clearTimeout(t);
        resolve(resp.command_status);
      });
      if (!sent) {
        clearTimeout(t);
        reject(new Error('smsc: session not writable'));
      }
    });
  }

  /**
   * A delivery receipt for a message this SMSC accepted, in the usual text form;
   * `tlv: false` leaves out receipted_message_id and message_state so only the text carries them.
   */
  function deliverReceipt(id: string, stat = 'DELIVRD', opts: { tlv?: boolean; doneAt?: Date; err?: string } = {}) {
    const sms = submitted.find((s) => s.id === id);
    const done = opts.doneAt ?? new Date();
    const err = opts.err ?? (stat === 'DELIVRD' ? '000' : '001');
    const text =
      `id:${id} sub:001 dlvrd:${stat === 'DELIVRD' ? '001' : '000'} submit date:${yymmddhhmm(sms?.at ?? done)} ` +
      `done date:${yymmddhhmm(done)} stat:${stat} err:${err} text:${(sms?.text ?? '').slice(0, 20).replace(/[^\x20-\x7e]/g, '?')}`;
    return deliver({
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: sms?.to ?? '',
      destination_addr: sms?.from ?? '',
      esm_class: 0x04,
      data_coding: 0,
      short_message: Buffer.from(text, 'ascii'),
      ...(opts.tlv === false ? {} : { receipted_message_id: id, message_state: MESSAGE_STATE[stat] ?? 7 }),
    });
  }

  /**
   * A message from a phone: GSM alphabet when it fits, UCS-2 otherwise. With
   * `parts` > 1 it is split into that many concatenated parts; the result is
   * the first non-zero status, else 0.
   */
  async function sendInbound(m: { from: string; to: string; text: string; parts?: number }): Promise<number> {
    const { dataCoding, bytes } = encodeText(m.text);
    const chars = [...m.text];
    const n = Math.max(1, m.parts ?? 1);
    const ref = (nextId++ & 0xff) >>> 0;
    for (let i = 0; i < n; i++) {
      const chunk = chars.slice(Math.floor((i * chars.length) / n), Math.floor(((i + 1) * chars.length) / n)).join('');
      const body = n === 1 ? bytes : Buffer.concat([Buffer.from([5, 0, 3, ref, n, i + 1]), encodeText(chunk).bytes]);
      const status = await deliver({
        source_addr_ton: 1,
        source_addr_npi: 1,
        source_addr: m.from,
        destination_addr: m.to,
        esm_class: n === 1 ? 0 : 0x40,
        data_coding: dataCoding,
        short_message: body,
      });
      if (status !== 0) return status;
    }
    return 0;
  }

  /** Sends enquire_link on the latest session; true when answered within a second. */
  function ping(): Promise<boolean> {
    const s = session();
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), 1000);
      s.enquire_link({}, () => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  /** Sends unbind on the latest session; resolves with the unbind_resp status, then closes it. */
  function unbind(): Promise<number> {
    const s = session();
    bound.delete(s);
    return new Promise((resolve) => {
      s.unbind({}, (resp) => {
        resolve(resp.command_status);
        s.close();
      });
    });
  }

  async function listen() {
    const srv = smpp.createServer(onSession);
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(port, '127.0.0.1', () => {
        srv.off('error', reject);
        resolve();
      });
    });
    const a = srv.address();
    if (a && typeof a === 'object') port = a.port;
    server = srv;
  }

  async function close() {
    for (const t of timers) clearTimeout(t);
    timers.clear();
    bound.clear();
    const srv = server;
    server = undefined;
    if (!srv) return;
    for (const s of [...srv.sessions]) s.destroy();
    await new Promise<void>((resolve) => srv.close(() => resolve()));
  }

  await listen();

  return {
    get port() {
      return port;
    },
    submitted,
    /** connections currently open */
    get sessions() {
      return server?.sessions.length ?? 0;
    },
    /** submit_sm received and not yet answered, now and at most so far */
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    deliverReceipt,
    sendInbound,
    ping,
    unbind,
    /** while on, submit_sm is answered with ESME_RTHROTTLED */
    throttle(on: boolean) {
      throttled = on;
    },
    /** while on, enquire_link goes unanswered, as from a hung SMSC */
    silence(on: boolean) {
      silent = on;
    },
    close,
    /** drops every connection and listens again on the same port, keeping `submitted` */
    async restart() {
      await close();
      await listen();
    },
  };
}
