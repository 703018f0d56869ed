// Thin routes of the events area: ingest, list, detail, phone reveal, data
// quality, and the citizens' dossier status lookup.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit } from '../../platform/audit.ts';
import { unitScope } from '../../platform/auth/policy.ts';
import type { AppContext } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import { principal } from '../../platform/http.ts';
import { maskPhone } from '../../platform/vault.ts';
import { tenantById } from '../org/queries.ts';
import { upsertEvents } from './commands/upsert-events.ts';
import { lookupDossier } from './lookup.ts';
import { normalizeEvent } from './normalize.ts';
import './policy.ts';
import { sendExport } from '../../platform/table-export.ts';
import { qualityExport } from './quality-export.ts';
import { dataQuality, eventById, listEvents, readCitizen, statusHistory, timeliness, unitIdsByCode } from './queries.ts';
import { EVENT_KINDS, EVENT_STATUSES, ingestBody, ingestResult } from './schema.ts';

const periodSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');

export async function tenantSettings(ctx: AppContext, tenantId: string) {
  const t = await tenantById(ctx.db, tenantId);
  const settings = (t.settings ?? {}) as { listDueDay?: number; replyDays?: number };
  return { timeZone: t.time_zone, listDueDay: settings.listDueDay ?? 5, replyDays: settings.replyDays ?? 7, code: t.code };
}

export function registerEventRoutes(root: FastifyInstance, ctx: AppContext) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db, vault } = ctx;
  const scopeOf = (req: FastifyRequest, action: string) => unitScope(db, principal(req), action);

  app.post(
    '/api/v1/events',
    {
      config: { action: 'events.write' },
      bodyLimit: 2 * 1024 * 1024,
      schema: {
        tags: ['events'],
        summary: 'Ingest up to 1,000 service events (upsert by unit and externalId; idempotent; per-item results)',
        description:
          'Each item: {unit, externalId, kind, service?, department?, receivedAt?, dueAt?, returnedAt?, promisedAt?, status?, channel?, citizen?: {name?, phone?, gender?, ethnicMinority?}}. Times are ISO 8601; without an offset they are the tenant’s local time. A replay with the same content is `unchanged`; the status only moves forward. An item with errors is `rejected` without affecting the others.',
        body: ingestBody,
        response: { 200: ingestResult },
      },
    },
    async (req) => {
      const p = principal(req);
      const { timeZone } = await tenantSettings(ctx, p.tenantId);
      const scope = await scopeOf(req, 'events.write');
      const now = new Date();
      const candidates = req.body.events.map((raw, index) => ({ index, ...normalizeEvent(raw, timeZone, now) }));
      const results = await upsertEvents(db, vault, {
        tenantId: p.tenantId,
        timeZone,
        source: 'api',
        units: await unitIdsByCode(db, p.tenantId, scope),
        scope,
        candidates,
      });
      const count = (r: string) => results.filter((x) => x.result === r).length;
      return {
        created: count('created'),
        updated: count('updated'),
        unchanged: count('unchanged'),
        rejected: count('rejected'),
        results,
      };
    },
  );

  const eventOut = z.object({
    id: z.string(),
    unit: z.string(),
    externalId: z.string(),
    kind: z.enum(EVENT_KINDS),
    service: z.string().nullable(),
    receivedAt: z.string().nullable(),
    dueAt: z.string().nullable(),
    returnedAt: z.string().nullable(),
    status: z.enum(EVENT_STATUSES),
    timeliness: z.enum(['early', 'on_time', 'late', 'overdue', 'pending', 'unknown']),
    channel: z.enum(['counter', 'online']).nullable(),
    hasName: z.boolean(),
    phoneMasked: z.string().nullable(),
    phoneKind: z.enum(['mobile', 'landline']).nullable(),
    source: z.enum(['api', 'import']),
  });

  app.get(
    '/api/v1/events',
    {
      config: { action: 'events.read' },
      schema: {
        tags: ['events'],
        summary: 'Service events in the caller’s scope, newest first; phones masked',
        querystring: z.strictObject({
          unit: z.string().max(64).optional(),
          period: periodSchema.optional(),
          kind: z.enum(EVENT_KINDS).optional(),
          status: z.enum(EVENT_STATUSES).optional(),
          late: z.enum(['true', 'false']).optional().describe('true: returned after the due date, or overdue'),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
        }),
        response: { 200: z.object({ total: z.number().int(), items: z.array(eventOut) }) },
      },
    },
    async (req) => {
      const p = principal(req);
      const { timeZone } = await tenantSettings(ctx, p.tenantId);
      return listEvents(db, vault, p.tenantId, timeZone, await scopeOf(req, 'events.read'), {
        ...req.query,
        late: req.query.late === 'true',
      });
    },
  );

  app.get(
    '/api/v1/events/:id',
    {
      config: { action: 'events.read' },
      schema: {
        tags: ['events'],
        summary: 'One event with its status history; the phone masked',
        params: z.strictObject({ id: z.uuid() }),
        response: {
          200: eventOut.extend({
            unitName: z.string(),
            department: z.string().nullable(),
            promisedAt: z.string().nullable(),
            name: z.string().nullable(),
            gender: z.enum(['female', 'male', 'other']).nullable(),
            ethnicMinority: z.boolean().nullable(),
            history: z.array(z.object({ status: z.enum(EVENT_STATUSES), at: z.string(), promisedAt: z.string().nullable() })),
            createdAt: z.string(),
            updatedAt: z.string(),
          }),
        },
      },
    },
    async (req) => {
      const p = principal(req);
      const { timeZone } = await tenantSettings(ctx, p.tenantId);
      const e = await eventById(db, p.tenantId, await scopeOf(req, 'events.read'), req.params.id);
      if (!e) throw notFound('event.not_found');
      const c = readCitizen(vault, p.tenantId, e.unit_id, e.external_id, e.citizen_enc);
      const history = await statusHistory(db, p.tenantId, e);
      const isoOrNull = (d: Date | null) => d?.toISOString() ?? null;
      return {
        id: e.id,
        unit: e.unit,
        unitName: e.unitName,
        externalId: e.external_id,
        kind: e.kind,
        service: e.service,
        department: e.department,
        receivedAt: isoOrNull(e.received_at),
        dueAt: isoOrNull(e.due_at),
        returnedAt: isoOrNull(e.returned_at),
        promisedAt: isoOrNull(e.promised_at),
        status: e.status,
        timeliness: timeliness({ returnedAt: e.returned_at, dueAt: e.due_at, status: e.status }, timeZone),
        channel: e.channel,
        hasName: c.name !== null,
        name: c.name,
        phoneMasked: c.phone ? maskPhone(c.phone) : null,
        phoneKind: e.phone_kind,
        gender: e.gender,
        ethnicMinority: e.ethnic_minority,
        source: e.source,
        history: history.map((h) => ({ status: h.status, at: h.at.toISOString(), promisedAt: isoOrNull(h.promised_at) })),
        createdAt: e.created_at.toISOString(),
        updatedAt: e.updated_at.toISOString(),
      };
    },
  );

  app.post(
    '/api/v1/events/:id/reveal-phone',
    {
      config: { action: 'events.reveal_phone' },
      schema: {
        tags: ['events'],
        summary: 'The citizen’s full phone number (needs the permission; every reveal is audited)',
        params: z.strictObject({ id: z.uuid() }),
        response: { 200: z.object({ phone: z.string().nullable() }) },
      },
    },
    async (req, reply) => {
      const p = principal(req);
      const e = await eventById(db, p.tenantId, await scopeOf(req, 'events.reveal_phone'), req.params.id);
      if (!e) throw notFound('event.not_found');
      const { phone } = readCitizen(vault, p.tenantId, e.unit_id, e.external_id, e.citizen_enc);
      await db.transaction().execute((tx) =>
        audit(tx, {
          tenantId: p.tenantId,
          actor: { type: p.kind, id: p.id, name: p.name },
          action: 'event.reveal_phone',
          objectType: 'service_event',
          objectId: e.id,
          requestId: req.id,
        }),
      );
      reply.header('cache-control', 'no-store');
      return { phone };
    },
  );

  const qualityQuery = z.strictObject({
    period: periodSchema.describe('month, YYYY-MM'),
    format: z.enum(['json', 'csv', 'xlsx']).default('json'),
  });
  const qualityRow = z.object({
    unit: z.string(),
    unitName: z.string(),
    sector: z.string().nullable(),
    records: z.number().int(),
    validMobile: z.number().int(),
    withName: z.number().int(),
    withReturnDate: z.number().int(),
    eligible: z.number().int().describe('valid mobile and an actual return date: can be surveyed'),
    validMobileRate: z.number().nullable(),
    withNameRate: z.number().nullable(),
    withReturnDateRate: z.number().nullable(),
    listReceivedAt: z.string().nullable().describe('first arrival of the period’s records'),
    listDueAt: z.string(),
    onTime: z.boolean().nullable().describe('null: not due yet and nothing received'),
    remindedAt: z.string().nullable().describe('when a late-list reminder was recorded'),
  });

  app.get(
    '/api/v1/data-quality',
    {
      config: { action: 'quality.read' },
      schema: {
        tags: ['events'],
        summary: 'Data quality and list compliance per unit for a month; late and poor units first',
        querystring: qualityQuery,
        response: { 200: z.array(qualityRow) },
      },
    },
    async (req, reply) => {
      const p = principal(req);
      const s = await tenantSettings(ctx, p.tenantId);
      const rows = await dataQuality(
        db,
        p.tenantId,
        s.timeZone,
        await scopeOf(req, 'quality.read'),
        req.query.period,
        s.listDueDay,
      );
      if (req.query.format === 'json') return rows;
      const file = await qualityExport(rows, req.query.format, req.query.period, s.timeZone);
      return sendExport(reply, file);
    },
  );

  app.get(
    '/api/public/v1/dossiers/:code',
    {
      config: { public: true },
      schema: {
        tags: ['public'],
        summary: 'Where is my dossier: the status timeline for a dossier code and the last 4 digits of the phone',
        description: 'Any mismatch (unknown code or wrong digits) gives the same 404. Rate limited per address and per code.',
        params: z.strictObject({ code: z.string().trim().min(1).max(100) }),
        querystring: z.strictObject({
          phone4: z.string().regex(/^\d{4}$/, 'four digits'),
          tenant: z.string().max(32).optional(),
        }),
        response: {
          200: z.object({
            code: z.string(),
            unit: z.string().describe('name of the office handling it'),
            service: z.string().nullable(),
            receivedAt: z.string().nullable(),
            dueAt: z.string().nullable(),
            returnedAt: z.string().nullable(),
            promisedAt: z.string().nullable(),
            status: z.enum(EVENT_STATUSES),
            timeliness: z.enum(['early', 'on_time', 'late', 'overdue', 'pending', 'unknown']),
            timeline: z.array(z.object({ status: z.enum(EVENT_STATUSES), at: z.string(), promisedAt: z.string().nullable() })),
          }),
        },
      },
    },
    async (req, reply) => {
      const found = await lookupDossier(ctx, {
        tenantCode: req.query.tenant ?? ctx.config.tenantCode,
        code: req.params.code,
        phone4: req.query.phone4,
        ip: req.ip,
      });
      reply.header('cache-control', 'no-store');
      return found;
    },
  );
}
