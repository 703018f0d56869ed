// The demo's SMS: invitations are on (development recorder, nothing leaves),
// and the last month of the history has its messages: an invitation for each
// SMS rating in the history, with the reply that gave it, as many invitations
// nobody answered, a few that did not arrive, and citizens' messages to review.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import { phoneHash } from '../../platform/do-not-contact.ts';
import type { Vault } from '../../platform/vault.ts';
import { readCitizen } from '../events/queries.ts';
import { sealInbound } from '../sms/receive.ts';
import { DEFAULT_SETTINGS, writeSettings } from '../sms/settings.ts';
import { DEFAULT_TEMPLATES, OPT_OUT_KEYWORD, render } from '../sms/text.ts';

const FEEDBACK = [
  'Hồ sơ của tôi đã quá hẹn 5 ngày mà chưa có kết quả, đề nghị kiểm tra.',
  'Cán bộ tiếp nhận hướng dẫn rất tận tình, cảm ơn.',
  'Tôi phải đi lại 3 lần mới nộp xong hồ sơ.',
  'Bao giờ tôi nhận được sổ đỏ?',
  'Phòng chờ nóng quá, đề nghị lắp thêm quạt.',
];

type Row = {
  id: string;
  unit_id: string;
  external_id: string;
  citizen_enc: Buffer | null;
  citizen_phone_hash: Buffer;
  returned_at: Date;
  unit_name: string;
  response_id: string | null;
  submitted_at: Date | null;
  rating: number | null;
  roll: number;
};

export async function generateDemoSms(db: Db, vault: Vault, o: { tenantId: string; months: string[] }): Promise<number> {
  const t = o.tenantId;
  const any = await sql`select 1 from sms_messages where tenant_id = ${t} limit 1`.execute(db);
  const month = o.months.at(-1);
  if (any.rows.length || !month) return 0;
  await writeSettings(db, vault, t, { ...DEFAULT_SETTINGS, invitations: true, sender: '8077' }, 'demo');
  // The month's SMS ratings, and about as many returns invited without an answer.
  const counts = await sql<{ replied: number; all: number }>`
    select count(*) filter (where exists (select 1 from responses r where r.tenant_id = e.tenant_id and r.event_id = e.id
        and r.channel = 'sms'))::int as replied, count(*)::int as all
    from service_events e
    where e.tenant_id = ${t} and e.period = ${month} and e.status = 'returned' and e.phone_kind = 'mobile'`.execute(db);
  const c = counts.rows[0] ?? { replied: 0, all: 0 };
  const percent = c.all ? Math.min(100, Math.ceil((c.replied * 150) / c.all)) : 0;
  const rows = await sql<Row>`
    select e.id, e.unit_id, e.external_id, e.citizen_enc, e.citizen_phone_hash, e.returned_at, u.name as unit_name,
      r.id as response_id, r.submitted_at, a.num as rating, abs(hashtext(e.id::text)) % 100 as roll
    from service_events e
    join units u on u.id = e.unit_id
    left join responses r on r.tenant_id = e.tenant_id and r.event_id = e.id and r.channel = 'sms' and r.status = 'complete'
    left join response_answers a on a.tenant_id = e.tenant_id and a.response_id = r.id and a.item = 'RATING'
    where e.tenant_id = ${t} and e.period = ${month} and e.status = 'returned' and e.phone_kind = 'mobile'
      and e.returned_at is not null and e.citizen_phone_hash is not null
      and (r.id is not null or abs(hashtext(e.id::text || 'sms')) % 100 < ${percent})`.execute(db);
  const messages: Record<string, unknown>[] = [];
  const inbound: Record<string, unknown>[] = [];
  for (const e of rows.rows) {
    const id = randomUUID();
    const sentAt = new Date(new Date(e.returned_at).getTime() + 30 * 60_000);
    const replied = e.response_id !== null && e.submitted_at !== null;
    // Of those without an answer: a few never arrived, a few have no report yet.
    const state = replied || e.roll >= 10 ? 'delivered' : e.roll < 6 ? 'undeliverable' : null;
    messages.push({
      id,
      tenant_id: t,
      message_key: `invite:${e.id}`,
      kind: 'invitation',
      event_id: e.id,
      unit_id: e.unit_id,
      phone_hash: e.citizen_phone_hash,
      body: render(DEFAULT_TEMPLATES.invitation, { unit: e.unit_name, code: e.external_id, keyword: OPT_OUT_KEYWORD }),
      encoding: 'gsm7',
      parts: 1,
      status: state === 'delivered' ? 'delivered' : state ? 'failed' : 'sent',
      attempts: 1,
      gateway: 'recorder',
      delivery_state: state,
      sent_at: sentAt,
      delivered_at: state === 'delivered' ? new Date(sentAt.getTime() + 4000) : null,
      replied_at: replied ? e.submitted_at : null,
      not_before: sentAt,
      created_at: e.returned_at,
      updated_at: e.submitted_at ?? sentAt,
    });
    if (replied) {
      const phone = readCitizen(vault, t, e.unit_id, e.external_id, e.citizen_enc).phone ?? '';
      inbound.push({
        tenant_id: t,
        ...sealInbound(vault, t, phone, String(e.rating ?? '')),
        from_hash: e.citizen_phone_hash,
        to_addr: '8077',
        received_at: e.submitted_at,
        kind: 'rating',
        rating: e.rating,
        message_id: id,
        event_id: e.id,
        unit_id: e.unit_id,
        response_id: e.response_id,
      });
    }
  }
  const last = rows.rows.at(-1)?.returned_at ?? new Date();
  FEEDBACK.forEach((text, i) => {
    const phone = `0916${String(400_000 + i * 7919).padStart(6, '0')}`;
    inbound.push({
      tenant_id: t,
      ...sealInbound(vault, t, phone, text),
      from_hash: phoneHash(vault, phone),
      to_addr: '8077',
      received_at: new Date(new Date(last).getTime() - i * 86_400_000),
      kind: 'feedback',
    });
  });
  for (let i = 0; i < messages.length; i += 1000) {
    await db
      .insertInto('sms_messages')
      .values(messages.slice(i, i + 1000) as never)
      .execute();
  }
  for (let i = 0; i < inbound.length; i += 1000) {
    await db
      .insertInto('sms_inbound')
      .values(inbound.slice(i, i + 1000) as never)
      .execute();
  }
  return messages.length;
}
