// Response shapes of the /api/v1 endpoints used by the web apps.
import type { ProblemFieldError } from './api';

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

export type Sector = 'administration' | 'health';

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  language: 'vi' | 'en';
}

export interface Grant {
  id: string;
  role: Role;
  unitCode: string | null;
  unitName: string | null;
}

export interface Me {
  /** null only for API tokens, which the console never uses */
  user: SessionUser | null;
  tenant: { code: string; name: string; timeZone: string };
  grants: Grant[];
  permissions: string[];
  /** held through a grant on the whole tenant */
  tenantWidePermissions: string[];
  csrfToken: string | null;
}

export interface LoginResult {
  user: SessionUser;
  csrfToken: string;
}

export interface Unit {
  code: string;
  name: string;
  kind: UnitKind;
  sector: Sector | null;
  parentCode: string | null;
  validFrom: string;
  validTo: string | null;
  successorCode: string | null;
  kiosks: number;
}

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
  errors: ProblemFieldError[];
}

export interface User {
  id: string;
  username: string;
  displayName: string;
  disabled: boolean;
  phoneMasked: string | null;
  grants: Grant[];
  createdAt: string;
}

export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  unitCode: string | null;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedToken extends ApiToken {
  token: string;
}

export interface AuditRow {
  seq: number;
  at: string;
  actorType: string;
  actorName: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  details: unknown;
}

export interface AuditVerify {
  ok: boolean;
  checked: number;
  firstBadSeq: number | null;
  problem: string | null;
}

// Service events, list imports and data quality.

export const EVENT_KINDS = ['dossier', 'outpatient', 'inpatient'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const EVENT_STATUSES = ['received', 'processing', 'more_documents', 'returned', 'cancelled'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export type Timeliness = 'early' | 'on_time' | 'late' | 'overdue' | 'pending' | 'unknown';

/** Fields a column of a list can be mapped to, in the order the console offers them. */
export const IMPORT_FIELDS = [
  'externalId',
  'service',
  'receivedAt',
  'dueAt',
  'returnedAt',
  'promisedAt',
  'status',
  'channel',
  'name',
  'phone',
  'gender',
  'ethnicMinority',
  'department',
  'unit',
  'kind',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export interface ImportPreview {
  headerRow: number;
  headers: string[];
  /** column index (as a string) -> field */
  mapping: Record<string, string>;
  unmapped: string[];
  kind: EventKind;
  sample: { row: number; cells: string[] }[];
  /** the mapping comes from the unit's saved profile */
  profile: boolean;
  fields: string[];
}

export interface ImportCellError {
  row: number;
  column: string;
  code: string;
  message: string;
}

export interface ImportQuality {
  rows: number;
  validMobile: number;
  withName: number;
  withReturnDate: number;
}

export interface ImportReport {
  id: string;
  filename: string;
  unit: string | null;
  kind: EventKind;
  headerRow: number;
  mapping: Record<string, string>;
  rows: number;
  accepted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors: ImportCellError[];
  errorCount: number;
  quality: ImportQuality;
}

export type ImportStatus = 'running' | 'done' | 'failed';

export interface ImportBatch {
  id: string;
  filename: string;
  unit: string | null;
  kind: EventKind | null;
  status: ImportStatus;
  failure: string | null;
  rows: number;
  accepted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errorCount: number;
  createdBy: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface ImportBatchDetail extends ImportBatch {
  headerRow: number | null;
  mapping: Record<string, string> | null;
  errors: ImportCellError[];
  quality: Partial<ImportQuality>;
}

export interface ServiceEvent {
  id: string;
  unit: string;
  externalId: string;
  kind: EventKind;
  service: string | null;
  receivedAt: string | null;
  dueAt: string | null;
  returnedAt: string | null;
  status: EventStatus;
  timeliness: Timeliness;
  channel: 'counter' | 'online' | null;
  hasName: boolean;
  phoneMasked: string | null;
  phoneKind: 'mobile' | 'landline' | null;
  source: 'api' | 'import';
}

export interface ServiceEventDetail extends ServiceEvent {
  unitName: string;
  department: string | null;
  promisedAt: string | null;
  name: string | null;
  gender: 'female' | 'male' | 'other' | null;
  ethnicMinority: boolean | null;
  history: { status: EventStatus; at: string; promisedAt: string | null }[];
  createdAt: string;
  updatedAt: string;
}

export interface EventPage {
  total: number;
  items: ServiceEvent[];
}

export interface QualityRow {
  unit: string;
  unitName: string;
  sector: string | null;
  records: number;
  validMobile: number;
  withName: number;
  withReturnDate: number;
  eligible: number;
  /** 0..1, null without records */
  validMobileRate: number | null;
  withNameRate: number | null;
  withReturnDateRate: number | null;
  listReceivedAt: string | null;
  /** end of the due day (exclusive) */
  listDueAt: string;
  /** null: not due yet and nothing received */
  onTime: boolean | null;
}

// Survey instruments: versioned definitions, channel assignments, QR codes and answer counts.

export const SURVEY_CHANNELS = ['kiosk', 'sms', 'phone', 'web', 'app', 'hotline'] as const;
export type SurveyChannel = (typeof SURVEY_CHANNELS)[number];
export const SECTORS: readonly Sector[] = ['administration', 'health'];

export const ITEM_TYPES = ['faces', 'scale', 'yesno', 'single', 'multiple', 'number', 'text', 'phone'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

/** Text in several languages; Vietnamese is required. */
export type LocalText = { vi: string; en?: string } & Record<string, string | undefined>;

export interface ItemOption {
  code: string;
  label: LocalText;
  icon?: string;
}

export type ShowIfOp = 'eq' | 'ne' | 'in' | 'gte' | 'lte' | 'answered';
export type ShowIfValue = number | string | boolean | (number | string)[];

export interface ShowIf {
  item: string;
  op: ShowIfOp;
  value?: ShowIfValue;
}

export interface InstrumentItem {
  code: string;
  type: ItemType;
  label: LocalText;
  help?: LocalText;
  /** what the interviewer reads out, when it differs from the label */
  script?: LocalText;
  section?: string;
  required?: boolean;
  min?: number;
  max?: number;
  integer?: boolean;
  minLabel?: LocalText;
  maxLabel?: LocalText;
  options?: ItemOption[];
  optionsFrom?: string;
  noOpinion?: { value: number | string; label: LocalText };
  showIf?: ShowIf;
  personal?: boolean;
  maxLength?: number;
  framework?: string;
}

export interface InstrumentDefinition {
  languages: string[];
  intro?: LocalText;
  consent?: LocalText;
  thanks?: LocalText;
  sections?: { code: string; label: LocalText }[];
  lists?: Record<string, ItemOption[]>;
  items: InstrumentItem[];
}

export type VersionStatus = 'draft' | 'published';

export interface InstrumentVersionSummary {
  version: number;
  status: VersionStatus;
  publishedAt: string | null;
  /** item codes in order */
  items: string[];
}

export interface InstrumentSummary {
  code: string;
  name: LocalText;
  sector: Sector | null;
  channels: SurveyChannel[];
  framework: string | null;
  builtin: boolean;
  /** latest published version */
  latestVersion: number | null;
  draftVersion: number | null;
  versions: InstrumentVersionSummary[];
}

export interface InstrumentVersion extends InstrumentVersionSummary {
  note: string | null;
  createdBy: string | null;
  publishedBy: string | null;
  definition: InstrumentDefinition;
}

export interface InstrumentDetail extends Omit<InstrumentSummary, 'versions'> {
  versions: InstrumentVersion[];
}

export interface InstrumentAssignment {
  id: string;
  channel: SurveyChannel;
  unit: string | null;
  unitName: string | null;
  sector: Sector | null;
  instrument: string;
}

export interface UnitInstrument {
  channel: SurveyChannel;
  instrument: string | null;
  via: 'unit' | 'sector' | 'tenant' | null;
  fromUnit: string | null;
}

export interface SurveyQr {
  code: string;
  url: string;
  /** A4 PDF poster with the QR code */
  posterUrl: string;
}

export interface ResponseCountRow {
  version: number;
  /** item code, or `_n` for the number of responses */
  item: string;
  /** answer value; `na` is the no-opinion answer, `*` a free text or phone */
  value: string;
  /** '' when counted; otherwise the misuse rule that flagged the responses */
  flag: string;
  count: number;
}

export interface ResponseCounts {
  instrument: string;
  rows: ResponseCountRow[];
}
