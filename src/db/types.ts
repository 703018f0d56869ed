// Kysely table types; keep in step with migrations/*.sql.
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateOnly = ColumnType<string, string | undefined, string>;
type Json<T = Record<string, unknown>> = ColumnType<T, string | undefined, string>;

export type Role = 'admin' | 'board' | 'analyst' | 'unit_manager' | 'data_clerk' | 'interviewer' | 'hotline_operator';
export const ROLES: readonly Role[] = [
  'admin',
  'board',
  'analyst',
  'unit_manager',
  'data_clerk',
  'interviewer',
  'hotline_operator',
];
export type UnitKind =
  | 'province'
  | 'council'
  | 'department'
  | 'service_centre'
  | 'one_stop_office'
  | 'district'
  | 'commune'
  | 'hospital'
  | 'health_centre'
  | 'other';
export const UNIT_KINDS: readonly UnitKind[] = [
  'province',
  'council',
  'department',
  'service_centre',
  'one_stop_office',
  'district',
  'commune',
  'hospital',
  'health_centre',
  'other',
];
export type Sector = 'administration' | 'health';

export interface TenantsTable {
  id: Generated<string>;
  code: string;
  name: string;
  time_zone: Generated<string>;
  settings: Json;
  created_at: DefaultTimestamp;
}

export interface UnitsTable {
  id: Generated<string>;
  tenant_id: string;
  code: string;
  name: string;
  kind: UnitKind;
  sector: Sector | null;
  parent_id: string | null;
  valid_from: DateOnly;
  valid_to: string | null;
  successor_id: string | null;
  kiosks: Generated<number>;
  search_key: string;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface ServicesTable {
  id: Generated<string>;
  tenant_id: string;
  code: string;
  name: string;
  kind: 'procedure' | 'health_service';
  sector: Sector;
  field: string | null;
  search_key: string;
  created_at: DefaultTimestamp;
}

export interface UsersTable {
  id: Generated<string>;
  tenant_id: string;
  username: string;
  display_name: string;
  password_hash: string;
  phone_enc: Buffer | null;
  phone_hash: Buffer | null;
  language: Generated<'vi' | 'en'>;
  disabled_at: Date | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  password_changed_at: DefaultTimestamp;
}

export interface RoleGrantsTable {
  id: Generated<string>;
  tenant_id: string;
  user_id: string;
  role: Role;
  unit_id: string | null;
  created_at: DefaultTimestamp;
  created_by: string | null;
}

export interface SessionsTable {
  id: Generated<string>;
  tenant_id: string;
  user_id: string;
  token_hash: Buffer;
  csrf_token: string;
  created_at: DefaultTimestamp;
  last_seen_at: DefaultTimestamp;
  idle_expires_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Date | null;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: Generated<string>;
  tenant_id: string;
  name: string;
  token_hash: Buffer;
  prefix: string;
  role: Role;
  unit_id: string | null;
  created_by: string | null;
  created_at: DefaultTimestamp;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

export interface LoginAttemptsTable {
  id: Generated<number>;
  tenant_id: string;
  username: string;
  ip: string;
  success: boolean;
  at: DefaultTimestamp;
}

export interface AuditLogTable {
  tenant_id: string;
  seq: number;
  at: Timestamp;
  actor_type: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  details: Json<unknown>;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  tenant_id: string;
  seq: number;
  hash: string;
}

export interface SchemaMigrationsTable {
  version: string;
  name: string;
  checksum: string;
  applied_at: DefaultTimestamp;
}

export interface DB {
  tenants: TenantsTable;
  units: UnitsTable;
  services: ServicesTable;
  users: UsersTable;
  role_grants: RoleGrantsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_attempts: LoginAttemptsTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  schema_migrations: SchemaMigrationsTable;
  import_batches: ImportBatchesTable;
  service_events: ServiceEventsTable;
  service_event_status_history: ServiceEventStatusHistoryTable;
  list_submissions: ListSubmissionsTable;
  list_reminders: ListRemindersTable;
  rate_limits: RateLimitsTable;
  import_profiles: ImportProfilesTable;
  instruments: InstrumentsTable;
  instrument_versions: InstrumentVersionsTable;
  instrument_assignments: InstrumentAssignmentsTable;
  responses: ResponsesTable;
  response_answers: ResponseAnswersTable;
  response_rollups: ResponseRollupsTable;
  response_rollup_deltas: ResponseRollupsTable;
  survey_entries: SurveyEntriesTable;
  score_indices: ScoreIndicesTable;
  score_index_versions: ScoreIndexVersionsTable;
  job_runs: JobRunsTable;
  score_snapshots: ScoreSnapshotsTable;
  score_snapshot_replies: ScoreSnapshotRepliesTable;
  score_snapshot_corrections: ScoreSnapshotCorrectionsTable;
  deferred_indexes: DeferredIndexesTable;
  devices: DevicesTable;
  device_pairings: DevicePairingsTable;
  unit_opening_hours: UnitOpeningHoursTable;
  holidays: HolidaysTable;
  instrument_audio: InstrumentAudioTable;
  do_not_contact: DoNotContactTable;
  interview_rounds: InterviewRoundsTable;
  interview_sample: InterviewSampleTable;
  interview_attempts: InterviewAttemptsTable;
  sms_settings: SmsSettingsTable;
  sms_templates: SmsTemplatesTable;
  sms_unit_contacts: SmsUnitContactsTable;
  sms_messages: SmsMessagesTable;
  sms_gateway_ids: SmsGatewayIdsTable;
  sms_delivery_reports: SmsDeliveryReportsTable;
  sms_inbound: SmsInboundTable;
  sms_gateway_state: SmsGatewayStateTable;
}

export type Unit = Selectable<UnitsTable>;
export type NewUnit = Insertable<UnitsTable>;
export type User = Selectable<UsersTable>;
export type Tenant = Selectable<TenantsTable>;

export type EventKind = 'dossier' | 'outpatient' | 'inpatient';
export type EventStatus = 'received' | 'processing' | 'more_documents' | 'returned' | 'cancelled';

export interface ImportBatchesTable {
  id: Generated<string>;
  tenant_id: string;
  unit_id: string | null;
  kind: EventKind | null;
  filename: string;
  sha256: string;
  bytes: number;
  status: Generated<'running' | 'done' | 'failed'>;
  header_row: number | null;
  mapping: Json<unknown> | null;
  rows: Generated<number>;
  accepted: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  rejected: Generated<number>;
  errors: Json<unknown>;
  error_count: Generated<number>;
  quality: Json<unknown>;
  failure: string | null;
  created_by_type: string;
  created_by: string | null;
  created_at: DefaultTimestamp;
  finished_at: Date | null;
}

export interface ServiceEventsTable {
  id: Generated<string>;
  tenant_id: string;
  unit_id: string;
  kind: EventKind;
  external_id: string;
  service: string | null;
  department: string | null;
  received_at: Date | null;
  due_at: Date | null;
  returned_at: Date | null;
  promised_at: Date | null;
  period: string;
  status: EventStatus;
  prev_status: EventStatus | null;
  channel: 'counter' | 'online' | null;
  citizen_enc: Buffer | null;
  has_name: Generated<boolean>;
  citizen_phone_hash: Buffer | null;
  phone_kind: 'mobile' | 'landline' | null;
  gender: 'female' | 'male' | 'other' | null;
  ethnic_minority: boolean | null;
  source: 'api' | 'import';
  import_batch_id: string | null;
  content_hash: Buffer;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface ServiceEventStatusHistoryTable {
  id: Generated<number>;
  tenant_id: string;
  event_id: string;
  status: EventStatus;
  at: Timestamp;
  promised_at: Date | null;
  source: string;
  recorded_at: DefaultTimestamp;
}

export interface ListSubmissionsTable {
  tenant_id: string;
  unit_id: string;
  period: string;
  first_received_at: Timestamp;
  last_received_at: Timestamp;
  batches: Generated<number>;
}

export interface ListRemindersTable {
  tenant_id: string;
  unit_id: string;
  period: string;
  created_at: DefaultTimestamp;
}

export interface RateLimitsTable {
  key: string;
  window_start: Timestamp;
  hits: number;
}

export interface ImportProfilesTable {
  tenant_id: string;
  unit_id: string;
  signature: string;
  header_row: number;
  mapping: Json<unknown>;
  updated_at: DefaultTimestamp;
}

export type Channel = 'kiosk' | 'sms' | 'phone' | 'web' | 'app' | 'hotline';
export type LocalText = Record<string, string>;

export interface InstrumentsTable {
  id: Generated<string>;
  tenant_id: string;
  code: string;
  name: Json<LocalText>;
  sector: Sector | null;
  channels: Channel[];
  framework: string | null;
  builtin: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface InstrumentVersionsTable {
  tenant_id: string;
  instrument_id: string;
  version: number;
  status: 'draft' | 'published';
  definition: Json<unknown>;
  note: string | null;
  created_by: string | null;
  created_at: DefaultTimestamp;
  published_at: Timestamp | null;
  published_by: string | null;
}

export interface InstrumentAssignmentsTable {
  id: Generated<string>;
  tenant_id: string;
  instrument_id: string;
  channel: Channel;
  unit_id: string | null;
  sector: Sector | null;
  created_at: DefaultTimestamp;
}

export interface ResponsesTable {
  tenant_id: string;
  id: string;
  instrument_id: string;
  version: number;
  channel: Channel;
  unit_id: string;
  event_id: string | null;
  status: 'complete' | 'partial';
  day: DateOnly;
  started_at: Timestamp | null;
  submitted_at: Timestamp;
  received_at: DefaultTimestamp;
  language: string;
  consent: boolean | null;
  device_id: string | null;
  device_seq: ColumnType<number | null, number | null | undefined, number | null>;
  interviewer_id: string | null;
  source_type: 'user' | 'token' | 'device' | 'public';
  source_id: string | null;
  flags: ColumnType<string[], string[] | undefined, string[]>;
  content_hash: Buffer;
}

export interface ResponseAnswersTable {
  tenant_id: string;
  response_id: string;
  item: string;
  ord: number;
  value: string;
  num: number | null;
}

export interface ResponseRollupsTable {
  tenant_id: string;
  unit_id: string;
  day: DateOnly;
  channel: Channel;
  instrument_id: string;
  version: number;
  item: string;
  value: string;
  flag: ColumnType<string, string | undefined, string>;
  count: number;
}

export interface SurveyEntriesTable {
  id: Generated<string>;
  tenant_id: string;
  kind: 'qr' | 'link';
  code_hash: Buffer;
  code: string | null;
  unit_id: string;
  event_id: string | null;
  instrument_id: string | null;
  expires_at: Timestamp | null;
  response_id: string | null;
  used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  created_by: string | null;
  created_at: DefaultTimestamp;
}

export interface ScoreIndicesTable {
  tenant_id: string;
  code: string;
  builtin: ColumnType<boolean, boolean | undefined, boolean>;
  current_version: number;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface ScoreIndexVersionsTable {
  tenant_id: string;
  code: string;
  version: number;
  definition: Json<unknown>;
  note: string | null;
  created_by: string | null;
  created_at: DefaultTimestamp;
}

export interface DevicesTable {
  id: Generated<string>;
  tenant_id: string;
  unit_id: string;
  name: string;
  credential_hash: Buffer;
  enrolled_at: DefaultTimestamp;
  enrolled_by: string | null;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
  last_seen_at: Timestamp | null;
  app_version: string | null;
  battery: number | null;
  queue_length: number | null;
  clock_skew_ms: number | null;
  last_seq: number | null;
}

export interface DevicePairingsTable {
  id: Generated<string>;
  tenant_id: string;
  unit_id: string;
  code_hash: Buffer;
  created_by: string;
  created_at: DefaultTimestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  device_id: string | null;
}

export interface UnitOpeningHoursTable {
  tenant_id: string;
  unit_id: string;
  weekday: number;
  /** 'HH:MM:SS' */
  opens: string;
  closes: string;
}

export interface HolidaysTable {
  tenant_id: string;
  day: DateOnly;
  name: string;
}

export interface InstrumentAudioTable {
  tenant_id: string;
  instrument_code: string;
  prompt: string;
  language: string;
  content_type: string;
  bytes: Buffer;
  sha256: string;
  uploaded_by: string | null;
  uploaded_at: DefaultTimestamp;
}

export interface DeferredIndexesTable {
  name: string;
  table_name: string;
  definition: string;
  /** a foreign key referencing a deferred key: put back after the keys */
  after_keys: Generated<boolean>;
  deferred_at: DefaultTimestamp;
}

export interface JobRunsTable {
  id: Generated<string>;
  job_id: string;
  name: string;
  process: string;
  attempt: number;
  started_at: Timestamp;
  finished_at: Timestamp;
  status: 'ok' | 'failed';
  error: string | null;
}

export interface ScoreSnapshotsTable {
  id: Generated<string>;
  tenant_id: string;
  period: string;
  sector: Sector;
  status: 'review' | 'published';
  method: Json<Record<string, number>>;
  method_version: string;
  inputs_hash: string;
  results: Json<unknown>;
  reply_until: Timestamp;
  created_by: string | null;
  created_at: DefaultTimestamp;
  published_at: Timestamp | null;
  published_by: string | null;
}

export interface ScoreSnapshotRepliesTable {
  id: Generated<string>;
  tenant_id: string;
  snapshot_id: string;
  unit_id: string;
  text: string;
  author: string;
  created_at: DefaultTimestamp;
}

export interface ScoreSnapshotCorrectionsTable {
  id: Generated<string>;
  tenant_id: string;
  snapshot_id: string;
  reason: string;
  old_hash: string;
  new_hash: string;
  changed_rows: number;
  by: string;
  at: DefaultTimestamp;
}

export interface DoNotContactTable {
  tenant_id: string;
  phone_hash: Buffer;
  phone_enc: Buffer;
  source: 'interview' | 'sms' | 'app' | 'web' | 'hotline' | 'staff';
  reason: string | null;
  created_by: string | null;
  created_at: DefaultTimestamp;
}

export interface InterviewRoundsTable {
  id: Generated<string>;
  tenant_id: string;
  name: string;
  period_from: string;
  period_to: string;
  kinds: EventKind[];
  instrument_id: string | null;
  unit_ids: string[] | null;
  design: Json<unknown>;
  seed: string;
  status: Generated<'draft' | 'published' | 'closed'>;
  plan: Json<unknown>;
  frame_hash: string | null;
  created_by: string | null;
  created_at: DefaultTimestamp;
  published_at: Timestamp | null;
  published_by: string | null;
  closed_at: Timestamp | null;
}

export interface InterviewSampleTable {
  id: Generated<string>;
  tenant_id: string;
  round_id: string;
  unit_id: string;
  event_id: string;
  instrument_id: string;
  stratum: string;
  phone_hash: Buffer;
  draw_key: string;
  gender: string | null;
  ethnic_minority: boolean | null;
  status: Generated<string>;
  interviewer_id: string | null;
  assigned_at: Timestamp | null;
  next_at: Timestamp | null;
  attempts: Generated<number>;
  noncontacts: Generated<number>;
  last_outcome: string | null;
  last_attempt_at: Timestamp | null;
  response_id: string | null;
  finished_at: Timestamp | null;
}

export interface InterviewAttemptsTable {
  tenant_id: string;
  id: string;
  sample_id: string;
  round_id: string;
  interviewer_id: string;
  outcome: string;
  started_at: Timestamp;
  ended_at: Timestamp;
  day: string;
  slot: string;
  callback_at: Timestamp | null;
  note_enc: Buffer | null;
  response_id: string | null;
  content_hash: string;
  created_at: DefaultTimestamp;
}

export type SmsKind = 'invitation' | 'reminder' | 'status' | 'list_reminder' | 'thanks' | 'opt_out';
export type SmsStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'failed' | 'skipped' | 'uncertain' | 'dead';

export interface SmsSettingsTable {
  tenant_id: string;
  invitations: Generated<boolean>;
  invitation_mode: Generated<'reply' | 'link'>;
  invitation_delay_minutes: Generated<number>;
  invitation_max_age_hours: Generated<number>;
  reminder_after_hours: number | null;
  status_notifications: Generated<boolean>;
  list_reminders: Generated<boolean>;
  send_from: Generated<number>;
  send_to: Generated<number>;
  gateway: Generated<'recorder' | 'smpp' | 'http'>;
  gateway_config_enc: Buffer | null;
  sender: string | null;
  callback_token_hash: Buffer | null;
  max_attempts: Generated<number>;
  updated_by: string | null;
  updated_at: DefaultTimestamp;
}

export interface SmsTemplatesTable {
  tenant_id: string;
  kind: SmsKind;
  body: string;
  updated_by: string | null;
  updated_at: DefaultTimestamp;
}

export interface SmsUnitContactsTable {
  tenant_id: string;
  unit_id: string;
  name: string | null;
  phone_enc: Buffer;
  phone_hash: Buffer;
  updated_at: DefaultTimestamp;
}

export interface SmsMessagesTable {
  id: Generated<string>;
  tenant_id: string;
  message_key: string;
  kind: SmsKind;
  event_id: string | null;
  unit_id: string | null;
  phone_enc: Buffer | null;
  phone_hash: Buffer | null;
  body: string | null;
  encoding: 'gsm7' | 'ucs2' | null;
  parts: number | null;
  status: Generated<SmsStatus>;
  skip_reason: string | null;
  not_before: DefaultTimestamp;
  attempts: Generated<number>;
  lease_until: Timestamp | null;
  last_error: string | null;
  gateway: string | null;
  delivery_state: string | null;
  delivery_error: string | null;
  sent_at: Timestamp | null;
  delivered_at: Timestamp | null;
  replied_at: Timestamp | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface SmsGatewayIdsTable {
  tenant_id: string;
  gateway_message_id: string;
  message_id: string;
  part: number;
}

export interface SmsDeliveryReportsTable {
  id: Generated<string>;
  tenant_id: string;
  message_id: string | null;
  gateway_message_id: string | null;
  state: string;
  at: Timestamp;
  error: string | null;
  raw: string | null;
  received_at: DefaultTimestamp;
}

export interface SmsInboundTable {
  id: Generated<string>;
  tenant_id: string;
  from_enc: Buffer;
  from_hash: Buffer;
  to_addr: string | null;
  text_enc: Buffer;
  received_at: Timestamp;
  gateway_ref: string | null;
  kind: 'rating' | 'comment' | 'opt_out' | 'feedback';
  rating: number | null;
  message_id: string | null;
  event_id: string | null;
  unit_id: string | null;
  response_id: string | null;
  reviewed_at: Timestamp | null;
  reviewed_by: string | null;
  created_at: DefaultTimestamp;
}

export interface SmsGatewayStateTable {
  tenant_id: string;
  up: boolean;
  since: Timestamp;
  last_error: string | null;
  alerted_at: Timestamp | null;
  updated_at: DefaultTimestamp;
}
