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
