// Shapes shared by the list reader, the row parser and the JSON ingest API.

export type EventKind = 'dossier' | 'outpatient' | 'inpatient';
export type EventStatus = 'received' | 'processing' | 'more_documents' | 'returned' | 'cancelled';
export type Field =
  | 'unit'
  | 'externalId'
  | 'kind'
  | 'service'
  | 'receivedAt'
  | 'dueAt'
  | 'returnedAt'
  | 'promisedAt'
  | 'status'
  | 'channel'
  | 'name'
  | 'phone'
  | 'gender'
  | 'ethnicMinority'
  | 'department';

/** column index (0-based) -> field */
export type Mapping = Record<number, Field>;

export type CellError = { row: number; column: string; code: string; message: string };

export type Citizen = {
  name?: string;
  /** national form 0xxxxxxxxx, the first valid number (a mobile one before a landline) */
  phone?: string;
  phoneKind?: 'mobile' | 'landline';
  gender?: 'female' | 'male' | 'other';
  ethnicMinority?: boolean;
};

export type ParsedEvent = {
  /** 1-based spreadsheet row number (title rows counted), as Excel shows it */
  row: number;
  unit?: string;
  externalId: string;
  kind?: EventKind;
  service?: string;
  /** ISO 8601 UTC strings */
  receivedAt?: string;
  dueAt?: string;
  returnedAt?: string;
  promisedAt?: string;
  status?: EventStatus;
  channel?: 'counter' | 'online';
  department?: string;
  citizen?: Citizen;
};

/** `event` is absent when the row is unusable. */
export type RowResult = { row: number; event?: ParsedEvent; errors: CellError[] };

/** One spreadsheet row: its number as Excel shows it, every cell as display text. */
export type TableRow = { row: number; cells: string[] };

export type Header = { headerRow: number; headers: string[]; mapping: Mapping };
export type DetectedHeader = Header & { unmapped: string[] };
