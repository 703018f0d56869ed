// What an instrument version contains: items with stable codes, labels in
// Vietnamese and English (more languages addable), reason lists, skip logic.
// A published version is frozen; answers always name the version they answer.
import { z } from 'zod';

export const CHANNELS = ['kiosk', 'sms', 'phone', 'web', 'app', 'hotline'] as const;
export const SECTORS = ['administration', 'health'] as const;
export const ITEM_TYPES = ['faces', 'scale', 'yesno', 'single', 'multiple', 'number', 'text', 'phone'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

/** Scales the methods allow (METHODS.md section 3); faces are always 1-4. */
export const SCALES = [
  [1, 5],
  [1, 9],
  [1, 10],
] as const;

const languageCode = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, 'language code such as vi, en, vi-VN');

/** Text in several languages; Vietnamese is required, the others optional. */
export const localText = z
  .record(languageCode, z.string().trim().min(1).max(2000))
  .refine((t) => typeof t.vi === 'string', { message: 'Vietnamese text (vi) is required' });
export type LocalText = z.infer<typeof localText>;

export const itemCode = z.string().regex(/^[A-Z][A-Z0-9_]{0,31}$/, 'capitals, digits and _, starting with a letter');
const optionCode = z.string().regex(/^[a-z0-9][a-z0-9_]{0,39}$/, 'lower case letters, digits and _');

export const option = z.strictObject({
  code: optionCode,
  label: localText,
  /** a pictogram name the kiosk and web pages draw beside the words */
  icon: z.string().max(40).optional(),
});

export const showIf = z.strictObject({
  item: itemCode,
  op: z.enum(['eq', 'ne', 'in', 'gte', 'lte', 'answered']),
  value: z.union([z.number(), z.string(), z.boolean(), z.array(z.union([z.number(), z.string()]))]).optional(),
});

export const item = z.strictObject({
  code: itemCode,
  type: z.enum(ITEM_TYPES),
  label: localText,
  help: localText.optional(),
  /** what the interviewer reads out, when it differs from the label */
  script: localText.optional(),
  section: z.string().max(40).optional(),
  required: z.boolean().default(false),
  /** scale: 1-5, 1-9 or 1-10; number: optional bounds */
  min: z.number().optional(),
  max: z.number().optional(),
  /** number: whole numbers only */
  integer: z.boolean().optional(),
  /** words at the two ends of a scale */
  minLabel: localText.optional(),
  maxLabel: localText.optional(),
  options: z.array(option).max(60).optional(),
  /** single/multiple: take the options from one of the version's reason lists */
  optionsFrom: z.string().max(40).optional(),
  /** the explicit "no opinion / not applicable" answer, always excluded from scores */
  noOpinion: z.strictObject({ value: z.union([z.number(), z.string()]), label: localText }).optional(),
  showIf: showIf.optional(),
  /** asks for personal data: shown only after consent */
  personal: z.boolean().optional(),
  /** text: longest answer */
  maxLength: z.number().int().min(1).max(5000).optional(),
  /** where the item comes from (MoH 3869, SIPAS, M.Score, ...) */
  framework: z.string().max(60).optional(),
});
export type Item = z.infer<typeof item>;

export const definition = z
  .strictObject({
    languages: z.array(languageCode).min(1).max(12),
    intro: localText.optional(),
    consent: localText.optional(),
    thanks: localText.optional(),
    sections: z
      .array(z.strictObject({ code: z.string().max(40), label: localText }))
      .max(40)
      .optional(),
    lists: z.record(z.string().max(40), z.array(option).min(1).max(60)).optional(),
    items: z.array(item).min(1).max(200),
  })
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    d.items.forEach((it, i) => {
      const at = (key: string) => ['items', i, key];
      if (seen.has(it.code)) ctx.addIssue({ code: 'custom', path: at('code'), message: `item code ${it.code} is used twice` });
      if (it.type === 'scale' && !SCALES.some(([lo, hi]) => it.min === lo && it.max === hi))
        ctx.addIssue({ code: 'custom', path: at('max'), message: 'a scale is 1-5, 1-9 or 1-10 (min and max)' });
      if (it.type === 'number' && it.min !== undefined && it.max !== undefined && it.min > it.max)
        ctx.addIssue({ code: 'custom', path: at('max'), message: 'max is below min' });
      if (it.type === 'single' || it.type === 'multiple') {
        if (!it.options === !it.optionsFrom)
          ctx.addIssue({ code: 'custom', path: at('options'), message: 'give either options or optionsFrom' });
        if (it.optionsFrom && !d.lists?.[it.optionsFrom])
          ctx.addIssue({ code: 'custom', path: at('optionsFrom'), message: `no reason list ${it.optionsFrom}` });
        const codes = (it.options ?? []).map((o) => o.code);
        if (new Set(codes).size !== codes.length)
          ctx.addIssue({ code: 'custom', path: at('options'), message: 'option codes repeat' });
      } else if (it.options || it.optionsFrom) {
        ctx.addIssue({ code: 'custom', path: at('options'), message: `a ${it.type} item has no options` });
      }
      if (it.noOpinion && (it.type === 'text' || it.type === 'phone'))
        ctx.addIssue({ code: 'custom', path: at('noOpinion'), message: 'free text and phone items are simply left empty' });
      else if (it.noOpinion && validValue(it, it.noOpinion.value, d))
        ctx.addIssue({ code: 'custom', path: at('noOpinion'), message: 'the no-opinion value must not be a valid answer' });
      if (it.showIf && !seen.has(it.showIf.item))
        ctx.addIssue({ code: 'custom', path: at('showIf'), message: 'skip logic may only refer to an earlier item' });
      seen.add(it.code);
    });
  });
export type Definition = z.infer<typeof definition>;

export function optionsOf(it: Item, d: Pick<Definition, 'lists'>): { code: string; label: LocalText; icon?: string }[] {
  return it.options ?? (it.optionsFrom ? (d.lists?.[it.optionsFrom] ?? []) : []);
}

/** Whether a value is an ordinary (scored) answer to a choice or scale item. */
function validValue(it: Item, v: unknown, d: Pick<Definition, 'lists'>): boolean {
  switch (it.type) {
    case 'faces':
      return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 4;
    case 'scale':
      return typeof v === 'number' && Number.isInteger(v) && v >= (it.min ?? 1) && v <= (it.max ?? 5);
    case 'single':
    case 'multiple':
      return typeof v === 'string' && optionsOf(it, d).some((o) => o.code === v);
    case 'yesno':
      return typeof v === 'boolean';
    default:
      return false;
  }
}

/** The scored range of an item, for rescaling composites to 0-1. */
export function rangeOf(it: Item): [number, number] | null {
  if (it.type === 'faces') return [1, 4];
  if (it.type === 'scale') return [it.min ?? 1, it.max ?? 5];
  if (it.type === 'yesno') return [0, 1];
  return null;
}
