// The SMS screens' shapes (the server's in src/modules/sms/queries.ts and
// routes.ts), query keys, and the sample values the template preview fills in.
// Sizes, rendering and template checks come from the server's own module.
import { OPT_OUT_KEYWORD, type TemplateKind } from '../../../../../../src/modules/sms/text';
import type { SmsSettings } from '../../../../../../src/modules/sms/types';

export {
  DEFAULT_TEMPLATES,
  encodingOf,
  render,
  type SmsSize,
  smsSize,
  TEMPLATE_KINDS,
  TEMPLATE_VARIABLES,
  type TemplateKind,
  templateProblems,
} from '../../../../../../src/modules/sms/text';

export const MESSAGE_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'failed', 'skipped', 'uncertain', 'dead'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
/** What a person may queue again (the server's replay takes only these). */
export const REPLAYABLE: ReadonlySet<string> = new Set(['failed', 'uncertain', 'dead']);

export const SKIP_REASONS = ['opted_out', 'landline', 'answered', 'no_phone', 'no_event'] as const;
export const DELIVERY_STATES = ['enroute', 'delivered', 'expired', 'deleted', 'undeliverable', 'rejected', 'unknown'] as const;
export const INBOUND_KINDS = ['rating', 'comment', 'opt_out', 'feedback'] as const;
export type InboundKind = (typeof INBOUND_KINDS)[number];

export const isOneOf = <T extends string>(list: readonly T[], v: string | null | undefined): v is T =>
  (list as readonly (string | null | undefined)[]).includes(v);

export interface SmsMessage {
  id: string;
  kind: TemplateKind;
  status: MessageStatus;
  skipReason: string | null;
  unit: string | null;
  unitName: string | null;
  eventId: string | null;
  dossier: string | null;
  phoneMasked: string | null;
  body: string | null;
  encoding: 'gsm7' | 'ucs2' | null;
  parts: number | null;
  attempts: number;
  lastError: string | null;
  gateway: string | null;
  deliveryState: string | null;
  deliveryError: string | null;
  notBefore: string;
  sentAt: string | null;
  deliveredAt: string | null;
  repliedAt: string | null;
  createdAt: string;
}

export interface DeliveryReport {
  state: string;
  at: string;
  error: string | null;
  gatewayMessageId: string | null;
  receivedAt: string;
}

export interface SmsMessageDetail extends SmsMessage {
  reports: DeliveryReport[];
}

export interface UnitStats {
  unit: string;
  name: string;
  invitations: number;
  sent: number;
  delivered: number;
  failed: number;
  pending: number;
  skipped: { optedOut: number; landline: number; answered: number; other: number };
  deliveryRate: number | null;
  replies: number;
  replyRate: number | null;
  ratings: number;
  meanRating: number | null;
}

export interface SmsStats {
  period: string;
  optOuts: number;
  units: UnitStats[];
}

export interface SmsTemplate {
  kind: TemplateKind;
  body: string;
  custom: boolean;
  default: string;
  variables: string[];
}

export interface InboundMessage {
  id: string;
  kind: InboundKind;
  rating: number | null;
  phoneMasked: string;
  text: string;
  receivedAt: string;
  unit: string | null;
  dossier: string | null;
  responseId: string | null;
  reviewedAt: string | null;
  reviewedBy: string | null;
}

export type {
  GatewayKind,
  GatewaySettings,
  HttpSettings as HttpConfig,
  SmppSettings as SmppConfig,
  SmsSettings,
} from '../../../../../../src/modules/sms/types';

export interface GatewayState {
  up: boolean;
  since: string;
  lastError: string | null;
  alerted: boolean;
}

export interface SettingsResponse {
  settings: SmsSettings;
  defaults: SmsSettings;
  state: GatewayState | null;
  callbacks: { incoming: string; deliveryReports: string };
}

export type Page<T> = { total: number; items: T[] };

export const SMS_KEY = ['sms'] as const;
export const SETTINGS_KEY = [...SMS_KEY, 'settings'] as const;
export const TEMPLATES_KEY = [...SMS_KEY, 'templates'] as const;
export const MESSAGES_KEY = [...SMS_KEY, 'messages'] as const;
export const INBOUND_KEY = [...SMS_KEY, 'inbound'] as const;
export const STATS_KEY = [...SMS_KEY, 'stats'] as const;

/** Shown instead of a stored password; sent back, it keeps the stored one. */
export const KEPT_PASSWORD = '********';

/** What the preview fills the variables with (a real-looking dossier of Quảng Trị). */
export function sampleValues(sender: string | null): Record<string, string> {
  return {
    unit: 'Bộ phận một cửa huyện Đakrông',
    code: 'DKR-0001234',
    service: 'Cấp giấy chứng nhận quyền sử dụng đất',
    link: 'https://dcd.quangtri.gov.vn/s/7KQ2M9',
    keyword: OPT_OUT_KEYWORD,
    sender: sender ?? '8077',
    status: 'cần bổ sung giấy tờ, xin liên hệ bộ phận một cửa',
    date: '15/11/2026',
    period: '10/2026',
    due: '05/11/2026',
  };
}

/** The characters that push a text to UCS-2, each once, in order. */
export function accentedChars(text: string, isGsm: (ch: string) => boolean): string[] {
  const seen = new Set<string>();
  for (const ch of text) if (!isGsm(ch) && ch.trim()) seen.add(ch);
  return [...seen];
}
