import { z } from 'zod';
import { ROLES, UNIT_KINDS } from '../../db/types.ts';

export const roleSchema = z.enum(ROLES as [string, ...string[]]).describe('role granted on a unit subtree');
export const unitCodeSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'letters, digits, dot, dash and underscore')
  .describe('unit code, unique in the tenant');

export const unitSchema = z.object({
  code: z.string().describe('unit code'),
  name: z.string().describe('official name'),
  kind: z.enum(UNIT_KINDS as [string, ...string[]]).describe('kind of unit'),
  sector: z.enum(['administration', 'health']).nullable().describe('service sector, if the unit serves citizens'),
  parentCode: z.string().nullable().describe('code of the parent unit'),
  validFrom: z.string().describe('first day the unit exists (YYYY-MM-DD)'),
  validTo: z.string().nullable().describe('last day before it was merged or dissolved (YYYY-MM-DD)'),
  successorCode: z.string().nullable().describe('unit that took over after validTo'),
  kiosks: z.number().int().describe('rating tablets installed'),
});

export const unitListQuery = z.strictObject({
  search: z.string().max(200).optional().describe('name or code, diacritics not needed'),
  current: z.enum(['true', 'false']).optional().describe('true: only units valid today'),
});

export const serviceSchema = z.object({
  code: z.string(),
  name: z.string(),
  kind: z.enum(['procedure', 'health_service']),
  sector: z.enum(['administration', 'health']),
  field: z.string().nullable().describe('field of a procedure (land, civil status, business...)'),
});

export const grantSchema = z.object({
  id: z.string(),
  role: roleSchema,
  unitCode: z.string().nullable().describe('null: the whole tenant'),
  unitName: z.string().nullable(),
});

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  disabled: z.boolean(),
  phoneMasked: z.string().nullable().describe('masked phone number, e.g. 091***5678'),
  grants: z.array(grantSchema),
  createdAt: z.string(),
});

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, '2-64 letters, digits, dot, dash or underscore');

export const createUserBody = z.strictObject({
  username: usernameSchema,
  displayName: z.string().trim().min(1).max(200),
  password: z.string().max(1024),
  phone: z.string().max(30).optional().describe('mobile number, stored encrypted'),
  language: z.enum(['vi', 'en']).optional(),
});

export const updateUserBody = z.strictObject({
  displayName: z.string().trim().min(1).max(200).optional(),
  disabled: z.boolean().optional(),
  password: z.string().max(1024).optional(),
});

export const createGrantBody = z.strictObject({
  role: roleSchema,
  unitCode: z.string().max(64).nullable().describe('null: the whole tenant'),
});

export const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: roleSchema,
  unitCode: z.string().nullable(),
  prefix: z.string().describe('first characters of the token, to recognise it'),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

export const createTokenBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  role: roleSchema,
  unitCode: z.string().max(64).nullable().optional(),
});

export const importResultSchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  errors: z.array(z.object({ row: z.number().int(), code: z.string(), message: z.string() })),
});

export const auditRowSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorType: z.string(),
  actorName: z.string().nullable(),
  action: z.string(),
  objectType: z.string().nullable(),
  objectId: z.string().nullable(),
  details: z.unknown(),
});

export const idParams = z.strictObject({ id: z.uuid() });
