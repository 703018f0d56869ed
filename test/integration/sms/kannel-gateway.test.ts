// The HTTP gateway against Debian's real Kannel (bearerbox, smsbox, fakesmsc
// as the network): sending in GSM-7 and UCS-2, delivery reports and incoming
// messages through the callback URLs, and how failures are classified.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError, type OutboundSms } from '../../../src/modules/sms/gateway.ts';
import {
  HTTP_HOOKS_PATH,
  httpGateway,
  kannelDlrUrl,
  kannelSmsService,
  parseHttpDlr,
  parseHttpInbound,
} from '../../../src/modules/sms/gateways/http.ts';
import { hasKannel, type Kannel, missingKannel, startKannel } from '../../support/kannel.ts';
import { freePort } from '../../support/platform.ts';

type Hit = { path: string; query: Record<string, string> };

/** A tiny HTTP server that records requests; `hold` keeps answers back until released. */
async function receiver(answer: (hit: Hit, res: http.ServerResponse) => void = (_h, res) => res.end('ok')) {
  const hits: Hit[] = [];
  const waiters = new Set<() => void>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const hit = { path: url.pathname, query: Object.fromEntries(url.searchParams) };
    hits.push(hit);
    for (const w of waiters) w();
    answer(hit, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    hits,
    async waitFor(match: (h: Hit) => boolean, timeoutMs = 10_000): Promise<Hit> {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const found = hits.find(match);
        if (found) return found;
        if (Date.now() > end) throw new Error(`no matching request within ${timeoutMs} ms; got ${JSON.stringify(hits)}`);
        await new Promise<void>((resolve) => {
          const done = () => {
            waiters.delete(done);
            clearTimeout(t);
            resolve();
          };
          const t = setTimeout(done, Math.max(0, end - Date.now()) + 1);
          waiters.add(done);
        });
      }
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const TOKEN = 'hook-token-3f9a';
// Characters Kannel would otherwise read as escapes or separators.
const ODD_TOKEN = 'hook token/3f9a%d&+';
const noHandlers = { onDeliveryReport: async () => {}, onInbound: async () => {} };
const sms = (text: string, encoding: OutboundSms['encoding'] = 'gsm7'): OutboundSms => ({
  id: randomUUID(),
  to: '84912345678',
  text,
  encoding,
});

async function failure(p: Promise<unknown>): Promise<GatewayError> {
  const e = await p.then(
    () => {
      throw new Error('expected the send to fail');
    },
    (e: unknown) => e,
  );
  expect(e).toBeInstanceOf(GatewayError);
  return e as GatewayError;
}

describe('Kannel callback parsing', () => {
  it('reads each delivery report type', () => {
    const q = { token: TOKEN, id: 'm-1', smsc_id: '5a1c', ts: '1796600567', reply: '' };
    expect(parseHttpDlr({ ...q, type: '1' })).toEqual({
      messageId: 'm-1',
      gatewayMessageId: '5a1c',
      state: 'delivered',
      at: new Date(1796600567_000),
      raw: '',
    });
    expect(parseHttpDlr({ ...q, type: '2' }).state).toBe('undeliverable');
    expect(parseHttpDlr({ ...q, type: '4' }).state).toBe('enroute');
    expect(parseHttpDlr({ ...q, type: '8', smsc_id: '', reply: 'ACK/' })).toMatchObject({
      state: 'enroute',
      gatewayMessageId: undefined,
      raw: 'ACK/',
    });
    expect(parseHttpDlr({ ...q, type: '16', reply: 'NACK/0x0000000b/Invalid Destination Address' })).toMatchObject({
      state: 'rejected',
      error: '0x0000000b',
    });
    expect(parseHttpDlr({ ...q, type: '32' }).state).toBe('unknown');
  });

  it('takes the network error from an SMPP receipt, and the time of receipt when ts is missing', () => {
    const before = Date.now();
    const r = parseHttpDlr({
      id: 'm-2',
      type: '2',
      reply: 'id:0472 sub:001 dlvrd:000 submit date:2612061200 done date:2612061201 stat:UNDELIV err:034 text:',
    });
    expect(r).toMatchObject({ state: 'undeliverable', error: '034' });
    expect(r.at.getTime()).toBeGreaterThanOrEqual(before);
    expect(parseHttpDlr({ id: 'm-3', type: '1', reply: 'id:1 stat:DELIVRD err:000' }).error).toBeUndefined();
  });

  it('refuses reports it cannot place', () => {
    expect(() => parseHttpDlr({ id: 'm-1' })).toThrow(/numeric type/);
    expect(() => parseHttpDlr({ id: 'm-1', type: '%d' })).toThrow(/numeric type/);
    expect(() => parseHttpDlr({ type: '1' })).toThrow(/neither our id nor the SMSC id/);
  });

  it('reads an incoming message', () => {
    expect(
      parseHttpInbound({
        from: '+84912345678',
        to: '8077',
        text: 'Tốt lắm,  cảm ơn',
        coding: '0',
        charset: 'UTF-8',
        ts: '1796600594',
        id: '2ded1904-0d42-4141-a098-c158e586d8ce',
      }),
    ).toEqual({
      from: '84912345678',
      to: '8077',
      text: 'Tốt lắm,  cảm ơn',
      receivedAt: new Date(1796600594_000),
      gatewayRef: '2ded1904-0d42-4141-a098-c158e586d8ce',
    });
    expect(() => parseHttpInbound({ to: '8077', text: '5' })).toThrow(/without a sender/);
    expect(() => parseHttpInbound({ from: '+', text: '5' })).toThrow(/without a sender/);
    expect(() => parseHttpInbound({ from: '84912345678', to: '8077' })).toThrow(/without text/);
    expect(() => parseHttpInbound({ from: '84912345678', text: '\u0000T', coding: '2', charset: 'UTF-16BE' })).toThrow(
      /mo-recode/,
    );
  });

  it('builds the callback URLs with Kannel escapes and our values escaped from them', () => {
    expect(kannelSmsService('http://127.0.0.1:3000/', TOKEN)).toBe(
      `http://127.0.0.1:3000${HTTP_HOOKS_PATH}/incoming?token=${TOKEN}&from=%p&to=%P&text=%b&coding=%c&charset=%C&ts=%T&id=%I`,
    );
    expect(kannelDlrUrl('http://127.0.0.1:3000', 'a b%', 'id/1')).toBe(
      `http://127.0.0.1:3000${HTTP_HOOKS_PATH}/dlr?token=a%%20b%%25&id=id%%2F1&type=%d&smsc_id=%F&ts=%T&reply=%A`,
    );
  });
});

describe('HTTP gateway failures, against a scripted server', () => {
  const config = { username: 'u', password: 'p', callbackBase: 'http://127.0.0.1:9', callbackToken: TOKEN };

  it('keeps at most `window` requests open and queues the rest', async () => {
    const held: http.ServerResponse[] = [];
    const srv = await receiver((_h, res) => held.push(res));
    const gw = httpGateway({ ...config, sendUrl: `${srv.base}/cgi-bin/sendsms`, window: 2 });
    try {
      const sends = Array.from({ length: 5 }, (_, i) => gw.send(sms(`message ${i}`)));
      await srv.waitFor(() => srv.hits.length === 2);
      await new Promise((r) => setTimeout(r, 150));
      expect(srv.hits).toHaveLength(2);
      for (let answered = 0; answered < 5; answered++) {
        await srv.waitFor(() => held.length > answered);
        held[answered]!.writeHead(202).end('0: Accepted for delivery');
      }
      expect(await Promise.all(sends)).toEqual(Array(5).fill({ gatewayMessageIds: [] }));
      const q = srv.hits[0]!.query;
      expect(q).toMatchObject({ username: 'u', password: 'p', to: '84912345678', text: 'message 0', coding: '0' });
      expect(q['dlr-mask']).toBe('31');
    } finally {
      await gw.stop();
      await srv.close();
    }
  });

  it('retries a 503, refuses a 4xx for good, and calls a timeout after sending uncertain', async () => {
    const srv = await receiver((h, res) => {
      if (h.query.text === 'busy') res.writeHead(503).end('4: Temporal failure, try again later');
      else if (h.query.text === 'bad') res.writeHead(400).end('Missing receiver number, rejected');
      // 'slow' gets no answer
    });
    const gw = httpGateway({ ...config, sendUrl: `${srv.base}/cgi-bin/sendsms`, timeoutSeconds: 0.3 });
    try {
      expect(await failure(gw.send(sms('busy')))).toMatchObject({ code: 'http.unavailable', retryable: true, uncertain: false });
      const bad = await failure(gw.send(sms('bad')));
      expect(bad).toMatchObject({ code: 'http.rejected', retryable: false, uncertain: false });
      expect(bad.message).toContain('Missing receiver number');
      expect(await failure(gw.send(sms('slow')))).toMatchObject({ code: 'http.uncertain', retryable: false, uncertain: true });
    } finally {
      await gw.stop();
      await srv.close();
    }
  });

  it('stop() aborts what is in flight and fails what is queued', async () => {
    const srv = await receiver(() => {});
    const gw = httpGateway({ ...config, sendUrl: `${srv.base}/cgi-bin/sendsms`, window: 1 });
    const first = failure(gw.send(sms('one')));
    const second = failure(gw.send(sms('two')));
    await srv.waitFor(() => srv.hits.length === 1);
    await gw.stop();
    expect(await first).toMatchObject({ retryable: false, uncertain: true });
    expect(await second).toMatchObject({ code: 'http.stopped', retryable: true });
    expect(await failure(gw.send(sms('three')))).toMatchObject({ code: 'http.stopped', retryable: true });
    await srv.close();
  });

  it('reports a gateway nobody listens on as down, and sends to it as retryable', async () => {
    const states: Array<{ up: boolean; error?: string }> = [];
    const gw = httpGateway({ ...config, sendUrl: `http://127.0.0.1:${await freePort()}/cgi-bin/sendsms` });
    await gw.start({ ...noHandlers, onState: (s) => states.push(s) });
    expect(states).toEqual([{ up: false, error: expect.stringContaining('ECONNREFUSED') }]);
    expect(await failure(gw.send(sms('hello')))).toMatchObject({ code: 'http.unreachable', retryable: true });
    await gw.stop();
  });
});

describe.skipIf(!hasKannel)(
  `HTTP gateway with Debian's Kannel${hasKannel ? '' : ` (skipped: ${missingKannel.join(', ')} not installed)`}`,
  () => {
    let hooks: Awaited<ReturnType<typeof receiver>>;
    let kannel: Kannel;
    const states: Array<{ up: boolean; error?: string }> = [];
    let gw: ReturnType<typeof httpGateway>;

    beforeAll(async () => {
      hooks = await receiver();
      kannel = await startKannel({ callbackBase: hooks.base, callbackToken: ODD_TOKEN });
      gw = httpGateway({
        sendUrl: kannel.sendsmsUrl,
        username: kannel.username,
        password: kannel.password,
        from: kannel.shortCode,
        callbackBase: hooks.base,
        callbackToken: ODD_TOKEN,
        timeoutSeconds: 5,
      });
      await gw.start({ ...noHandlers, onState: (s) => states.push(s) });
    });
    afterAll(async () => {
      await gw?.stop();
      await kannel?.stop();
      await hooks?.close();
    });

    const dlrs = (id: string) => hooks.hits.filter((h) => h.path === `${HTTP_HOOKS_PATH}/dlr` && h.query.id === id);

    it('is up after start', () => {
      expect(states).toEqual([{ up: true }]);
    });

    it('sends GSM-7 text; the fake SMSC gets it and Kannel reports SMSC acceptance, then delivery', async () => {
      const m = sms('Diem cua ban: 5/5. Cam on! @ 100% & +');
      expect(await gw.send(m)).toEqual({ gatewayMessageIds: [] });
      const got = await kannel.waitForReceived((r) => r.text === m.text);
      expect(got).toMatchObject({ from: kannel.shortCode, to: '84912345678', kind: 'text' });

      // The fake SMSC gives type 8 (SMSC accepted, reply "ACK/", no SMSC id) and then type 1 (delivered, Kannel's id).
      await hooks.waitFor(() => dlrs(m.id).some((h) => h.query.type === '1'));
      const reports = dlrs(m.id);
      for (const h of reports) expect(h.query.token).toBe(ODD_TOKEN);
      const parsed = reports.map((h) => parseHttpDlr(h.query));
      expect(parsed.find((r) => r.state === 'delivered')).toMatchObject({
        messageId: m.id,
        gatewayMessageId: expect.any(String),
      });
      await hooks.waitFor(() => dlrs(m.id).some((h) => h.query.type === '8'));
      expect(parseHttpDlr(dlrs(m.id).find((h) => h.query.type === '8')!.query)).toMatchObject({
        messageId: m.id,
        state: 'enroute',
        raw: 'ACK/',
      });
    });

    it('sends Vietnamese with diacritics as UCS-2, intact', async () => {
      const m = sms('Cảm ơn bạn đã góp ý cho Trung tâm Hành chính công tỉnh Quảng Trị.', 'ucs2');
      await gw.send(m);
      const got = await kannel.waitForReceived((r) => r.kind === 'ucs-2' && r.text === m.text);
      expect(got.to).toBe('84912345678');
    });

    it('passes an incoming reply to our get-url', async () => {
      await kannel.injectInbound({ from: '84912345678', text: '5' });
      const hit = await hooks.waitFor((h) => h.path === `${HTTP_HOOKS_PATH}/incoming` && h.query.text === '5');
      expect(hit.query.token).toBe(ODD_TOKEN);
      expect(parseHttpInbound(hit.query)).toMatchObject({
        from: '84912345678',
        to: kannel.shortCode,
        text: '5',
        gatewayRef: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
    });

    it('passes an incoming Vietnamese reply (UCS-2 from the phone) as UTF-8 with its spaces', async () => {
      const text = 'Tốt lắm,  cảm ơn + "quá" & 100%';
      await kannel.injectInbound({ from: '+84987654321', text });
      const hit = await hooks.waitFor((h) => h.path === `${HTTP_HOOKS_PATH}/incoming` && h.query.from === '+84987654321');
      expect(parseHttpInbound(hit.query)).toMatchObject({ from: '84987654321', text });
    });

    it('refuses a wrong password for good', async () => {
      const wrong = httpGateway({
        sendUrl: kannel.sendsmsUrl,
        username: kannel.username,
        password: 'wrong',
        callbackBase: hooks.base,
        callbackToken: ODD_TOKEN,
      });
      const e = await failure(wrong.send(sms('hello')));
      expect(e).toMatchObject({ code: 'http.rejected', retryable: false, uncertain: false });
      expect(e.message).toContain('Authorization failed');
      await wrong.stop();
    });

    it('fails sends as retryable once Kannel is gone, and says so', async () => {
      await kannel.stop();
      await kannel.stop();
      const e = await failure(gw.send(sms('after the end')));
      expect(e).toMatchObject({ code: 'http.unreachable', retryable: true, uncertain: false });
      expect(states.at(-1)).toMatchObject({ up: false });
    });
  },
);
