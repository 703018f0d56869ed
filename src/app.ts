// Builds the Fastify app from the platform pieces and the areas' routes.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { registerImportRoutes } from './modules/events/import-routes.ts';
import { registerEventRoutes } from './modules/events/routes.ts';
import { registerInterviewRoutes } from './modules/interviews/routes.ts';
import { registerKioskRoutes } from './modules/kiosk/routes.ts';
import { registerOrgRoutes } from './modules/org/routes.ts';
import { registerResponseRoutes } from './modules/responses/routes.ts';
import { registerPublicScoreRoutes } from './modules/scoring/public-routes.ts';
import { registerScoringRoutes } from './modules/scoring/routes.ts';
import { registerSmsRoutes } from './modules/sms/routes.ts';
import { registerSurveyRoutes } from './modules/surveys/routes.ts';
import { registerAuthRoutes } from './platform/auth/routes.ts';
import type { AppContext } from './platform/context.ts';
import { installHttpBasics, sendProblem } from './platform/http.ts';
import { registerLocalControl } from './platform/local-control.ts';

export const VERSION = '0.1.0';
const WEB_DIST = path.join(import.meta.dirname, '..', 'web', 'dist');

export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log as unknown as FastifyBaseLogger,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    trustProxy: ctx.config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        mediaSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifyMultipart, {
    limits: { fileSize: 200 * 1024 * 1024, files: 1, fields: 10, fieldSize: 100_000, parts: 12 },
  });
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => done(null, body));

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'mscore API',
        version: VERSION,
        description:
          'Citizen scorecard platform. Errors are RFC 9457 problem+json with a stable `code`. Authenticate with the session cookie (writes need the X-CSRF-Token header) or `Authorization: Bearer <token>`.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'mscore_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  installHttpBasics(app, ctx);

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get(
    '/api/health',
    {
      config: { public: true },
      schema: {
        tags: ['platform'],
        summary: 'Liveness and database reachability',
        response: {
          200: z.object({
            status: z.literal('ok'),
            version: z.string(),
            database: z.enum(['pglite', 'postgres']),
            time: z.string(),
          }),
        },
      },
    },
    async () => {
      await sql`select 1`.execute(ctx.db);
      return { status: 'ok' as const, version: VERSION, database: ctx.database.kind, time: new Date().toISOString() };
    },
  );

  registerAuthRoutes(app, ctx);
  registerOrgRoutes(app, ctx);
  registerEventRoutes(app, ctx);
  registerImportRoutes(app, ctx);
  registerSurveyRoutes(app, ctx);
  registerResponseRoutes(app, ctx);
  registerScoringRoutes(app, ctx);
  registerPublicScoreRoutes(app, ctx);
  registerKioskRoutes(app, ctx);
  registerInterviewRoutes(app, ctx);
  registerSmsRoutes(app, ctx);
  registerLocalControl(app, ctx);

  const hasWeb = existsSync(path.join(WEB_DIST, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: WEB_DIST,
      wildcard: false,
      index: ['index.html'],
      preCompressed: true,
      // Built assets carry a content hash in their names: cache them for good.
      setHeaders: (reply, filePath) => {
        reply.header(
          'cache-control',
          filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  if (hasWeb) {
    // The web survey reached by QR code or link: /s/CODE serves its page.
    app.get('/s/:code', { config: { public: true }, schema: { hide: true } }, (_req, reply) =>
      reply.header('cache-control', 'no-cache').sendFile('s/index.html'),
    );
  }
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || req.method !== 'GET') return sendProblem(req, reply, 404, 'request.not_found');
    if (!hasWeb) return reply.type('text/plain; charset=utf-8').send('mscore: the console is not built; run `npm run build`.');
    // Console routes are client-side: every other GET serves the app shell.
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
  return app;
}
