// Lets `mscore` commands run inside the server that holds the embedded
// database: the server publishes its port and a random control token in the
// lock file (readable only by its owner); only loopback callers are accepted.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { runCommand } from '../commands.ts';
import { sameSecret } from './auth/sessions.ts';
import type { AppContext } from './context.ts';
import { sendProblem } from './http.ts';

export const controlToken = randomBytes(32).toString('base64url');

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export function registerLocalControl(app: FastifyInstance, ctx: AppContext) {
  if (!ctx.database.lock) return;
  app.post(
    '/api/internal/cli',
    { schema: { hide: true, body: z.strictObject({ argv: z.array(z.string().max(10_000)).max(50) }) } },
    async (req, reply) => {
      const header = req.headers['x-mscore-control'];
      if (!LOOPBACK.has(req.socket.remoteAddress ?? '') || typeof header !== 'string' || !sameSecret(header, controlToken)) {
        return sendProblem(req, reply, 403, 'auth.forbidden');
      }
      return runCommand(ctx, (req.body as { argv: string[] }).argv);
    },
  );
}
