// Upload of monthly lists: preview of the detected mapping, the import itself
// (multipart), and the history of imports with their reports.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { unitScope } from '../../platform/auth/policy.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, fieldCode, notFound } from '../../platform/errors.ts';
import { principal } from '../../platform/http.ts';
import { importEventsFile, previewFile } from './commands/import-file.ts';
import { DEFAULT_LIMITS, type EventKind, type Field, type Mapping } from './import/index.ts';
import { tenantSettings } from './routes.ts';
import { EVENT_KINDS } from './schema.ts';

const FIELDS = [
  'unit',
  'externalId',
  'kind',
  'service',
  'receivedAt',
  'dueAt',
  'returnedAt',
  'promisedAt',
  'status',
  'channel',
  'name',
  'phone',
  'gender',
  'ethnicMinority',
  'department',
] as const satisfies readonly Field[];

const mappingSchema = z.strictObject({
  headerRow: z.number().int().min(1).max(1000).optional(),
  mapping: z.record(z.string().regex(/^\d{1,3}$/), z.enum(FIELDS)),
});

type Upload = { file: string; filename: string; fields: Record<string, string> };

/** Streams the multipart file to a temporary file; collects the other fields. */
async function receiveUpload(req: FastifyRequest): Promise<Upload> {
  let upload: Upload | undefined;
  const fields: Record<string, string> = {};
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file' || upload) {
        part.file.resume();
        continue;
      }
      const file = path.join(tmpdir(), `mscore-upload-${randomUUID()}`);
      upload = { file, filename: part.filename || 'upload', fields };
      await pipeline(part.file, createWriteStream(file, { mode: 0o600 }));
      if (part.file.truncated) {
        await rm(file, { force: true });
        throw new AppError(413, 'import.too_large', `the file is larger than ${DEFAULT_LIMITS.maxBytes / 1048576} MB`);
      }
    } else {
      fields[part.fieldname] = String(part.value).slice(0, 100_000);
    }
  }
  if (!upload) throw new AppError(400, 'import.file_missing', 'send the list as the multipart field "file"');
  return upload;
}

function parseFields(fields: Record<string, string>) {
  const f = z
    .strictObject({
      unit: z.string().max(64).optional(),
      kind: z.enum(EVENT_KINDS).optional(),
      mapping: z.string().optional(),
      saveProfile: z.enum(['true', 'false']).optional(),
    })
    .safeParse(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== '')));
  if (!f.success) {
    throw new AppError(400, 'request.invalid', undefined, {
      errors: f.error.issues.map((i) => ({
        path: `body.${i.path.join('.')}`,
        code: fieldCode(i.code),
        message: i.message,
      })),
    });
  }
  let mapping: { headerRow?: number; mapping: Mapping } | undefined;
  if (f.data.mapping) {
    let json: unknown;
    try {
      json = JSON.parse(f.data.mapping);
    } catch {
      throw new AppError(400, 'import.mapping_invalid', 'mapping is not valid JSON');
    }
    const m = mappingSchema.safeParse(json);
    if (!m.success)
      throw new AppError(
        400,
        'import.mapping_invalid',
        m.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      );
    mapping = {
      headerRow: m.data.headerRow,
      mapping: Object.fromEntries(Object.entries(m.data.mapping).map(([k, v]) => [Number(k), v])) as Mapping,
    };
  }
  return { unit: f.data.unit, kind: f.data.kind as EventKind | undefined, mapping, saveProfile: f.data.saveProfile === 'true' };
}

const cellError = z.object({ row: z.number().int(), column: z.string(), code: z.string(), message: z.string() });
const reportSchema = z.object({
  id: z.string(),
  filename: z.string(),
  unit: z.string().nullable(),
  kind: z.enum(EVENT_KINDS),
  headerRow: z.number().int(),
  mapping: z.record(z.string(), z.string()),
  rows: z.number().int().describe('data rows read (blank and footer rows not counted)'),
  accepted: z.number().int().describe('new events'),
  updated: z.number().int(),
  unchanged: z.number().int().describe('rows already stored with the same content'),
  rejected: z.number().int(),
  errors: z.array(cellError).describe('first 1,000 problems, by spreadsheet row number'),
  errorCount: z.number().int(),
  quality: z.object({
    rows: z.number().int(),
    validMobile: z.number().int(),
    withName: z.number().int(),
    withReturnDate: z.number().int(),
  }),
});

export function registerImportRoutes(root: FastifyInstance, ctx: AppContext) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db, vault } = ctx;
  const multipartDoc =
    'multipart/form-data: field `file` (CSV or XLSX) and optional fields `unit`, `kind`, `mapping` (JSON {headerRow?, mapping: {"<column index>": field}}), `saveProfile` (true: remember this mapping for the unit and layout).';

  app.post(
    '/api/v1/imports/preview',
    {
      config: { action: 'events.write' },
      schema: {
        tags: ['imports'],
        summary: 'Detect the header row and column mapping of a list, with a sample, before importing',
        description: multipartDoc,
        response: {
          200: z.object({
            headerRow: z.number().int(),
            headers: z.array(z.string()),
            mapping: z.record(z.string(), z.string()),
            unmapped: z.array(z.string()),
            kind: z.enum(EVENT_KINDS),
            sample: z.array(z.object({ row: z.number().int(), cells: z.array(z.string()) })),
            profile: z.boolean().describe('true: the mapping comes from the unit’s saved profile'),
            fields: z.array(z.string()).describe('fields a column can be mapped to'),
          }),
        },
      },
    },
    async (req, reply) => {
      const up = await receiveUpload(req);
      try {
        const f = parseFields(up.fields);
        const p = principal(req);
        const preview = await previewFile(db, {
          tenantId: p.tenantId,
          scope: await unitScope(db, p, 'events.write'),
          file: up.file,
          unit: f.unit,
        });
        reply.header('cache-control', 'no-store');
        return { ...preview, fields: [...FIELDS] };
      } finally {
        await rm(up.file, { force: true });
      }
    },
  );

  app.post(
    '/api/v1/imports',
    {
      config: { action: 'events.write' },
      schema: {
        tags: ['imports'],
        summary: 'Import a monthly list (CSV or XLSX): good rows stored, each bad row reported; idempotent',
        description: multipartDoc,
        response: { 200: reportSchema },
      },
    },
    async (req) => {
      const up = await receiveUpload(req);
      try {
        const f = parseFields(up.fields);
        const p = principal(req);
        const { timeZone } = await tenantSettings(ctx, p.tenantId);
        return await importEventsFile(db, vault, {
          tenantId: p.tenantId,
          timeZone,
          actor: { type: p.kind, id: p.id, name: p.name },
          requestId: req.id,
          scope: await unitScope(db, p, 'events.write'),
          file: up.file,
          filename: up.filename,
          secretKey: ctx.config.secretKey,
          trusted: ctx.database.kind === 'pglite',
          ...f,
        });
      } finally {
        await rm(up.file, { force: true });
      }
    },
  );

  const historyItem = z.object({
    id: z.string(),
    filename: z.string(),
    unit: z.string().nullable(),
    kind: z.enum(EVENT_KINDS).nullable(),
    status: z.enum(['running', 'done', 'failed']),
    failure: z.string().nullable(),
    rows: z.number().int(),
    accepted: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    rejected: z.number().int(),
    errorCount: z.number().int(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  });

  const historyQuery = (req: FastifyRequest) =>
    unitScope(db, principal(req), 'events.read').then((scope) => {
      let q = db
        .selectFrom('import_batches as b')
        .leftJoin('units as u', 'u.id', 'b.unit_id')
        .where('b.tenant_id', '=', principal(req).tenantId);
      if (!scope.all)
        q = q.where('b.unit_id', 'in', scope.unitIds.length ? scope.unitIds : ['00000000-0000-0000-0000-000000000000']);
      return q;
    });
  const toItem = (b: Record<string, unknown>) => ({
    id: b.id as string,
    filename: b.filename as string,
    unit: (b.unitCode as string | null) ?? null,
    kind: (b.kind as EventKind | null) ?? null,
    status: b.status as 'running' | 'done' | 'failed',
    failure: (b.failure as string | null) ?? null,
    rows: b.rows as number,
    accepted: b.accepted as number,
    updated: b.updated as number,
    unchanged: b.unchanged as number,
    rejected: b.rejected as number,
    errorCount: b.error_count as number,
    createdBy: (b.created_by as string | null) ?? null,
    createdAt: (b.created_at as Date).toISOString(),
    finishedAt: (b.finished_at as Date | null)?.toISOString() ?? null,
  });

  app.get(
    '/api/v1/imports',
    {
      config: { action: 'events.read' },
      schema: {
        tags: ['imports'],
        summary: 'Import history, newest first (running imports show their progress in rows)',
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: z.array(historyItem) },
      },
    },
    async (req) => {
      const rows = await (await historyQuery(req))
        .selectAll('b')
        .select('u.code as unitCode')
        .orderBy('b.created_at', 'desc')
        .limit(req.query.limit)
        .execute();
      return rows.map((b) => toItem(b as unknown as Record<string, unknown>));
    },
  );

  app.get(
    '/api/v1/imports/:id',
    {
      config: { action: 'events.read' },
      schema: {
        tags: ['imports'],
        summary: 'One import with its report',
        params: z.strictObject({ id: z.uuid() }),
        response: {
          200: historyItem.extend({
            headerRow: z.number().int().nullable(),
            mapping: z.record(z.string(), z.string()).nullable(),
            errors: z.array(cellError),
            quality: z
              .object({
                rows: z.number().int(),
                validMobile: z.number().int(),
                withName: z.number().int(),
                withReturnDate: z.number().int(),
              })
              .partial(),
          }),
        },
      },
    },
    async (req) => {
      const b = await (await historyQuery(req))
        .selectAll('b')
        .select('u.code as unitCode')
        .where('b.id', '=', req.params.id)
        .executeTakeFirst();
      if (!b) throw notFound('import.not_found');
      return {
        ...toItem(b as unknown as Record<string, unknown>),
        headerRow: b.header_row,
        mapping: (b.mapping as Record<string, string> | null) ?? null,
        errors: b.errors as z.infer<typeof cellError>[],
        quality: b.quality as Record<string, number>,
      };
    },
  );
}
