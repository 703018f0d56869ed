import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { tenantByCode, tenantById } from '../../modules/org/queries.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { principal, SECURE_SESSION_COOKIE, SESSION_COOKIE } from '../http.ts';
import { dummyHash, verifyPassword } from './passwords.ts';
import { permissionsOf } from './policy.ts';
import { createSession, revokeSession } from './sessions.ts';
import { checkLoginThrottle, recordLoginAttempt } from './throttle.ts';

const userOut = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  language: z.enum(['vi', 'en']),
});

function setSessionCookie(req: FastifyRequest, reply: FastifyReply, token: string, maxMs: number) {
  const secure = req.protocol === 'https';
  // __Host- cookies need HTTPS; plain-HTTP development on localhost uses the bare name.
  reply.setCookie(secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    secure,
    sameSite: 'strict',
    maxAge: Math.floor(maxMs / 1000),
  });
}

export function registerAuthRoutes(root: FastifyInstance, ctx: AppContext) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const timeouts = { idleMs: ctx.config.sessionIdleMs, maxMs: ctx.config.sessionMaxMs };

  app.post(
    '/api/v1/auth/login',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Log in with a username and password; sets the session cookie',
        body: z.strictObject({
          username: z.string().trim().toLowerCase().min(1).max(64),
          password: z.string().min(1).max(1024),
          tenant: z.string().max(32).optional().describe('tenant code; the default tenant when absent'),
        }),
        response: { 200: z.object({ user: userOut, csrfToken: z.string() }) },
      },
    },
    async (req, reply) => {
      const origin = req.headers.origin;
      if (origin && origin !== `${req.protocol}://${req.host}`) throw new AppError(403, 'auth.csrf');
      const tenant = await tenantByCode(ctx.db, req.body.tenant ?? ctx.config.tenantCode);
      if (!tenant) throw new AppError(401, 'auth.invalid_credentials');
      const { username, password } = req.body;
      await checkLoginThrottle(ctx.db, tenant.id, username, req.ip);
      const user = await ctx.db
        .selectFrom('users')
        .select(['id', 'username', 'display_name', 'language', 'password_hash', 'disabled_at'])
        .where('tenant_id', '=', tenant.id)
        .where('username', '=', username)
        .executeTakeFirst();
      const ok = await verifyPassword(password, user?.password_hash ?? (await dummyHash()));
      if (!user || !ok || user.disabled_at) {
        await recordLoginAttempt(ctx.db, tenant.id, username, req.ip, false);
        throw new AppError(401, 'auth.invalid_credentials');
      }
      await recordLoginAttempt(ctx.db, tenant.id, username, req.ip, true);
      const s = await createSession(ctx.db, timeouts, {
        tenantId: tenant.id,
        userId: user.id,
        ip: req.ip,
        userAgent: req.headers['user-agent'],
      });
      setSessionCookie(req, reply, s.token, ctx.config.sessionMaxMs);
      req.log.info({ userId: user.id }, 'login');
      return {
        user: { id: user.id, username: user.username, displayName: user.display_name, language: user.language },
        csrfToken: s.csrfToken,
      };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { action: 'authenticated' },
      schema: { tags: ['auth'], summary: 'End the current session', response: { 204: z.null() } },
    },
    async (req, reply) => {
      const p = principal(req);
      if (p.sessionId) await revokeSession(ctx.db, p.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      reply.clearCookie(SECURE_SESSION_COOKIE, { path: '/', secure: true });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      config: { action: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user or token: grants, permissions and the anti-forgery token',
        response: {
          200: z.object({
            user: userOut.nullable(),
            tenant: z.object({ code: z.string(), name: z.string(), timeZone: z.string() }),
            grants: z.array(
              z.object({
                id: z.string().nullable(),
                role: z.string(),
                unitCode: z.string().nullable(),
                unitName: z.string().nullable(),
              }),
            ),
            permissions: z.array(z.string()),
            tenantWidePermissions: z
              .array(z.string())
              .describe('permissions held through a grant on the whole tenant (needed to change instruments)'),
            csrfToken: z.string().nullable(),
          }),
        },
      },
    },
    async (req) => {
      const p = principal(req);
      const tenant = await tenantById(ctx.db, p.tenantId);
      const user =
        p.kind === 'user'
          ? await ctx.db
              .selectFrom('users')
              .select(['id', 'username', 'display_name', 'language'])
              .where('id', '=', p.id)
              .executeTakeFirstOrThrow()
          : undefined;
      const unitIds = p.grants.map((g) => g.unitId).filter((x): x is string => x !== null);
      const units = unitIds.length
        ? await ctx.db.selectFrom('units').select(['id', 'code', 'name']).where('id', 'in', unitIds).execute()
        : [];
      const grantRows =
        p.kind === 'user'
          ? await ctx.db.selectFrom('role_grants').select(['id', 'role', 'unit_id']).where('user_id', '=', p.id).execute()
          : p.grants.map((g) => ({ id: null, role: g.role, unit_id: g.unitId }));
      return {
        user: user ? { id: user.id, username: user.username, displayName: user.display_name, language: user.language } : null,
        tenant: { code: tenant.code, name: tenant.name, timeZone: tenant.time_zone },
        grants: grantRows.map((g) => {
          const u = units.find((x) => x.id === g.unit_id);
          return { id: g.id, role: g.role, unitCode: u?.code ?? null, unitName: u?.name ?? null };
        }),
        permissions: permissionsOf(p),
        tenantWidePermissions: permissionsOf({ ...p, grants: p.grants.filter((g) => g.unitId === null) }),
        csrfToken: p.csrfToken ?? null,
      };
    },
  );
}
