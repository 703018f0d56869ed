// Kiosk routes. Console (/api/v1, staff): devices and pairing codes, opening
// hours and holidays, recorded prompts. Tablets (/api/kiosk/v1): enrollment
// with a pairing code, then only their own credential: configuration,
// ratings, heartbeats and recordings.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { audit } from '../../platform/audit.ts';
import { inScope, unitScope } from '../../platform/auth/policy.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { actorOf, principal, requireTenantWide } from '../../platform/http.ts';
import { enforceRateLimits } from '../../platform/rate-limit.ts';
import { scopedUnitByCode } from '../org/queries.ts';
import { submitResponses } from '../responses/commands/submit-responses.ts';
import { answerValue, itemResult } from '../responses/schema.ts';
import { effectiveInstrument, publishedVersion } from '../surveys/queries.ts';
import { publicDefinition } from '../surveys/routes.ts';
import { AUDIO_MAX_BYTES, listRecordings, promptsOf, saveRecording } from './audio.ts';
import {
  createPairing,
  type DevicePrincipal,
  enrollDevice,
  recordHeartbeat,
  resolveDevice,
  revokeDevice,
} from './commands/pair-device.ts';
import { listDevices } from './fleet.ts';
import { unitHours } from './hours.ts';
import { applyMisuseRules } from './misuse.ts';
import './policy.ts';

/** How the tablets behave unless the tenant's settings say otherwise (idle reset and lock are configurable). */
export const KIOSK_BEHAVIOUR = { idleSeconds: 30, lockSeconds: 6, confirmMs: 250, heartbeatSeconds: 60 };
const kioskSettings = z.strictObject({
  idleSeconds: z.number().int().min(10).max(600).describe('an unfinished rating is kept and the faces come back after this'),
  lockSeconds: z.number().int().min(1).max(30).describe('the screen ignores taps this long after a rating'),
});
const RATINGS_MAX = 100;

const language = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, 'language code (vi, en, brv, pac)');
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
const opening = z.strictObject({ weekday: z.number().int().min(1).max(7), opens: time, closes: time });
const instant = z.iso.datetime({ offset: true });

const deviceAlert = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('silent'), minutes: z.number() }),
  z.object({ kind: z.literal('clock'), skewSeconds: z.number() }),
  z.object({ kind: z.literal('sequence'), gaps: z.number(), repeats: z.number() }),
]);
const deviceRow = z.object({
  id: z.string(),
  name: z.string(),
  unit: z.object({ code: z.string(), name: z.string() }),
  enrolledAt: z.string(),
  revokedAt: z.string().nullable(),
  lastSeenAt: z.string().nullable(),
  appVersion: z.string().nullable(),
  battery: z.number().nullable(),
  queue: z.number().nullable(),
  clockSkewSeconds: z.number().nullable(),
  lastSeq: z.number().nullable(),
  ratingsToday: z.number(),
  status: z.enum(['ok', 'alert', 'revoked']),
  alerts: z.array(deviceAlert),
});

export function registerKioskRoutes(root: FastifyInstance, ctx: AppContext) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db } = ctx;
  const now = () => ctx.clock.now();

  /** Settings, holidays and recordings reach every unit: changing them takes a tenant-wide grant. */
  const tenantWide = (req: FastifyRequest, action: string) =>
    requireTenantWide(db, req, action, 'a tenant-wide grant is needed for this');
  const unitFor = (req: FastifyRequest, code: string, action: string) => scopedUnitByCode(db, principal(req), code, action);

  async function behaviourOf(tenantId: string) {
    const t = await db.selectFrom('tenants').select('settings').where('id', '=', tenantId).executeTakeFirstOrThrow();
    const own = ((t.settings ?? {}) as { kiosk?: Partial<z.infer<typeof kioskSettings>> }).kiosk ?? {};
    return { ...KIOSK_BEHAVIOUR, ...own };
  }

  app.get(
    '/api/v1/kiosk/settings',
    {
      config: { action: 'devices.read' },
      schema: {
        tags: ['kiosk'],
        summary: 'How the tablets behave (idle reset, lock after a rating)',
        response: { 200: kioskSettings },
      },
    },
    async (req) => {
      const b = await behaviourOf(principal(req).tenantId);
      return { idleSeconds: b.idleSeconds, lockSeconds: b.lockSeconds };
    },
  );

  app.put(
    '/api/v1/kiosk/settings',
    {
      config: { action: 'kiosk.settings' },
      schema: {
        tags: ['kiosk'],
        summary: 'Change how the tablets behave',
        body: kioskSettings,
        response: { 200: kioskSettings },
      },
    },
    async (req) => {
      const p = principal(req);
      await tenantWide(req, 'kiosk.settings');
      await db.transaction().execute(async (tx) => {
        await sql`update tenants set settings = jsonb_set(coalesce(settings, '{}'::jsonb), '{kiosk}', ${JSON.stringify(req.body)}::jsonb)
          where id = ${p.tenantId}`.execute(tx);
        await audit(tx, {
          tenantId: p.tenantId,
          actor: actorOf(req),
          action: 'kiosk.settings_set',
          objectType: 'tenant',
          objectId: p.tenantId,
          details: req.body,
          requestId: req.id,
        });
      });
      return req.body;
    },
  );

  app.addContentTypeParser(/^audio\//, { parseAs: 'buffer', bodyLimit: AUDIO_MAX_BYTES }, (_req, body, done) => done(null, body));

  // ------------------------------------------------------------------ console

  app.get(
    '/api/v1/devices',
    {
      config: { action: 'devices.read' },
      schema: {
        tags: ['kiosk'],
        summary: 'Rating tablets with their last heartbeat, ratings today and alerts',
        querystring: z.strictObject({ unit: z.string().max(64).optional() }),
        response: { 200: z.array(deviceRow) },
      },
    },
    async (req) => {
      const p = principal(req);
      const unitId = req.query.unit ? (await unitFor(req, req.query.unit, 'devices.read')).id : undefined;
      return listDevices(db, {
        tenantId: p.tenantId,
        timeZone: ctx.config.timeZone,
        scope: await unitScope(db, p, 'devices.read'),
        unitId,
        now: now(),
      });
    },
  );

  app.post(
    '/api/v1/devices/pairings',
    {
      config: { action: 'devices.manage' },
      schema: {
        tags: ['kiosk'],
        summary: 'A pairing code for a new tablet of a unit (valid 15 minutes, used once)',
        body: z.strictObject({ unit: z.string().min(1).max(64) }),
        response: {
          201: z.object({ code: z.string(), expiresAt: z.string(), unit: z.object({ code: z.string(), name: z.string() }) }),
        },
      },
    },
    async (req, reply) => {
      const u = await unitFor(req, req.body.unit, 'devices.manage');
      const r = await createPairing(db, {
        tenantId: principal(req).tenantId,
        unitId: u.id,
        actor: actorOf(req),
        now: now(),
        requestId: req.id,
      });
      return reply.status(201).send({ code: r.code, expiresAt: r.expiresAt.toISOString(), unit: { code: u.code, name: u.name } });
    },
  );

  app.post(
    '/api/v1/devices/:id/revoke',
    {
      config: { action: 'devices.manage' },
      schema: {
        tags: ['kiosk'],
        summary: 'Revoke a tablet: its credential is refused from now on',
        params: z.strictObject({ id: z.uuid() }),
        response: { 200: z.object({ id: z.string(), revoked: z.literal(true) }) },
      },
    },
    async (req) => {
      const p = principal(req);
      const d = await db
        .selectFrom('devices')
        .select('unit_id')
        .where('tenant_id', '=', p.tenantId)
        .where('id', '=', req.params.id)
        .executeTakeFirst();
      if (!d || !inScope(await unitScope(db, p, 'devices.manage'), d.unit_id)) throw notFound('device.not_found');
      await revokeDevice(db, {
        tenantId: p.tenantId,
        deviceId: req.params.id,
        actor: actorOf(req),
        now: now(),
        requestId: req.id,
      });
      return { id: req.params.id, revoked: true as const };
    },
  );

  const hoursBody = z.object({
    unit: z.object({ code: z.string(), name: z.string() }),
    openings: z.array(opening),
    isDefault: z.boolean().describe('no hours set for the unit: the defaults of its kind apply'),
  });

  app.get(
    '/api/v1/units/:code/opening-hours',
    {
      config: { action: 'hours.read' },
      schema: {
        tags: ['kiosk'],
        summary: "A unit's weekly opening hours (ISO weekdays, 1 = Monday)",
        params: z.strictObject({ code: z.string().max(64) }),
        response: { 200: hoursBody },
      },
    },
    async (req) => {
      const u = await unitFor(req, req.params.code, 'hours.read');
      const h = (await unitHours(db, principal(req).tenantId, [u.id])).get(u.id);
      return { unit: { code: u.code, name: u.name }, openings: h?.openings ?? [], isDefault: h?.isDefault ?? true };
    },
  );

  app.put(
    '/api/v1/units/:code/opening-hours',
    {
      config: { action: 'hours.write' },
      schema: {
        tags: ['kiosk'],
        summary: "Replace a unit's weekly opening hours; an empty list brings back the defaults",
        params: z.strictObject({ code: z.string().max(64) }),
        body: z.strictObject({ openings: z.array(opening).max(28) }),
        response: { 200: hoursBody },
      },
    },
    async (req) => {
      const p = principal(req);
      const u = await unitFor(req, req.params.code, 'hours.write');
      const errors = req.body.openings.flatMap((o, i) =>
        o.closes <= o.opens
          ? [{ path: `openings.${i}.closes`, code: 'hours.closes_before_opens', message: 'closes before it opens' }]
          : [],
      );
      const sorted = [...req.body.openings].sort((a, b) => a.weekday - b.weekday || a.opens.localeCompare(b.opens));
      sorted.forEach((o, i) => {
        const prev = sorted[i - 1];
        if (prev && prev.weekday === o.weekday && prev.closes > o.opens)
          errors.push({ path: 'openings', code: 'hours.overlap', message: `two openings overlap on weekday ${o.weekday}` });
      });
      if (errors.length) throw new AppError(422, 'hours.invalid', undefined, { errors });
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('unit_opening_hours').where('tenant_id', '=', p.tenantId).where('unit_id', '=', u.id).execute();
        if (sorted.length)
          await tx
            .insertInto('unit_opening_hours')
            .values(sorted.map((o) => ({ tenant_id: p.tenantId, unit_id: u.id, ...o })))
            .execute();
        await audit(tx, {
          tenantId: p.tenantId,
          actor: actorOf(req),
          action: 'unit.hours_set',
          objectType: 'unit',
          objectId: u.id,
          details: { openings: sorted },
          requestId: req.id,
        });
      });
      const h = (await unitHours(db, p.tenantId, [u.id])).get(u.id);
      return { unit: { code: u.code, name: u.name }, openings: h?.openings ?? [], isDefault: h?.isDefault ?? true };
    },
  );

  const holiday = z.object({ day: z.string(), name: z.string() });

  app.get(
    '/api/v1/holidays',
    {
      config: { action: 'hours.read' },
      schema: { tags: ['kiosk'], summary: 'Days every unit is closed', response: { 200: z.array(holiday) } },
    },
    async (req) =>
      db.selectFrom('holidays').select(['day', 'name']).where('tenant_id', '=', principal(req).tenantId).orderBy('day').execute(),
  );

  app.put(
    '/api/v1/holidays/:day',
    {
      config: { action: 'holidays.write' },
      schema: {
        tags: ['kiosk'],
        summary: 'Mark a day closed for every unit',
        params: z.strictObject({ day: z.iso.date() }),
        body: z.strictObject({ name: z.string().trim().min(1).max(100) }),
        response: { 200: holiday },
      },
    },
    async (req) => {
      const p = principal(req);
      await tenantWide(req, 'holidays.write');
      await db
        .insertInto('holidays')
        .values({ tenant_id: p.tenantId, day: req.params.day, name: req.body.name })
        .onConflict((oc) => oc.columns(['tenant_id', 'day']).doUpdateSet({ name: req.body.name }))
        .execute();
      return { day: req.params.day, name: req.body.name };
    },
  );

  app.delete(
    '/api/v1/holidays/:day',
    {
      config: { action: 'holidays.write' },
      schema: { tags: ['kiosk'], summary: 'Open again on a day marked closed', params: z.strictObject({ day: z.iso.date() }) },
    },
    async (req, reply) => {
      await tenantWide(req, 'holidays.write');
      await db
        .deleteFrom('holidays')
        .where('tenant_id', '=', principal(req).tenantId)
        .where('day', '=', req.params.day)
        .execute();
      return reply.status(204).send();
    },
  );

  async function instrumentFor(tenantId: string, code: string) {
    const v = await publishedVersion(db, tenantId, code);
    if (!v) throw notFound('instrument.not_found');
    return v;
  }

  const recording = z.object({
    prompt: z.string(),
    language: z.string(),
    contentType: z.string(),
    size: z.number(),
    sha256: z.string(),
    uploadedAt: z.string(),
  });
  const audioParams = z.strictObject({ code: z.string().max(40), prompt: z.string().max(80), language });

  app.get(
    '/api/v1/instruments/:code/audio',
    {
      config: { action: 'devices.read' },
      schema: {
        tags: ['kiosk'],
        summary: 'Recorded prompts of an instrument, and the prompts that can have one',
        params: z.strictObject({ code: z.string().max(40) }),
        response: { 200: z.object({ prompts: z.array(z.string()), recordings: z.array(recording) }) },
      },
    },
    async (req) => {
      const tenantId = principal(req).tenantId;
      const v = await instrumentFor(tenantId, req.params.code);
      return {
        prompts: promptsOf(v.definition),
        recordings: (await listRecordings(db, tenantId, v.code)).map((r) => ({
          prompt: r.prompt,
          language: r.language,
          contentType: r.content_type,
          size: Number(r.size),
          sha256: r.sha256,
          uploadedAt: r.uploaded_at.toISOString(),
        })),
      };
    },
  );

  app.put(
    '/api/v1/instruments/:code/audio/:prompt/:language',
    {
      config: { action: 'audio.write' },
      bodyLimit: AUDIO_MAX_BYTES,
      schema: {
        tags: ['kiosk'],
        summary: 'Upload the recording of a prompt in a language (MP3, OGG, WAV, M4A or WebM; at most 2 MB)',
        params: audioParams,
        response: { 200: z.object({ contentType: z.string(), size: z.number(), sha256: z.string() }) },
      },
    },
    async (req) => {
      const p = principal(req);
      await tenantWide(req, 'audio.write');
      if (!Buffer.isBuffer(req.body)) throw new AppError(415, 'audio.unsupported');
      const v = await instrumentFor(p.tenantId, req.params.code);
      return saveRecording(db, {
        tenantId: p.tenantId,
        instrument: v,
        prompt: req.params.prompt,
        language: req.params.language,
        bytes: req.body,
        actor: actorOf(req),
        requestId: req.id,
      });
    },
  );

  app.delete(
    '/api/v1/instruments/:code/audio/:prompt/:language',
    {
      config: { action: 'audio.write' },
      schema: { tags: ['kiosk'], summary: 'Remove a recording (speech synthesis takes over)', params: audioParams },
    },
    async (req, reply) => {
      await tenantWide(req, 'audio.write');
      const r = await db
        .deleteFrom('instrument_audio')
        .where('tenant_id', '=', principal(req).tenantId)
        .where('instrument_code', '=', req.params.code)
        .where('prompt', '=', req.params.prompt)
        .where('language', '=', req.params.language)
        .executeTakeFirst();
      if (!r.numDeletedRows) throw notFound('audio.not_found');
      return reply.status(204).send();
    },
  );

  async function sendRecording(tenantId: string, params: { code: string; prompt: string; language: string }) {
    const r = await db
      .selectFrom('instrument_audio')
      .select(['content_type', 'bytes', 'sha256'])
      .where('tenant_id', '=', tenantId)
      .where('instrument_code', '=', params.code)
      .where('prompt', '=', params.prompt)
      .where('language', '=', params.language)
      .executeTakeFirst();
    if (!r) throw notFound('audio.not_found');
    return r;
  }

  app.get(
    '/api/v1/instruments/:code/audio/:prompt/:language',
    { config: { action: 'devices.read' }, schema: { tags: ['kiosk'], summary: 'Listen to a recording', params: audioParams } },
    async (req, reply) => {
      const r = await sendRecording(principal(req).tenantId, req.params);
      return reply.type(r.content_type).header('etag', `"${r.sha256}"`).send(r.bytes);
    },
  );

  // ------------------------------------------------------------------ tablets

  async function device(req: FastifyRequest): Promise<DevicePrincipal> {
    const m = /^Bearer\s+(mk_\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m?.[1]) throw new AppError(401, 'device.credential_invalid');
    return resolveDevice(db, m[1]);
  }

  app.post(
    '/api/kiosk/v1/enroll',
    {
      config: { public: true },
      bodyLimit: 2048,
      schema: {
        tags: ['kiosk'],
        summary: 'A tablet trades a pairing code for its own credential (shown once)',
        body: z.strictObject({ code: z.string().min(4).max(20), name: z.string().trim().max(60).optional() }),
        response: {
          201: z.object({
            deviceId: z.string(),
            credential: z.string(),
            unit: z.object({ code: z.string(), name: z.string() }),
          }),
        },
      },
    },
    async (req, reply) => {
      await enforceRateLimits(db, [{ key: `kiosk-enroll:${req.ip}`, max: 20, windowSeconds: 600 }]);
      const r = await enrollDevice(db, { code: req.body.code, name: req.body.name, now: now() });
      const u = await db.selectFrom('units').select(['code', 'name']).where('id', '=', r.unitId).executeTakeFirstOrThrow();
      return reply.status(201).send({ deviceId: r.deviceId, credential: r.credential, unit: u });
    },
  );

  app.get(
    '/api/kiosk/v1/config',
    {
      config: { public: true },
      schema: {
        tags: ['kiosk'],
        summary: "The tablet's unit, instrument, behaviour and recordings",
        response: {
          200: z.object({
            device: z.object({ id: z.string(), name: z.string() }),
            tenant: z.string(),
            unit: z.object({ code: z.string(), name: z.string() }),
            instrument: z
              .object({ code: z.string(), version: z.number(), name: z.record(z.string(), z.string()), definition: z.unknown() })
              .nullable(),
            behaviour: z.object({
              idleSeconds: z.number(),
              lockSeconds: z.number(),
              confirmMs: z.number(),
              heartbeatSeconds: z.number(),
            }),
            audio: z.array(z.object({ prompt: z.string(), language: z.string(), sha256: z.string() })),
          }),
        },
      },
    },
    async (req, reply) => {
      const d = await device(req);
      const tenant = await db.selectFrom('tenants').select('name').where('id', '=', d.tenantId).executeTakeFirstOrThrow();
      const u = await db.selectFrom('units').select(['code', 'name']).where('id', '=', d.unitId).executeTakeFirstOrThrow();
      const code = (await effectiveInstrument(db, d.tenantId, d.unitId, 'kiosk'))?.code;
      const v = code ? await publishedVersion(db, d.tenantId, code) : undefined;
      const ok = v?.channels.includes('kiosk') ? v : undefined;
      const audio = ok ? await listRecordings(db, d.tenantId, ok.code) : [];
      reply.header('cache-control', 'no-store');
      return {
        device: { id: d.id, name: d.name },
        tenant: tenant.name,
        unit: u,
        instrument: ok
          ? { code: ok.code, version: ok.version, name: ok.name, definition: publicDefinition(ok.definition) }
          : null,
        behaviour: await behaviourOf(d.tenantId),
        audio: audio.map((a) => ({ prompt: a.prompt, language: a.language, sha256: a.sha256 })),
      };
    },
  );

  app.post(
    '/api/kiosk/v1/ratings',
    {
      config: { public: true },
      bodyLimit: 256 * 1024,
      schema: {
        tags: ['kiosk'],
        summary: `Ratings the tablet kept (up to ${RATINGS_MAX}); idempotent by id, one result per item`,
        body: z.strictObject({
          ratings: z
            .array(
              z.strictObject({
                id: z.uuid(),
                seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
                instrument: z.string().max(40),
                version: z.number().int().min(1),
                startedAt: instant.optional(),
                submittedAt: instant,
                answers: z.record(z.string().max(40), answerValue),
                language: language.default('vi'),
                consent: z.boolean().optional(),
              }),
            )
            .min(1)
            .max(RATINGS_MAX),
        }),
        response: { 200: z.object({ results: z.array(itemResult), flagged: z.number() }) },
      },
    },
    async (req) => {
      const d = await device(req);
      await enforceRateLimits(db, [{ key: `kiosk-ratings:${d.id}`, max: 600, windowSeconds: 600 }]);
      const bodies = req.body.ratings.map(({ seq, ...r }) => ({
        ...r,
        channel: 'kiosk' as const,
        unit: d.unitCode,
        deviceId: d.id,
        deviceSeq: seq,
        status: 'complete' as const,
      }));
      const results = await submitResponses(db, ctx.vault, d.tenantId, bodies, {
        type: 'device',
        id: d.id,
        scope: { all: false, unitIds: [d.unitId] },
      });
      const created = results.filter((r) => r.result === 'created').map((r) => r.id);
      const flagged = await applyMisuseRules(db, {
        tenantId: d.tenantId,
        deviceId: d.id,
        unitId: d.unitId,
        ids: created,
        timeZone: ctx.config.timeZone,
      });
      await db.updateTable('devices').set({ last_seen_at: now() }).where('id', '=', d.id).execute();
      return { results, flagged };
    },
  );

  app.post(
    '/api/kiosk/v1/heartbeat',
    {
      config: { public: true },
      bodyLimit: 2048,
      schema: {
        tags: ['kiosk'],
        summary: 'A sign of life every minute: battery, app version, unsent ratings, device clock',
        body: z.strictObject({
          battery: z.number().min(0).max(1).nullable().optional(),
          appVersion: z.string().max(40),
          queue: z.number().int().min(0),
          deviceTime: instant,
          lastSeq: z.number().int().min(0).nullable().optional(),
        }),
        response: { 200: z.object({ serverTime: z.string(), clockSkewMs: z.number() }) },
      },
    },
    async (req) => recordHeartbeat(db, await device(req), req.body, now()),
  );

  app.get(
    '/api/kiosk/v1/audio/:code/:prompt/:language',
    { config: { public: true }, schema: { tags: ['kiosk'], summary: 'A recording for the tablet', params: audioParams } },
    async (req, reply) => {
      const d = await device(req);
      const r = await sendRecording(d.tenantId, req.params);
      return reply
        .type(r.content_type)
        .header('etag', `"${r.sha256}"`)
        .header('cache-control', 'private, max-age=86400')
        .send(r.bytes);
    },
  );
}
