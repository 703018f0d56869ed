import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../support/platform.ts';

let tp: TestPlatform;
beforeAll(async () => {
  tp = await startTestPlatform();
});
afterAll(async () => tp?.stop());

type UnitOut = {
  code: string;
  name: string;
  kind: string;
  sector: string | null;
  parentCode: string | null;
  validFrom: string;
  validTo: string | null;
  successorCode: string | null;
  kiosks: number;
};

describe('units', () => {
  it('first start loads the demo province tree from the CSV', async () => {
    const admin = await tp.admin();
    const r = await admin.get('/api/v1/units');
    expect(r.status).toBe(200);
    const units = r.body as UnitOut[];
    expect(units).toHaveLength(40);
    const hospital = units.find((u) => u.code === 'QT-BVDK');
    expect(hospital).toEqual({
      code: 'QT-BVDK',
      name: 'Bệnh viện đa khoa tỉnh Quảng Trị',
      kind: 'hospital',
      sector: 'health',
      parentCode: 'QT-SYT',
      validFrom: '2000-01-01',
      validTo: null,
      successorCode: null,
      kiosks: 10,
    });
    expect(units.filter((u) => u.parentCode === null).map((u) => u.code)).toEqual(['QT']);
  });

  it('finds units by name without diacritics, and by code', async () => {
    const admin = await tp.admin();
    const names = async (q: string) =>
      ((await admin.get(`/api/v1/units?search=${encodeURIComponent(q)}`)).body as UnitOut[]).map((u) => u.name);
    expect(await names('dakrong')).toEqual(
      expect.arrayContaining(['Huyện Đakrông', 'Văn phòng một cửa huyện Đakrông', 'Trung tâm Y tế huyện Đakrông']),
    );
    expect(await names('ta rut')).toEqual(['Xã Tà Rụt']);
    expect(await names('ĐÔNG HÀ')).toContain('Thành phố Đông Hà');
    expect(await names('qt-bvdk')).toEqual(['Bệnh viện đa khoa tỉnh Quảng Trị']);
    expect(await names('100%_')).toEqual([]);
  });

  it('records a 2025-style merger: old units closed with a successor, history kept', async () => {
    const admin = await tp.admin();
    const csv = [
      'code,name,kind,sector,parent_code,kiosks,valid_from,valid_to,successor_code',
      'QT-DKR-DAKRONG,Xã Đakrông (mới),commune,,QT,0,2025-07-01,,',
      'QT-DKR-AVAO,Xã A Vao,commune,,QT-DKR,0,2000-01-01,2025-06-30,QT-DKR-DAKRONG',
      'QT-DKR-ANGO,Xã A Ngo,commune,,QT-DKR,0,2000-01-01,2025-06-30,QT-DKR-DAKRONG',
    ].join('\n');
    const r = await admin.post('/api/v1/units/import', csv);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ created: 1, updated: 2, unchanged: 0, errors: [] });
    const avao = (await admin.get('/api/v1/units/QT-DKR-AVAO')).body as UnitOut;
    expect(avao.validTo).toBe('2025-06-30');
    expect(avao.successorCode).toBe('QT-DKR-DAKRONG');
    const current = ((await admin.get('/api/v1/units?current=true')).body as UnitOut[]).map((u) => u.code);
    expect(current).toContain('QT-DKR-DAKRONG');
    expect(current).not.toContain('QT-DKR-AVAO');
    expect(((await admin.get('/api/v1/units')).body as UnitOut[]).map((u) => u.code)).toContain('QT-DKR-AVAO');
    const again = await admin.post('/api/v1/units/import', csv);
    expect(again.body).toEqual({ created: 0, updated: 0, unchanged: 3, errors: [] });
  });

  it('reports every bad row with its number and writes nothing', async () => {
    const admin = await tp.admin();
    const csv = [
      'code,name,kind,sector,parent_code,kiosks',
      'QT-NEW-1,Đơn vị mới,one_stop_office,administration,QT,1',
      'QT-NEW-2,,one_stop_office,administration,QT,1',
      'QT-NEW-3,Đơn vị 3,castle,administration,QT,1',
      'QT-NEW-4,Đơn vị 4,one_stop_office,finance,NOWHERE,x',
      'QT-NEW-1,Trùng mã,one_stop_office,administration,QT,1',
    ].join('\n');
    const r = await admin.post('/api/v1/units/import', csv);
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('import.rows_invalid');
    const byRow = (r.body.errors as { row: number; code: string }[]).map((e) => `${e.row}:${e.code}`);
    expect(byRow).toEqual(
      expect.arrayContaining([
        '3:unit.name_invalid',
        '4:unit.kind_invalid',
        '5:unit.sector_invalid',
        '5:unit.kiosks_invalid',
        '5:unit.parent_not_found',
        '6:unit.code_duplicate',
      ]),
    );
    expect(byRow.some((e) => e.startsWith('2:'))).toBe(false);
    expect((await admin.get('/api/v1/units/QT-NEW-1')).status).toBe(404);
  });

  it('refuses a parent cycle', async () => {
    const admin = await tp.admin();
    const csv = ['code,name,kind,sector,parent_code,kiosks', 'CYC-A,A,other,,CYC-B,0', 'CYC-B,B,other,,CYC-A,0'].join('\n');
    const r = await admin.post('/api/v1/units/import', csv);
    expect(r.status).toBe(422);
    expect((r.body.errors as { code: string }[]).map((e) => e.code)).toContain('unit.cycle');
  });

  it('lists the service catalogue, searchable without diacritics', async () => {
    const admin = await tp.admin();
    const r = await admin.get('/api/v1/services?search=khai sinh');
    expect(r.status).toBe(200);
    expect(r.body).toEqual([
      { code: 'TTHC-HT-01', name: 'Đăng ký khai sinh', kind: 'procedure', sector: 'administration', field: 'Hộ tịch' },
    ]);
  });
});
