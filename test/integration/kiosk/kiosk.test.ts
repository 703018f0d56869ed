// Rating tablets over HTTP: pairing and enrollment, device-only endpoints,
// revocation, the misuse rules (flagged, kept, left out of scores per rule),
// fleet alerts with a moved clock, opening hours, holidays and recordings.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../../src/commands.ts';
import { checkRatingsAgainstDossiers } from '../../../src/modules/kiosk/dossier-check-job.ts';
import { type Client, startTestPlatform, type TestPlatform, userWithRole } from '../../support/platform.ts';

let tp: TestPlatform;
let admin: Client;
beforeAll(async () => {
  tp = await startTestPlatform();
  admin = await tp.admin();
});
afterAll(async () => tp?.stop());

const UNIT = 'QT-DH-MC';

async function enrollTablet(unit = UNIT, name?: string) {
  const pairing = await admin.post('/api/v1/devices/pairings', { unit });
  expect(pairing.status).toBe(201);
  expect(pairing.body.code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  const r = await tp.client().post('/api/kiosk/v1/enroll', { code: pairing.body.code.toLowerCase(), ...(name ? { name } : {}) });
  expect(r.status).toBe(201);
  return { ...(r.body as { deviceId: string; credential: string }), code: pairing.body.code as string };
}

const device = (credential: string) => ({ authorization: `Bearer ${credential}` });

let seq = 0;
function rating(at: string, face: number, extra: Record<string, unknown> = {}) {
  seq++;
  return {
    id: randomUUID(),
    seq,
    instrument: 'KIOSK_QUICK',
    version: 1,
    submittedAt: at,
    answers: { OVERALL: face },
    language: 'vi',
    ...extra,
  };
}

describe('enrollment', () => {
  it('trades a pairing code once for a credential of the unit', async () => {
    const t = await enrollTablet(UNIT, 'Quầy 1');
    expect(t.credential).toMatch(/^mk_/);
    const again = await tp.client().post('/api/kiosk/v1/enroll', { code: t.code });
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('device.pairing_invalid');
    const cfg = await tp.client().request('GET', '/api/kiosk/v1/config', undefined, device(t.credential));
    expect(cfg.status).toBe(200);
    expect(cfg.body).toMatchObject({
      device: { id: t.deviceId, name: 'Quầy 1' },
      unit: { code: UNIT },
      instrument: { code: 'KIOSK_QUICK', version: 1 },
      behaviour: { lockSeconds: 6, confirmMs: 250 },
    });
    // the credential is stored only as a hash
    const stored = await sql<{ n: number }>`select count(*)::int as n from devices
      where encode(credential_hash, 'escape') like ${`%${t.credential}%`}`.execute(tp.ctx.db);
    expect(stored.rows[0]?.n).toBe(0);
  });

  it('refuses an expired code, and staff without the right', async () => {
    const pairing = await admin.post('/api/v1/devices/pairings', { unit: UNIT });
    const real = tp.ctx.clock.now;
    tp.ctx.clock.now = () => new Date(Date.now() + 16 * 60_000);
    try {
      const r = await tp.client().post('/api/kiosk/v1/enroll', { code: pairing.body.code });
      expect(r.status).toBe(404);
      expect(r.body.code).toBe('device.pairing_invalid');
    } finally {
      tp.ctx.clock.now = real;
    }
    const { client: analyst } = await userWithRole(tp, admin, 'kiosk.analyst', 'analyst', null);
    expect((await analyst.post('/api/v1/devices/pairings', { unit: UNIT })).status).toBe(403);
  });

  it('accepts only device credentials on kiosk endpoints', async () => {
    const token = await admin.post('/api/v1/tokens', { name: `kiosk-probe-${randomUUID()}`, role: 'admin' });
    expect(token.status).toBe(201);
    for (const auth of [undefined, 'Bearer nonsense', 'Bearer mk_forged', `Bearer ${token.body.token}`]) {
      const r = await tp.client().request('GET', '/api/kiosk/v1/config', undefined, auth ? { authorization: auth } : {});
      expect(r.status).toBe(401);
      expect(r.body.code).toBe('device.credential_invalid');
    }
    // the staff session is not a device either
    expect((await admin.get('/api/kiosk/v1/config')).status).toBe(401);
  });
});

describe('ratings from a tablet', () => {
  it('are stored with the device and its numbers, idempotently; a revoked tablet is refused', async () => {
    const t = await enrollTablet();
    const batch = [rating('2026-10-20T09:00:00+07:00', 4), rating('2026-10-20T09:05:00+07:00', 3)];
    const r = await tp.client().post('/api/kiosk/v1/ratings', { ratings: batch }, device(t.credential));
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: { result: string }) => x.result)).toEqual(['created', 'created']);
    const replay = await tp.client().post('/api/kiosk/v1/ratings', { ratings: batch }, device(t.credential));
    expect(replay.body.results.map((x: { result: string }) => x.result)).toEqual(['replayed', 'replayed']);
    const rows = await sql<{ channel: string; device_id: string; device_seq: number; source_type: string }>`
      select channel, device_id, device_seq, source_type from responses where id = any(${batch.map((b) => b.id)}::uuid[])
      order by device_seq`.execute(tp.ctx.db);
    expect(rows.rows).toEqual([
      { channel: 'kiosk', device_id: t.deviceId, device_seq: batch[0]?.seq, source_type: 'device' },
      { channel: 'kiosk', device_id: t.deviceId, device_seq: batch[1]?.seq, source_type: 'device' },
    ]);

    expect((await admin.post(`/api/v1/devices/${t.deviceId}/revoke`)).status).toBe(200);
    const refused = await tp
      .client()
      .post('/api/kiosk/v1/ratings', { ratings: [rating('2026-10-20T09:10:00+07:00', 4)] }, device(t.credential));
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('device.revoked');
    const list = await admin.get(`/api/v1/devices?unit=${UNIT}`);
    expect(list.body.find((d: { id: string }) => d.id === t.deviceId)).toMatchObject({ status: 'revoked' });
  });

  it('flags a burst and ratings while closed, keeps them, and leaves them out of the score per rule', async () => {
    const t = await enrollTablet('QT-CL-MC');
    const fair = Array.from({ length: 12 }, (_, i) =>
      rating(`2026-10-21T0${8 + Math.floor(i / 6)}:${String((i % 6) * 7).padStart(2, '0')}:00+07:00`, 3),
    );
    // four taps within six seconds, and one at two in the morning
    const burst = [0, 2, 4, 6].map((s) => rating(`2026-10-21T10:00:0${s}+07:00`, 1));
    const night = rating('2026-10-21T02:00:00+07:00', 1);
    const r = await tp.client().post('/api/kiosk/v1/ratings', { ratings: [...fair, ...burst, night] }, device(t.credential));
    expect(r.status).toBe(200);
    expect(r.body.flagged).toBe(5);
    const flags = await sql<{ id: string; flags: string[] }>`select id, flags from responses
      where device_id = ${t.deviceId} and cardinality(flags) > 0`.execute(tp.ctx.db);
    const byId = new Map(flags.rows.map((f) => [f.id, f.flags]));
    for (const b of burst) expect(byId.get(b.id)).toEqual(['burst']);
    expect(byId.get(night.id)).toEqual(['outside_hours']);
    expect(byId.size).toBe(5);

    const scores = await admin.get('/api/v1/scores?index=KIOSK_SATISFIED&period=2026-10&channel=kiosk');
    const row = scores.body.find((x: { unit: string }) => x.unit === 'QT-CL-MC');
    // (its value may be hidden to protect a small unit next to it; the counts are what matter here)
    expect(row).toMatchObject({ n: 12, excluded: 5, excludedByRule: { burst: 4, outside_hours: 1 } });
    // the rollups moved with the flags: they agree with the raw answers
    expect((await runCommand(tp.ctx, ['rollups', 'check'])).stdout).toMatch(/ 0 differences/);
  });
});

describe('misuse rules that need history or the lists', () => {
  it('flags an hour far above the same hour of the four weeks before', async () => {
    const t = await enrollTablet('QT-DKR-MC');
    // Tuesdays 09:00-10:00: two ratings each of the four weeks before, then 24 in one hour
    const usual = [7, 14, 21, 28].flatMap((d) =>
      [5, 35].map((m) =>
        rating(new Date(Date.parse('2026-10-20T09:00:00+07:00') - d * 86_400_000 + m * 60_000).toISOString(), 3),
      ),
    );
    await tp.client().post('/api/kiosk/v1/ratings', { ratings: usual }, device(t.credential));
    const busy = Array.from({ length: 24 }, (_, i) =>
      rating(new Date(Date.parse('2026-10-20T09:00:00+07:00') + i * 150_000).toISOString(), 1 + (i % 4)),
    );
    const calm = Array.from({ length: 5 }, (_, i) =>
      rating(new Date(Date.parse('2026-10-20T14:00:00+07:00') + i * 300_000).toISOString(), 4),
    );
    const r = await tp.client().post('/api/kiosk/v1/ratings', { ratings: [...busy, ...calm] }, device(t.credential));
    expect(r.body.flagged).toBe(24);
    const flagged = await sql<{ id: string; flags: string[] }>`select id, flags from responses
      where device_id = ${t.deviceId} and cardinality(flags) > 0`.execute(tp.ctx.db);
    expect(new Set(flagged.rows.map((f) => f.id))).toEqual(new Set(busy.map((b) => b.id)));
    expect(flagged.rows.every((f) => f.flags.includes('hour_spike'))).toBe(true);
  });

  it('flags the kiosk ratings of a day that outnumber the dossiers of that day, once the list is in', async () => {
    const t = await enrollTablet('QT-TP-MC');
    const day = (d: string, n: number) =>
      Array.from({ length: n }, (_, i) => rating(`2026-10-${d}T${String(8 + i).padStart(2, '0')}:10:00+07:00`, 1 + (i % 4)));
    const over = day('27', 3);
    const under = day('28', 2);
    await tp.client().post('/api/kiosk/v1/ratings', { ratings: [...over, ...under] }, device(t.credential));
    // no list yet: nothing to compare with
    expect(await checkRatingsAgainstDossiers(tp.ctx.db, new Date('2026-11-10T00:00:00Z'))).toBe(0);
    const events = ['27', '27', '28', '28', '28'].map((d, i) => ({
      unit: 'QT-TP-MC',
      externalId: `KIOSK-CHECK-${i}`,
      kind: 'dossier',
      receivedAt: `2026-10-${d}T08:00:00+07:00`,
    }));
    expect((await admin.post('/api/v1/events', { events })).status).toBe(200);
    expect(await checkRatingsAgainstDossiers(tp.ctx.db, new Date('2026-11-10T00:00:00Z'))).toBe(3);
    const flagged = await sql<{ id: string }>`select id from responses
      where device_id = ${t.deviceId} and 'exceeds_dossiers' = any(flags)`.execute(tp.ctx.db);
    expect(flagged.rows.map((f) => f.id).sort()).toEqual(over.map((o) => o.id).sort());
    // a second run changes nothing
    expect(await checkRatingsAgainstDossiers(tp.ctx.db, new Date('2026-11-10T00:00:00Z'))).toBe(0);
    expect((await runCommand(tp.ctx, ['rollups', 'check'])).stdout).toMatch(/ 0 differences/);
  });
});

describe('fleet health', () => {
  it('raises silence (moved clock), clock and sequence alerts', async () => {
    const t = await enrollTablet('QT-GL-MC');
    const beat = (deviceTime: Date, extra: Record<string, unknown> = {}) =>
      tp
        .client()
        .post(
          '/api/kiosk/v1/heartbeat',
          { appVersion: '1.0.0', queue: 0, deviceTime: deviceTime.toISOString(), battery: 0.8, ...extra },
          device(t.credential),
        );
    // Tuesday 2026-10-20, 09:00 in Quảng Trị: open
    const at = new Date('2026-10-20T09:00:00+07:00');
    const real = tp.ctx.clock.now;
    try {
      tp.ctx.clock.now = () => at;
      expect((await beat(at)).status).toBe(200);
      const alertsOf = async () =>
        (await admin.get('/api/v1/devices?unit=QT-GL-MC')).body.find((d: { id: string }) => d.id === t.deviceId);
      expect(await alertsOf()).toMatchObject({ status: 'ok', alerts: [], battery: 0.8 });
      // 20 minutes later: still fine; 45 minutes later: silent
      tp.ctx.clock.now = () => new Date(at.getTime() + 20 * 60_000);
      expect((await alertsOf()).alerts).toEqual([]);
      tp.ctx.clock.now = () => new Date(at.getTime() + 45 * 60_000);
      expect(await alertsOf()).toMatchObject({ status: 'alert', alerts: [{ kind: 'silent', minutes: 45 }] });
      // silence while closed does not count: Saturday
      tp.ctx.clock.now = () => new Date('2026-10-24T09:00:00+07:00');
      await beat(new Date('2026-10-24T09:00:00+07:00'));
      tp.ctx.clock.now = () => new Date('2026-10-24T15:00:00+07:00');
      expect((await alertsOf()).alerts).toEqual([]);
      // a clock 10 minutes slow
      await beat(new Date(Date.parse('2026-10-24T15:00:00+07:00') - 10 * 60_000));
      expect((await alertsOf()).alerts).toEqual([{ kind: 'clock', skewSeconds: -600 }]);
      // numbers 1, 2 and 4 arrive: one lost; the device says it gave 5 with nothing left to send
      const rs = [1, 2, 4].map((n) => ({ ...rating(`2026-10-20T09:0${n}:00+07:00`, 4), seq: n }));
      await tp.client().post('/api/kiosk/v1/ratings', { ratings: rs }, device(t.credential));
      await beat(new Date('2026-10-24T15:00:00+07:00'), { lastSeq: 5 });
      expect((await alertsOf()).alerts).toEqual([{ kind: 'sequence', gaps: 2, repeats: 0 }]);
    } finally {
      tp.ctx.clock.now = real;
    }
  });
});

describe('opening hours, holidays and recordings', () => {
  it('keeps a unit’s hours, refuses overlaps, and closes on holidays', async () => {
    const def = await admin.get('/api/v1/units/QT-DH-MC/opening-hours');
    expect(def.body).toMatchObject({ isDefault: true });
    expect(def.body.openings).toContainEqual({ weekday: 1, opens: '07:00', closes: '11:30' });
    const bad = await admin.put('/api/v1/units/QT-DH-MC/opening-hours', {
      openings: [
        { weekday: 6, opens: '07:00', closes: '11:00' },
        { weekday: 6, opens: '10:00', closes: '12:00' },
        { weekday: 7, opens: '12:00', closes: '08:00' },
      ],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('hours.invalid');
    expect(bad.body.errors.map((e: { code: string }) => e.code).sort()).toEqual(['hours.closes_before_opens', 'hours.overlap']);
    const ok = await admin.put('/api/v1/units/QT-DH-MC/opening-hours', {
      openings: [{ weekday: 6, opens: '07:30', closes: '11:30' }],
    });
    expect(ok.body).toMatchObject({ isDefault: false, openings: [{ weekday: 6, opens: '07:30', closes: '11:30' }] });
    expect((await admin.put('/api/v1/holidays/2026-09-02', { name: 'Quốc khánh' })).status).toBe(200);
    expect((await admin.get('/api/v1/holidays')).body).toContainEqual({ day: '2026-09-02', name: 'Quốc khánh' });
    // a rating on the holiday is flagged as given while closed
    const t = await enrollTablet('QT-VL-MC');
    const r = rating('2026-09-02T09:00:00+07:00', 4);
    const sent = await tp.client().post('/api/kiosk/v1/ratings', { ratings: [r] }, device(t.credential));
    expect(sent.body.flagged).toBe(1);
  });

  it('stores recordings checked by their bytes and serves them to tablets', async () => {
    const wav = Buffer.concat([Buffer.from('RIFF'), Buffer.from([36, 0, 0, 0]), Buffer.from('WAVEfmt '), Buffer.alloc(64, 1)]);
    const put = (prompt: string, lang: string, body: Buffer, type = 'audio/wav') =>
      admin.request('PUT', `/api/v1/instruments/KIOSK_QUICK/audio/${prompt}/${lang}`, body, { 'content-type': type });
    expect((await put('OVERALL', 'brv', Buffer.from('<html>not audio</html>'))).body.code).toBe('audio.unsupported');
    expect((await put('NOPE', 'brv', wav)).body.code).toBe('audio.prompt_unknown');
    const ok = await put('OVERALL', 'brv', wav);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ contentType: 'audio/wav', size: wav.length });
    const list = await admin.get('/api/v1/instruments/KIOSK_QUICK/audio');
    expect(list.body.prompts).toEqual(expect.arrayContaining(['intro', 'OVERALL', 'OVERALL:4', 'positive:on_time']));
    expect(list.body.recordings).toMatchObject([{ prompt: 'OVERALL', language: 'brv', contentType: 'audio/wav' }]);
    const t = await enrollTablet();
    const cfg = await tp.client().request('GET', '/api/kiosk/v1/config', undefined, device(t.credential));
    expect(cfg.body.audio).toEqual([{ prompt: 'OVERALL', language: 'brv', sha256: ok.body.sha256 }]);
    const res = await fetch(`${tp.baseUrl}/api/kiosk/v1/audio/KIOSK_QUICK/OVERALL/brv`, { headers: device(t.credential) });
    expect(res.headers.get('content-type')).toBe('audio/wav');
    expect(Buffer.from(await res.arrayBuffer()).equals(wav)).toBe(true);
    expect((await fetch(`${tp.baseUrl}/api/kiosk/v1/audio/KIOSK_QUICK/OVERALL/brv`)).status).toBe(401);
  });
});
