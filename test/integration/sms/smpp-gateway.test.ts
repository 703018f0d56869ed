// The SMPP adapter against the local SMSC: binding, encodings, long messages,
// the window, receipts, replies, refusals, reconnection and a clean stop.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type DeliveryReport, GatewayError, type InboundSms, type SmsGateway } from '../../../src/modules/sms/gateway.ts';
import { type SmppConfig, smppGateway } from '../../../src/modules/sms/gateways/smpp.ts';
import { freePort } from '../../support/platform.ts';
import { type Smsc, type SmscOptions, startSmsc } from '../../support/smsc.ts';

const ACCOUNT = { systemId: 'mscore', password: 'qt-2014' };
const TO = '84912345678';

const smscs: Smsc[] = [];
const gateways: SmsGateway[] = [];

afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.stop()));
  await Promise.all(smscs.splice(0).map((s) => s.close()));
});

async function smsc(options: Partial<SmscOptions> = {}) {
  const s = await startSmsc({ ...ACCOUNT, ...options });
  smscs.push(s);
  return s;
}

function config(port: number, extra: Partial<SmppConfig> = {}): SmppConfig {
  return {
    host: '127.0.0.1',
    port,
    ...ACCOUNT,
    sourceAddr: 'MSCORE',
    enquireLinkSeconds: 0.3,
    responseTimeoutSeconds: 1,
    reconnectMaxSeconds: 0.5,
    ...extra,
  };
}

/** A gateway with handlers that record what they get; `inbound`/`report` can be replaced per test. */
function gateway(port: number, extra: Partial<SmppConfig> = {}) {
  const g = smppGateway(config(port, extra));
  gateways.push(g);
  const rec = {
    g,
    reports: [] as DeliveryReport[],
    inbound: [] as InboundSms[],
    states: [] as { up: boolean; error?: string }[],
    onInbound: async (_m: InboundSms) => {},
    start: () =>
      g.start({
        onDeliveryReport: async (r) => {
          rec.reports.push(r);
        },
        onInbound: async (m) => {
          await rec.onInbound(m);
          rec.inbound.push(m);
        },
        onState: (s) => rec.states.push(s),
      }),
  };
  return rec;
}

async function waitFor(cond: () => boolean, ms = 5000) {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function failure(p: Promise<unknown>): Promise<GatewayError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(GatewayError);
  return e as GatewayError;
}

const sms = (text: string, extra: { from?: string; to?: string; encoding?: 'gsm7' | 'ucs2' } = {}) => ({
  id: `m-${Math.random()}`,
  to: TO,
  text,
  encoding: 'gsm7' as const,
  ...extra,
});

describe('SMPP gateway', () => {
  it('binds as a transceiver, sends, and returns the SMSC message id', async () => {
    const s = await smsc();
    const gw = gateway(s.port);
    await gw.start();
    expect(gw.states).toEqual([{ up: true }]);
    expect(s.sessions).toBe(1);

    const r = await gw.g.send(sms('Phieu cham diem cua ban da duoc ghi nhan'));
    expect(r.gatewayMessageIds).toEqual([s.submitted[0]!.id]);
    expect(s.submitted[0]).toMatchObject({
      to: TO,
      from: 'MSCORE',
      sourceTon: 5,
      sourceNpi: 0,
      destTon: 1,
      destNpi: 1,
      registeredDelivery: 1,
      dataCoding: 0,
      text: 'Phieu cham diem cua ban da duoc ghi nhan',
    });
    expect(s.submitted[0]!.udh).toBeUndefined();

    await gw.g.send(sms('short code', { from: '8085' }));
    await gw.g.send(sms('long number', { from: '+842333123456' }));
    expect(s.submitted.slice(1).map((m) => [m.from, m.sourceTon, m.sourceNpi])).toEqual([
      ['8085', 3, 0],
      ['842333123456', 1, 1],
    ]);
  });

  it("sends '@' and '_' in the GSM alphabet, and Vietnamese as UCS-2", async () => {
    const s = await smsc();
    const gw = gateway(s.port);
    await gw.start();
    const gsm = 'Tra loi @ 8085_x: {1} [2] ~3 €';
    const vi = 'Cảm ơn bạn đã chấm điểm Ủy ban nhân dân phường Đông Lễ';
    await gw.g.send(sms(gsm));
    await gw.g.send(sms(vi, { encoding: 'ucs2' }));
    // Declared gsm7 but not GSM-safe: UCS-2 rather than losing characters.
    await gw.g.send(sms('Đúng', { encoding: 'gsm7' }));
    expect(s.submitted.map((m) => [m.dataCoding, m.text])).toEqual([
      [0, gsm],
      [8, vi],
      [8, 'Đúng'],
    ]);
  });

  it('splits long texts into concatenated parts and returns the ids in order', async () => {
    const s = await smsc();
    const gw = gateway(s.port);
    await gw.start();

    const long = Array.from({ length: 300 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');
    const r = await gw.g.send(sms(long));
    expect(s.submitted).toHaveLength(2);
    const [p1, p2] = s.submitted as [(typeof s.submitted)[0], (typeof s.submitted)[0]];
    expect(p1.udh).toEqual({ ref: p2.udh!.ref, total: 2, seq: 1 });
    expect(p2.udh).toEqual({ ref: p1.udh!.ref, total: 2, seq: 2 });
    expect(p1.text).toHaveLength(153);
    expect(p1.text + p2.text).toBe(long);
    expect(r.gatewayMessageIds).toEqual([p1.id, p2.id]);

    // 160 fits in one; an escape pair is never cut between parts.
    await gw.g.send(sms('c'.repeat(160)));
    expect(s.submitted[2]!.udh).toBeUndefined();
    await gw.g.send(sms(`${'a'.repeat(152)}€${'b'.repeat(10)}`));
    expect(s.submitted.slice(3).map((m) => m.text)).toEqual(['a'.repeat(152), `€${'b'.repeat(10)}`]);

    const vi = 'ấ'.repeat(150);
    const u = await gw.g.send(sms(vi, { encoding: 'ucs2' }));
    const parts = s.submitted.slice(5);
    expect(parts.map((m) => [m.dataCoding, m.text.length, m.udh?.seq, m.udh?.total])).toEqual([
      [8, 67, 1, 3],
      [8, 67, 2, 3],
      [8, 16, 3, 3],
    ]);
    expect(new Set(parts.map((m) => m.udh!.ref)).size).toBe(1);
    expect(parts.map((m) => m.udh!.ref)[0]).not.toBe(p1.udh!.ref);
    expect(u.gatewayMessageIds).toEqual(parts.map((m) => m.id));
  });

  it('never has more than `window` submit_sm outstanding, and sends in order', async () => {
    // Answers wait until the window has been full once (or half a second), so a
    // slow client cannot pass by never filling it.
    const s: Smsc = await smsc({
      onSubmit: async () => {
        const until = Date.now() + 500;
        while (s.maxInFlight < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
      },
    });
    const gw = gateway(s.port, { window: 3 });
    await gw.start();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => gw.g.send(sms(`message ${i}`))));
    expect(s.maxInFlight).toBe(3);
    expect(s.submitted.map((m) => m.text)).toEqual(Array.from({ length: 12 }, (_, i) => `message ${i}`));
    expect(results.map((r) => r.gatewayMessageIds[0])).toEqual(s.submitted.map((m) => m.id));
  });

  it('passes delivery receipts on, in any order and repeated', async () => {
    const s = await smsc();
    const gw = gateway(s.port);
    await gw.start();
    const [a] = (await gw.g.send(sms('first'))).gatewayMessageIds;
    const [b] = (await gw.g.send(sms('second'))).gatewayMessageIds;

    expect(await s.deliverReceipt(b!)).toBe(0);
    expect(await s.deliverReceipt(a!, 'UNDELIV')).toBe(0);
    expect(await s.deliverReceipt(b!)).toBe(0);
    expect(gw.reports.map((r) => [r.gatewayMessageId, r.state])).toEqual([
      [b, 'delivered'],
      [a, 'undeliverable'],
      [b, 'delivered'],
    ]);
    expect(gw.reports[0]!.raw).toContain(`id:${b}`);

    // Without the TLVs everything comes from the receipt text.
    const doneAt = new Date(Date.UTC(2026, 0, 2, 3, 4));
    expect(await s.deliverReceipt(a!, 'EXPIRED', { tlv: false, doneAt, err: '027' })).toBe(0);
    expect(gw.reports[3]).toMatchObject({ gatewayMessageId: a, state: 'expired', at: doneAt, error: '027' });
    expect(await s.deliverReceipt(a!, 'REJECTD', { tlv: false })).toBe(0);
    expect(gw.reports[4]).toMatchObject({ gatewayMessageId: a, state: 'rejected' });
  });

  it('passes replies on, joining concatenated parts', async () => {
    const s = await smsc();
    const gw = gateway(s.port);
    await gw.start();
    expect(await s.sendInbound({ from: TO, to: '8085', text: 'Tôi chấm 5 điểm, rất hài lòng' })).toBe(0);
    expect(await s.sendInbound({ from: TO, to: '8085', text: 'OK @ 8085_1' })).toBe(0);
    expect(await s.sendInbound({ from: TO, to: '8085', text: 'Thủ tục nhanh, cán bộ nhiệt tình. '.repeat(4), parts: 3 })).toBe(0);
    expect(gw.inbound.map((m) => [m.from, m.to, m.text])).toEqual([
      [TO, '8085', 'Tôi chấm 5 điểm, rất hài lòng'],
      [TO, '8085', 'OK @ 8085_1'],
      [TO, '8085', 'Thủ tục nhanh, cán bộ nhiệt tình. '.repeat(4)],
    ]);
  });

  it('answers deliver_sm only after the handler is done, and asks for a retry when it fails', async () => {
    const s = await smsc();
    const gw = gateway(s.port);
    await gw.start();

    let release!: () => void;
    gw.onInbound = () => new Promise<void>((r) => (release = r));
    let answered: number | undefined;
    const pending = s.sendInbound({ from: TO, to: '8085', text: '4' }).then((st) => (answered = st));
    await waitFor(() => release !== undefined);
    await new Promise((r) => setTimeout(r, 100));
    expect(answered).toBeUndefined();
    release();
    await pending;
    expect(answered).toBe(0);

    gw.onInbound = async () => {
      throw new Error('database unavailable');
    };
    expect(await s.sendInbound({ from: TO, to: '8085', text: '5' })).toBe(0x64);
    gw.onInbound = async () => {};
    expect(await s.sendInbound({ from: TO, to: '8085', text: '5' })).toBe(0);
    expect(gw.inbound.map((m) => m.text)).toEqual(['4', '5']);
  });

  it('maps SMSC refusals and silence to retryable, final and uncertain errors', async () => {
    const s = await smsc({
      onSubmit: async (_pdu, m) => {
        if (m.to === '000') return 0x0b;
        if (m.text === 'no answer') await new Promise((r) => setTimeout(r, 1500));
      },
    });
    const gw = gateway(s.port);
    await gw.start();

    s.throttle(true);
    const throttled = await failure(gw.g.send(sms('hello')));
    expect([throttled.code, throttled.retryable, throttled.uncertain]).toEqual(['smpp.ESME_RTHROTTLED', true, false]);
    s.throttle(false);
    await gw.g.send(sms('hello'));

    const bad = await failure(gw.g.send(sms('hello', { to: '000' })));
    expect([bad.code, bad.retryable, bad.uncertain]).toEqual(['smpp.ESME_RINVDSTADR', false, false]);

    const silent = await failure(gw.g.send(sms('no answer')));
    expect([silent.code, silent.retryable, silent.uncertain]).toEqual(['smpp.no_answer', false, true]);
  });

  it('rejects start when the bind is refused, and does not retry', async () => {
    const s = await smsc();
    const g = smppGateway(config(s.port, { password: 'wrong' }));
    gateways.push(g);
    const e = await failure(g.start({ onDeliveryReport: async () => {}, onInbound: async () => {} }));
    expect([e.code, e.retryable]).toEqual(['smpp.bind_refused', false]);
    expect(e.message).toContain('ESME_RBINDFAIL');
    await new Promise((r) => setTimeout(r, 800));
    expect(s.sessions).toBe(0);
  });

  it('reconnects after the SMSC restarts; what was waiting for an answer is uncertain', async () => {
    const s = await smsc({ onSubmit: (_pdu, m) => (m.text === 'hang' ? new Promise(() => {}) : undefined) });
    const gw = gateway(s.port, { responseTimeoutSeconds: 5 });
    await gw.start();
    await gw.g.send(sms('before'));
    const hanging = failure(gw.g.send(sms('hang')));
    await waitFor(() => s.inFlight === 1);

    await s.restart();
    const e = await hanging;
    expect([e.code, e.retryable, e.uncertain]).toEqual(['smpp.no_answer', false, true]);
    await waitFor(() => gw.states.length === 3);
    expect(gw.states.map((x) => x.up)).toEqual([true, false, true]);
    const r = await gw.g.send(sms('after'));
    expect(s.submitted.map((m) => m.text)).toEqual(['before', 'hang', 'after']);
    expect(r.gatewayMessageIds).toEqual([s.submitted[2]!.id]);
  });

  it('treats a missing enquire_link_resp as a lost connection', async () => {
    const s = await smsc();
    const gw = gateway(s.port);
    await gw.start();
    s.silence(true);
    await waitFor(() => gw.states.some((x) => !x.up));
    expect(gw.states[1]!.error).toContain('enquire_link');
    s.silence(false);
    await waitFor(() => gw.states.at(-1)!.up);
    await gw.g.send(sms('back'));
    expect(s.sessions).toBe(1);
  });

  it("answers the SMSC's enquire_link and unbind, then binds again", async () => {
    const s = await smsc();
    const gw = gateway(s.port);
    await gw.start();
    expect(await s.ping()).toBe(true);
    expect(await s.unbind()).toBe(0);
    await waitFor(() => gw.states.length === 3);
    expect(gw.states.map((x) => x.up)).toEqual([true, false, true]);
    await gw.g.send(sms('rebound'));
  });

  it('starts while the SMSC is down, refuses sends at once, and delivers once it is up', async () => {
    const port = await freePort();
    const gw = gateway(port);
    await gw.start();
    expect(gw.states).toHaveLength(1);
    expect(gw.states[0]!.up).toBe(false);

    const t0 = Date.now();
    const e = await failure(gw.g.send(sms('early')));
    expect([e.code, e.retryable, e.uncertain]).toEqual(['smpp.not_connected', true, false]);
    expect(Date.now() - t0).toBeLessThan(200);

    const s = await smsc({ port });
    await waitFor(() => gw.states.at(-1)!.up);
    await gw.g.send(sms('later'));
    expect(s.submitted.map((m) => m.text)).toEqual(['later']);
  });

  it('stop() fails queued sends as retryable and unbinds', async () => {
    const s = await smsc({ onSubmit: (_pdu, m) => (m.text === 'hang' ? new Promise(() => {}) : undefined) });
    const gw = gateway(s.port, { window: 1 });
    await gw.start();
    const out = failure(gw.g.send(sms('hang')));
    const queued = [failure(gw.g.send(sms('q1'))), failure(gw.g.send(sms('q2')))];
    await waitFor(() => s.inFlight === 1);
    await gw.g.stop();
    for (const e of await Promise.all(queued)) expect([e.code, e.retryable]).toEqual(['smpp.stopped', true]);
    expect((await out).uncertain).toBe(true);
    await waitFor(() => s.sessions === 0);
    expect((await failure(gw.g.send(sms('x')))).code).toBe('smpp.stopped');
  });

  it('leaves nothing running after stop(): the process exits by itself', async () => {
    const s = await smsc();
    const dead = await freePort();
    const url = new URL('../../../src/modules/sms/gateways/smpp.ts', import.meta.url).href;
    const script = `
      import { smppGateway } from ${JSON.stringify(url)};
      const base = { host: '127.0.0.1', systemId: ${JSON.stringify(ACCOUNT.systemId)}, password: ${JSON.stringify(ACCOUNT.password)},
        enquireLinkSeconds: 0.1, responseTimeoutSeconds: 1, reconnectMaxSeconds: 0.2 };
      const h = { onDeliveryReport: async () => {}, onInbound: async () => {} };
      const live = smppGateway({ ...base, port: ${s.port} });
      await live.start(h);
      const r = await live.send({ id: '1', to: '${TO}', text: 'hi', encoding: 'gsm7' });
      const down = smppGateway({ ...base, port: ${dead} });
      await down.start(h);
      await new Promise((r) => setTimeout(r, 500));
      await live.stop();
      await down.stop();
      console.log('stopped', r.gatewayMessageIds.length);
    `;
    // The project's Node (24, type stripping), whichever one runs Vitest.
    const projectNode = fileURLToPath(new URL('../../../node_modules/.bin/node', import.meta.url));
    const child = spawn(existsSync(projectNode) ? projectNode : process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | string>((resolve) => {
      const t = setTimeout(() => {
        child.kill('SIGKILL');
        resolve('still running');
      }, 8000);
      child.on('exit', (c) => {
        clearTimeout(t);
        resolve(c ?? -1);
      });
    });
    expect({ code, out: out.trim() }, err).toEqual({ code: 0, out: 'stopped 1' });
    expect(s.submitted.map((m) => m.text)).toEqual(['hi']);
  });
});
