// Throughput and memory on large generated lists. Times are printed, not
// asserted (machines differ); memory growth is asserted for CSV.

import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { readEvents } from './events.ts';

const VN = 'Asia/Ho_Chi_Minh';
const work = mkdtempSync(path.join(tmpdir(), 'mscore-stream-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const HEADER = [
  'STT',
  'Mã hồ sơ',
  'Thủ tục',
  'Ngày tiếp nhận',
  'Ngày hẹn trả',
  'Ngày trả kết quả',
  'Trạng thái',
  'Hình thức nộp',
  'Số điện thoại',
  'Họ tên',
  'Giới tính',
  'Dân tộc',
];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** One realistic row: distinct code, phone and name per row. */
function row(i: number): string[] {
  const d = pad((i % 28) + 1);
  return [
    String(i),
    `H50.12-2610${pad(i, 7)}`,
    'Cấp bản sao trích lục hộ tịch, khai sinh',
    `${d}/10/2026 08:${pad(i % 60)}`,
    `${d}/11/2026`,
    `${d}/10/2026 16:00`,
    'Đã trả kết quả',
    i % 3 ? 'Trực tiếp' : 'Trực tuyến',
    `09${pad(10_000_000 + (i % 89_999_999), 8)}`,
    `Nguyễn Văn ${i}`,
    i % 2 ? 'Nam' : 'Nữ',
    i % 5 ? 'Kinh' : 'Vân Kiều',
  ];
}

async function writeCsv(file: string, n: number): Promise<void> {
  const out = createWriteStream(file);
  const quote = (c: string) => (c.includes(',') ? `"${c}"` : c);
  out.write(`\uFEFF${HEADER.join(',')}\r\n`);
  for (let i = 1; i <= n; i++) {
    if (!out.write(`${row(i).map(quote).join(',')}\r\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

// A forced collection measures live memory, not garbage the collector has not reached yet.
v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const liveHeap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};

/** Parses the file fully; rows per second, and the largest growth of live heap while parsing. */
async function measure(file: string) {
  const before = liveHeap();
  let peak = before;
  const start = performance.now();
  const { rows } = await readEvents(file, { timeZone: VN });
  let events = 0;
  let errors = 0;
  let paused = 0;
  for await (const r of rows) {
    if (r.event) events++;
    errors += r.errors.length;
    if (events % 50_000 === 0) {
      const t = performance.now();
      peak = Math.max(peak, liveHeap());
      paused += performance.now() - t;
    }
  }
  const seconds = (performance.now() - start - paused) / 1000;
  return {
    events,
    errors,
    seconds,
    rowsPerSecond: Math.round(events / seconds),
    heapGrowthMb: Math.round((peak - before) / 1e6),
  };
}

describe('streaming', () => {
  it('parses a 200,000-row CSV with flat memory', async () => {
    const file = path.join(work, 'big.csv');
    await writeCsv(file, 200_000);
    const m = await measure(file);
    console.log(
      `CSV: ${m.events} rows in ${m.seconds.toFixed(2)} s = ${m.rowsPerSecond} rows/s; live heap grew ${m.heapGrowthMb} MB`,
    );
    expect(m.events).toBe(200_000);
    expect(m.errors).toBe(0);
    // Holding the rows would take several hundred MB; the duplicate-code index takes about 15.
    expect(m.heapGrowthMb).toBeLessThan(60);
  }, 120_000);

  it('parses a 50,000-row XLSX', async () => {
    const file = path.join(work, 'big.xlsx');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true });
    const ws = wb.addWorksheet('Tháng 10');
    ws.addRow(HEADER).commit();
    for (let i = 1; i <= 50_000; i++) ws.addRow(row(i)).commit();
    ws.commit();
    await wb.commit();
    const m = await measure(file);
    console.log(
      `XLSX: ${m.events} rows in ${m.seconds.toFixed(2)} s = ${m.rowsPerSecond} rows/s; live heap grew ${m.heapGrowthMb} MB`,
    );
    expect(m.events).toBe(50_000);
    expect(m.errors).toBe(0);
  }, 120_000);
});
