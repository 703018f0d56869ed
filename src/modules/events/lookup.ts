// "Where is my dossier": a citizen gives the dossier code and the last four
// digits of the phone. Any mismatch answers exactly like an unknown code.
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { enforceRateLimits } from '../../platform/rate-limit.ts';
import { tenantByCode } from '../org/queries.ts';
import { citizenContext } from './commands/upsert-events.ts';
import { readCitizen, statusHistory, timeliness } from './queries.ts';

export const LOOKUP_LIMITS = { perIpPer10Min: 30, perCodePerHour: 10 };

const notFound = () => new AppError(404, 'dossier.not_found');

export async function lookupDossier(ctx: AppContext, q: { tenantCode: string; code: string; phone4: string; ip: string }) {
  const tenant = await tenantByCode(ctx.db, q.tenantCode);
  if (!tenant) throw notFound();
  await enforceRateLimits(ctx.db, [
    { key: `lookup:ip:${q.ip}`, max: LOOKUP_LIMITS.perIpPer10Min, windowSeconds: 600 },
    { key: `lookup:code:${tenant.id}:${q.code.toLowerCase()}`, max: LOOKUP_LIMITS.perCodePerHour, windowSeconds: 3600 },
  ]);
  const candidates = await ctx.db
    .selectFrom('service_events as e')
    .innerJoin('units as u', 'u.id', 'e.unit_id')
    .select([
      'e.id',
      'e.unit_id',
      'e.external_id',
      'e.citizen_enc',
      'e.service',
      'e.received_at',
      'e.due_at',
      'e.returned_at',
      'e.promised_at',
      'e.created_at',
      'e.status',
      'u.name as unit',
    ])
    .where('e.tenant_id', '=', tenant.id)
    .where('e.kind', '=', 'dossier')
    // Codes are written in capitals but typed in any case; each spelling is an index probe.
    .where('e.external_id', 'in', [...new Set([q.code, q.code.toUpperCase(), q.code.toLowerCase()])])
    .execute();
  const match = candidates.find((e) =>
    readCitizen(ctx.vault, tenant.id, e.unit_id, e.external_id, e.citizen_enc).phone?.endsWith(q.phone4),
  );
  if (!match) {
    // Same work as a real match, so timing does not tell whether the code exists.
    if (candidates.length === 0) {
      try {
        ctx.vault.decrypt(
          ctx.vault.encrypt('{}', citizenContext(tenant.id, tenant.id, q.code)),
          citizenContext(tenant.id, tenant.id, q.code),
        );
      } catch {}
    }
    throw notFound();
  }
  const history = await statusHistory(ctx.db, tenant.id, match);
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    code: match.external_id,
    unit: match.unit,
    service: match.service,
    receivedAt: iso(match.received_at),
    dueAt: iso(match.due_at),
    returnedAt: iso(match.returned_at),
    promisedAt: iso(match.promised_at),
    status: match.status,
    timeliness: timeliness({ returnedAt: match.returned_at, dueAt: match.due_at, status: match.status }, tenant.time_zone),
    timeline: history.map((h) => ({ status: h.status, at: h.at.toISOString(), promisedAt: iso(h.promised_at) })),
  };
}
