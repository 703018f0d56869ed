// SMS routes (/api/v1/sms): settings and gateway, templates, the message log,
// statistics per unit, replays, citizens' messages for review, unit contacts
// for list reminders, and the callbacks of a Kannel-style HTTP gateway.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { audit } from '../../platform/audit.ts';
import { unitScope } from '../../platform/auth/policy.ts';
import type { AppContext } from '../../platform/context.ts';
import { phoneHash } from '../../platform/do-not-contact.ts';
import { AppError, invalid, notFound } from '../../platform/errors.ts';
import { actorOf, principal, requireTenantWide } from '../../platform/http.ts';
import { maskPhone, normalizePhone } from '../../platform/vault.ts';
import { tenantZone } from '../responses/commands/submit-responses.ts';
import { HTTP_HOOKS_PATH, kannelSmsService, parseHttpDlr, parseHttpInbound } from './gateways/http.ts';
import './policy.ts';
import { listInbound, listMessages, messageDetail, smsStats } from './queries.ts';
import { outboundContext, receiveInbound, recordDeliveryReport } from './receive.ts';
import {
  callbackToken,
  DEFAULT_SETTINGS,
  httpConfig,
  readSettings,
  readTemplates,
  type SmsSettings,
  smppConfig,
  tenantOfCallback,
  writeSettings,
} from './settings.ts';
import { DEFAULT_TEMPLATES, smsSize, TEMPLATE_KINDS, TEMPLATE_VARIABLES, templateProblems } from './text.ts';

const STATUSES = ['queued', 'sending', 'sent', 'delivered', 'failed', 'skipped', 'uncertain', 'dead'] as const;
const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');
/** Shown instead of a stored password; sending it back keeps the stored one. */
const KEEP = '********';

const settingsBody = z.strictObject({
  invitations: z.boolean(),
  invitationMode: z.enum(['reply', 'link']),
  invitationDelayMinutes: z.number().int().min(0).max(10080),
  invitationMaxAgeHours: z.number().int().min(1).max(720),
  reminderAfterHours: z.number().int().min(1).max(168).nullable(),
  statusNotifications: z.boolean(),
  listReminders: z.boolean(),
  sendFrom: z.number().int().min(0).max(23),
  sendTo: z.number().int().min(1).max(24),
  sender: z.string().trim().max(20).nullable(),
  maxAttempts: z.number().int().min(1).max(50),
  gateway: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('recorder') }),
    z.strictObject({ kind: z.literal('smpp'), config: smppConfig }),
    z.strictObject({ kind: z.literal('http'), config: httpConfig }),
  ]),
});

export function registerSmsRoutes(root: FastifyInstance, ctx: AppContext) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db, vault } = ctx;
  const scopeOf = (req: FastifyRequest, action: string) => unitScope(db, principal(req), action);
  const manager = async (req: FastifyRequest) => {
    await requireTenantWide(db, req, 'sms.manage', 'SMS settings are the whole province’s');
    return principal(req);
  };
  const base = (req: FastifyRequest) => ctx.config.publicUrl ?? `${req.protocol}://${req.host}`;

  function shown(s: SmsSettings) {
    const g = s.gateway;
    return {
      ...s,
      gateway: g.kind === 'recorder' ? g : { kind: g.kind, config: { ...g.config, password: g.config.password ? KEEP : '' } },
    };
  }

  app.get(
    '/api/v1/sms/settings',
    {
      config: { action: 'sms.manage' },
      schema: { tags: ['sms'], summary: 'SMS settings, the gateway (passwords hidden), its state and callback addresses' },
    },
    async (req) => {
      const p = await manager(req);
      const s = await readSettings(db, vault, p.tenantId);
      const state = await db.selectFrom('sms_gateway_state').selectAll().where('tenant_id', '=', p.tenantId).executeTakeFirst();
      const token = callbackToken(vault, p.tenantId);
      const callbackBase = s.gateway.kind === 'http' ? (s.gateway.config.callbackBase ?? base(req)) : base(req);
      return {
        settings: shown(s),
        defaults: DEFAULT_SETTINGS,
        state: state
          ? { up: state.up, since: new Date(state.since).toISOString(), lastError: state.last_error, alerted: !!state.alerted_at }
          : null,
        // Kannel's sms-service get-url (with mo-recode = true and max-messages = 0); reports come on each message's dlr-url.
        callbacks: { incoming: kannelSmsService(callbackBase, token), deliveryReports: `${callbackBase}${HTTP_HOOKS_PATH}/dlr` },
      };
    },
  );

  app.get(
    '/api/v1/sms/gateway',
    {
      config: { action: 'sms.read' },
      schema: {
        tags: ['sms'],
        summary: 'Whether the SMS gateway is reachable (null before anything was sent); the last error for tenant-wide managers',
        response: {
          200: z
            .object({
              kind: z.string(),
              up: z.boolean(),
              since: z.string(),
              alerted: z.boolean(),
              lastError: z.string().nullable(),
            })
            .nullable(),
        },
      },
    },
    async (req) => {
      const p = principal(req);
      const state = await db.selectFrom('sms_gateway_state').selectAll().where('tenant_id', '=', p.tenantId).executeTakeFirst();
      if (!state) return null;
      const s = await db.selectFrom('sms_settings').select('gateway').where('tenant_id', '=', p.tenantId).executeTakeFirst();
      const managers = (await scopeOf(req, 'sms.manage')).all;
      return {
        kind: s?.gateway ?? 'recorder',
        up: state.up,
        since: new Date(state.since).toISOString(),
        alerted: !!state.alerted_at,
        lastError: managers ? state.last_error : null,
      };
    },
  );

  app.put(
    '/api/v1/sms/settings',
    {
      config: { action: 'sms.manage' },
      schema: {
        tags: ['sms'],
        summary: 'Changes the SMS settings (a password sent as ******** keeps the stored one)',
        body: settingsBody,
      },
    },
    async (req) => {
      const p = await manager(req);
      const body = req.body as SmsSettings;
      if (body.sendTo <= body.sendFrom) throw invalid('sms.gateway_config', 'sendTo must be after sendFrom');
      const current = await readSettings(db, vault, p.tenantId);
      const g = body.gateway;
      if (g.kind !== 'recorder' && g.config.password === KEEP) {
        g.config.password = current.gateway.kind === g.kind ? current.gateway.config.password : '';
      }
      await db.transaction().execute(async (tx) => {
        await writeSettings(tx, vault, p.tenantId, body, actorOf(req).name ?? null);
        await audit(tx, {
          tenantId: p.tenantId,
          actor: actorOf(req),
          action: 'sms.settings',
          objectType: 'sms_settings',
          objectId: p.tenantId,
          details: { ...shown(body), gateway: g.kind },
          requestId: req.id,
        });
      });
      return { settings: shown(await readSettings(db, vault, p.tenantId)) };
    },
  );

  app.get(
    '/api/v1/sms/templates',
    {
      config: { action: 'sms.read' },
      schema: { tags: ['sms'], summary: 'Message texts per kind, their variables, size and parts' },
    },
    async (req) => {
      const t = await readTemplates(db, principal(req).tenantId);
      return TEMPLATE_KINDS.map((kind) => ({
        kind,
        body: t[kind].body,
        custom: t[kind].custom,
        default: DEFAULT_TEMPLATES[kind],
        variables: TEMPLATE_VARIABLES[kind],
        size: smsSize(t[kind].body),
      }));
    },
  );

  app.put(
    '/api/v1/sms/templates/:kind',
    {
      config: { action: 'sms.manage' },
      schema: {
        tags: ['sms'],
        summary: 'Changes a message text ({variables} of its kind only); an empty body returns to the built-in text',
        params: z.strictObject({ kind: z.enum(TEMPLATE_KINDS) }),
        body: z.strictObject({ body: z.string().max(1000) }),
      },
    },
    async (req) => {
      const p = await manager(req);
      const { kind } = req.params;
      const body = req.body.body.trim();
      const problems = body ? templateProblems(kind, body) : [];
      if (problems.length) {
        throw new AppError(422, 'sms.template_variable', problems.map((x) => x.message).join('; '), {
          errors: problems.map((x) => ({ path: 'body.body', code: x.code, message: x.message, variable: x.variable })),
        });
      }
      await db.transaction().execute(async (tx) => {
        if (body)
          await tx
            .insertInto('sms_templates')
            .values({ tenant_id: p.tenantId, kind, body, updated_by: actorOf(req).name ?? null })
            .onConflict((oc) =>
              oc
                .columns(['tenant_id', 'kind'])
                .doUpdateSet({ body, updated_by: actorOf(req).name ?? null, updated_at: new Date() }),
            )
            .execute();
        else await tx.deleteFrom('sms_templates').where('tenant_id', '=', p.tenantId).where('kind', '=', kind).execute();
        await audit(tx, {
          tenantId: p.tenantId,
          actor: actorOf(req),
          action: 'sms.template',
          objectType: 'sms_template',
          objectId: kind,
          details: { body: body || null },
          requestId: req.id,
        });
      });
      return { kind, body: body || DEFAULT_TEMPLATES[kind], custom: !!body, size: smsSize(body || DEFAULT_TEMPLATES[kind]) };
    },
  );

  app.get(
    '/api/v1/sms/messages',
    {
      config: { action: 'sms.read' },
      schema: {
        tags: ['sms'],
        summary: 'The message log, newest first (numbers masked)',
        querystring: z.strictObject({
          status: z.enum(STATUSES).optional(),
          kind: z.enum(TEMPLATE_KINDS).optional(),
          unit: z.string().max(64).optional(),
          period: period.optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          offset: z.coerce.number().int().min(0).default(0),
        }),
      },
    },
    async (req) => {
      const p = principal(req);
      return listMessages(db, vault, p.tenantId, await tenantZone(db, p.tenantId), await scopeOf(req, 'sms.read'), req.query);
    },
  );

  app.get(
    '/api/v1/sms/messages/:id',
    {
      config: { action: 'sms.read' },
      schema: { tags: ['sms'], summary: 'One message with its delivery reports', params: z.strictObject({ id: z.uuid() }) },
    },
    async (req) => {
      const p = principal(req);
      const m = await messageDetail(db, vault, p.tenantId, await scopeOf(req, 'sms.read'), req.params.id);
      if (!m) throw notFound('sms.message_not_found');
      return m;
    },
  );

  app.post(
    '/api/v1/sms/messages/replay',
    {
      config: { action: 'sms.manage' },
      schema: {
        tags: ['sms'],
        summary: 'Queues failed, uncertain or abandoned (dead) messages again; checked again before they leave',
        description: 'An uncertain message may already have reached the person: replaying it can send a second copy.',
        body: z.strictObject({ ids: z.array(z.uuid()).min(1).max(1000) }),
      },
    },
    async (req) => {
      const p = await manager(req);
      const ids = [...new Set(req.body.ids)];
      const replayed = await db.transaction().execute(async (tx) => {
        const r = await sql<{ id: string }>`update sms_messages set status = 'queued', attempts = 0, not_before = now(),
            last_error = null, lease_until = null, updated_at = now()
          where tenant_id = ${p.tenantId} and id = any(${ids}::uuid[]) and status in ('failed','uncertain','dead')
          returning id`.execute(tx);
        if (r.rows.length)
          await audit(tx, {
            tenantId: p.tenantId,
            actor: actorOf(req),
            action: 'sms.replay',
            objectType: 'sms_message',
            objectId: r.rows.length === 1 ? (r.rows[0] as { id: string }).id : null,
            details: { count: r.rows.length },
            requestId: req.id,
          });
        return r.rows.map((x) => x.id);
      });
      if (!replayed.length) {
        const known = await db
          .selectFrom('sms_messages')
          .select('id')
          .where('tenant_id', '=', p.tenantId)
          .where('id', 'in', ids)
          .executeTakeFirst();
        throw known ? new AppError(409, 'sms.not_replayable') : notFound('sms.message_not_found');
      }
      return { replayed: replayed.length, ids: replayed };
    },
  );

  app.get(
    '/api/v1/sms/stats',
    {
      config: { action: 'sms.read' },
      schema: {
        tags: ['sms'],
        summary: 'Per unit and month: invitations, sent, delivered, failed, skipped by reason, replies and ratings',
        querystring: z.strictObject({ period }),
      },
    },
    async (req) => {
      const p = principal(req);
      return smsStats(db, p.tenantId, await tenantZone(db, p.tenantId), await scopeOf(req, 'sms.read'), req.query.period);
    },
  );

  app.get(
    '/api/v1/sms/inbound',
    {
      config: { action: 'sms.review' },
      schema: {
        tags: ['sms'],
        summary: 'Messages citizens sent: ratings, comments, opt-outs and other feedback',
        querystring: z.strictObject({
          kind: z.enum(['rating', 'comment', 'opt_out', 'feedback']).optional(),
          unreviewed: z.enum(['true', 'false']).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          offset: z.coerce.number().int().min(0).default(0),
        }),
      },
    },
    async (req) => {
      const p = principal(req);
      await requireTenantWide(db, req, 'sms.review', 'citizens’ messages are reviewed with a tenant-wide grant');
      const { kind, unreviewed, limit, offset } = req.query;
      return listInbound(db, vault, p.tenantId, { ...(kind ? { kind } : {}), unreviewed: unreviewed === 'true', limit, offset });
    },
  );

  app.post(
    '/api/v1/sms/inbound/:id/review',
    {
      config: { action: 'sms.review' },
      schema: {
        tags: ['sms'],
        summary: 'Marks a citizen’s message as read and handled',
        params: z.strictObject({ id: z.uuid() }),
      },
    },
    async (req) => {
      const p = principal(req);
      await requireTenantWide(db, req, 'sms.review', 'citizens’ messages are reviewed with a tenant-wide grant');
      const by = actorOf(req).name ?? null;
      const r = await db
        .updateTable('sms_inbound')
        .set({ reviewed_at: new Date(), reviewed_by: by })
        .where('tenant_id', '=', p.tenantId)
        .where('id', '=', req.params.id)
        .returning('id')
        .executeTakeFirst();
      if (!r) throw notFound('sms.inbound_not_found');
      return { id: r.id, reviewedBy: by };
    },
  );

  app.post(
    '/api/v1/sms/recorder/inbound',
    {
      config: { action: 'sms.manage' },
      schema: {
        tags: ['sms'],
        summary: 'Development gateway only: a reply as if a citizen had sent it',
        body: z.strictObject({ phone: z.string().min(8).max(20), text: z.string().min(1).max(480) }),
      },
    },
    async (req) => {
      const p = await manager(req);
      const s = await readSettings(db, vault, p.tenantId);
      if (s.gateway.kind !== 'recorder') throw new AppError(409, 'sms.recorder_only');
      const phone = normalizePhone(req.body.phone);
      if (!phone) throw invalid('phone.invalid');
      return receiveInbound(
        db,
        vault,
        p.tenantId,
        { from: phone.e164.slice(1), to: s.sender ?? '', text: req.body.text, receivedAt: ctx.clock.now() },
        ctx.clock.now(),
      );
    },
  );

  // --- who at a unit receives its list reminders

  app.get(
    '/api/v1/sms/contacts',
    {
      config: { action: 'sms.manage' },
      schema: { tags: ['sms'], summary: 'Who at each unit receives the late-list reminders (numbers masked)' },
    },
    async (req) => {
      const p = await manager(req);
      const rows = await db
        .selectFrom('sms_unit_contacts as c')
        .innerJoin('units as u', 'u.id', 'c.unit_id')
        .select(['u.code', 'u.name as unit_name', 'c.name', 'c.phone_enc'])
        .where('c.tenant_id', '=', p.tenantId)
        .orderBy('u.code')
        .execute();
      return rows.map((r) => ({
        unit: r.code,
        unitName: r.unit_name,
        name: r.name,
        phoneMasked: maskPhone(vault.decrypt(Buffer.from(r.phone_enc), outboundContext(p.tenantId))),
      }));
    },
  );

  app.put(
    '/api/v1/sms/contacts/:unit',
    {
      config: { action: 'sms.manage' },
      schema: {
        tags: ['sms'],
        summary: 'Sets who at a unit receives its late-list reminders',
        params: z.strictObject({ unit: z.string().max(64) }),
        body: z.strictObject({ name: z.string().trim().max(100).nullable().default(null), phone: z.string().max(30) }),
      },
    },
    async (req) => {
      const p = await manager(req);
      const u = await db
        .selectFrom('units')
        .select('id')
        .where('tenant_id', '=', p.tenantId)
        .where('code', '=', req.params.unit)
        .executeTakeFirst();
      if (!u) throw notFound('unit.not_found');
      const phone = normalizePhone(req.body.phone);
      if (!phone?.mobile) throw invalid('phone.invalid', 'a mobile number that can receive SMS');
      const values = {
        name: req.body.name,
        phone_enc: vault.encrypt(phone.national, outboundContext(p.tenantId)),
        phone_hash: phoneHash(vault, phone.national),
        updated_at: new Date(),
      };
      await db
        .insertInto('sms_unit_contacts')
        .values({ tenant_id: p.tenantId, unit_id: u.id, ...values })
        .onConflict((oc) => oc.columns(['tenant_id', 'unit_id']).doUpdateSet(values))
        .execute();
      return { unit: req.params.unit, name: req.body.name, phoneMasked: maskPhone(phone.national) };
    },
  );

  // --- a Kannel-style HTTP gateway calls these (no session: the tenant's callback token)

  const hookQuery = z.record(z.string(), z.string().max(2000));
  async function hookTenant(req: FastifyRequest, reply: FastifyReply): Promise<string | undefined> {
    const token = (req.query as Record<string, string>).token;
    const tenantId = token ? await tenantOfCallback(db, token) : undefined;
    if (!tenantId) {
      void reply.status(403).type('text/plain').send('forbidden');
      return undefined;
    }
    return tenantId;
  }
  const params = (req: FastifyRequest) => ({
    ...((req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, string>),
    ...(req.query as Record<string, string>),
  });

  for (const method of ['GET', 'POST'] as const) {
    app.route({
      method,
      url: '/api/v1/sms/hooks/http/incoming',
      config: { public: true },
      schema: { tags: ['sms'], summary: 'An incoming SMS from the HTTP gateway (Kannel get-url)', querystring: hookQuery },
      handler: async (req, reply) => {
        const tenantId = await hookTenant(req, reply);
        if (!tenantId) return reply;
        let m: ReturnType<typeof parseHttpInbound>;
        try {
          m = parseHttpInbound(params(req));
        } catch (e) {
          return reply
            .status(400)
            .type('text/plain')
            .send(String((e as Error).message));
        }
        await receiveInbound(db, vault, tenantId, m, ctx.clock.now());
        // Kannel sends the body back to the citizen unless told not to (max-messages = 0).
        return reply.type('text/plain').send('');
      },
    });
    app.route({
      method,
      url: '/api/v1/sms/hooks/http/dlr',
      config: { public: true },
      schema: { tags: ['sms'], summary: 'A delivery report from the HTTP gateway (Kannel dlr-url)', querystring: hookQuery },
      handler: async (req, reply) => {
        const tenantId = await hookTenant(req, reply);
        if (!tenantId) return reply;
        let r: ReturnType<typeof parseHttpDlr>;
        try {
          r = parseHttpDlr(params(req));
        } catch (e) {
          return reply
            .status(400)
            .type('text/plain')
            .send(String((e as Error).message));
        }
        await recordDeliveryReport(db, tenantId, r);
        return reply.type('text/plain').send('ok');
      },
    });
  }
}
