// Monthly list import: reading a unit's file of dossiers or patient visits into
// normalised event rows, with an error per bad cell.
export { parseDateTime } from './datetime.ts';
export { readEvents } from './events.ts';
export { detectHeader, inferKind } from './header.ts';
export { DEFAULT_LIMITS, ImportFileError, type ImportFileErrorCode, type ImportLimits } from './limits.ts';
export { parsePhones } from './phones.ts';
export { readTable } from './read-table.ts';
export { parseRows } from './rows.ts';
export type {
  CellError,
  Citizen,
  DetectedHeader,
  EventKind,
  EventStatus,
  Field,
  Header,
  Mapping,
  ParsedEvent,
  RowResult,
  TableRow,
} from './types.ts';
export { normalizeName } from './values.ts';
