import { describe, expect, it } from 'vitest';
import { nextSendTime, retryDelayMs } from './hours.ts';
import { DEFAULT_TEMPLATES, parseReply, render, smsSize, TEMPLATE_KINDS, templateProblems, unaccent } from './text.ts';

describe('SMS size', () => {
  it('counts GSM-7 in 160 / 153 and UCS-2 in 70 / 67', () => {
    expect(smsSize('a'.repeat(160))).toMatchObject({ encoding: 'gsm7', parts: 1, left: 0 });
    expect(smsSize('a'.repeat(161))).toMatchObject({ encoding: 'gsm7', parts: 2, perPart: 153, left: 306 - 161 });
    expect(smsSize('ấ'.repeat(70))).toMatchObject({ encoding: 'ucs2', parts: 1 });
    expect(smsSize('ấ'.repeat(71))).toMatchObject({ encoding: 'ucs2', parts: 2, perPart: 67 });
  });
  it('counts extension characters twice and @ _ as plain GSM-7', () => {
    expect(smsSize('@_£')).toMatchObject({ encoding: 'gsm7', units: 3 });
    expect(smsSize('{x}€')).toMatchObject({ encoding: 'gsm7', units: 7 });
  });
  it('keeps the built-in texts unaccented', () => {
    for (const k of TEMPLATE_KINDS) expect(smsSize(DEFAULT_TEMPLATES[k]).encoding).toBe('gsm7');
  });
  it('fits the invitation in one part for a usual unit name and dossier code', () => {
    const text = render(DEFAULT_TEMPLATES.invitation, {
      unit: 'Văn phòng một cửa thành phố Đông Hà',
      code: 'DH-2026-000123',
      keyword: 'TU CHOI',
    });
    expect(text).not.toMatch(/[{}]/);
    expect(smsSize(text)).toMatchObject({ encoding: 'gsm7', parts: 1 });
  });
});

describe('templates', () => {
  it('names unknown variables', () => {
    expect(templateProblems('invitation', 'Xin {unit} {ten} {code}').map((p) => p.variable)).toEqual(['ten']);
    expect(templateProblems('list_reminder', '{link}')).toHaveLength(1);
    expect(templateProblems('invitation', 'khong co bien')).toEqual([]);
  });
  it('unaccents values by default, and leaves unknown placeholders as written', () => {
    expect(render('{unit}: {code} {x}', { unit: 'Huyện Đakrông', code: 'A-1' })).toBe('Huyen Dakrong: A-1 {x}');
    expect(render('{unit}', { unit: 'Huyện Đakrông' }, false)).toBe('Huyện Đakrông');
    expect(unaccent('Đường Lê Duẩn, Đông Hà')).toBe('Duong Le Duan, Dong Ha');
  });
});

describe('replies', () => {
  it.each([
    ['5', 5, null],
    [' 4 ', 4, null],
    ['5 điểm', 5, null],
    ['Toi cho 3 diem', 3, null],
    ['4 sao', 4, null],
    ['5. Cán bộ nhiệt tình', 5, 'Cán bộ nhiệt tình'],
    ['2 - phải chờ lâu', 2, 'phải chờ lâu'],
    ['năm', 5, null],
    ['Bốn điểm', 4, null],
  ])('%j is the rating %i', (text, rating, comment) => {
    expect(parseReply(text)).toEqual({ kind: 'rating', rating, comment });
  });
  it.each(['TU CHOI', 'Từ chối', '  từ   CHỐI ', 'tuchoi', 'TỪ CHỐI nhận tin', 'STOP', 'Huy', 'dừng', 'Không nhận tin'])(
    '%j opts out',
    (text) => {
      expect(parseReply(text)).toEqual({ kind: 'opt_out' });
    },
  );
  it.each([
    '6',
    '0',
    '10',
    '1 2 3',
    'Hồ sơ của tôi bao giờ xong?',
    'Đúng rồi',
    'Dung hen khong?',
    'Tôi đã nộp 3 lần 2 tháng nay',
  ])('%j is kept as text', (text) => {
    expect(parseReply(text).kind).toBe('text');
  });
});

describe('sending hours', () => {
  const zone = 'Asia/Ho_Chi_Minh';
  it('sends at once inside the window, otherwise at the next 07:00 local', () => {
    const inside = new Date('2026-12-02T09:30:00+07:00');
    expect(nextSendTime(inside, zone, 7, 21)).toBe(inside);
    expect(nextSendTime(new Date('2026-12-02T21:00:00+07:00'), zone, 7, 21).toISOString()).toBe('2026-12-03T00:00:00.000Z');
    expect(nextSendTime(new Date('2026-12-31T23:10:00+07:00'), zone, 7, 21).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(nextSendTime(new Date('2026-12-02T05:59:00+07:00'), zone, 7, 21).toISOString()).toBe('2026-12-02T00:00:00.000Z');
  });
  it('backs off 30 s doubling, at most an hour', () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(20)).toBe(3600_000);
  });
});
