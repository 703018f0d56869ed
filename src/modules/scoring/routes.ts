// Index definitions and scores (METHODS.md sections 4 and 5).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { unitScope } from '../../platform/auth/policy.ts';
import type { AppContext } from '../../platform/context.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import { principal } from '../../platform/http.ts';
import { exportTable } from '../../platform/table-export.ts';
import { tenantSettings } from '../events/routes.ts';
import { publishIndex } from './commands/publish-index.ts';
import { scoreIndex } from './commands/score-index.ts';
import type { ScoreRow } from './compute.ts';
import { channelsOf, indexCode } from './definition.ts';
import './policy.ts';
import { indexVersion, indexVersions, listIndices } from './queries.ts';

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
      const p = principal(req);
      if (!(await unitScope(db, p, 'indices.write')).all) throw forbidden('a tenant-wide grant is needed to change indices');
      const r = await publishIndex(db, {
        tenantId: p.tenantId,
        actor: { type: p.kind, id: p.id, name: p.name },
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
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .serializer((x: unknown) => x as string)
        .send(file.body as never);
    },
  );
}
