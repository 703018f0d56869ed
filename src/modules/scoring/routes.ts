// Index definitions and scores (METHODS.md sections 4 and 5).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { inScope, unitScope } from '../../platform/auth/policy.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { actorOf, principal, requireTenantWide } from '../../platform/http.ts';
import { exportTable, sendExport } from '../../platform/table-export.ts';
import { tenantSettings } from '../events/routes.ts';
import { computeAlerts } from './alerts.ts';
import { cachedScores } from './cache.ts';
import { publishIndex } from './commands/publish-index.ts';
import { resolveScoreQuery, scoreIndex, unitInScope } from './commands/score-index.ts';
import type { ScoreRow } from './compute.ts';
import { computeScores } from './compute.ts';
import { channelsOf, indexCode } from './definition.ts';
import { periodOrThrow, periodsBetween } from './period.ts';
import { reasonCounts } from './reasons.ts';
import './policy.ts';
import { indexVersion, indexVersions, listIndices } from './queries.ts';
import {
  createSnapshot,
  listSnapshots,
  publishSnapshot,
  recomputeSnapshot,
  replyToSnapshot,
  type SnapshotResult,
  snapshotDetail,
} from './snapshots.ts';

const localText = z.record(z.string(), z.string());
const indexSummary = z.object({
  code: z.string(),
  version: z.number().int(),
  builtin: z.boolean(),
  name: localText,
  sector: z.string().nullable(),
  kind: z.string(),
  channels: z.array(z.string()),
  display: z.object({ unit: z.enum(['percent', 'points']), min: z.number(), max: z.number(), decimals: z.number() }),
  higherIsBetter: z.boolean(),
});

export const scoreRow = z.object({
  unit: z.string(),
  unitName: z.string(),
  level: z.enum(['province', 'unit']),
  n: z.number().int(),
  value: z.number().nullable(),
  ciLow: z.number().nullable(),
  ciHigh: z.number().nullable(),
  suppressed: z.boolean(),
  suppressedReason: z.enum(['no_answers', 'small_sample', 'complementary']).nullable(),
  rank: z.number().int().nullable(),
  band: z.enum(['above', 'around', 'below']).nullable(),
  excluded: z.number().int(),
  excludedByRule: z.record(z.string(), z.number().int()).describe('flagged answers left out, per misuse rule'),
  previous: z
    .object({ n: z.number().int(), value: z.number(), change: z.number(), significant: z.boolean(), p: z.number() })
    .nullable(),
});

export const scoreQuery = z.strictObject({
  index: indexCode,
  period: z.string().max(10).describe('YYYY-MM, YYYY-Qn or YYYY'),
  sector: z.enum(['administration', 'health']).optional(),
  unit: z.string().max(40).optional(),
  channel: z.string().max(20).optional().describe('one of the index channels; the first is the default. Never pooled.'),
  version: z.coerce.number().int().min(1).optional(),
  include: z.enum(['province']).optional().describe('province: the provincial (sector) total as the first row'),
  format: z.enum(['json', 'csv', 'xlsx']).default('json'),
});

const EXPORT_COLUMNS: [keyof ScoreRow, string][] = [
  ['unit', 'Mã đơn vị'],
  ['unitName', 'Đơn vị'],
  ['n', 'Số câu trả lời (n)'],
  ['value', 'Giá trị'],
  ['ciLow', 'Cận dưới 95%'],
  ['ciHigh', 'Cận trên 95%'],
  ['suppressed', 'Ẩn (chưa đủ câu trả lời)'],
  ['rank', 'Hạng'],
  ['band', 'Nhóm so với bình quân tỉnh'],
  ['excluded', 'Câu trả lời bị loại (gian lận)'],
];

function summary(x: Awaited<ReturnType<typeof listIndices>>[number]) {
  const d = x.definition;
  return {
    code: x.code,
    version: x.version,
    builtin: x.builtin,
    name: d.name,
    sector: d.sector,
    kind: d.formula.kind,
    channels: [...channelsOf(d.formula)],
    display: d.display,
    higherIsBetter: d.higherIsBetter,
  };
}

export function registerScoringRoutes(root: FastifyInstance, ctx: AppContext) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db } = ctx;

  app.get(
    '/api/v1/indices',
    {
      config: { action: 'scores.read' },
      schema: { tags: ['scores'], summary: 'Index codes with their current version', response: { 200: z.array(indexSummary) } },
    },
    async (req) => (await listIndices(db, principal(req).tenantId)).map(summary),
  );

  app.get(
    '/api/v1/indices/:code',
    {
      config: { action: 'scores.read' },
      schema: {
        tags: ['scores'],
        summary: 'One index: its definition (formula, items, channels) and its versions',
        params: z.strictObject({ code: indexCode }),
        querystring: z.strictObject({ version: z.coerce.number().int().min(1).optional() }),
      },
    },
    async (req) => {
      const tid = principal(req).tenantId;
      const x = await indexVersion(db, tid, req.params.code, req.query.version);
      if (!x) throw notFound('index.not_found', `no index ${req.params.code}`);
      return { ...summary(x), definition: x.definition, versions: await indexVersions(db, tid, x.code) };
    },
  );

  app.put(
    '/api/v1/indices/:code',
    {
      config: { action: 'indices.write' },
      schema: {
        tags: ['scores'],
        summary: 'Publish a new version of an index (or a new index); earlier versions stay frozen',
        params: z.strictObject({ code: indexCode }),
        body: z.strictObject({ definition: z.unknown(), note: z.string().max(500).optional() }),
        response: { 201: z.object({ code: z.string(), version: z.number().int() }) },
      },
    },
    async (req: FastifyRequest<{ Params: { code: string }; Body: { definition: unknown; note?: string } }>, reply) => {
      await requireTenantWide(db, req, 'indices.write', 'a tenant-wide grant is needed to change indices');
      const r = await publishIndex(db, {
        tenantId: principal(req).tenantId,
        actor: actorOf(req),
        code: req.params.code,
        definition: req.body.definition,
        note: req.body.note,
        requestId: req.id,
      });
      return reply.status(201).send(r);
    },
  );

  app.get(
    '/api/v1/scores',
    {
      config: { action: 'scores.read' },
      schema: {
        tags: ['scores'],
        summary: 'Scores of one index for a period, per unit, with 95% intervals, suppression, ranks and bands',
        description:
          'Below 10 answers a unit is suppressed (and one more where the total would reveal it); units are ranked only from 30 answers, on phone or event-based indices; units whose intervals overlap share a rank.',
        querystring: scoreQuery,
        response: { 200: z.array(scoreRow) },
      },
    },
    async (req, reply) => {
      const p = principal(req);
      const s = await tenantSettings(ctx, p.tenantId);
      const q = req.query;
      const r = await scoreIndex(
        db,
        {
          tenantId: p.tenantId,
          timeZone: s.timeZone,
          index: q.index,
          period: q.period,
          channel: q.channel,
          sector: q.sector,
          unit: q.unit,
          version: q.version,
        },
        await unitScope(db, p, 'scores.read'),
      );
      const rows = q.include === 'province' ? [r.province, ...r.rows] : r.rows;
      reply.header('x-index-version', String(r.version));
      if (r.channel) reply.header('x-score-channel', r.channel);
      if (q.format === 'json') return rows;
      const file = await exportTable(
        q.format,
        { file: `diem-${r.index}-${r.period}${r.channel ? `-${r.channel}` : ''}`, sheet: `${r.index} ${r.period}` },
        EXPORT_COLUMNS.map(([, h]) => h),
        rows.map((row) =>
          EXPORT_COLUMNS.map(([k]) => {
            const v = row[k];
            return typeof v === 'boolean' ? (v ? 'có' : 'không') : (v as string | number | null);
          }),
        ),
      );
      return sendExport(reply, file);
    },
  );

  const snapshotId = z.strictObject({ id: z.string().max(40) });
  const boardWide = (req: FastifyRequest) =>
    requireTenantWide(db, req, 'snapshots.manage', 'a tenant-wide grant is needed to freeze or publish scores');

  app.get(
    '/api/v1/snapshots',
    {
      config: { action: 'snapshots.read' },
      schema: { tags: ['scores'], summary: 'Frozen score periods, in review or published, newest first' },
    },
    async (req) => listSnapshots(db, principal(req).tenantId),
  );

  app.post(
    '/api/v1/snapshots',
    {
      config: { action: 'snapshots.manage' },
      schema: {
        tags: ['scores'],
        summary: 'Freeze a period of one sector for review: every index, the versions used and a hash of the inputs',
        description: 'Unit managers may reply until the window closes (replyDays, default the tenant setting or 7).',
        body: z.strictObject({
          period: z.string().max(10),
          sector: z.enum(['administration', 'health']),
          replyDays: z.number().int().min(0).max(60).optional(),
        }),
        response: { 201: z.object({ id: z.string(), inputsHash: z.string() }) },
      },
    },
    async (req, reply) => {
      await boardWide(req);
      const p = principal(req);
      const s = await tenantSettings(ctx, p.tenantId);
      const replyDays = req.body.replyDays ?? s.replyDays;
      const r = await createSnapshot(db, {
        tenantId: p.tenantId,
        timeZone: s.timeZone,
        period: req.body.period,
        sector: req.body.sector,
        replyDays,
        actor: actorOf(req),
        requestId: req.id,
      });
      return reply.status(201).send(r);
    },
  );

  app.get(
    '/api/v1/snapshots/:id',
    {
      config: { action: 'snapshots.read' },
      schema: { tags: ['scores'], summary: 'A snapshot with its figures, replies and corrections', params: snapshotId },
    },
    async (req) => {
      const p = principal(req);
      const d = await snapshotDetail(db, p.tenantId, req.params.id);
      const scope = await unitScope(db, p, 'snapshots.read');
      const s = d.snapshot;
      const results = (s.results as SnapshotResult[]).map((r) => ({
        ...r,
        rows: scope.all ? r.rows : r.rows.filter((x) => d.units.get(x.unit) && inScope(scope, d.units.get(x.unit) as string)),
      }));
      return {
        id: s.id,
        period: s.period,
        sector: s.sector,
        status: s.status,
        method: s.method,
        methodVersion: s.method_version,
        inputsHash: s.inputs_hash,
        replyUntil: s.reply_until.toISOString(),
        createdBy: s.created_by,
        createdAt: s.created_at.toISOString(),
        publishedAt: s.published_at?.toISOString() ?? null,
        results,
        replies: d.replies
          .filter((r) => inScope(scope, r.unit_id))
          .map((r) => ({
            id: r.id,
            unit: r.unit,
            unitName: r.unitName,
            text: r.text,
            author: r.author,
            createdAt: r.created_at.toISOString(),
          })),
        corrections: d.corrections,
      };
    },
  );

  app.post(
    '/api/v1/snapshots/:id/replies',
    {
      config: { action: 'snapshots.reply' },
      schema: {
        tags: ['scores'],
        summary: "A unit's reply to its figures before publication (right of reply)",
        params: snapshotId,
        body: z.strictObject({ unit: z.string().min(1).max(40), text: z.string().trim().min(1).max(4000) }),
        response: { 201: z.object({ id: z.string(), createdAt: z.string() }) },
      },
    },
    async (req, reply) => {
      const p = principal(req);
      const unitId = await unitInScope(db, p.tenantId, req.body.unit, await unitScope(db, p, 'snapshots.reply'));
      const r = await replyToSnapshot(db, {
        tenantId: p.tenantId,
        id: req.params.id,
        unitId,
        text: req.body.text,
        actor: actorOf(req),
        requestId: req.id,
      });
      return reply.status(201).send(r);
    },
  );

  app.post(
    '/api/v1/snapshots/:id/recompute',
    {
      config: { action: 'snapshots.manage' },
      schema: {
        tags: ['scores'],
        summary: 'Correct a snapshot in review: recompute it with the same index versions; the change is logged',
        params: snapshotId,
        body: z.strictObject({ reason: z.string().trim().min(3).max(1000) }),
      },
    },
    async (req) => {
      await boardWide(req);
      const p = principal(req);
      const s = await tenantSettings(ctx, p.tenantId);
      return recomputeSnapshot(db, {
        tenantId: p.tenantId,
        timeZone: s.timeZone,
        id: req.params.id,
        reason: req.body.reason,
        actor: actorOf(req),
        requestId: req.id,
      });
    },
  );

  app.post(
    '/api/v1/snapshots/:id/publish',
    {
      config: { action: 'snapshots.manage' },
      schema: {
        tags: ['scores'],
        summary: 'Publish a snapshot once its reply window has closed; it is frozen from then on',
        params: snapshotId,
      },
    },
    async (req) => {
      await boardWide(req);
      const p = principal(req);
      return publishSnapshot(db, { tenantId: p.tenantId, id: req.params.id, actor: actorOf(req), requestId: req.id });
    },
  );

  app.get(
    '/api/v1/alerts',
    {
      config: { action: 'scores.read' },
      schema: {
        tags: ['scores'],
        summary:
          'Alerts with their evidence: significant drops, paying without a receipt, kiosk-phone gaps, units under the minimum sample twice',
        querystring: z.strictObject({
          period: z.string().max(10),
          sector: z.enum(['administration', 'health']).default('administration'),
        }),
      },
    },
    async (req) => {
      const p = principal(req);
      const period = periodOrThrow(req.query.period);
      const s = await tenantSettings(ctx, p.tenantId);
      const alerts = await computeAlerts(db, { tenantId: p.tenantId, timeZone: s.timeZone, period, sector: req.query.sector });
      const scope = await unitScope(db, p, 'scores.read');
      if (scope.all) return alerts;
      const ids = new Map(
        (await db.selectFrom('units').select(['id', 'code']).where('tenant_id', '=', p.tenantId).execute()).map((u) => [
          u.code,
          u.id,
        ]),
      );
      return alerts.filter((a) => inScope(scope, ids.get(a.unit) ?? null));
    },
  );

  const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');
  app.get(
    '/api/v1/scores/trend',
    {
      config: { action: 'scores.read' },
      schema: {
        tags: ['scores'],
        summary: 'One index over time for the province or one unit: by month, quarter or year',
        querystring: z.strictObject({
          index: indexCode,
          from: month,
          to: month,
          step: z.enum(['month', 'quarter', 'year']).default('month'),
          unit: z.string().max(40).optional(),
          sector: z.enum(['administration', 'health']).optional(),
          channel: z.string().max(20).optional(),
        }),
      },
    },
    async (req) => {
      const p = principal(req);
      const q = req.query;
      if (q.from > q.to) throw new AppError(422, 'period.invalid', 'from must not be after to');
      const s = await tenantSettings(ctx, p.tenantId);
      const scope = await unitScope(db, p, 'scores.read');
      const periods = periodsBetween(q.from, q.to, q.step, 60);
      // The same checks and errors as /scores (index, channel, unit, scope), without computing anything.
      const { idx, channel } = await resolveScoreQuery(
        db,
        { tenantId: p.tenantId, timeZone: s.timeZone, index: q.index, period: q.from, channel: q.channel, unit: q.unit },
        scope,
      );
      let root = '';
      const points = [];
      for (const period of periods) {
        const key = JSON.stringify(['trend', idx.code, idx.version, period.code, channel, q.sector ?? null]);
        const r = await cachedScores(p.tenantId, key, () =>
          computeScores(db, {
            tenantId: p.tenantId,
            timeZone: s.timeZone,
            code: idx.code,
            version: idx.version,
            definition: idx.definition,
            period,
            channel,
            sector: q.sector,
            withPrevious: false,
          }),
        );
        root = r.province.unit;
        const row = q.unit ? r.rows.find((x) => x.unit === q.unit) : r.province;
        points.push({
          period: period.code,
          n: row?.n ?? 0,
          value: row?.value ?? null,
          ciLow: row?.ciLow ?? null,
          ciHigh: row?.ciHigh ?? null,
          suppressed: row?.suppressed ?? true,
        });
      }
      return { index: idx.code, unit: q.unit ?? root, channel, step: q.step, points };
    },
  );

  app.get(
    '/api/v1/scores/reasons',
    {
      config: { action: 'scores.read' },
      schema: {
        tags: ['scores'],
        summary: 'The reasons a unit’s respondents chose most often in a period (kiosk and interview reason lists)',
        querystring: z.strictObject({ unit: z.string().min(1).max(40), period: z.string().max(10) }),
      },
    },
    async (req) => {
      const p = principal(req);
      const period = periodOrThrow(req.query.period);
      const unitId = await unitInScope(db, p.tenantId, req.query.unit, await unitScope(db, p, 'scores.read'));
      const s = await tenantSettings(ctx, p.tenantId);
      return reasonCounts(db, { tenantId: p.tenantId, timeZone: s.timeZone, unitId, period });
    },
  );
}
