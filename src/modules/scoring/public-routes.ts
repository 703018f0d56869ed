// The public side of publication: the latest published rankings per sector,
// each snapshot as open data (JSON and CSV) and the index methodology. Only
// published snapshots are visible; answers are cacheable (ETag, Cache-Control).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Sector } from '../../db/types.ts';
import type { AppContext } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import { exportTable, sendExport } from '../../platform/table-export.ts';
import { tenantByCode } from '../org/queries.ts';
import type { ScoreRow } from './compute.ts';
import { channelsOf, indexCode } from './definition.ts';
import { listIndices } from './queries.ts';
import { HEADLINE, latestPublished, listSnapshots, type SnapshotResult, snapshotDetail } from './snapshots.ts';

const tenantParam = z.string().max(32).optional().describe('tenant code (default: this installation’s tenant)');
const CACHE = 'public, max-age=300, stale-while-revalidate=3600';

export const publicRow = z.object({
  index: z.string(),
  unit: z.string(),
  unitName: z.string(),
  level: z.enum(['province', 'unit']),
  n: z.number().int(),
  value: z.number().nullable(),
  ciLow: z.number().nullable(),
  ciHigh: z.number().nullable(),
  suppressed: z.boolean(),
  rank: z.number().int().nullable(),
  band: z.enum(['above', 'around', 'below']).nullable(),
  snapshotId: z.string(),
  period: z.string(),
});

const toPublic = (index: string, snapshotId: string, period: string) => (r: ScoreRow) => ({
  index,
  unit: r.unit,
  unitName: r.unitName,
  level: r.level,
  n: r.n,
  value: r.value,
  ciLow: r.ciLow,
  ciHigh: r.ciHigh,
  suppressed: r.suppressed,
  rank: r.rank,
  band: r.band,
  snapshotId,
  period,
});

/** 304 when the client holds this version; otherwise sets the validators. */
function cached(req: FastifyRequest, reply: FastifyReply, etag: string): boolean {
  reply.header('etag', etag).header('cache-control', CACHE).header('vary', 'accept-encoding');
  if (req.headers['if-none-match'] === etag) {
    reply.status(304).send();
    return true;
  }
  return false;
}

export function registerPublicScoreRoutes(root: FastifyInstance, ctx: AppContext) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db } = ctx;
  const tenantOf = async (code?: string) => {
    const t = await tenantByCode(db, code ?? ctx.config.tenantCode);
    if (!t) throw notFound('tenant.not_found');
    return t;
  };

  app.get(
    '/api/public/v1/rankings',
    {
      config: { public: true },
      schema: {
        tags: ['public'],
        summary: "The published snapshot's rows: the latest for the sector, or for a period",
        description:
          'Rows of the sector’s headline index (or ?index=), province first. Suppressed cells have no value; ranks are shared where intervals overlap.',
        querystring: z.strictObject({
          sector: z.enum(['administration', 'health']).default('administration'),
          period: z.string().max(10).optional(),
          index: indexCode.optional(),
          tenant: tenantParam,
        }),
        response: { 200: z.array(publicRow) },
      },
    },
    async (req, reply) => {
      const t = await tenantOf(req.query.tenant);
      const s = await latestPublished(db, t.id, req.query.sector as Sector, req.query.period);
      if (!s) throw notFound('snapshot.not_found', 'nothing is published for this sector and period yet');
      const index = req.query.index ?? HEADLINE[s.sector];
      const r = (s.results as SnapshotResult[]).find((x) => x.index === index);
      if (!r) throw notFound('index.not_found', `the snapshot has no index ${index}`);
      if (cached(req, reply, `"${s.id}:${index}"`)) return reply;
      reply.header('x-snapshot-id', s.id);
      return [r.province, ...r.rows].map(toPublic(index, s.id, s.period));
    },
  );

  app.get(
    '/api/public/v1/snapshots',
    {
      config: { public: true },
      schema: {
        tags: ['public'],
        summary: 'Published snapshots, newest first (open data)',
        querystring: z.strictObject({ tenant: tenantParam }),
      },
    },
    async (req) => {
      const t = await tenantOf(req.query.tenant);
      return (await listSnapshots(db, t.id, true)).map(({ id, period, sector, methodVersion, inputsHash, publishedAt }) => ({
        id,
        period,
        sector,
        methodVersion,
        inputsHash,
        publishedAt,
      }));
    },
  );

  app.get(
    '/api/public/v1/snapshots/:id',
    {
      config: { public: true },
      schema: {
        tags: ['public'],
        summary: 'One published snapshot as open data: every index and unit, JSON or CSV',
        params: z.strictObject({ id: z.string().max(40) }),
        querystring: z.strictObject({ format: z.enum(['json', 'csv']).default('json'), tenant: tenantParam }),
      },
    },
    async (req, reply) => {
      const t = await tenantOf(req.query.tenant);
      const d = await snapshotDetail(db, t.id, req.params.id).catch(() => undefined);
      const s = d?.snapshot;
      if (s?.status !== 'published') throw notFound('snapshot.not_found');
      if (cached(req, reply, `"${s.id}:${req.query.format}"`)) return reply;
      const results = s.results as SnapshotResult[];
      if (req.query.format === 'json') {
        return {
          id: s.id,
          period: s.period,
          sector: s.sector,
          methodVersion: s.method_version,
          method: s.method,
          inputsHash: s.inputs_hash,
          publishedAt: s.published_at?.toISOString() ?? null,
          indices: results.map((r) => ({
            index: r.index,
            version: r.version,
            channel: r.channel,
            ranked: r.ranked,
            rows: [r.province, ...r.rows].map(toPublic(r.index, s.id, s.period)),
          })),
        };
      }
      const headers = [
        'index',
        'version',
        'channel',
        'unit',
        'unit_name',
        'level',
        'n',
        'value',
        'ci_low',
        'ci_high',
        'suppressed',
        'rank',
        'band',
      ];
      const rows = results.flatMap((r) =>
        [r.province, ...r.rows].map((x) => [
          r.index,
          r.version,
          r.channel,
          x.unit,
          x.unitName,
          x.level,
          x.n,
          x.value,
          x.ciLow,
          x.ciHigh,
          x.suppressed ? 'true' : 'false',
          x.rank,
          x.band,
        ]),
      );
      const file = await exportTable('csv', { file: `mscore-${s.sector}-${s.period}`, sheet: s.period }, headers, rows);
      return sendExport(reply, file);
    },
  );

  app.get(
    '/api/public/v1/indices',
    {
      config: { public: true },
      schema: {
        tags: ['public'],
        summary: 'What each index measures and how (methodology)',
        querystring: z.strictObject({ tenant: tenantParam }),
      },
    },
    async (req, reply) => {
      const t = await tenantOf(req.query.tenant);
      const list = await listIndices(db, t.id);
      reply.header('cache-control', CACHE);
      return list.map((x) => ({
        code: x.code,
        version: x.version,
        name: x.definition.name,
        description: x.definition.description ?? null,
        sector: x.definition.sector,
        framework: x.definition.framework ?? null,
        kind: x.definition.formula.kind,
        channels: [...channelsOf(x.definition.formula)],
        display: x.definition.display,
        higherIsBetter: x.definition.higherIsBetter,
      }));
    },
  );
}
