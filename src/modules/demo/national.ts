// The national demo: every province of the 2025 structure as its own tenant
// (provinces run their own scorecards) with a unit tree of its communes'
// one-stop offices, a service centre, a provincial hospital and health
// centres, each filled by the province generator's bulk path. PostgreSQL only:
// the embedded database is for one province. A province already filled is
// left alone, so an interrupted run resumes where it stopped.
import { randomBytes } from 'node:crypto';
import type { Config } from '../../config.ts';
import { deferIndexes, restoreIndexes } from '../../db/deferred-indexes.ts';
import type { Database } from '../../db/index.ts';
import { AppError } from '../../platform/errors.ts';
import type { Vault } from '../../platform/vault.ts';
import { bootstrapTenant } from '../org/commands/bootstrap-tenant.ts';
import { importUnits } from '../org/commands/import-units.ts';
import { ensureBuiltinIndices } from '../scoring/commands/ensure-builtins.ts';
import { ensureBuiltinInstruments } from '../surveys/commands/ensure-builtins.ts';
import { analyzeLoaded, generateDemo, historyIsEmpty } from './generate.ts';

/** Code, name and number of communes (xã, phường, đặc khu) of the 34 provinces and cities; 3,321 in all. */
export const PROVINCES: readonly [string, string, number][] = [
  ['HN', 'Thành phố Hà Nội', 126],
  ['HUE', 'Thành phố Huế', 40],
  ['LCH', 'Tỉnh Lai Châu', 38],
  ['DBI', 'Tỉnh Điện Biên', 45],
  ['SLA', 'Tỉnh Sơn La', 75],
  ['LSO', 'Tỉnh Lạng Sơn', 65],
  ['QNI', 'Tỉnh Quảng Ninh', 54],
  ['THO', 'Tỉnh Thanh Hóa', 166],
  ['NAN', 'Tỉnh Nghệ An', 130],
  ['HTI', 'Tỉnh Hà Tĩnh', 69],
  ['CBA', 'Tỉnh Cao Bằng', 56],
  ['TQU', 'Tỉnh Tuyên Quang', 124],
  ['LCA', 'Tỉnh Lào Cai', 99],
  ['TNG', 'Tỉnh Thái Nguyên', 92],
  ['PTH', 'Tỉnh Phú Thọ', 148],
  ['BNI', 'Tỉnh Bắc Ninh', 99],
  ['HYE', 'Tỉnh Hưng Yên', 104],
  ['HPH', 'Thành phố Hải Phòng', 114],
  ['NBI', 'Tỉnh Ninh Bình', 129],
  ['QTR', 'Tỉnh Quảng Trị', 78],
  ['DNA', 'Thành phố Đà Nẵng', 94],
  ['QNG', 'Tỉnh Quảng Ngãi', 96],
  ['GLA', 'Tỉnh Gia Lai', 135],
  ['KHO', 'Tỉnh Khánh Hòa', 65],
  ['LDO', 'Tỉnh Lâm Đồng', 124],
  ['DLA', 'Tỉnh Đắk Lắk', 102],
  ['HCM', 'Thành phố Hồ Chí Minh', 168],
  ['DNI', 'Tỉnh Đồng Nai', 95],
  ['TNI', 'Tỉnh Tây Ninh', 96],
  ['CTH', 'Thành phố Cần Thơ', 103],
  ['VLO', 'Tỉnh Vĩnh Long', 124],
  ['DTH', 'Tỉnh Đồng Tháp', 102],
  ['CMA', 'Tỉnh Cà Mau', 64],
  ['AGI', 'Tỉnh An Giang', 102],
];

/** The tables the bulk path fills, whose other indexes are rebuilt once at the end. */
const LOADED_TABLES = ['service_events', 'responses', 'response_answers', 'response_rollups'];
/**
 * Kept while loading: a province's emptiness is read from its responses (and
 * its lists, another table). Each index kept costs the load about 2 µs a row;
 * the events' primary key and period index are rebuilt at the end with the others.
 */
const KEPT_INDEXES = ['responses_pkey'];

/** Commune one-stop offices handle about 0.13 of a former district office's dossiers (roughly 230 a month). */
export const COMMUNE_OFFICE_SCALE = 0.13;

const pad3 = (n: number) => String(n).padStart(3, '0');

/** The unit tree of a province in the unit import format (code,name,kind,sector,parent_code,kiosks). */
export function provinceUnitsCsv(code: string, name: string, communes: number): string {
  const p = `VN-${code}`;
  const lines = [
    'code,name,kind,sector,parent_code,kiosks',
    `${p},${name},province,,,`,
    `${p}-TTHCC,Trung tâm Phục vụ hành chính công (${name}),service_centre,administration,${p},2`,
    `${p}-SYT,Sở Y tế (${name}),department,health,${p},`,
    `${p}-BVDK,Bệnh viện đa khoa (${name}),hospital,health,${p}-SYT,10`,
  ];
  for (let i = 1; i <= Math.ceil(communes / 12); i++)
    lines.push(`${p}-TTYT${pad3(i)},Trung tâm Y tế khu vực ${i} (${name}),health_centre,health,${p}-SYT,3`);
  for (let i = 1; i <= communes; i++)
    lines.push(`${p}-X${pad3(i)},Bộ phận một cửa xã ${i} (${name}),one_stop_office,administration,${p},1`);
  return `${lines.join('\n')}\n`;
}

export type NationalOptions = {
  until: string;
  months: number;
  seed: number;
  scale: number;
  /** only these province codes (tests, partial runs) */
  only?: string[];
  onProgress?: (line: string) => void;
};

export async function generateNational(database: Database, vault: Vault, config: Config, o: NationalOptions) {
  if (database.kind !== 'postgres')
    throw new AppError(
      422,
      'demo.national_needs_postgres',
      'the national demo (34 provinces, tens of millions of rows) needs PostgreSQL: set DATABASE_URL',
    );
  const t0 = performance.now();
  const db = database.db;
  const adminPassword = config.adminPassword ?? randomBytes(12).toString('base64url');
  const done: { code: string; events: number; responses: number; seconds: number }[] = [];
  const provinces = PROVINCES.filter(([code]) => !o.only || o.only.includes(code));
  const deferred = await deferIndexes(db, LOADED_TABLES, KEPT_INDEXES);
  if (deferred.length) o.onProgress?.(`${deferred.length} indexes set aside until the load ends`);
  for (const [i, [code, name, communes]] of provinces.entries()) {
    const boot = await bootstrapTenant(db, { ...config, tenantCode: `VN-${code}`, tenantName: name, demo: false, adminPassword });
    if (boot.created) {
      await importUnits(db, {
        tenantId: boot.tenantId,
        actor: { type: 'system', name: 'national demo' },
        text: provinceUnitsCsv(code, name, communes),
      });
      o.onProgress?.(`VN-${code}: tenant created (admin / ${config.adminPassword ? 'MSCORE_ADMIN_PASSWORD' : adminPassword})`);
    }
    await ensureBuiltinInstruments(db, boot.tenantId);
    await ensureBuiltinIndices(db, boot.tenantId);
    if (!(await historyIsEmpty(db, boot.tenantId))) {
      o.onProgress?.(`VN-${code} (${i + 1}/${provinces.length}): already filled, left alone`);
      continue;
    }
    const r = await generateDemo(database, vault, {
      tenantId: boot.tenantId,
      timeZone: config.timeZone,
      until: o.until,
      months: o.months,
      seed: o.seed + i,
      scale: o.scale,
      officeScale: COMMUNE_OFFICE_SCALE,
      path: 'bulk',
      analyze: false,
      secretKey: config.secretKey,
    });
    done.push({ code, events: r.events, responses: r.responses, seconds: r.seconds });
    const total = done.reduce((a, x) => ({ e: a.e + x.events, r: a.r + x.responses }), { e: 0, r: 0 });
    o.onProgress?.(
      `VN-${code} (${i + 1}/${provinces.length}): ${r.events.toLocaleString('en')} events, ${r.responses.toLocaleString('en')} responses in ${r.seconds.toFixed(0)} s; ${total.e.toLocaleString('en')} events, ${total.r.toLocaleString('en')} responses so far, ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
  }
  await restoreIndexes(db, o.onProgress);
  // Once for all the provinces: each analyze samples the whole table, which grows with every province.
  const ta = performance.now();
  await analyzeLoaded(db);
  o.onProgress?.(`planner statistics refreshed in ${((performance.now() - ta) / 1000).toFixed(1)} s`);
  return {
    provinces: done.length,
    events: done.reduce((s, x) => s + x.events, 0),
    responses: done.reduce((s, x) => s + x.responses, 0),
    seconds: (performance.now() - t0) / 1000,
  };
}
