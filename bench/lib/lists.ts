// Deterministic synthetic monthly lists for benchmarks: realistic Vietnamese
// names, phone numbers in several writings, dates day-first, some bad rows.
import { createWriteStream } from 'node:fs';
import { FAMILY, GIVEN, MIDDLE, PROCEDURES } from '../../src/modules/demo/vocabulary.ts';
import { rng } from '../../src/platform/random.ts';

// A missing middle name now and then, as in real lists.
const MIDDLE_OR_NONE = [...MIDDLE, ''];

const pad = (n: number) => String(n).padStart(2, '0');

export async function writeDossierCsv(file: string, rows: number, seed = 7): Promise<void> {
  const r = rng(seed);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)] as T;
  const out = createWriteStream(file);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((res) => out.once('drain', () => res())));
  await write(
    'UBND HUYỆN ĐAKRÔNG\nDANH SÁCH HỒ SƠ ĐÃ TRẢ KẾT QUẢ\nSTT,Mã hồ sơ,Thủ tục,Ngày tiếp nhận,Ngày hẹn trả,Ngày trả kết quả,Họ tên,Số điện thoại\n',
  );
  for (let i = 1; i <= rows; i++) {
    const d = 1 + Math.floor(r() * 25);
    const due = d + 3;
    const ret =
      r() < 0.9
        ? `${pad(Math.min(28, due + Math.floor(r() * 4) - 2))}/10/2026 ${pad(8 + Math.floor(r() * 9))}:${pad(Math.floor(r() * 60))}`
        : '';
    const digits = `09${String(Math.floor(r() * 1e8)).padStart(8, '0')}`;
    const roll = r();
    const phone =
      roll < 0.1
        ? ''
        : roll < 0.2
          ? `${digits.slice(0, 4)}.${digits.slice(4, 7)}.${digits.slice(7)}`
          : roll < 0.25
            ? `+84 ${digits.slice(1)}`
            : digits;
    const name = r() < 0.05 ? '' : `${pick(FAMILY)} ${pick(MIDDLE_OR_NONE)} ${pick(GIVEN)}`.replace(/\s+/g, ' ');
    const id = r() < 0.001 ? '' : `DKR-${String(i).padStart(7, '0')}`;
    await write(`${i},${id},${pick(PROCEDURES)},${pad(d)}/10/2026,${pad(due)}/10/2026,${ret},${name},${phone}\n`);
  }
  await write(',,,,,,,\nNgười lập biểu,,,,,,,\n');
  await new Promise<void>((res) => out.end(() => res()));
}
