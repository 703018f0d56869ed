// Thin routes of the surveys area: instruments and their versions, channel
// assignments, QR posters and one-time links, and the public web survey.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { inScope, unitScope } from '../../platform/auth/policy.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { actorOf, principal, requireTenantWide } from '../../platform/http.ts';
import { enforceRateLimits } from '../../platform/rate-limit.ts';
import { scopedUnitByCode, unitByCode } from '../org/queries.ts';
import { submitResponses } from '../responses/commands/submit-responses.ts';
import { answerValue } from '../responses/schema.ts';
import { assignInstrument, removeAssignment } from './commands/assign-instrument.ts';
import { publishVersion } from './commands/publish-version.ts';
import { createInstrument, discardDraft, saveDraft, updateInstrumentMeta } from './commands/save-draft.ts';
import { CHANNELS, type Definition, localText, SECTORS } from './definition.ts';
import { entryByCode, entryState, eventSurveyLink, markEntryUsed, surveyUrl, unitQrCode } from './entries.ts';
import './policy.ts';
import { surveyPoster } from './poster.ts';
import { effectiveInstrument, instrumentByCode, listAssignments, listInstruments, publishedVersion } from './queries.ts';

const code = z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/, 'capitals, digits and _');
const versionOut = z.object({
  version: z.number().int(),
  status: z.enum(['draft', 'published']),
  publishedAt: z.string().nullable(),
  items: z.array(z.string()).describe('item codes in order'),
});
const instrumentSummary = z.object({
  code: z.string(),
  name: z.record(z.string(), z.string()),
  sector: z.enum(SECTORS).nullable(),
  channels: z.array(z.enum(CHANNELS)),
  framework: z.string().nullable(),
  builtin: z.boolean(),
  latestVersion: z.number().int().nullable().describe('latest published version'),
  draftVersion: z.number().int().nullable(),
  versions: z.array(versionOut),
});
const meta = z.strictObject({
  name: localText,
  sector: z.enum(SECTORS).nullable(),
  channels: z.array(z.enum(CHANNELS)).min(1),
  framework: z.string().max(60).nullable().optional(),
});
const PUBLIC_LIMITS = { openPerIpPer10Min: 120, submitPerIpPer10Min: 30 };

export function publicBase(ctx: AppContext, req: FastifyRequest) {
  return ctx.config.publicUrl ?? `${req.protocol}://${req.host}`;
}

export function registerSurveyRoutes(root: FastifyInstance, ctx: AppContext) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db } = ctx;
  // Instruments and tenant-wide assignments touch every unit: editing them takes a tenant-wide grant.
  const tenantWideActor = async (req: FastifyRequest) => {
    await requireTenantWide(db, req, 'surveys.write', 'a tenant-wide grant is needed to change instruments');
    return actorOf(req);
  };

  app.get(
    '/api/v1/instruments',
    {
      config: { action: 'surveys.read' },
      schema: {
        tags: ['surveys'],
        summary: 'Instruments with their versions and item codes',
        response: { 200: z.array(instrumentSummary) },
      },
    },
    async (req) => listInstruments(db, principal(req).tenantId),
  );

  app.get(
    '/api/v1/instruments/:code',
    {
      config: { action: 'surveys.read' },
      schema: {
        tags: ['surveys'],
        summary: 'One instrument with every version’s full definition',
        params: z.strictObject({ code }),
        response: {
          200: instrumentSummary.omit({ versions: true, latestVersion: true, draftVersion: true }).extend({
            latestVersion: z.number().int().nullable(),
            draftVersion: z.number().int().nullable(),
            versions: z.array(
              versionOut.extend({
                note: z.string().nullable(),
                createdBy: z.string().nullable(),
                publishedBy: z.string().nullable(),
                definition: z.unknown(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const i = await instrumentByCode(db, principal(req).tenantId, req.params.code);
      if (!i) throw notFound('instrument.not_found');
      const published = i.versions.filter((v) => v.status === 'published');
      return {
        code: i.code,
        name: i.name,
        sector: i.sector,
        channels: i.channels,
        framework: i.framework,
        builtin: i.builtin,
        latestVersion: published.at(-1)?.version ?? null,
        draftVersion: i.versions.find((v) => v.status === 'draft')?.version ?? null,
        versions: i.versions.map((v) => ({
          version: v.version,
          status: v.status,
          publishedAt: v.published_at?.toISOString() ?? null,
          publishedBy: v.published_by,
          createdBy: v.created_by,
          note: v.note,
          items: (v.definition as Definition).items.map((it) => it.code),
          definition: v.definition,
        })),
      };
    },
  );

  app.post(
    '/api/v1/instruments',
    {
      config: { action: 'surveys.write' },
      bodyLimit: 512 * 1024,
      schema: {
        tags: ['surveys'],
        summary: 'Create an instrument; its first version starts as a draft',
        body: meta.extend({ code, definition: z.unknown() }),
        response: { 201: z.object({ code: z.string(), version: z.number().int() }) },
      },
    },
    async (req, reply) => {
      const { code: c, definition, ...m } = req.body;
      const r = await createInstrument(db, {
        tenantId: principal(req).tenantId,
        actor: await tenantWideActor(req),
        requestId: req.id,
        code: c,
        meta: m,
        definition,
      });
      return reply.status(201).send(r);
    },
  );

  app.patch(
    '/api/v1/instruments/:code',
    {
      config: { action: 'surveys.write' },
      schema: {
        tags: ['surveys'],
        summary: 'Change an instrument’s name, sector, channels or framework (not versioned)',
        params: z.strictObject({ code }),
        body: meta.partial(),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await updateInstrumentMeta(db, {
        tenantId: principal(req).tenantId,
        actor: await tenantWideActor(req),
        requestId: req.id,
        code: req.params.code,
        meta: req.body,
      });
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/api/v1/instruments/:code/draft',
    {
      config: { action: 'surveys.write' },
      bodyLimit: 512 * 1024,
      schema: {
        tags: ['surveys'],
        summary: 'Save the draft version (replaces the open draft or opens the next version)',
        description:
          'A definition with errors is refused with 422 `instrument.definition_invalid` and the list of problems by path.',
        params: z.strictObject({ code }),
        body: z.strictObject({ definition: z.unknown(), note: z.string().max(500).nullable().optional() }),
        response: { 200: z.object({ code: z.string(), version: z.number().int() }) },
      },
    },
    async (req) =>
      saveDraft(db, {
        tenantId: principal(req).tenantId,
        actor: await tenantWideActor(req),
        requestId: req.id,
        code: req.params.code,
        definition: req.body.definition,
        note: req.body.note,
      }),
  );

  app.delete(
    '/api/v1/instruments/:code/draft',
    {
      config: { action: 'surveys.write' },
      schema: {
        tags: ['surveys'],
        summary: 'Throw away the open draft',
        params: z.strictObject({ code }),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await discardDraft(db, {
        tenantId: principal(req).tenantId,
        actor: await tenantWideActor(req),
        requestId: req.id,
        code: req.params.code,
      });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/instruments/:code/versions/:version/publish',
    {
      config: { action: 'surveys.write' },
      schema: {
        tags: ['surveys'],
        summary: 'Publish a draft version: it is frozen from then on',
        params: z.strictObject({ code, version: z.coerce.number().int().min(1) }),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await publishVersion(db, {
        tenantId: principal(req).tenantId,
        actor: await tenantWideActor(req),
        requestId: req.id,
        code: req.params.code,
        version: req.params.version,
      });
      return reply.status(204).send(null);
    },
  );

  const assignmentOut = z.object({
    id: z.string(),
    channel: z.enum(CHANNELS),
    unit: z.string().nullable(),
    unitName: z.string().nullable(),
    sector: z.enum(SECTORS).nullable(),
    instrument: z.string(),
  });

  app.get(
    '/api/v1/instrument-assignments',
    {
      config: { action: 'surveys.read' },
      schema: {
        tags: ['surveys'],
        summary: 'Which instrument runs on which channel: per unit (inherited by its subtree) or tenant-wide per sector',
        response: { 200: z.array(assignmentOut) },
      },
    },
    async (req) => listAssignments(db, principal(req).tenantId, await unitScope(db, principal(req), 'surveys.read')),
  );

  app.put(
    '/api/v1/instrument-assignments',
    {
      config: { action: 'surveys.write' },
      schema: {
        tags: ['surveys'],
        summary: 'Set the instrument of a channel for a unit, or tenant-wide (optionally for one sector)',
        body: z.strictObject({
          channel: z.enum(CHANNELS),
          instrument: code,
          unit: z.string().max(64).optional(),
          sector: z.enum(SECTORS).optional(),
        }),
        response: { 200: z.object({ id: z.string() }) },
      },
    },
    async (req) => {
      const p = principal(req);
      let unitId: string | null = null;
      if (req.body.unit) {
        const u = await unitByCode(db, p.tenantId, req.body.unit);
        if (!u) throw notFound('unit.not_found');
        unitId = u.id;
      }
      if (unitId && req.body.sector) throw new AppError(422, 'assignment.unit_or_sector');
      const id = await assignInstrument(db, {
        tenantId: p.tenantId,
        actor: await tenantWideActor(req),
        requestId: req.id,
        channel: req.body.channel,
        instrument: req.body.instrument,
        unitId,
        sector: req.body.sector ?? null,
      });
      return { id };
    },
  );

  app.delete(
    '/api/v1/instrument-assignments/:id',
    {
      config: { action: 'surveys.write' },
      schema: {
        tags: ['surveys'],
        summary: 'Remove an assignment (the unit falls back to its parent’s or the tenant’s)',
        params: z.strictObject({ id: z.uuid() }),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await removeAssignment(db, {
        tenantId: principal(req).tenantId,
        actor: await tenantWideActor(req),
        requestId: req.id,
        id: req.params.id,
      });
      return reply.status(204).send(null);
    },
  );

  const scopedUnit = (req: FastifyRequest, unitCode: string, action: string) =>
    scopedUnitByCode(db, principal(req), unitCode, action);

  app.get(
    '/api/v1/units/:code/instruments',
    {
      config: { action: 'surveys.read' },
      schema: {
        tags: ['surveys'],
        summary: 'The instrument each channel runs at this unit, and where that choice comes from',
        params: z.strictObject({ code: z.string().max(64) }),
        response: {
          200: z.array(
            z.object({
              channel: z.enum(CHANNELS),
              instrument: z.string().nullable(),
              via: z.enum(['unit', 'sector', 'tenant']).nullable(),
              fromUnit: z.string().nullable(),
            }),
          ),
        },
      },
    },
    async (req) => {
      const u = await scopedUnit(req, req.params.code, 'surveys.read');
      const tenantId = principal(req).tenantId;
      return Promise.all(
        CHANNELS.map(async (channel) => {
          const e = await effectiveInstrument(db, tenantId, u.id, channel);
          return {
            channel,
            instrument: e?.code ?? null,
            via: (e?.via as 'unit' | 'sector' | 'tenant' | undefined) ?? null,
            fromUnit: e?.unit_code ?? null,
          };
        }),
      );
    },
  );

  app.get(
    '/api/v1/units/:code/survey-qr',
    {
      config: { action: 'surveys.links' },
      schema: {
        tags: ['surveys'],
        summary: 'The unit’s QR survey address (made on first use); ?renew=true retires the old code',
        params: z.strictObject({ code: z.string().max(64) }),
        querystring: z.strictObject({ renew: z.enum(['true', 'false']).default('false') }),
        response: { 200: z.object({ code: z.string(), url: z.string(), posterUrl: z.string() }) },
      },
    },
    async (req) => {
      const u = await scopedUnit(req, req.params.code, 'surveys.links');
      const c = await unitQrCode(db, {
        tenantId: principal(req).tenantId,
        unitId: u.id,
        actor: actorOf(req),
        renew: req.query.renew === 'true',
      });
      return {
        code: c,
        url: surveyUrl(publicBase(ctx, req), c),
        posterUrl: `/api/v1/units/${encodeURIComponent(u.code)}/survey-poster.pdf`,
      };
    },
  );

  app.get(
    '/api/v1/units/:code/survey-poster.pdf',
    {
      config: { action: 'surveys.links' },
      schema: {
        tags: ['surveys'],
        summary: 'A4 poster with the unit’s survey QR code, for the counter (PDF)',
        params: z.strictObject({ code: z.string().max(64) }),
      },
    },
    async (req, reply) => {
      const p = principal(req);
      const u = await scopedUnit(req, req.params.code, 'surveys.links');
      const c = await unitQrCode(db, { tenantId: p.tenantId, unitId: u.id, actor: actorOf(req) });
      const tenant = await db.selectFrom('tenants').select('name').where('id', '=', p.tenantId).executeTakeFirstOrThrow();
      const pdf = await surveyPoster({ tenantName: tenant.name, unitName: u.name, url: surveyUrl(publicBase(ctx, req), c) });
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="qr-${u.code}.pdf"`)
        .header('cache-control', 'no-store')
        .send(pdf);
    },
  );

  app.post(
    '/api/v1/survey-links',
    {
      config: { action: 'surveys.links' },
      schema: {
        tags: ['surveys'],
        summary: 'The one-time web survey link of a service event (the same link on every call until it is answered)',
        body: z.strictObject({ eventId: z.uuid(), expiresInDays: z.number().int().min(1).max(60).default(14) }),
        response: { 200: z.object({ code: z.string(), url: z.string(), expiresAt: z.string() }) },
      },
    },
    async (req) => {
      const p = principal(req);
      const ev = await db
        .selectFrom('service_events')
        .select('unit_id')
        .where('tenant_id', '=', p.tenantId)
        .where('id', '=', req.body.eventId)
        .executeTakeFirst();
      if (!ev || !inScope(await unitScope(db, p, 'surveys.links'), ev.unit_id)) throw notFound('event.not_found');
      const l = await eventSurveyLink(db, ctx.vault, {
        tenantId: p.tenantId,
        eventId: req.body.eventId,
        expiresInDays: req.body.expiresInDays,
        actor: actorOf(req),
      });
      return { code: l.code, url: surveyUrl(publicBase(ctx, req), l.code), expiresAt: l.expiresAt.toISOString() };
    },
  );

  // --- the public web survey (QR code or one-time link) ---

  const entryCode = z.string().regex(/^[A-Za-z0-9_-]{8,40}$/, 'survey code');

  async function openEntry(c: string) {
    const e = await entryByCode(db, c);
    if (!e) throw notFound('survey.not_found');
    return e;
  }

  app.get(
    '/api/public/v1/surveys/:code',
    {
      config: { public: true },
      schema: {
        tags: ['public'],
        summary: 'A web survey reached by QR code or one-time link: the unit and the questions',
        params: z.strictObject({ code: entryCode }),
        response: {
          200: z.object({
            kind: z.enum(['qr', 'link']),
            state: z.enum(['open', 'answered', 'expired', 'closed']),
            tenant: z.string(),
            unit: z.object({ code: z.string(), name: z.string() }),
            instrument: z
              .object({
                code: z.string(),
                version: z.number().int(),
                name: z.record(z.string(), z.string()),
                definition: z.unknown(),
              })
              .nullable(),
          }),
        },
      },
    },
    async (req, reply) => {
      await enforceRateLimits(db, [{ key: `survey-open:${req.ip}`, max: PUBLIC_LIMITS.openPerIpPer10Min, windowSeconds: 600 }]);
      const e = await openEntry(req.params.code);
      const state = entryState(e);
      const v = state === 'open' ? await webInstrument(e) : undefined;
      reply.header('cache-control', 'no-store');
      return {
        kind: e.kind,
        state,
        tenant: e.tenantName,
        unit: { code: e.unitCode, name: e.unitName },
        instrument: v ? { code: v.code, version: v.version, name: v.name, definition: publicDefinition(v.definition) } : null,
      };
    },
  );

  async function webInstrument(e: Awaited<ReturnType<typeof openEntry>>) {
    let codeOf: string | undefined;
    if (e.instrument_id) {
      const i = await db.selectFrom('instruments').select('code').where('id', '=', e.instrument_id).executeTakeFirst();
      codeOf = i?.code;
    } else codeOf = (await effectiveInstrument(db, e.tenant_id, e.unit_id, 'web'))?.code;
    const v = codeOf ? await publishedVersion(db, e.tenant_id, codeOf) : undefined;
    return v?.channels.includes('web') ? v : undefined;
  }

  app.post(
    '/api/public/v1/surveys/:code/responses',
    {
      config: { public: true },
      bodyLimit: 16 * 1024,
      schema: {
        tags: ['public'],
        summary: 'Answer a web survey (channel web); a one-time link takes one answer',
        params: z.strictObject({ code: entryCode }),
        body: z.strictObject({
          id: z.uuid(),
          instrument: code,
          version: z.number().int().min(1),
          answers: z.record(z.string().max(40), answerValue),
          language: z.string().max(16).default('vi'),
          consent: z.boolean(),
          startedAt: z.iso.datetime({ offset: true }).optional(),
        }),
        response: {
          200: z.object({ id: z.string(), result: z.enum(['replayed']) }),
          201: z.object({ id: z.string(), result: z.enum(['created']) }),
        },
      },
    },
    async (req, reply) => {
      await enforceRateLimits(db, [
        { key: `survey-submit:${req.ip}`, max: PUBLIC_LIMITS.submitPerIpPer10Min, windowSeconds: 600 },
      ]);
      const e = await openEntry(req.params.code);
      const state = entryState(e);
      if (state === 'answered' && e.response_id !== req.body.id) throw new AppError(409, 'survey.link_used');
      if (state === 'expired') throw new AppError(410, 'survey.expired');
      if (state === 'closed') throw new AppError(410, 'survey.closed');
      if ((await webInstrument(e))?.code !== req.body.instrument) throw new AppError(422, 'survey.instrument_mismatch');
      const submission = {
        ...req.body,
        channel: 'web' as const,
        unit: e.unitCode,
        ...(e.event_id ? { eventId: e.event_id } : {}),
        submittedAt: new Date().toISOString(),
        status: 'complete' as const,
      };
      const source = { type: 'public' as const, id: e.id, scope: { all: true as const } };
      const [r] = await db.transaction().execute(async (tx) => {
        if (e.kind === 'link') {
          const locked = await tx
            .selectFrom('survey_entries')
            .select('response_id')
            .where('id', '=', e.id)
            .forUpdate()
            .executeTakeFirstOrThrow();
          if (locked.response_id && locked.response_id !== req.body.id) throw new AppError(409, 'survey.link_used');
        }
        // The server's clock stamps web answers: the replay of an answer keeps its first time.
        const prior = await tx
          .selectFrom('responses')
          .select('submitted_at')
          .where('tenant_id', '=', e.tenant_id)
          .where('id', '=', req.body.id)
          .executeTakeFirst();
        if (prior) submission.submittedAt = prior.submitted_at.toISOString();
        const results = await submitResponses(tx, ctx.vault, e.tenant_id, [submission], source);
        if (e.kind === 'link' && results[0]?.result === 'created') await markEntryUsed(tx, e.id, req.body.id);
        return results;
      });
      if (!r || r.result === 'rejected') throw rejection(r?.code ?? 'response.invalid', r?.errors);
      return reply
        .status(r.result === 'created' ? 201 : 200)
        .send({ id: r.id, result: r.result === 'created' ? 'created' : 'replayed' });
    },
  );
}

/** What the respondent's page needs: no interviewer scripts. */
export function publicDefinition(d: Definition) {
  return { ...d, items: d.items.map(({ script: _s, ...it }) => it) };
}

/** HTTP status of an intake rejection code. */
export function rejection(code: string, errors?: unknown[]): AppError {
  const status =
    code === 'response.conflict' || code === 'response.duplicate_event' ? 409 : code === 'auth.forbidden' ? 403 : 422;
  return new AppError(status, code, undefined, errors ? { errors } : {});
}
