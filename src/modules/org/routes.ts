// Thin routes: schema -> authenticate (hook) -> policy -> one command or query.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Role } from '../../db/types.ts';
import type { Actor } from '../../platform/audit.ts';
import { verifyAudit } from '../../platform/audit.ts';
import { unitScope } from '../../platform/auth/policy.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { principal } from '../../platform/http.ts';
import { createApiToken } from './commands/create-token.ts';
import { createUser } from './commands/create-user.ts';
import { grantRole } from './commands/grant-role.ts';
import { importUnits } from './commands/import-units.ts';
import { revokeGrant } from './commands/revoke-grant.ts';
import { revokeApiToken } from './commands/revoke-token.ts';
import { updateUser } from './commands/update-user.ts';
import './policy.ts';
import { listAudit, listServices, listTokens, listUnits, listUsers } from './queries.ts';
import {
  auditRowSchema,
  createGrantBody,
  createTokenBody,
  createUserBody,
  grantSchema,
  idParams,
  importResultSchema,
  serviceSchema,
  tokenSchema,
  unitListQuery,
  unitSchema,
  updateUserBody,
  userSchema,
} from './schema.ts';

function who(req: FastifyRequest): { tenantId: string; actor: Actor; requestId: string } {
  const p = principal(req);
  return { tenantId: p.tenantId, actor: { type: p.kind, id: p.id, name: p.name }, requestId: req.id };
}

export function registerOrgRoutes(root: FastifyInstance, ctx: AppContext) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db, vault } = ctx;
  const scopeOf = (req: FastifyRequest, action: string) => unitScope(db, principal(req), action);
  const stripId = <T extends { id: string }>({ id: _id, ...rest }: T) => rest;

  app.get(
    '/api/v1/units',
    {
      config: { action: 'units.read' },
      schema: {
        tags: ['org'],
        summary: 'Units in the caller’s scope (closed units included unless current=true)',
        querystring: unitListQuery,
        response: { 200: z.array(unitSchema) },
      },
    },
    async (req) => {
      const p = principal(req);
      const units = await listUnits(db, p.tenantId, await scopeOf(req, 'units.read'), {
        search: req.query.search,
        current: req.query.current === 'true',
      });
      return units.map(stripId);
    },
  );

  app.get(
    '/api/v1/units/:code',
    {
      config: { action: 'units.read' },
      schema: {
        tags: ['org'],
        summary: 'One unit by code',
        params: z.strictObject({ code: z.string().max(64) }),
        response: { 200: unitSchema },
      },
    },
    async (req) => {
      const p = principal(req);
      const [unit] = await listUnits(db, p.tenantId, await scopeOf(req, 'units.read'), { code: req.params.code });
      if (!unit) throw notFound('unit.not_found');
      return stripId(unit);
    },
  );

  app.post(
    '/api/v1/units/import',
    {
      config: { action: 'units.write' },
      bodyLimit: 5 * 1024 * 1024,
      schema: {
        tags: ['org'],
        summary: 'Import or update the unit tree from CSV (all rows or none)',
        description:
          'Body: text/csv with columns code,name,kind,sector,parent_code,kiosks and optionally valid_from,valid_to,successor_code. Any invalid row -> 422 import.rows_invalid with every row-numbered reason; nothing is written.',
        body: z.string().max(5 * 1024 * 1024),
        response: { 200: importResultSchema },
      },
    },
    async (req) => {
      const scope = await scopeOf(req, 'units.write');
      if (!scope.all) throw new AppError(403, 'auth.forbidden', 'importing the tree needs a tenant-wide grant');
      return importUnits(db, { ...who(req), text: req.body });
    },
  );

  app.get(
    '/api/v1/services',
    {
      config: { action: 'services.read' },
      schema: {
        tags: ['org'],
        summary: 'The service catalogue: administrative procedures and health service types',
        querystring: z.strictObject({ search: z.string().max(200).optional() }),
        response: { 200: z.array(serviceSchema) },
      },
    },
    async (req) => listServices(db, principal(req).tenantId, req.query.search),
  );

  const findUser = async (req: FastifyRequest, id: string) => {
    const [user] = await listUsers(db, vault, principal(req).tenantId, await scopeOf(req, 'users.manage'), id);
    if (!user) throw notFound('user.not_found');
    return user;
  };

  app.get(
    '/api/v1/users',
    {
      config: { action: 'users.manage' },
      schema: { tags: ['users'], summary: 'Staff accounts the caller administers', response: { 200: z.array(userSchema) } },
    },
    async (req) => listUsers(db, vault, principal(req).tenantId, await scopeOf(req, 'users.manage')),
  );

  app.post(
    '/api/v1/users',
    {
      config: { action: 'users.manage' },
      schema: { tags: ['users'], summary: 'Create a staff account', body: createUserBody, response: { 201: userSchema } },
    },
    async (req, reply) => {
      const { id } = await createUser(db, vault, { ...who(req), ...req.body });
      // A new user without grants is visible only to tenant-wide admins; return it directly.
      const [user] = await listUsers(db, vault, principal(req).tenantId, { all: true }, id);
      if (!user) throw notFound('user.not_found');
      return reply.status(201).send(user);
    },
  );

  app.patch(
    '/api/v1/users/:id',
    {
      config: { action: 'users.manage' },
      schema: {
        tags: ['users'],
        summary: 'Rename, disable or enable a user, or set a new password (ends the user’s sessions)',
        params: idParams,
        body: updateUserBody,
        response: { 200: userSchema },
      },
    },
    async (req) => {
      await findUser(req, req.params.id);
      await updateUser(db, { ...who(req), userId: req.params.id, ...req.body });
      return findUser(req, req.params.id);
    },
  );

  app.post(
    '/api/v1/users/:id/grants',
    {
      config: { action: 'users.manage' },
      schema: {
        tags: ['users'],
        summary: 'Grant a role on a unit subtree (unitCode null: the whole tenant)',
        params: idParams,
        body: createGrantBody,
        response: { 201: grantSchema },
      },
    },
    async (req, reply) => {
      const scope = await scopeOf(req, 'users.manage');
      const visible = await listUsers(db, vault, principal(req).tenantId, scope, req.params.id);
      const exists = await db
        .selectFrom('users')
        .select('id')
        .where('tenant_id', '=', principal(req).tenantId)
        .where('id', '=', req.params.id)
        .executeTakeFirst();
      // Users with no grant yet may be given their first one by a scoped admin.
      if (!exists || (!visible.length && !scope.all && (await hasGrants(req.params.id)))) throw notFound('user.not_found');
      const g = await grantRole(db, {
        ...who(req),
        scope,
        userId: req.params.id,
        role: req.body.role as Role,
        unitCode: req.body.unitCode,
      });
      return reply.status(201).send({ id: g.id, role: req.body.role, unitCode: req.body.unitCode, unitName: g.unitName });
    },
  );
  const hasGrants = async (userId: string) =>
    Boolean(await db.selectFrom('role_grants').select('id').where('user_id', '=', userId).executeTakeFirst());

  app.delete(
    '/api/v1/users/:id/grants/:grantId',
    {
      config: { action: 'users.manage' },
      schema: {
        tags: ['users'],
        summary: 'Revoke a grant',
        params: z.strictObject({ id: z.uuid(), grantId: z.uuid() }),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await findUser(req, req.params.id);
      await revokeGrant(db, {
        ...who(req),
        scope: await scopeOf(req, 'users.manage'),
        userId: req.params.id,
        grantId: req.params.grantId,
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/tokens',
    {
      config: { action: 'tokens.manage' },
      schema: { tags: ['tokens'], summary: 'API tokens for unit systems', response: { 200: z.array(tokenSchema) } },
    },
    async (req) => listTokens(db, principal(req).tenantId, await scopeOf(req, 'tokens.manage')),
  );

  app.post(
    '/api/v1/tokens',
    {
      config: { action: 'tokens.manage' },
      schema: {
        tags: ['tokens'],
        summary: 'Create a named API token; the secret is returned once',
        body: createTokenBody,
        response: { 201: tokenSchema.extend({ token: z.string().describe('the secret; shown only now') }) },
      },
    },
    async (req, reply) => {
      const t = await createApiToken(db, {
        ...who(req),
        scope: await scopeOf(req, 'tokens.manage'),
        name: req.body.name,
        role: req.body.role as Role,
        unitCode: req.body.unitCode ?? null,
      });
      return reply.status(201).send({
        id: t.id,
        name: req.body.name,
        role: req.body.role,
        unitCode: t.unitCode,
        prefix: t.prefix,
        createdAt: t.createdAt.toISOString(),
        lastUsedAt: null,
        revokedAt: null,
        token: t.token,
      });
    },
  );

  app.delete(
    '/api/v1/tokens/:id',
    {
      config: { action: 'tokens.manage' },
      schema: { tags: ['tokens'], summary: 'Revoke an API token at once', params: idParams, response: { 204: z.null() } },
    },
    async (req, reply) => {
      await revokeApiToken(db, { ...who(req), scope: await scopeOf(req, 'tokens.manage'), tokenId: req.params.id });
      return reply.status(204).send(null);
    },
  );

  const tenantWide = async (req: FastifyRequest) => {
    if (!(await scopeOf(req, 'audit.read')).all)
      throw new AppError(403, 'auth.forbidden', 'the audit log needs a tenant-wide grant');
  };

  app.get(
    '/api/v1/audit',
    {
      config: { action: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'Newest audit rows first',
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
        response: { 200: z.array(auditRowSchema) },
      },
    },
    async (req) => {
      await tenantWide(req);
      return listAudit(db, principal(req).tenantId, req.query.limit);
    },
  );

  app.get(
    '/api/v1/audit/verify',
    {
      config: { action: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'Check the audit hash chain',
        response: {
          200: z.object({
            ok: z.boolean(),
            checked: z.number().int(),
            firstBadSeq: z.number().int().nullable(),
            problem: z.string().nullable(),
          }),
        },
      },
    },
    async (req) => {
      await tenantWide(req);
      return verifyAudit(db, principal(req).tenantId);
    },
  );
}
