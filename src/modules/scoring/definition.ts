// What an index is: a versioned, per-tenant definition naming its formula
// (METHODS.md section 4), the instruments and items it reads, the channels it
// may be computed on (never pooled) and how it is shown.
import { z } from 'zod';
import { CHANNELS, itemCode, localText, SECTORS } from '../surveys/definition.ts';

export const indexCode = z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/, 'capitals, digits and _, starting with a letter');
const instrumentCode = z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/);
/** An item code, or a prefix ending in * (MoH A* is A1..A5). */
const itemPattern = z.string().regex(/^[A-Z][A-Z0-9_]{0,31}\*?$/, 'an item code, or a prefix followed by *');
const value = z.string().min(1).max(40);

const survey = {
  instruments: z.array(instrumentCode).min(1).max(10),
  /** channels it may be computed on; the first is the default. Answers of two channels are never pooled. */
  channels: z.array(z.enum(CHANNELS)).min(1),
};

export const formula = z.discriminatedUnion('kind', [
  /** mean of an item (1 item: from the rollups), or of each respondent's mean over several items */
  z.strictObject({ kind: z.literal('mean'), ...survey, items: z.array(itemPattern).min(1).max(60) }),
  /** share of valid answers in a set of values, or at or above a threshold (top box) */
  z.strictObject({
    kind: z.literal('share'),
    ...survey,
    item: itemCode,
    values: z.array(value).min(1).optional(),
    atLeast: z.number().optional(),
    /** count only these answers in the denominator (e.g. those who paid anything) */
    among: z.array(value).min(1).optional(),
  }),
  /** weighted mean of an item's values (Happy Index: faces weighted 0, 33.3, 66.7, 100) */
  z.strictObject({ kind: z.literal('weighted'), ...survey, item: itemCode, weights: z.record(value, z.number()) }),
  /**
   * composite of rescaled items, per respondent: each item to 0-1 by (x-min)/(max-min)
   * or by top box (x >= topBox), averaged within groups, groups averaged; shown 0-100
   */
  z.strictObject({
    kind: z.literal('composite'),
    ...survey,
    groups: z.array(z.strictObject({ code: z.string().min(1).max(40), items: z.array(itemPattern).min(1) })).min(1),
    scale: z.strictObject({ min: z.number(), max: z.number() }),
    topBox: z.number().optional(),
  }),
  /** respondents whose every valid answer on the items is at least a value / respondents (MoH comprehensive index) */
  z.strictObject({ kind: z.literal('all_at_least'), ...survey, items: z.array(itemPattern).min(1), atLeast: z.number() }),
  /** service events returned in the period on or before their due time / those returned */
  z.strictObject({
    kind: z.literal('events_on_time'),
    eventKinds: z.array(z.enum(['dossier', 'outpatient', 'inpatient'])).min(1),
  }),
  /**
   * phone-interview fieldwork of the period's service events (AAPOR): completion =
   * completes / sampled numbers; cooperation = completes / people reached
   */
  z.strictObject({
    kind: z.literal('phone_calls'),
    rate: z.enum(['completion', 'cooperation']),
    eventKinds: z.array(z.enum(['dossier', 'outpatient', 'inpatient'])).min(1),
  }),
  /**
   * Decision 766/QĐ-TTg dossier satisfaction: (dossiers - those late, overdue or
   * rated dissatisfied) / dossiers returned or due in the period
   */
  z.strictObject({
    kind: z.literal('decision766'),
    dissatisfied: z.array(z.strictObject({ instrument: instrumentCode, item: itemCode, atMost: z.number() })).min(1),
  }),
]);
export type Formula = z.infer<typeof formula>;

export const indexDefinition = z
  .strictObject({
    name: localText,
    description: localText.optional(),
    sector: z.enum(SECTORS).nullable(),
    /** percent: shares and 0-100 composites; points: means on the item's scale */
    display: z.strictObject({
      unit: z.enum(['percent', 'points']),
      min: z.number(),
      max: z.number(),
      decimals: z.number().int().min(0).max(3),
    }),
    higherIsBetter: z.boolean(),
    framework: z.string().max(200).optional(),
    formula,
  })
  .superRefine((d, ctx) => {
    const f = d.formula;
    if (f.kind === 'share' && (f.values === undefined) === (f.atLeast === undefined))
      ctx.addIssue({ code: 'custom', path: ['formula', 'values'], message: 'give either values or atLeast' });
    if (f.kind === 'composite' && f.scale.max <= f.scale.min)
      ctx.addIssue({ code: 'custom', path: ['formula', 'scale'], message: 'max must be above min' });
    if (d.display.max <= d.display.min)
      ctx.addIssue({ code: 'custom', path: ['display', 'max'], message: 'max must be above min' });
  });
export type IndexDefinition = z.infer<typeof indexDefinition>;

/** Channels an index may be computed on; events-based indices have none (call rates are the phone channel's). */
export function channelsOf(f: Formula): readonly string[] {
  return 'channels' in f ? f.channels : f.kind === 'phone_calls' ? ['phone'] : [];
}

/** Kiosk, SMS, app and web answers are self-selected: reported, never ranked. */
export const RANKED_CHANNELS: readonly string[] = ['phone', 'hotline'];

export function matchItem(patterns: readonly string[], code: string): boolean {
  return patterns.some((p) => (p.endsWith('*') ? code.startsWith(p.slice(0, -1)) : code === p));
}

export { itemCode };
