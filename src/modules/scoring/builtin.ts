// Indices every tenant gets as version 1 (METHODS.md sections 2 and 4). They
// read the built-in instruments' item codes; a tenant may publish new versions.
import type { IndexDefinition } from './definition.ts';

const t = (vi: string, en: string) => ({ vi, en });
const pct = { unit: 'percent', min: 0, max: 100, decimals: 1 } as const;
const MOH = ['MOH_OUTPATIENT', 'MOH_INPATIENT'];
const MOH_CHANNELS = ['phone', 'web', 'app'] as ('phone' | 'web' | 'app')[];
const MOH_ITEMS = ['A*', 'B*', 'C*', 'D*', 'E*'];

function mohSection(code: string, vi: string, en: string): [string, IndexDefinition] {
  return [
    `MOH_SECTION_${code}`,
    {
      name: t(`Điểm trung bình phần ${code}: ${vi} (Bộ Y tế)`, `Mean of section ${code}: ${en} (Ministry of Health)`),
      sector: 'health',
      display: { unit: 'points', min: 1, max: 5, decimals: 2 },
      higherIsBetter: true,
      framework: 'Decision 3869/QĐ-BYT',
      formula: { kind: 'mean', instruments: MOH, channels: MOH_CHANNELS, items: [`${code}*`] },
    },
  ];
}

const SIPAS_FACTORS: [string, string, string][] = [
  ['ACC', 'Tiếp cận dịch vụ', 'Access to the service'],
  ['PROC', 'Thủ tục hành chính', 'Administrative procedure'],
  ['CS', 'Sự phục vụ của công chức', 'Civil servants'],
  ['RES', 'Kết quả giải quyết công việc', 'Result'],
  ['FB', 'Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị', 'Handling of feedback'],
];
const SIPAS_BASE = {
  instruments: ['SIPAS'],
  channels: ['phone', 'web', 'app'] as ('phone' | 'web' | 'app')[],
  scale: { min: 1, max: 5 },
  topBox: 4,
};

export const BUILTIN_INDICES: readonly [string, IndexDefinition][] = [
  [
    'MSCORE_SATISFACTION',
    {
      name: t('Chỉ số hài lòng M.Score (thang 10)', 'M.Score satisfaction index (1-10)'),
      description: t(
        'Điểm trung bình câu hỏi hài lòng chung, phỏng vấn qua điện thoại',
        'Mean of the overall-satisfaction item, phone interview',
      ),
      sector: 'administration',
      display: { unit: 'points', min: 1, max: 10, decimals: 2 },
      higherIsBetter: true,
      framework: 'M.Score',
      formula: { kind: 'mean', instruments: ['MSCORE_PHONE'], channels: ['phone', 'web', 'app'], items: ['SATISFACTION'] },
    },
  ],
  [
    'MSCORE_SATISFIED_SHARE',
    {
      name: t('Tỷ lệ hài lòng qua phỏng vấn (7-10 trên 10)', 'Satisfied in the phone interview (7-10 of 10)'),
      description: t(
        'Để so sánh với máy tính bảng: tỷ lệ người trả lời chấm từ 7 điểm trở lên',
        'For comparison with the kiosk: share of respondents scoring 7 or more',
      ),
      sector: 'administration',
      display: pct,
      higherIsBetter: true,
      framework: 'M.Score',
      formula: {
        kind: 'share',
        instruments: ['MSCORE_PHONE'],
        channels: ['phone', 'web', 'app'],
        item: 'SATISFACTION',
        atLeast: 7,
      },
    },
  ],
  [
    'MSCORE_STAFF',
    {
      name: t('Thái độ và hướng dẫn của cán bộ (thang 9)', 'Staff attitude and guidance (1-9)'),
      description: t(
        'Trung bình của thái độ và mức rõ ràng của hướng dẫn, theo từng người trả lời',
        'Mean of attitude and clarity of guidance, per respondent',
      ),
      sector: 'administration',
      display: { unit: 'points', min: 1, max: 9, decimals: 2 },
      higherIsBetter: true,
      framework: 'M.Score',
      formula: {
        kind: 'mean',
        instruments: ['MSCORE_PHONE'],
        channels: ['phone', 'web', 'app'],
        items: ['STAFF_ATTITUDE', 'GUIDANCE_CLARITY'],
      },
    },
  ],
  [
    'ASKED_TO_RETURN',
    {
      name: t('Tỷ lệ bị hẹn lại, phải đi lại thêm', 'Share asked to come back'),
      sector: 'administration',
      display: pct,
      higherIsBetter: false,
      framework: 'M.Score',
      formula: {
        kind: 'share',
        instruments: ['MSCORE_PHONE'],
        channels: ['phone', 'web', 'app'],
        item: 'ASKED_TO_RETURN',
        values: ['1'],
      },
    },
  ],
  [
    'PAID_NO_RECEIPT',
    {
      name: t('Tỷ lệ nộp tiền không có phiếu thu (trên số người trả lời)', 'Paid without a receipt (of all respondents)'),
      sector: 'administration',
      display: pct,
      higherIsBetter: false,
      framework: 'M.Score',
      formula: {
        kind: 'share',
        instruments: ['MSCORE_PHONE'],
        channels: ['phone', 'web', 'app'],
        item: 'FEE_PAID',
        values: ['without_receipt'],
      },
    },
  ],
  [
    'PAID_NO_RECEIPT_PAYERS',
    {
      name: t('Tỷ lệ nộp tiền không có phiếu thu (trên số người có nộp tiền)', 'Paid without a receipt (of those who paid)'),
      sector: 'administration',
      display: pct,
      higherIsBetter: false,
      framework: 'M.Score',
      formula: {
        kind: 'share',
        instruments: ['MSCORE_PHONE'],
        channels: ['phone', 'web', 'app'],
        item: 'FEE_PAID',
        values: ['without_receipt'],
        among: ['with_receipt', 'without_receipt'],
      },
    },
  ],
  [
    'ON_TIME_EVENTS',
    {
      name: t('Tỷ lệ hồ sơ trả đúng hoặc trước hẹn', 'Dossiers returned on time or early'),
      description: t(
        'Từ danh sách hồ sơ: ngày trả kết quả không muộn hơn ngày hẹn',
        'From the service events: returned no later than due',
      ),
      sector: 'administration',
      display: pct,
      higherIsBetter: true,
      formula: { kind: 'events_on_time', eventKinds: ['dossier'] },
    },
  ],
  [
    'PHONE_COMPLETION',
    {
      name: t('Tỷ lệ hoàn thành phỏng vấn qua điện thoại', 'Phone interview completion rate'),
      description: t(
        'Số cuộc phỏng vấn hoàn thành / số người được chọn mẫu (hồ sơ trả kết quả trong kỳ)',
        'Completed interviews / numbers sampled (dossiers returned in the period)',
      ),
      sector: null,
      display: pct,
      higherIsBetter: true,
      framework: 'AAPOR Standard Definitions',
      formula: { kind: 'phone_calls', rate: 'completion', eventKinds: ['dossier', 'outpatient', 'inpatient'] },
    },
  ],
  [
    'PHONE_COOPERATION',
    {
      name: t('Tỷ lệ hợp tác phỏng vấn qua điện thoại', 'Phone interview cooperation rate'),
      description: t(
        'Số cuộc phỏng vấn hoàn thành / số người liên lạc được (hoàn thành, dở dang, từ chối, hẹn gọi lại)',
        'Completed interviews / people reached (complete, partial, refused, callback agreed)',
      ),
      sector: null,
      display: pct,
      higherIsBetter: true,
      framework: 'AAPOR Standard Definitions',
      formula: { kind: 'phone_calls', rate: 'cooperation', eventKinds: ['dossier', 'outpatient', 'inpatient'] },
    },
  ],
  [
    'ON_TIME_REPORTED',
    {
      name: t('Tỷ lệ người dân cho biết nhận kết quả đúng hẹn', 'Citizens who report an on-time result'),
      sector: 'administration',
      display: pct,
      higherIsBetter: true,
      framework: 'M.Score',
      formula: {
        kind: 'share',
        instruments: ['MSCORE_PHONE'],
        channels: ['phone', 'web', 'app'],
        item: 'RESULT_STATUS',
        values: ['on_time'],
        among: ['on_time', 'late'],
      },
    },
  ],
  [
    'KIOSK_SATISFIED',
    {
      name: t('Tỷ lệ hài lòng trên máy tính bảng', 'Satisfied ratings on the kiosk'),
      description: t(
        'Hai mặt cười trên cùng trong bốn; không xếp hạng vì người trả lời tự chọn',
        'Top two faces of four; not ranked: respondents select themselves',
      ),
      sector: null,
      display: pct,
      higherIsBetter: true,
      framework: 'M.Score',
      formula: { kind: 'share', instruments: ['KIOSK_QUICK'], channels: ['kiosk'], item: 'OVERALL', atLeast: 3 },
    },
  ],
  [
    'HAPPY_INDEX',
    {
      name: t('Chỉ số hạnh phúc (máy tính bảng, 0-100)', 'Happy Index (kiosk, 0-100)'),
      sector: null,
      display: { unit: 'points', min: 0, max: 100, decimals: 1 },
      higherIsBetter: true,
      framework: 'M.Score',
      formula: {
        kind: 'weighted',
        instruments: ['KIOSK_QUICK'],
        channels: ['kiosk'],
        item: 'OVERALL',
        weights: { '1': 0, '2': 100 / 3, '3': 200 / 3, '4': 100 },
      },
    },
  ],
  [
    'SMS_SATISFIED',
    {
      name: t('Tỷ lệ hài lòng qua tin nhắn (4-5 trên 5)', 'Satisfied by SMS (4-5 of 5)'),
      sector: null,
      display: pct,
      higherIsBetter: true,
      framework: 'M.Score',
      formula: { kind: 'share', instruments: ['SMS_ONE'], channels: ['sms'], item: 'RATING', atLeast: 4 },
    },
  ],
  [
    'MOH_SATISFACTION',
    {
      name: t('Tỷ lệ hài lòng của người bệnh (Bộ Y tế)', 'Patient satisfaction share (Ministry of Health)'),
      description: t(
        'Với mỗi người bệnh: tỷ lệ câu trả lời mức 4-5 trên các câu A-E có ý kiến; trung bình trên người bệnh',
        'Per patient: share of valid A-E answers at 4-5; averaged over patients',
      ),
      sector: 'health',
      display: pct,
      higherIsBetter: true,
      framework: 'Decision 3869/QĐ-BYT',
      formula: {
        kind: 'composite',
        instruments: MOH,
        channels: MOH_CHANNELS,
        groups: [{ code: 'all', items: MOH_ITEMS }],
        scale: { min: 1, max: 5 },
        topBox: 4,
      },
    },
  ],
  [
    'MOH_COMPREHENSIVE',
    {
      name: t('Chỉ số hài lòng toàn diện (Bộ Y tế)', 'Comprehensive satisfaction index (Ministry of Health)'),
      description: t(
        'Người bệnh có mọi câu trả lời A-E từ mức 4 trở lên / số người bệnh',
        'Patients whose every valid A-E answer is 4 or 5 / patients',
      ),
      sector: 'health',
      display: pct,
      higherIsBetter: true,
      framework: 'Decision 3869/QĐ-BYT',
      formula: { kind: 'all_at_least', instruments: MOH, channels: MOH_CHANNELS, items: MOH_ITEMS, atLeast: 4 },
    },
  ],
  mohSection('A', 'Khả năng tiếp cận', 'Access'),
  mohSection('B', 'Minh bạch thông tin, thủ tục', 'Transparency and waiting'),
  mohSection('C', 'Cơ sở vật chất', 'Facilities'),
  mohSection('D', 'Thái độ ứng xử, năng lực nhân viên', 'Staff'),
  mohSection('E', 'Kết quả cung cấp dịch vụ', 'Results of care'),
  [
    'SIPAS',
    {
      name: t('Chỉ số hài lòng về sự phục vụ hành chính (SIPAS)', 'SIPAS satisfaction index'),
      description: t(
        'Tỷ lệ hài lòng (mức 4-5) của từng tiêu chí, trung bình trong mỗi yếu tố, trung bình của 5 yếu tố; tính theo từng người trả lời',
        'Top-box (4-5) per criterion, averaged within each factor, then over the 5 factors; per respondent',
      ),
      sector: 'administration',
      display: pct,
      higherIsBetter: true,
      framework: 'SIPAS (Ministry of Home Affairs, 2017)',
      formula: { kind: 'composite', ...SIPAS_BASE, groups: SIPAS_FACTORS.map(([c]) => ({ code: c, items: [`${c}*`] })) },
    },
  ],
  ...SIPAS_FACTORS.map(([c, vi, en]): [string, IndexDefinition] => [
    `SIPAS_${c}`,
    {
      name: t(`SIPAS: ${vi}`, `SIPAS: ${en}`),
      sector: 'administration',
      display: pct,
      higherIsBetter: true,
      framework: 'SIPAS (Ministry of Home Affairs, 2017)',
      formula: { kind: 'composite', ...SIPAS_BASE, groups: [{ code: c, items: [`${c}*`] }] },
    },
  ]),
  [
    'D766_DOSSIER_SATISFACTION',
    {
      name: t('Mức độ hài lòng xử lý hồ sơ (Quyết định 766)', 'Dossier satisfaction (Decision 766)'),
      description: t(
        '(Số hồ sơ - hồ sơ trễ hạn, quá hạn hoặc bị đánh giá không hài lòng) / số hồ sơ trả hoặc đến hạn trong kỳ',
        '(dossiers - those late, overdue or rated dissatisfied) / dossiers returned or due in the period',
      ),
      sector: 'administration',
      display: pct,
      higherIsBetter: true,
      framework: 'Decision 766/QĐ-TTg',
      formula: {
        kind: 'decision766',
        dissatisfied: [
          { instrument: 'MSCORE_PHONE', item: 'SATISFACTION', atMost: 4 },
          { instrument: 'KIOSK_QUICK', item: 'OVERALL', atMost: 2 },
          { instrument: 'SMS_ONE', item: 'RATING', atMost: 2 },
        ],
      },
    },
  ],
];
