// Thin routes of the response intake: one response, a batch for devices, a
// stored response, and counts read from the rollups.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { inScope, unitScope } from '../../platform/auth/policy.ts';
import type { AppContext } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import { principal } from '../../platform/http.ts';
import { unitByCode } from '../org/queries.ts';
import { CHANNELS } from '../surveys/definition.ts';
import { instrumentByCode } from '../surveys/queries.ts';
import { rejection } from '../surveys/routes.ts';
import { type Source, submitResponses } from './commands/submit-responses.ts';
import './policy.ts';
import { readRollups } from './rollups.ts';
import { BATCH_MAX, batchBody, itemResult, responseBody } from './schema.ts';

export function registerResponseRoutes(root: FastifyInstance, ctx: AppContext) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db, vault } = ctx;

  async function sourceOf(req: FastifyRequest): Promise<Source> {
    const p = principal(req);
    return {
      type: p.kind,
      id: p.id,
      scope: await unitScope(db, p, 'responses.write'),
      interviewerId: p.kind === 'user' ? p.id : null,
    };
  }

  app.post(
    '/api/v1/responses',
    {
      config: { action: 'responses.write' },
      bodyLimit: 64 * 1024,
      schema: {
        tags: ['responses'],
        summary: 'Submit one response (any channel); idempotent by its id',
        description:
          '201 created; 200 the same id and content again (or a partial response updated in place); 409 `response.conflict` (same id, other content) or `response.duplicate_event` (the event already has a complete response on this channel); 422 with `errors: [{item, code, message}]`.',
        body: responseBody,
        response: { 200: itemResult, 201: itemResult },
      },
    },
    async (req, reply) => {
      const [r] = await submitResponses(db, vault, principal(req).tenantId, [req.body], await sourceOf(req));
      if (!r || r.result === 'rejected') throw rejection(r?.code ?? 'response.invalid', r?.errors);
      return reply.status(r.result === 'created' ? 201 : 200).send(r);
    },
  );

  app.post(
    '/api/v1/responses/batch',
    {
      config: { action: 'responses.write' },
      bodyLimit: 4 * 1024 * 1024,
      schema: {
        tags: ['responses'],
        summary: `Submit up to ${BATCH_MAX} responses (devices syncing); one result per item, in order`,
        description: 'Each item is judged alone: a rejected item never stops the others. Items are objects like the single form.',
        body: batchBody,
        response: {
          200: z.object({
            created: z.number().int(),
            replayed: z.number().int(),
            updated: z.number().int(),
            rejected: z.number().int(),
            results: z.array(itemResult),
          }),
        },
      },
    },
    async (req) => {
      const results = await submitResponses(db, vault, principal(req).tenantId, req.body.responses, await sourceOf(req));
      const count = (k: string) => results.filter((r) => r.result === k).length;
      return {
        created: count('created'),
        replayed: count('replayed'),
        updated: count('updated'),
        rejected: count('rejected'),
        results,
      };
    },
  );

  app.get(
    '/api/v1/responses/:id',
    {
      config: { action: 'responses.read' },
      schema: {
        tags: ['responses'],
        summary: 'One stored response with its normalised answers (phone numbers are not shown)',
        params: z.strictObject({ id: z.uuid() }),
        response: {
          200: z.object({
            id: z.string(),
            instrument: z.string(),
            version: z.number().int(),
            channel: z.enum(CHANNELS),
            unit: z.string(),
            eventId: z.string().nullable(),
            status: z.enum(['complete', 'partial']),
            startedAt: z.string().nullable(),
            submittedAt: z.string(),
            receivedAt: z.string(),
            language: z.string(),
            consent: z.boolean().nullable(),
            deviceId: z.string().nullable(),
            interviewerId: z.string().nullable(),
            flags: z.array(z.string()),
            answers: z.array(z.object({ item: z.string(), value: z.string(), num: z.number().nullable() })),
          }),
        },
      },
    },
    async (req) => {
      const p = principal(req);
      const r = await db
        .selectFrom('responses as r')
        .innerJoin('instruments as i', 'i.id', 'r.instrument_id')
        .innerJoin('units as u', 'u.id', 'r.unit_id')
        .select([
          'r.id',
          'i.code as instrument',
          'r.version',
          'r.channel',
          'u.code as unit',
          'r.unit_id',
          'r.event_id',
          'r.status',
          'r.started_at',
          'r.submitted_at',
          'r.received_at',
          'r.language',
          'r.consent',
          'r.device_id',
          'r.interviewer_id',
          'r.flags',
        ])
        .where('r.tenant_id', '=', p.tenantId)
        .where('r.id', '=', req.params.id)
        .executeTakeFirst();
      if (!r || !inScope(await unitScope(db, p, 'responses.read'), r.unit_id)) throw notFound('response.not_found');
      const answers = await db
        .selectFrom('response_answers')
        .select(['item', 'ord', 'value', 'num'])
        .where('tenant_id', '=', p.tenantId)
        .where('response_id', '=', r.id)
        .orderBy('item')
        .orderBy('ord')
        .execute();
      return {
        id: r.id,
        instrument: r.instrument,
        version: r.version,
        channel: r.channel,
        unit: r.unit,
        eventId: r.event_id,
        status: r.status,
        startedAt: r.started_at?.toISOString() ?? null,
        submittedAt: r.submitted_at.toISOString(),
        receivedAt: r.received_at.toISOString(),
        language: r.language,
        consent: r.consent,
        deviceId: r.device_id,
        interviewerId: r.interviewer_id,
        flags: r.flags,
        answers: answers.map((a) => ({ item: a.item, value: a.value.startsWith('v1:') ? '***' : a.value, num: a.num })),
      };
    },
  );

  const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
  app.get(
    '/api/v1/response-counts',
    {
      config: { action: 'responses.read' },
      schema: {
        tags: ['responses'],
        summary: 'Answer counts per version, item and value of an instrument, from the rollups',
        description:
          'Items removed in later versions still appear under the versions that asked them. `_n` counts responses; `na` is the no-opinion answer; free text and phones count as `*`.',
        querystring: z.strictObject({
          instrument: z.string().max(40),
          unit: z.string().max(64).optional(),
          channel: z.enum(CHANNELS).optional(),
          from: day.optional(),
          to: day.optional(),
        }),
        response: {
          200: z.object({
            instrument: z.string(),
            rows: z.array(
              z.object({
                version: z.number().int(),
                item: z.string(),
                value: z.string(),
                flag: z.string(),
                count: z.number().int(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const p = principal(req);
      const inst = await instrumentByCode(db, p.tenantId, req.query.instrument);
      if (!inst) throw notFound('instrument.not_found');
      const scope = await unitScope(db, p, 'responses.read');
      let unitIds = scope.all ? undefined : scope.unitIds;
      if (req.query.unit) {
        const u = await unitByCode(db, p.tenantId, req.query.unit);
        if (!u || !inScope(scope, u.id)) throw notFound('unit.not_found');
        unitIds = [u.id];
      }
      const rows = await readRollups(db, {
        tenantId: p.tenantId,
        instrumentId: inst.id,
        unitIds,
        from: req.query.from,
        to: req.query.to,
        channel: req.query.channel,
      });
      const sums = new Map<string, { version: number; item: string; value: string; flag: string; count: number }>();
      for (const r of rows) {
        const k = `${r.version}|${r.item}|${r.value}|${r.flag}`;
        const s = sums.get(k) ?? { version: r.version, item: r.item, value: r.value, flag: r.flag, count: 0 };
        s.count += Number(r.count);
        sums.set(k, s);
      }
      return { instrument: inst.code, rows: [...sums.values()] };
    },
  );
}
