// The shapes of a tenant's SMS settings, shared with the console (no imports:
// the browser build reads this file too). settings.ts holds their schemas.

export type GatewayKind = 'recorder' | 'smpp' | 'http';

export type SmppSettings = {
  host: string;
  port: number;
  systemId: string;
  password: string;
  systemType?: string | undefined;
  window?: number | undefined;
  enquireLinkSeconds?: number | undefined;
};

export type HttpSettings = {
  sendUrl: string;
  username: string;
  password: string;
  smsc?: string | undefined;
  /** where the gateway calls us back; default the platform's public address */
  callbackBase?: string | undefined;
  window?: number | undefined;
};

export type GatewaySettings =
  | { kind: 'recorder' }
  | { kind: 'smpp'; config: SmppSettings }
  | { kind: 'http'; config: HttpSettings };

export type SmsSettings = {
  invitations: boolean;
  invitationMode: 'reply' | 'link';
  invitationDelayMinutes: number;
  invitationMaxAgeHours: number;
  reminderAfterHours: number | null;
  statusNotifications: boolean;
  listReminders: boolean;
  sendFrom: number;
  sendTo: number;
  sender: string | null;
  maxAttempts: number;
  gateway: GatewaySettings;
};
