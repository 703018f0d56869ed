// Append-only, hash-chained audit log. Each row is written in the transaction
// of the change it records; audit_head is locked to serialise writers of one
// tenant and anchors the chain's tip so removed tail rows are detected too.
import { createHash } from 'node:crypto';
import type { Executor, Tx } from '../db/index.ts';

export type Actor = { type: 'user' | 'token' | 'system' | 'cli'; id?: string | null; name?: string | null };

export type AuditEntry = {
  tenantId: string;
  actor: Actor;
  action: string;
  objectType?: string | null;
  objectId?: string | null;
  details?: unknown;
  requestId?: string | null;
};

const GENESIS = '0'.repeat(64);

/** JSON with sorted keys, so a jsonb round trip gives the same text. */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  // Built by appending, without arrays in between: every response's content hash goes through here.
  if (Array.isArray(value)) {
    let s = '[';
    for (let i = 0; i < value.length; i++) s += i ? `,${canonical(value[i])}` : canonical(value[i]);
    return `${s}]`;
  }
  const obj = value as Record<string, unknown>;
  let s = '{';
  for (const k of Object.keys(obj).sort()) {
    const v = obj[k];
    if (v === undefined) continue;
    s += `${s.length > 1 ? ',' : ''}${JSON.stringify(k)}:${canonical(v)}`;
  }
  return `${s}}`;
}

type Row = {
  tenant_id: string;
  seq: number;
  at: Date;
  actor_type: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  details: unknown;
  request_id: string | null;
  prev_hash: string;
};

function rowHash(r: Row): string {
  const text = canonical({ ...r, at: r.at.toISOString(), seq: Number(r.seq) });
  return createHash('sha256').update(text).digest('hex');
}

export async function audit(tx: Tx, e: AuditEntry): Promise<void> {
  await tx
    .insertInto('audit_head')
    .values({ tenant_id: e.tenantId, seq: 0, hash: GENESIS })
    .onConflict((oc) => oc.column('tenant_id').doNothing())
    .execute();
  const head = await tx
    .selectFrom('audit_head')
    .select(['seq', 'hash'])
    .where('tenant_id', '=', e.tenantId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const row: Row = {
    tenant_id: e.tenantId,
    seq: Number(head.seq) + 1,
    at: new Date(),
    actor_type: e.actor.type,
    actor_id: e.actor.id ?? null,
    actor_name: e.actor.name ?? null,
    action: e.action,
    object_type: e.objectType ?? null,
    object_id: e.objectId ?? null,
    details: JSON.parse(canonical(e.details ?? {})),
    request_id: e.requestId ?? null,
    prev_hash: head.hash,
  };
  const hash = rowHash(row);
  await tx
    .insertInto('audit_log')
    .values({ ...row, details: JSON.stringify(row.details), hash })
    .execute();
  await tx.updateTable('audit_head').set({ seq: row.seq, hash }).where('tenant_id', '=', e.tenantId).execute();
}

export type VerifyResult = {
  ok: boolean;
  checked: number;
  firstBadSeq: number | null;
  problem: string | null;
};

/** Walks a tenant's chain in pages; reports the first row that does not fit. */
export async function verifyAudit(db: Executor, tenantId: string): Promise<VerifyResult> {
  let prev = GENESIS;
  let expectSeq = 1;
  let checked = 0;
  const bad = (seq: number, problem: string): VerifyResult => ({ ok: false, checked, firstBadSeq: seq, problem });
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('seq', '>=', expectSeq)
      .orderBy('seq')
      .limit(1000)
      .execute();
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== expectSeq) return bad(expectSeq, `row ${expectSeq} is missing`);
      if (r.prev_hash !== prev) return bad(seq, `row ${seq} does not point at the hash of row ${seq - 1}`);
      const { hash, ...rest } = r;
      if (rowHash({ ...rest, seq } as Row) !== hash) return bad(seq, `row ${seq} was altered`);
      prev = hash;
      expectSeq++;
      checked++;
    }
    if (rows.length < 1000) break;
  }
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('tenant_id', '=', tenantId).executeTakeFirst();
  const headSeq = head ? Number(head.seq) : 0;
  if (headSeq !== checked || (head && head.hash !== prev)) {
    return bad(Math.min(headSeq, checked) + 1, `the chain ends at row ${checked} but its recorded tip is row ${headSeq}`);
  }
  return { ok: true, checked, firstBadSeq: null, problem: null };
}

export async function verifyAllTenants(db: Executor) {
  const tenants = await db.selectFrom('tenants').select(['id', 'code']).orderBy('code').execute();
  const out: (VerifyResult & { tenant: string })[] = [];
  for (const t of tenants) out.push({ tenant: t.code, ...(await verifyAudit(db, t.id)) });
  return out;
}
