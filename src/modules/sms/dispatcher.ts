// Sends what is queued in sms_messages through each tenant's gateway: claims
// due messages (SKIP LOCKED, so several processes share the work), checks them
// again at send time (opted out, already answered, landline, night), sends
// within the gateway's window, and records the outcome. A message whose
// outcome was never recorded (the process died while sending) becomes
// `uncertain` and is not resent by itself: a person replays it from the console.
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../../db/index.ts';
import type { Clock } from '../../platform/context.ts';
import { phoneHash } from '../../platform/do-not-contact.ts';
import { normalizePhone, type Vault } from '../../platform/vault.ts';
import { readCitizen } from '../events/queries.ts';
import { eventSurveyLink, surveyUrl } from '../surveys/entries.ts';
import { enqueueSurveyReminders } from './enqueue.ts';
import { GatewayError, type GatewayHandlers, type SmsGateway } from './gateway.ts';
import { recorderGateway } from './gateways/recorder.ts';
import { nextSendTime, retryDelayMs } from './hours.ts';
import { attachOrphanReports, outboundContext, receiveInbound, recordDeliveryReport } from './receive.ts';
import { callbackToken, invitationTemplate, readSettings, readTemplates, type SmsSettings, type Templates } from './settings.ts';
import { encodingOf, OPT_OUT_KEYWORD, render, smsSize } from './text.ts';

/** Builds the gateway a tenant's settings name (tests give their own). */
export type GatewayFactory = (tenantId: string, settings: SmsSettings) => Promise<SmsGateway>;

type Claimed = {
  id: string;
  tenant_id: string;
  kind: 'invitation' | 'reminder' | 'status' | 'list_reminder' | 'thanks' | 'opt_out';
  message_key: string;
  event_id: string | null;
  unit_id: string | null;
  phone_enc: Buffer | null;
  attempts: number;
};

type Outcome =
  | { id: string; result: 'sent'; ids: string[]; body: string; encoding: 'gsm7' | 'ucs2'; parts: number; hash: Buffer | null }
  | { id: string; result: 'retry'; error: string; dead: boolean; at: Date }
  | { id: string; result: 'failed' | 'uncertain'; error: string }
  | { id: string; result: 'skipped'; reason: string }
  | { id: string; result: 'later'; at: Date };

type Tenant = { gateway: SmsGateway; stamp: string; settings: SmsSettings; zone: string; listDueDay: number; up: boolean };

const QUIET_KINDS = new Set(['invitation', 'reminder', 'status', 'list_reminder']);
const STATUS_TEXT: Record<string, string> = {
  more_documents: 'can bo sung giay to, xin lien he bo phan mot cua',
  promised: 'tre hen, xin loi Ong/Ba; hen tra ket qua ngay',
};
const OUTAGE = /not_connected|unreachable|connect/;
const OUTAGE_WAIT_MS = 15_000;
/** A gateway down this long raises the alert (log and console). */
const ALERT_AFTER_MS = 2 * 60_000;

export type Dispatcher = {
  start(): void;
  stop(): Promise<void>;
  /** one round: claims and sends what is due; returns how many were handled */
  tick(): Promise<number>;
  /** the started gateway of a tenant (built on first use) */
  gateway(tenantId: string): Promise<SmsGateway>;
};

export function createDispatcher(opts: {
  db: Db;
  vault: Vault;
  log: Logger;
  clock: Clock;
  publicUrl?: string;
  factory?: GatewayFactory;
  intervalMs?: number;
  /** messages claimed per round and tenant */
  batch?: number;
}): Dispatcher {
  const { db, vault, log, clock } = opts;
  const tenants = new Map<string, Tenant>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = false;
  let lastHousekeeping = 0;

  const factory: GatewayFactory =
    opts.factory ??
    (async (tenantId, s) => {
      if (s.gateway.kind === 'smpp') {
        const { smppGateway } = await import('./gateways/smpp.ts');
        return smppGateway({ ...s.gateway.config, ...(s.sender ? { sourceAddr: s.sender } : {}) }, log);
      }
      if (s.gateway.kind === 'http') {
        const { httpGateway } = await import('./gateways/http.ts');
        const c = s.gateway.config;
        return httpGateway(
          {
            ...c,
            ...(s.sender ? { from: s.sender } : {}),
            callbackBase: c.callbackBase ?? opts.publicUrl ?? 'http://127.0.0.1:3000',
            callbackToken: callbackToken(vault, tenantId),
          },
          log,
        );
      }
      return recorderGateway();
    });

  function handlers(tenantId: string): GatewayHandlers {
    return {
      onDeliveryReport: (r) => recordDeliveryReport(db, tenantId, r),
      onInbound: async (m) => {
        await receiveInbound(db, vault, tenantId, m, clock.now());
      },
      onState: (s) => {
        const t = tenants.get(tenantId);
        if (t) t.up = s.up;
        gatewayState(db, tenantId, s.up, s.error ?? null, clock.now()).catch((err) => log.error({ err }, 'sms gateway state'));
      },
    };
  }

  async function tenant(tenantId: string): Promise<Tenant> {
    const saved = await db.selectFrom('sms_settings').select('updated_at').where('tenant_id', '=', tenantId).executeTakeFirst();
    const stamp = saved ? new Date(saved.updated_at).toISOString() : 'default';
    const known = tenants.get(tenantId);
    if (known && known.stamp === stamp) return known;
    if (known) {
      tenants.delete(tenantId);
      await known.gateway.stop().catch((err) => log.warn({ err }, 'sms gateway stop'));
    }
    const settings = await readSettings(db, vault, tenantId);
    const tenantRow = await db
      .selectFrom('tenants')
      .select(['time_zone', 'settings'])
      .where('id', '=', tenantId)
      .executeTakeFirstOrThrow();
    const listDueDay = ((tenantRow.settings ?? {}) as { listDueDay?: number }).listDueDay ?? 5;
    const gateway = await factory(tenantId, settings);
    const t: Tenant = { gateway, stamp, settings, zone: tenantRow.time_zone, listDueDay, up: true };
    tenants.set(tenantId, t);
    await gateway.start(handlers(tenantId));
    return t;
  }

  async function claim(tenantId: string, limit: number, now: Date): Promise<Claimed[]> {
    const r = await sql<Claimed>`
      update sms_messages m set status = 'sending', attempts = m.attempts + 1,
        lease_until = ${now}::timestamptz + interval '2 minutes', updated_at = ${now}
      where m.id in (
        select id from sms_messages
        where status = 'queued' and not_before <= ${now} and tenant_id = ${tenantId}
        order by not_before limit ${limit} for update skip locked)
      returning m.id, m.tenant_id, m.kind, m.message_key, m.event_id, m.unit_id, m.phone_enc, m.attempts`.execute(db);
    return r.rows;
  }

  /** What the message says and to whom, or why it is not sent (checked again now, not when queued). */
  async function prepare(t: Tenant, tenantId: string, batch: Claimed[], now: Date) {
    const eventIds = batch.map((m) => m.event_id).filter((x): x is string => !!x);
    const unitIds = batch.map((m) => m.unit_id).filter((x): x is string => !!x);
    const events = eventIds.length
      ? await db
          .selectFrom('service_events as e')
          .innerJoin('units as u', 'u.id', 'e.unit_id')
          .select([
            'e.id',
            'e.unit_id',
            'e.external_id',
            'e.citizen_enc',
            'e.phone_kind',
            'e.service',
            'e.status',
            'e.promised_at',
            'u.name as unit_name',
          ])
          .where('e.tenant_id', '=', tenantId)
          .where('e.id', 'in', eventIds)
          .execute()
      : [];
    const byEvent = new Map(events.map((e) => [e.id, e]));
    const answered = new Set(
      eventIds.length
        ? (
            await db
              .selectFrom('responses')
              .select('event_id')
              .where('tenant_id', '=', tenantId)
              .where('event_id', 'in', eventIds)
              .execute()
          ).map((r) => r.event_id)
        : [],
    );
    const units = new Map(
      unitIds.length
        ? (await db.selectFrom('units').select(['id', 'name']).where('id', 'in', unitIds).execute()).map((u) => [u.id, u.name])
        : [],
    );
    const templates = await readTemplates(db, tenantId);
    const prepared: { m: Claimed; to: string; national: string; text: string }[] = [];
    const outcomes: Outcome[] = [];
    const numbers = new Map<string, string>();
    for (const m of batch) {
      const ev = m.event_id ? byEvent.get(m.event_id) : undefined;
      if (m.event_id && !ev) {
        outcomes.push({ id: m.id, result: 'skipped', reason: 'no_event' });
        continue;
      }
      const raw = m.phone_enc
        ? vault.decrypt(Buffer.from(m.phone_enc), outboundContext(tenantId))
        : ev
          ? readCitizen(vault, tenantId, ev.unit_id, ev.external_id, ev.citizen_enc).phone
          : null;
      const phone = raw ? normalizePhone(raw) : undefined;
      if (!phone) {
        outcomes.push({ id: m.id, result: 'skipped', reason: 'no_phone' });
        continue;
      }
      if (!phone.mobile) {
        outcomes.push({ id: m.id, result: 'skipped', reason: 'landline' });
        continue;
      }
      if ((m.kind === 'invitation' || m.kind === 'reminder') && m.event_id && answered.has(m.event_id)) {
        outcomes.push({ id: m.id, result: 'skipped', reason: 'answered' });
        continue;
      }
      if (QUIET_KINDS.has(m.kind)) {
        const at = nextSendTime(now, t.zone, t.settings.sendFrom, t.settings.sendTo);
        if (at.getTime() !== now.getTime()) {
          outcomes.push({ id: m.id, result: 'later', at });
          continue;
        }
      }
      numbers.set(m.id, phone.national);
      const text = await messageText(t, templates, tenantId, m, ev, units.get(m.unit_id ?? '') ?? ev?.unit_name ?? null);
      prepared.push({ m, to: `84${phone.national.slice(1)}`, national: phone.national, text });
    }
    // The do-not-contact list, for every number at once (an opt-out acknowledgement still goes out).
    const hashes = prepared.map((p) => phoneHash(vault, p.national));
    const blocked = new Set(
      hashes.length
        ? (
            await db
              .selectFrom('do_not_contact')
              .select('phone_hash')
              .where('tenant_id', '=', tenantId)
              .where('phone_hash', 'in', hashes)
              .execute()
          ).map((r) => Buffer.from(r.phone_hash).toString('hex'))
        : [],
    );
    const ready = prepared
      .map((p, i) => ({ ...p, hash: hashes[i] as Buffer }))
      .filter((p) => {
        if (p.m.kind !== 'opt_out' && blocked.has(p.hash.toString('hex'))) {
          outcomes.push({ id: p.m.id, result: 'skipped', reason: 'opted_out' });
          return false;
        }
        return true;
      });
    return { ready, outcomes };
  }

  async function messageText(
    t: Tenant,
    templates: Templates,
    tenantId: string,
    m: Claimed,
    ev: { id: string; external_id: string; service: string | null; status: string; promised_at: Date | null } | undefined,
    unitName: string | null,
  ): Promise<string> {
    const vars: Record<string, string | null> = {
      unit: unitName,
      code: ev?.external_id ?? null,
      service: ev?.service ?? null,
      keyword: OPT_OUT_KEYWORD,
      sender: t.settings.sender,
    };
    let body = templates[m.kind].body;
    if (m.kind === 'invitation' || m.kind === 'reminder') {
      if (m.kind === 'invitation') body = invitationTemplate(templates, t.settings.invitationMode);
      if (body.includes('{link}') && ev) {
        const l = await eventSurveyLink(db, vault, {
          tenantId,
          eventId: ev.id,
          expiresInDays: 14,
          actor: { type: 'system', name: 'sms' },
        });
        vars.link = surveyUrl(opts.publicUrl ?? 'http://127.0.0.1:3000', l.code);
      }
    } else if (m.kind === 'status' && ev) {
      const promised = m.message_key.includes(':promised:');
      vars.status = STATUS_TEXT[promised ? 'promised' : 'more_documents'] ?? null;
      vars.date = promised && ev.promised_at ? new Date(ev.promised_at).toLocaleDateString('vi-VN', { timeZone: t.zone }) : '';
    } else if (m.kind === 'list_reminder') {
      const [, , period = ''] = m.message_key.split(':');
      const [y, mo] = period.split('-').map(Number) as [number, number];
      const next = mo === 12 ? [y + 1, 1] : [y, mo + 1];
      vars.period = `${String(mo).padStart(2, '0')}/${y}`;
      vars.due = `${String(t.listDueDay).padStart(2, '0')}/${String(next[1]).padStart(2, '0')}/${next[0]}`;
    }
    // An accented template was chosen knowingly (UCS-2): its values keep their accents too.
    return render(body, vars, encodingOf(body) === 'gsm7');
  }

  async function send(
    t: Tenant,
    settings: SmsSettings,
    p: { m: Claimed; to: string; text: string; hash: Buffer },
  ): Promise<Outcome> {
    const size = smsSize(p.text);
    try {
      const accepted = await t.gateway.send({
        id: p.m.id,
        to: p.to,
        ...(settings.sender ? { from: settings.sender } : {}),
        text: p.text,
        encoding: size.encoding,
      });
      return {
        id: p.m.id,
        result: 'sent',
        ids: accepted.gatewayMessageIds,
        body: p.text,
        encoding: size.encoding,
        parts: size.parts,
        hash: p.hash,
      };
    } catch (e) {
      const err = e instanceof GatewayError ? e : new GatewayError('gateway.error', String((e as Error)?.message ?? e), true);
      const error = `${err.code}: ${err.message}`.slice(0, 500);
      if (err.uncertain) return { id: p.m.id, result: 'uncertain', error };
      if (!err.retryable) return { id: p.m.id, result: 'failed', error };
      // The gateway is out of reach: the message waits without using up its attempts.
      if (OUTAGE.test(err.code)) {
        if (t.up) handlers(p.m.tenant_id).onState?.({ up: false, error });
        return { id: p.m.id, result: 'later', at: new Date(clock.now().getTime() + OUTAGE_WAIT_MS) };
      }
      return {
        id: p.m.id,
        result: 'retry',
        error,
        dead: p.m.attempts >= settings.maxAttempts,
        at: new Date(clock.now().getTime() + retryDelayMs(p.m.attempts)),
      };
    }
  }

  async function record(tenantId: string, gatewayKind: string, outcomes: Outcome[], now: Date) {
    if (!outcomes.length) return;
    const sent = outcomes.filter((o) => o.result === 'sent');
    await db.transaction().execute(async (tx) => {
      if (sent.length) {
        await sql`
          update sms_messages m set status = 'sent', sent_at = ${now}, body = s.body, encoding = s.encoding, parts = s.parts,
            phone_hash = coalesce(m.phone_hash, decode(s.hash, 'hex')), gateway = ${gatewayKind}, lease_until = null,
            last_error = null, updated_at = ${now}
          from unnest(${sent.map((o) => o.id)}::uuid[], ${sent.map((o) => o.body)}::text[], ${sent.map((o) => o.encoding)}::text[],
            ${sent.map((o) => o.parts)}::int[], ${sent.map((o) => o.hash?.toString('hex') ?? null)}::text[])
            as s(id, body, encoding, parts, hash)
          where m.id = s.id and m.status = 'sending'`.execute(tx);
        const ids = sent.flatMap((o) => o.ids.map((gid, part) => ({ messageId: o.id, gatewayMessageId: gid, part })));
        if (ids.length) {
          await sql`insert into sms_gateway_ids (tenant_id, gateway_message_id, message_id, part)
            select ${tenantId}, g, m, p from unnest(${ids.map((i) => i.gatewayMessageId)}::text[], ${ids.map((i) => i.messageId)}::uuid[],
              ${ids.map((i) => i.part)}::int[]) as x(g, m, p)
            on conflict do nothing`.execute(tx);
          await attachOrphanReports(tx, tenantId, ids);
        }
      }
      for (const o of outcomes) {
        if (o.result === 'sent') continue;
        const set =
          o.result === 'retry'
            ? { status: o.dead ? ('dead' as const) : ('queued' as const), not_before: o.at, last_error: o.error }
            : o.result === 'later'
              ? { status: 'queued' as const, not_before: o.at, attempts: sql<number>`attempts - 1` }
              : o.result === 'skipped'
                ? { status: 'skipped' as const, skip_reason: o.reason }
                : { status: o.result, last_error: o.error };
        await tx
          .updateTable('sms_messages')
          .set({ ...set, lease_until: null, updated_at: now })
          .where('id', '=', o.id)
          .where('status', '=', 'sending')
          .execute();
      }
    });
  }

  async function runTenant(tenantId: string, now: Date): Promise<number> {
    const t = await tenant(tenantId);
    const settings = t.settings;
    const batch = await claim(tenantId, opts.batch ?? Math.max(20, t.gateway.window * 4), now);
    if (!batch.length) return 0;
    const { ready, outcomes } = await prepare(t, tenantId, batch, now);
    // The gateway keeps its own window; results are written together.
    outcomes.push(...(await Promise.all(ready.map((p) => send(t, settings, p)))));
    await record(tenantId, t.gateway.kind, outcomes, clock.now());
    return batch.length;
  }

  async function housekeeping(now: Date) {
    // Sends whose outcome was never written: the gateway may have the message.
    await sql`update sms_messages set status = 'uncertain', lease_until = null, updated_at = ${now},
        last_error = 'no outcome recorded: the sending process stopped; not resent automatically'
      where status = 'sending' and lease_until < ${now}`.execute(db);
    await enqueueSurveyReminders(db, now);
    // A gateway down for a while: raised once per outage.
    const down = await sql<{ tenant_id: string; last_error: string | null; since: Date }>`
      update sms_gateway_state set alerted_at = ${now}
      where not up and alerted_at is null and since < ${new Date(now.getTime() - ALERT_AFTER_MS)}
      returning tenant_id, last_error, since`.execute(db);
    for (const d of down.rows) {
      log.error(
        { tenant: d.tenant_id, since: d.since, error: d.last_error },
        'SMS gateway unreachable: messages are queued until it is back',
      );
    }
  }

  async function tick(): Promise<number> {
    const now = clock.now();
    if (now.getTime() - lastHousekeeping > 30_000) {
      lastHousekeeping = now.getTime();
      await housekeeping(now);
    }
    const due = await sql<{ tenant_id: string }>`
      select distinct tenant_id from sms_messages where status = 'queued' and not_before <= ${now}`.execute(db);
    let n = 0;
    for (const { tenant_id } of due.rows) {
      try {
        n += await runTenant(tenant_id, now);
      } catch (err) {
        log.error({ err, tenant: tenant_id }, 'sms dispatch failed');
      }
    }
    return n;
  }

  const loop = async () => {
    if (stopped) return;
    let n = 0;
    try {
      running = tick();
      n = await running;
    } catch (err) {
      log.error({ err }, 'sms dispatcher');
    } finally {
      running = undefined;
    }
    // Straight on while there is work; otherwise wait.
    if (!stopped) timer = setTimeout(loop, n > 0 ? 0 : (opts.intervalMs ?? 1000));
  };

  return {
    start() {
      stopped = false;
      timer = setTimeout(loop, 0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => {});
      for (const t of tenants.values()) await t.gateway.stop().catch(() => {});
      tenants.clear();
    },
    tick: async () => {
      // a test's tick waits for the loop's own round
      await running?.catch(() => {});
      return tick();
    },
    gateway: async (tenantId) => (await tenant(tenantId)).gateway,
  };
}

async function gatewayState(db: Db, tenantId: string, up: boolean, error: string | null, now: Date) {
  await sql`insert into sms_gateway_state (tenant_id, up, since, last_error, updated_at)
    values (${tenantId}, ${up}, ${now}, ${error}, ${now})
    on conflict (tenant_id) do update set
      since = case when sms_gateway_state.up = excluded.up then sms_gateway_state.since else excluded.since end,
      alerted_at = case when sms_gateway_state.up = excluded.up then sms_gateway_state.alerted_at else null end,
      up = excluded.up, last_error = coalesce(excluded.last_error, sms_gateway_state.last_error), updated_at = excluded.updated_at`.execute(
    db,
  );
}
