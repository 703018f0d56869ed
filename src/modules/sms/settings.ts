// A tenant's SMS settings: what is sent, when, through which gateway. The
// gateway's accounts and passwords are kept encrypted and never shown again.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Executor } from '../../db/index.ts';
import type { Vault } from '../../platform/vault.ts';
import { DEFAULT_TEMPLATES, LINK_INVITATION, TEMPLATE_KINDS, type TemplateKind } from './text.ts';
import type { GatewayKind, GatewaySettings, HttpSettings, SmppSettings, SmsSettings } from './types.ts';

export const smppConfig = z.strictObject({
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535),
  systemId: z.string().min(1).max(16),
  password: z.string().max(9),
  systemType: z.string().max(13).optional(),
  window: z.number().int().min(1).max(100).optional(),
  enquireLinkSeconds: z.number().int().min(1).max(600).optional(),
});

export const httpConfig = z.strictObject({
  sendUrl: z.url({ protocol: /^https?$/ }),
  username: z.string().min(1).max(100),
  password: z.string().max(100),
  smsc: z.string().max(100).optional(),
  /** where the gateway calls us back; default the platform's public address */
  callbackBase: z.url({ protocol: /^https?$/ }).optional(),
  window: z.number().int().min(1).max(100).optional(),
});

export type { GatewayKind, GatewaySettings, HttpSettings, SmppSettings, SmsSettings };

/** Compiles only while the shared shapes accept what the schemas let through. */
type Fits<T, U extends T> = U;
export type SchemasFit = [Fits<SmppSettings, z.infer<typeof smppConfig>>, Fits<HttpSettings, z.infer<typeof httpConfig>>];

export const DEFAULT_SETTINGS: SmsSettings = {
  invitations: false,
  invitationMode: 'reply',
  invitationDelayMinutes: 30,
  invitationMaxAgeHours: 72,
  reminderAfterHours: null,
  statusNotifications: false,
  listReminders: false,
  sendFrom: 7,
  sendTo: 21,
  sender: null,
  maxAttempts: 8,
  gateway: { kind: 'recorder' },
};

const configContext = (tenantId: string) => `sms_settings.gateway:${tenantId}`;

/** The secret a Kannel-style gateway puts in its calls back to us (derivable, so it can be shown again). */
export function callbackToken(vault: Vault, tenantId: string): string {
  return vault.hash(`sms-callback:${tenantId}`, 'sms-callback').toString('base64url').slice(0, 32);
}

export const tokenHash = (token: string) => createHash('sha256').update(token).digest();

export async function readSettings(db: Executor, vault: Vault, tenantId: string): Promise<SmsSettings> {
  const r = await db.selectFrom('sms_settings').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
  if (!r) return DEFAULT_SETTINGS;
  let gateway: GatewaySettings = { kind: 'recorder' };
  if (r.gateway !== 'recorder' && r.gateway_config_enc) {
    const config = JSON.parse(vault.decrypt(Buffer.from(r.gateway_config_enc), configContext(tenantId)));
    gateway =
      r.gateway === 'smpp'
        ? { kind: 'smpp', config: smppConfig.parse(config) }
        : { kind: 'http', config: httpConfig.parse(config) };
  }
  return {
    invitations: r.invitations,
    invitationMode: r.invitation_mode,
    invitationDelayMinutes: r.invitation_delay_minutes,
    invitationMaxAgeHours: r.invitation_max_age_hours,
    reminderAfterHours: r.reminder_after_hours,
    statusNotifications: r.status_notifications,
    listReminders: r.list_reminders,
    sendFrom: r.send_from,
    sendTo: r.send_to,
    sender: r.sender,
    maxAttempts: r.max_attempts,
    gateway,
  };
}

export async function writeSettings(db: Executor, vault: Vault, tenantId: string, s: SmsSettings, by: string | null) {
  const enc = s.gateway.kind === 'recorder' ? null : vault.encrypt(JSON.stringify(s.gateway.config), configContext(tenantId));
  const values = {
    invitations: s.invitations,
    invitation_mode: s.invitationMode,
    invitation_delay_minutes: s.invitationDelayMinutes,
    invitation_max_age_hours: s.invitationMaxAgeHours,
    reminder_after_hours: s.reminderAfterHours,
    status_notifications: s.statusNotifications,
    list_reminders: s.listReminders,
    send_from: s.sendFrom,
    send_to: s.sendTo,
    sender: s.sender,
    max_attempts: s.maxAttempts,
    gateway: s.gateway.kind,
    gateway_config_enc: enc,
    callback_token_hash: s.gateway.kind === 'http' ? tokenHash(callbackToken(vault, tenantId)) : null,
    updated_by: by,
    updated_at: new Date(),
  };
  await db
    .insertInto('sms_settings')
    .values({ tenant_id: tenantId, ...values })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet(values))
    .execute();
}

/** The tenant whose callback token this is (Kannel-style gateways call without a session). */
export async function tenantOfCallback(db: Executor, token: string): Promise<string | undefined> {
  const r = await db
    .selectFrom('sms_settings')
    .select('tenant_id')
    .where('callback_token_hash', '=', tokenHash(token))
    .where('gateway', '=', 'http')
    .executeTakeFirst();
  return r?.tenant_id;
}

export type Templates = Record<TemplateKind, { body: string; custom: boolean }>;

export async function readTemplates(db: Executor, tenantId: string): Promise<Templates> {
  const rows = await db.selectFrom('sms_templates').select(['kind', 'body']).where('tenant_id', '=', tenantId).execute();
  const custom = new Map(rows.map((r) => [r.kind, r.body]));
  return Object.fromEntries(
    TEMPLATE_KINDS.map((k) => [k, { body: custom.get(k) ?? DEFAULT_TEMPLATES[k], custom: custom.has(k) }]),
  ) as Templates;
}

/** The invitation text for the mode: the link mode's default differs from the reply mode's. */
export function invitationTemplate(t: Templates, mode: 'reply' | 'link'): string {
  return !t.invitation.custom && mode === 'link' ? LINK_INVITATION : t.invitation.body;
}
