// First start on an empty database: the tenant, the demo unit tree and
// service catalogue (when demo data is on) and the user `admin`.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Config } from '../../../config.ts';
import type { Db } from '../../../db/index.ts';
import { audit } from '../../../platform/audit.ts';
import { hashPassword } from '../../../platform/auth/passwords.ts';
import { searchKey } from '../../../platform/text.ts';
import { importUnits } from './import-units.ts';

const DEMO_DIR = path.join(import.meta.dirname, '../../../demo');

export type BootstrapResult = { created: boolean; tenantId: string; adminPassword?: string; generatedPassword: boolean };

export async function bootstrapTenant(db: Db, config: Config): Promise<BootstrapResult> {
  const existing = await db.selectFrom('tenants').select('id').where('code', '=', config.tenantCode).executeTakeFirst();
  if (existing) return { created: false, tenantId: existing.id, generatedPassword: false };
  const generatedPassword = !config.adminPassword;
  const adminPassword = config.adminPassword ?? randomBytes(12).toString('base64url');
  const passwordHash = await hashPassword(adminPassword);
  const actor = { type: 'system' as const, name: 'bootstrap' };
  const tenantId = await db.transaction().execute(async (tx) => {
    const tenant = await tx
      .insertInto('tenants')
      .values({
        code: config.tenantCode,
        name: config.tenantName,
        time_zone: config.timeZone,
        settings: JSON.stringify({ demo: config.demo }),
      })
      .onConflict((oc) => oc.column('code').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!tenant) return undefined; // another process won the race
    const admin = await tx
      .insertInto('users')
      .values({ tenant_id: tenant.id, username: 'admin', display_name: 'Quản trị hệ thống', password_hash: passwordHash })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('role_grants')
      .values({ tenant_id: tenant.id, user_id: admin.id, role: 'admin', unit_id: null })
      .execute();
    await audit(tx, {
      tenantId: tenant.id,
      actor,
      action: 'tenant.create',
      objectType: 'tenant',
      objectId: tenant.id,
      details: { code: config.tenantCode },
    });
    await audit(tx, {
      tenantId: tenant.id,
      actor,
      action: 'user.create',
      objectType: 'user',
      objectId: admin.id,
      details: { username: 'admin', role: 'admin' },
    });
    return tenant.id;
  });
  if (!tenantId) return bootstrapTenant(db, config);
  if (config.demo) {
    await importUnits(db, { tenantId, actor, text: readFileSync(path.join(DEMO_DIR, 'quang-tri-units.csv'), 'utf8') });
    const services = parse(readFileSync(path.join(DEMO_DIR, 'services.csv'), 'utf8'), { columns: true }) as {
      code: string;
      name: string;
      kind: 'procedure' | 'health_service';
      sector: 'administration' | 'health';
      field: string;
    }[];
    await db
      .insertInto('services')
      .values(services.map((s) => ({ tenant_id: tenantId, ...s, field: s.field || null, search_key: searchKey(s.name) })))
      .execute();
  }
  return { created: true, tenantId, adminPassword, generatedPassword };
}
