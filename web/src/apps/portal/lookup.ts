// The public dossier lookup: input checks, the API call, and what went wrong in
// terms the page can explain (never a raw server message).
import { ApiError, request } from '../../shared/api';
import type { EventStatus, Timeliness } from '../../shared/types';

export interface PublicDossier {
  code: string;
  /** name of the office handling it */
  unit: string;
  service: string | null;
  receivedAt: string | null;
  dueAt: string | null;
  returnedAt: string | null;
  promisedAt: string | null;
  status: EventStatus;
  timeliness: Timeliness;
  timeline: { status: EventStatus; at: string; promisedAt: string | null }[];
}

export type LookupFailure =
  | { kind: 'not_found' }
  | { kind: 'invalid' }
  | { kind: 'rate_limited'; minutes: number | null }
  | { kind: 'network' }
  | { kind: 'failed' };

export interface LookupInput {
  code: string;
  phone4: string;
}

export type FieldErrors = Partial<Record<keyof LookupInput, 'codeRequired' | 'codeTooLong' | 'phone4Required' | 'phone4Format'>>;

export const CODE_MAX_LENGTH = 100;
/** Slow networks are expected; past this the page says so and offers to try again. */
const TIMEOUT_MS = 30_000;

/** What the person typed, tidied: the code trimmed, spaces out of the digits. */
export function normalize(input: LookupInput): LookupInput {
  return { code: input.code.trim(), phone4: input.phone4.replace(/\s+/g, '') };
}

export function validate(input: LookupInput): FieldErrors {
  const errors: FieldErrors = {};
  if (!input.code) errors.code = 'codeRequired';
  else if (input.code.length > CODE_MAX_LENGTH) errors.code = 'codeTooLong';
  if (!input.phone4) errors.phone4 = 'phone4Required';
  else if (!/^\d{4}$/.test(input.phone4)) errors.phone4 = 'phone4Format';
  return errors;
}

export function fetchDossier(input: LookupInput, tenant?: string | null): Promise<PublicDossier> {
  const query = new URLSearchParams({ phone4: input.phone4 });
  if (tenant) query.set('tenant', tenant);
  const signal = typeof AbortSignal.timeout === 'function' ? AbortSignal.timeout(TIMEOUT_MS) : undefined;
  return request<PublicDossier>(`/api/public/v1/dossiers/${encodeURIComponent(input.code)}?${query}`, { signal });
}

export function failureOf(err: unknown): LookupFailure {
  if (!(err instanceof ApiError)) return { kind: 'network' }; // a timeout, or the request never left
  if (err.status === 0) return { kind: 'network' };
  if (err.code === 'dossier.not_found') return { kind: 'not_found' };
  if (err.status === 400) return { kind: 'invalid' };
  if (err.status === 429) {
    const seconds = Number(err.problem.retryAfter);
    return { kind: 'rate_limited', minutes: Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds / 60) : null };
  }
  return { kind: 'failed' };
}
