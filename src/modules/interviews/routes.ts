// Interview routes. Supervision (/api/v1/rounds): sampling rounds, their plan
// and progress, rates, productivity, records, re-assignment and export. The
// interviewer console (/api/v1/interviews): the queue, the record being called,
// the number on click (audited), outcomes with answers. The do-not-contact list
// (/api/v1/do-not-contact) shared by every channel.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit } from '../../platform/audit.ts';
import { unitScope } from '../../platform/auth/policy.ts';
import type { AppContext } from '../../platform/context.ts';
import { listSuppressed, suppress, unsuppressById } from '../../platform/do-not-contact.ts';
import { forbidden, invalid, notFound } from '../../platform/errors.ts';
import { actorOf, principal, requireTenantWide } from '../../platform/http.ts';
import { exportTable, sendExport } from '../../platform/table-export.ts';
import { localDate } from '../../platform/time.ts';
import { normalizePhone } from '../../platform/vault.ts';
import { tenantZone } from '../responses/commands/submit-responses.ts';
import { answersFromRows } from '../responses/validate.ts';
import { publishedVersion } from '../surveys/queries.ts';
import { withinCallingHours } from './calls.ts';
import { claimNext, releaseRecord } from './commands/claim-record.ts';
import { createRound, deleteRound, updateRound } from './commands/create-round.ts';
import { closeRound, publishRound } from './commands/publish-round.ts';
import { reassignRecords } from './commands/reassign-records.ts';
import { readNote, recordOutcome } from './commands/record-outcome.ts';
import './policy.ts';
import {
  callRecord,
  heldAndToday,
  listInterviewers,
  listRecords,
  listRounds,
  productivity,
  roundDetail,
  roundRow,
} from './queries.ts';
import {
  outcomeInput,
  outcomeResult,
  recordsQuery,
  roundDetail as roundDetailSchema,
  roundInput,
  roundSummary,
} from './schema.ts';

const idParams = z.strictObject({ id: z.uuid() });
const EXPORT_MAX = 100_000;

export function registerInterviewRoutes(root: FastifyInstance, ctx: AppContext) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db, vault } = ctx;
  const now = () => ctx.clock.now();
  const scopeOf = (req: FastifyRequest, action: string) => unitScope(db, principal(req), action);
  /** Rounds are the whole tenant's (one frame, one seed): running them takes a tenant-wide grant. */
  const manager = async (req: FastifyRequest) => {
    await requireTenantWide(db, req, 'rounds.manage', 'rounds are run with a tenant-wide grant');
    return principal(req);
  };
  /** Calls are recorded by a signed-in interviewer, never by an API token. */
  const interviewer = (req: FastifyRequest) => {
    const p = principal(req);
    if (p.kind !== 'user') throw forbidden('interviews are recorded by a signed-in interviewer');
    return p;
  };

  async function detail(req: FastifyRequest, id: string) {
    const p = principal(req);
    const d = await roundDetail(db, p.tenantId, id, await scopeOf(req, 'rounds.read'));
    if (!d) throw notFound('round.not_found');
    return d as z.infer<typeof roundDetailSchema>;
  }

  // ------------------------------------------------------------------ rounds

  app.get(
    '/api/v1/rounds',
    {
      config: { action: 'rounds.read' },
      schema: {
        tags: ['interviews'],
        summary: 'Sampling rounds of phone interviews, newest first',
        response: { 200: z.array(roundSummary) },
      },
    },
    async (req) =>
      (await listRounds(db, principal(req).tenantId, await scopeOf(req, 'rounds.read'))) as z.infer<typeof roundSummary>[],
  );

  app.post(
    '/api/v1/rounds',
    {
      config: { action: 'rounds.manage' },
      schema: {
        tags: ['interviews'],
        summary: 'A draft round with its plan: frame, exclusions by reason, target and draw per unit',
        description:
          'The frame: service events returned (or discharged) in the months, with a valid mobile number, not on the do-not-contact list, not interviewed in the last 90 days, one record per number. Target per unit: n0 = z² p(1-p)/e², n = n0/(1+(n0-1)/N), at least the floor. Nothing is drawn for good until publication.',
        body: roundInput,
        response: { 201: roundDetailSchema },
      },
    },
    async (req, reply) => {
      const p = await manager(req);
      const scope = await scopeOf(req, 'rounds.manage');
      const id = await db
        .transaction()
        .execute((tx) =>
          createRound(tx, { tenantId: p.tenantId, scope, input: req.body, actor: actorOf(req), requestId: req.id, now: now() }),
        );
      return reply.status(201).send(await detail(req, id));
    },
  );

  app.get(
    '/api/v1/rounds/:id',
    {
      config: { action: 'rounds.read' },
      schema: {
        tags: ['interviews'],
        summary: 'A round: plan per unit (units short of their target first), progress and response rates',
        params: idParams,
        response: { 200: roundDetailSchema },
      },
    },
    async (req) => detail(req, req.params.id),
  );

  app.put(
    '/api/v1/rounds/:id',
    {
      config: { action: 'rounds.manage' },
      schema: {
        tags: ['interviews'],
        summary: 'Change a draft round; the plan is worked out again',
        params: idParams,
        body: roundInput,
        response: { 200: roundDetailSchema },
      },
    },
    async (req) => {
      const p = await manager(req);
      const scope = await scopeOf(req, 'rounds.manage');
      await db.transaction().execute((tx) =>
        updateRound(tx, {
          tenantId: p.tenantId,
          id: req.params.id,
          scope,
          input: req.body,
          actor: actorOf(req),
          requestId: req.id,
          now: now(),
        }),
      );
      return detail(req, req.params.id);
    },
  );

  app.delete(
    '/api/v1/rounds/:id',
    { config: { action: 'rounds.manage' }, schema: { tags: ['interviews'], summary: 'Discard a draft round', params: idParams } },
    async (req, reply) => {
      const p = await manager(req);
      await db
        .transaction()
        .execute((tx) => deleteRound(tx, { tenantId: p.tenantId, id: req.params.id, actor: actorOf(req), requestId: req.id }));
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/rounds/:id/publish',
    {
      config: { action: 'rounds.manage' },
      schema: {
        tags: ['interviews'],
        summary: 'Draw the sample with the stored seed and open the call queue',
        params: idParams,
        response: { 200: roundDetailSchema },
      },
    },
    async (req) => {
      const p = await manager(req);
      const scope = await scopeOf(req, 'rounds.manage');
      await db.transaction().execute((tx) =>
        publishRound(tx, {
          tenantId: p.tenantId,
          id: req.params.id,
          scope,
          actor: actorOf(req),
          requestId: req.id,
          now: now(),
        }),
      );
      return detail(req, req.params.id);
    },
  );

  app.post(
    '/api/v1/rounds/:id/close',
    {
      config: { action: 'rounds.manage' },
      schema: {
        tags: ['interviews'],
        summary: 'Close a round: open records leave the queue as not worked',
        params: idParams,
        response: { 200: roundDetailSchema },
      },
    },
    async (req) => {
      const p = await manager(req);
      await db
        .transaction()
        .execute((tx) =>
          closeRound(tx, { tenantId: p.tenantId, id: req.params.id, actor: actorOf(req), requestId: req.id, now: now() }),
        );
      return detail(req, req.params.id);
    },
  );

  app.get(
    '/api/v1/rounds/:id/interviewers',
    {
      config: { action: 'rounds.read' },
      schema: {
        tags: ['interviews'],
        summary: 'Interviewer productivity: attempts by outcome, completes per hour on calls, median length, quality flags',
        params: idParams,
        response: {
          200: z.object({
            medianSeconds: z.number().nullable(),
            interviewers: z.array(
              z.object({
                id: z.string(),
                name: z.string(),
                attempts: z.number(),
                completed: z.number(),
                partial: z.number(),
                refused: z.number(),
                noncontact: z.number(),
                callbacks: z.number(),
                other: z.number(),
                held: z.number(),
                days: z.number(),
                callMinutes: z.number(),
                completesPerHour: z.number().nullable(),
                medianSeconds: z.number().nullable(),
                flagged: z.object({ short: z.number(), identical: z.number() }),
              }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const p = principal(req);
      if (!(await roundRow(db, p.tenantId, req.params.id))) throw notFound('round.not_found');
      return productivity(db, p.tenantId, req.params.id, await scopeOf(req, 'rounds.read'));
    },
  );

  const recordSchema = z.object({
    id: z.string(),
    unit: z.object({ code: z.string(), name: z.string() }),
    stratum: z.string().nullable(),
    externalId: z.string(),
    kind: z.string(),
    phoneMasked: z.string().nullable(),
    status: z.string(),
    attempts: z.number(),
    lastOutcome: z.string().nullable(),
    lastAttemptAt: z.string().nullable(),
    nextAt: z.string().nullable(),
    interviewer: z.object({ id: z.string(), name: z.string() }).nullable(),
    gender: z.string().nullable(),
    ethnicMinority: z.boolean().nullable(),
    finishedAt: z.string().nullable(),
    responseId: z.string().nullable(),
    durationSeconds: z.number().nullable(),
    flags: z.array(z.enum(['short', 'identical'])),
  });

  app.get(
    '/api/v1/rounds/:id/records',
    {
      config: { action: 'rounds.read' },
      schema: {
        tags: ['interviews'],
        summary: 'The sampled records of a round with their status and flags; numbers masked',
        params: idParams,
        querystring: recordsQuery,
        response: { 200: z.object({ total: z.number(), items: z.array(recordSchema) }) },
      },
    },
    async (req) => {
      const p = principal(req);
      if (!(await roundRow(db, p.tenantId, req.params.id))) throw notFound('round.not_found');
      const q = req.query;
      return listRecords(db, vault, p.tenantId, req.params.id, await scopeOf(req, 'rounds.read'), {
        ...(q.unit ? { unit: q.unit } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.interviewer ? { interviewer: q.interviewer } : {}),
        flagged: q.flagged === 'true',
        limit: q.limit,
        offset: q.offset,
      });
    },
  );

  app.post(
    '/api/v1/rounds/:id/reassign',
    {
      config: { action: 'rounds.manage' },
      schema: {
        tags: ['interviews'],
        summary: 'Move open records to another interviewer, or back to the pool (to: null)',
        params: idParams,
        body: z.strictObject({
          records: z.array(z.uuid()).max(5000).optional().describe('these records'),
          from: z.uuid().nullable().optional().describe('every open record of this interviewer (null: the pool)'),
          to: z.uuid().nullable(),
        }),
        response: { 200: z.object({ moved: z.number() }) },
      },
    },
    async (req) => {
      const p = await manager(req);
      if (!req.body.records?.length && req.body.from === undefined)
        throw invalid('request.invalid', 'give the records, or the interviewer to take them from');
      const moved = await db.transaction().execute((tx) =>
        reassignRecords(tx, {
          tenantId: p.tenantId,
          roundId: req.params.id,
          ...(req.body.records ? { records: req.body.records } : {}),
          ...(req.body.from !== undefined ? { from: req.body.from } : {}),
          to: req.body.to,
          actor: actorOf(req),
          requestId: req.id,
          now: now(),
        }),
      );
      return { moved };
    },
  );

  app.get(
    '/api/v1/rounds/:id/export',
    {
      config: { action: 'rounds.manage' },
      schema: {
        tags: ['interviews'],
        summary: 'The round’s records and dispositions as CSV or XLSX (numbers masked; audited)',
        params: idParams,
        querystring: z.strictObject({ format: z.enum(['csv', 'xlsx']).default('csv') }),
      },
    },
    async (req, reply) => {
      const p = await manager(req);
      const round = await roundRow(db, p.tenantId, req.params.id);
      if (!round) throw notFound('round.not_found');
      const { items } = await listRecords(db, vault, p.tenantId, req.params.id, await scopeOf(req, 'rounds.manage'), {
        limit: EXPORT_MAX,
        offset: 0,
      });
      const headers = [
        'unit_code',
        'unit_name',
        'stratum',
        'external_id',
        'kind',
        'phone_masked',
        'status',
        'attempts',
        'last_outcome',
        'last_attempt_at',
        'next_at',
        'interviewer',
        'gender',
        'ethnic_minority',
        'finished_at',
        'response_id',
        'duration_seconds',
        'flags',
      ];
      const rows = items.map((r) => [
        r.unit.code,
        r.unit.name,
        r.stratum,
        r.externalId,
        r.kind,
        r.phoneMasked,
        r.status,
        r.attempts,
        r.lastOutcome,
        r.lastAttemptAt,
        r.nextAt,
        r.interviewer?.name ?? null,
        r.gender,
        r.ethnicMinority === null ? null : r.ethnicMinority ? 'yes' : 'no',
        r.finishedAt,
        r.responseId,
        r.durationSeconds === null ? null : Math.round(r.durationSeconds),
        r.flags.join(' '),
      ]);
      const file = await exportTable(
        req.query.format,
        { file: `round-${round.period_from}-${round.id.slice(0, 8)}`, sheet: round.name },
        headers,
        rows,
      );
      await db.transaction().execute((tx) =>
        audit(tx, {
          tenantId: p.tenantId,
          actor: actorOf(req),
          action: 'round.exported',
          objectType: 'interview_round',
          objectId: round.id,
          details: { format: req.query.format, rows: rows.length },
          requestId: req.id,
        }),
      );
      return sendExport(reply, file);
    },
  );

  app.get(
    '/api/v1/interviewers',
    {
      config: { action: 'rounds.manage' },
      schema: {
        tags: ['interviews'],
        summary: 'Users who may take calls, for re-assignment',
        response: { 200: z.array(z.object({ id: z.string(), name: z.string(), username: z.string() })) },
      },
    },
    async (req) => listInterviewers(db, (await manager(req)).tenantId),
  );

  // ------------------------------------------------------------------ interviewer console

  const callView = z.looseObject({ id: z.string(), status: z.string() });

  /** The record with the instrument to read out; 404 unless the caller holds it. */
  async function heldRecord(req: FastifyRequest, id: string) {
    const p = principal(req);
    const rec = await callRecord(db, vault, p.tenantId, id, (attemptId, enc) => readNote(vault, p.tenantId, attemptId, enc));
    if (!rec || rec.row.interviewer_id !== p.id) throw notFound('interview.not_found');
    return rec;
  }

  async function withInstrument(tenantId: string, rec: NonNullable<Awaited<ReturnType<typeof callRecord>>>) {
    const v = await publishedVersion(db, tenantId, rec.row.instrument_code);
    if (!v) throw notFound('instrument.not_found');
    return {
      ...rec.view,
      partialAnswers: rec.partialRows ? answersFromRows(v, rec.partialRows) : null,
      instrument: { code: v.code, version: v.version, name: v.name, definition: v.definition },
    };
  }

  app.post(
    '/api/v1/interviews/next',
    {
      config: { action: 'interviews.conduct' },
      schema: {
        tags: ['interviews'],
        summary: 'Take the next record to call: own due callbacks, then held records, then the pool in draw order',
        body: z.strictObject({ round: z.uuid().optional() }).optional(),
        response: {
          200: z.object({
            record: callView.nullable(),
            reason: z.enum(['outside_calling_hours', 'empty']).nullable(),
          }),
        },
      },
    },
    async (req) => {
      const p = interviewer(req);
      const at = now();
      if (!withinCallingHours(at, await tenantZone(db, p.tenantId)))
        return { record: null, reason: 'outside_calling_hours' as const };
      const id = await claimNext(db, {
        tenantId: p.tenantId,
        interviewerId: p.id,
        scope: await scopeOf(req, 'interviews.conduct'),
        now: at,
        ...(req.body?.round ? { roundId: req.body.round } : {}),
      });
      if (!id) return { record: null, reason: 'empty' as const };
      return { record: await withInstrument(p.tenantId, await heldRecord(req, id)), reason: null };
    },
  );

  app.get(
    '/api/v1/interviews/mine',
    {
      config: { action: 'interviews.conduct' },
      schema: {
        tags: ['interviews'],
        summary: 'Records the caller holds (callbacks to come) and what they did today',
        response: {
          200: z.object({
            held: z.array(
              z.object({
                id: z.string(),
                unit: z.string(),
                status: z.string(),
                nextAt: z.string().nullable(),
                attempts: z.number(),
              }),
            ),
            today: z.object({ attempts: z.number(), completed: z.number() }),
          }),
        },
      },
    },
    async (req) => {
      const p = interviewer(req);
      return heldAndToday(db, p.tenantId, p.id, localDate(now(), await tenantZone(db, p.tenantId)));
    },
  );

  app.get(
    '/api/v1/interviews/:id',
    {
      config: { action: 'interviews.conduct' },
      schema: {
        tags: ['interviews'],
        summary: 'A held record with the instrument as a script',
        params: idParams,
        response: { 200: callView },
      },
    },
    async (req) => withInstrument(interviewer(req).tenantId, await heldRecord(req, req.params.id)),
  );

  app.post(
    '/api/v1/interviews/:id/reveal-phone',
    {
      config: { action: 'interviews.conduct' },
      schema: {
        tags: ['interviews'],
        summary: 'The full number of a held record, to dial it (every reveal is audited)',
        params: idParams,
        response: { 200: z.object({ phone: z.string().nullable() }) },
      },
    },
    async (req, reply) => {
      const p = interviewer(req);
      const rec = await heldRecord(req, req.params.id);
      await db.transaction().execute((tx) =>
        audit(tx, {
          tenantId: p.tenantId,
          actor: actorOf(req),
          action: 'interview.reveal_phone',
          objectType: 'interview_record',
          objectId: rec.row.id,
          requestId: req.id,
        }),
      );
      reply.header('cache-control', 'no-store');
      return { phone: rec.citizen.phone };
    },
  );

  app.post(
    '/api/v1/interviews/:id/outcome',
    {
      config: { action: 'interviews.conduct' },
      schema: {
        tags: ['interviews'],
        summary: 'Record a call attempt: its outcome, and the answers of a completed or partial interview (channel phone)',
        description:
          'No answer, busy and switched off send the record back to the pool for another day and time slot; after 3 of them it is unreachable. A callback stays with the interviewer until its time. Completed and partial go through the response intake in the same transaction.',
        params: idParams,
        body: outcomeInput,
        response: { 200: outcomeResult },
      },
    },
    async (req) => {
      const p = interviewer(req);
      return db.transaction().execute((tx) =>
        recordOutcome(tx, vault, {
          tenantId: p.tenantId,
          sampleId: req.params.id,
          interviewerId: p.id,
          input: req.body,
          now: now(),
        }),
      );
    },
  );

  app.post(
    '/api/v1/interviews/:id/release',
    {
      config: { action: 'interviews.conduct' },
      schema: { tags: ['interviews'], summary: 'Give a held record back to the pool', params: idParams },
    },
    async (req, reply) => {
      const p = interviewer(req);
      await releaseRecord(db, { tenantId: p.tenantId, id: req.params.id, interviewerId: p.id });
      return reply.status(204).send();
    },
  );

  // ------------------------------------------------------------------ do not contact

  app.get(
    '/api/v1/do-not-contact',
    {
      config: { action: 'contacts.read' },
      schema: {
        tags: ['interviews'],
        summary: 'Numbers no channel may contact (calls, SMS, app); masked',
        response: {
          200: z.object({
            total: z.number(),
            items: z.array(
              z.object({
                id: z.string(),
                phoneMasked: z.string(),
                source: z.string(),
                reason: z.string().nullable(),
                createdAt: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => listSuppressed(db, vault, principal(req).tenantId),
  );

  app.post(
    '/api/v1/do-not-contact',
    {
      config: { action: 'contacts.manage' },
      schema: {
        tags: ['interviews'],
        summary: 'Add a number: it is never called or messaged again, and leaves every call queue',
        body: z.strictObject({ phone: z.string().min(3).max(40), reason: z.string().max(500).optional() }),
        response: { 200: z.object({ added: z.boolean() }), 201: z.object({ added: z.boolean() }) },
      },
    },
    async (req, reply) => {
      const p = principal(req);
      const phone = normalizePhone(req.body.phone);
      if (!phone) throw invalid('phone.invalid');
      const added = await db.transaction().execute(async (tx) => {
        const isNew = await suppress(tx, vault, {
          tenantId: p.tenantId,
          national: phone.national,
          source: principal(req).grants.some((g) => g.role === 'hotline_operator') ? 'hotline' : 'staff',
          reason: req.body.reason ?? null,
          by: p.id,
          at: now(),
        });
        if (isNew)
          await audit(tx, {
            tenantId: p.tenantId,
            actor: actorOf(req),
            action: 'contact.suppressed',
            objectType: 'do_not_contact',
            // the keyed hash, never the number
            objectId: vault.hash(phone.national, 'phone').toString('hex'),
            requestId: req.id,
          });
        return isNew;
      });
      return reply.status(added ? 201 : 200).send({ added });
    },
  );

  app.delete(
    '/api/v1/do-not-contact/:id',
    {
      config: { action: 'contacts.manage' },
      schema: {
        tags: ['interviews'],
        summary: 'Take a number off the list (the person asked to be contacted again)',
        params: z.strictObject({ id: z.string().regex(/^[0-9a-f]{64}$/) }),
      },
    },
    async (req, reply) => {
      const p = principal(req);
      await requireTenantWide(db, req, 'contacts.manage', 'taking a number off the list takes a tenant-wide grant');
      await db.transaction().execute(async (tx) => {
        if (!(await unsuppressById(tx, p.tenantId, req.params.id))) throw notFound('contact.not_found');
        await audit(tx, {
          tenantId: p.tenantId,
          actor: actorOf(req),
          action: 'contact.unsuppressed',
          objectType: 'do_not_contact',
          objectId: req.params.id,
          requestId: req.id,
        });
      });
      return reply.status(204).send();
    },
  );
}
