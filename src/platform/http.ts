// Cross-cutting HTTP pieces: problem+json errors, language, authentication and
// the policy check that every /api/v1 route goes through.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { Executor } from '../db/index.ts';
import { type Principal, requirePermission, rolesFor, unitScope } from './auth/policy.ts';
import { resolveApiToken, resolveSession, sameSecret } from './auth/sessions.ts';
import type { AppContext } from './context.ts';
import { AppError, type FieldError, fieldCode, forbidden, problemBody } from './errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Policy action the route performs; 'authenticated' = any signed-in principal. */
    action?: string;
    /** Route open without authentication (health, login, docs). */
    public?: boolean;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyInstance {
    /** Every /api/v1 route with its policy action, for the access-matrix test and docs. */
    apiRoutes: { method: string; url: string; action: string | null }[];
  }
}

export const SESSION_COOKIE = 'mscore_session';
export const SECURE_SESSION_COOKIE = '__Host-mscore_session';

export function langOf(req: FastifyRequest): 'vi' | 'en' {
  const h = req.headers['accept-language'];
  return typeof h === 'string' && /^en\b/i.test(h.trim()) ? 'en' : 'vi';
}

export function sendProblem(
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  detail?: string,
  extra: Record<string, unknown> = {},
) {
  return reply
    .status(status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(problemBody(status, code, langOf(req), req.id, detail, extra));
}

/** The authenticated principal of a route that declared an action. */
export function principal(req: FastifyRequest): Principal {
  if (!req.principal) throw new AppError(401, 'auth.required');
  return req.principal;
}

/** The signed-in principal as the audit log's actor. */
export function actorOf(req: FastifyRequest) {
  const p = principal(req);
  return { type: p.kind, id: p.id, name: p.name } as const;
}

/** For what reaches every unit (tenant settings, instruments, publication): 403 unless the action is granted tenant-wide. */
export async function requireTenantWide(db: Executor, req: FastifyRequest, action: string, detail: string): Promise<void> {
  if (!(await unitScope(db, principal(req), action)).all) throw forbidden(detail);
}

type ValidationItem = { keyword?: string; instancePath?: string; message?: string; params?: { keys?: string[] } };

function fieldErrors(err: FastifyError): FieldError[] {
  const out: FieldError[] = [];
  for (const v of (err.validation ?? []) as ValidationItem[]) {
    const parts = (v.instancePath ?? '').split('/').filter(Boolean);
    const base = [err.validationContext ?? 'body', ...parts].join('.');
    if (v.keyword === 'unrecognized_keys' && v.params?.keys) {
      for (const k of v.params.keys) out.push({ path: `${base}.${k}`, code: 'field.unknown', message: `unknown field "${k}"` });
      continue;
    }
    out.push({ path: base, code: fieldCode(v.keyword), message: v.message ?? 'invalid' });
  }
  return out;
}

const FASTIFY_CODES: Record<string, [number, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'request.malformed_json'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'request.invalid'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'request.too_large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'request.unsupported_media_type'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'request.invalid'],
  FST_ERR_CTP_INVALID_TYPE: [400, 'request.invalid'],
  FST_ERR_VALIDATION: [400, 'request.invalid'],
};

export function installHttpBasics(app: FastifyInstance, ctx: AppContext) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) {
      for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
      if (err.status >= 500) req.log.error({ err }, 'request failed');
      return sendProblem(req, reply, err.status, err.code, err.message, err.extra);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      return sendProblem(req, reply, 400, 'request.invalid', undefined, { errors: fieldErrors(err) });
    }
    const known = err.code ? FASTIFY_CODES[err.code] : undefined;
    if (known) return sendProblem(req, reply, known[0], known[1], err.message);
    if (err instanceof SyntaxError || (err.statusCode === 400 && /JSON/i.test(err.message))) {
      return sendProblem(req, reply, 400, 'request.malformed_json');
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return sendProblem(req, reply, err.statusCode, err.statusCode === 429 ? 'request.rate_limited' : 'request.invalid');
    }
    req.log.error({ err }, 'unhandled error');
    return sendProblem(req, reply, 500, 'internal');
  });

  // Every /api/v1 route must say what it does (policy) or that it is public.
  app.decorate('apiRoutes', []);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1')) return;
    const cfg = route.config as { action?: string; public?: boolean } | undefined;
    if (!cfg?.public && !cfg?.action) {
      throw new Error(`route ${route.method} ${route.url} declares neither a policy action nor public`);
    }
    if (cfg?.action && cfg.action !== 'authenticated') rolesFor(cfg.action);
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') app.apiRoutes.push({ method, url: route.url, action: cfg?.action ?? null });
    }
  });

  app.addHook('onRequest', async (req, reply) => {
    const cfg = req.routeOptions.config;
    if (!cfg || cfg.public || !cfg.action) return;
    const auth = req.headers.authorization;
    if (auth) {
      const m = /^Bearer\s+(\S+)$/i.exec(auth);
      const p = m?.[1] ? await resolveApiToken(ctx.db, m[1]) : undefined;
      if (!p) return sendProblem(req, reply, 401, 'auth.token_invalid');
      req.principal = p;
    } else {
      const token = req.cookies[SECURE_SESSION_COOKIE] ?? req.cookies[SESSION_COOKIE];
      const p = token
        ? await resolveSession(ctx.db, { idleMs: ctx.config.sessionIdleMs, maxMs: ctx.config.sessionMaxMs }, token)
        : undefined;
      if (!p) return sendProblem(req, reply, 401, token ? 'auth.session_expired' : 'auth.required');
      if (!['GET', 'HEAD', 'OPTIONS'].includes(req.method)) {
        const header = req.headers['x-csrf-token'];
        const originOk = !req.headers.origin || req.headers.origin === `${req.protocol}://${req.host}`;
        if (typeof header !== 'string' || !p.csrfToken || !sameSecret(header, p.csrfToken) || !originOk) {
          return sendProblem(req, reply, 403, 'auth.csrf');
        }
      }
      req.principal = p;
    }
    if (cfg.action !== 'authenticated') requirePermission(req.principal, cfg.action);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (req.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
}
