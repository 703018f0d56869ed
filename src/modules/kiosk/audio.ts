// Recorded prompts: checked by their first bytes (not by the name or type a
// browser claims), kept per instrument, prompt and language.
import { createHash } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import { type Actor, audit } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import type { Definition } from '../surveys/definition.ts';

export const AUDIO_MAX_BYTES = 2 * 1024 * 1024;

/** The audio type of a file by its magic bytes, or undefined. */
export function sniffAudio(b: Buffer): string | undefined {
  const ascii = (from: number, to: number) => b.subarray(from, to).toString('latin1');
  if (b.length < 12) return undefined;
  if (ascii(0, 4) === 'OggS') return 'audio/ogg';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return 'audio/wav';
  if (ascii(0, 3) === 'ID3' || (b[0] === 0xff && ((b[1] as number) & 0xe0) === 0xe0)) return 'audio/mpeg';
  if (ascii(4, 8) === 'ftyp') return 'audio/mp4';
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return 'audio/webm';
  return undefined;
}

/** What a recording can be for: the screens, each item, each face of a faces item, each reason. */
export function promptsOf(d: Definition): string[] {
  const out = ['intro', 'consent', 'thanks'];
  for (const it of d.items) {
    out.push(it.code);
    if (it.type === 'faces') for (let f = 1; f <= 4; f++) out.push(`${it.code}:${f}`);
  }
  for (const [list, options] of Object.entries(d.lists ?? {})) for (const o of options) out.push(`${list}:${o.code}`);
  return out;
}

export async function saveRecording(
  db: Db,
  input: {
    tenantId: string;
    instrument: { code: string; definition: Definition };
    prompt: string;
    language: string;
    bytes: Buffer;
    actor: Actor & { id: string };
    requestId?: string;
  },
): Promise<{ contentType: string; size: number; sha256: string }> {
  if (!promptsOf(input.instrument.definition).includes(input.prompt))
    throw new AppError(422, 'audio.prompt_unknown', `no prompt "${input.prompt}" in ${input.instrument.code}`);
  if (input.bytes.length > AUDIO_MAX_BYTES) throw new AppError(413, 'request.too_large');
  const contentType = sniffAudio(input.bytes);
  if (!contentType) throw new AppError(415, 'audio.unsupported');
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('instrument_audio')
      .values({
        tenant_id: input.tenantId,
        instrument_code: input.instrument.code,
        prompt: input.prompt,
        language: input.language,
        content_type: contentType,
        bytes: input.bytes,
        sha256,
        uploaded_by: input.actor.id,
      })
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'instrument_code', 'prompt', 'language']).doUpdateSet({
          content_type: contentType,
          bytes: input.bytes,
          sha256,
          uploaded_by: input.actor.id,
          uploaded_at: new Date(),
        }),
      )
      .execute();
    await audit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: 'audio.uploaded',
      objectType: 'instrument_audio',
      objectId: `${input.instrument.code}/${input.prompt}/${input.language}`,
      details: { contentType, size: input.bytes.length, sha256 },
      requestId: input.requestId,
    });
  });
  return { contentType, size: input.bytes.length, sha256 };
}

export async function listRecordings(db: Db, tenantId: string, instrumentCode: string) {
  return db
    .selectFrom('instrument_audio')
    .select(['prompt', 'language', 'content_type', 'sha256', 'uploaded_at', (eb) => eb.fn('length', ['bytes']).as('size')])
    .where('tenant_id', '=', tenantId)
    .where('instrument_code', '=', instrumentCode)
    .orderBy('prompt')
    .orderBy('language')
    .execute();
}
