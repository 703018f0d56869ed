import { describe, expect, it } from 'vitest';
import { BUILTIN_INSTRUMENTS, type BuiltinInstrument } from './builtin.ts';
import { definition, type LocalText } from './definition.ts';

const CODE = /^[A-Z][A-Z0-9_]{1,39}$/;

const byCode = (code: string): BuiltinInstrument => {
  const b = BUILTIN_INSTRUMENTS.find((x) => x.code === code);
  if (!b) throw new Error(`no built-in ${code}`);
  return b;
};
const itemCodes = (code: string) => byCode(code).definition.items.map((i) => i.code);
const seq = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

/** Every LocalText of an instrument, with where it sits. */
function texts(b: BuiltinInstrument): [string, LocalText | undefined][] {
  const d = b.definition;
  const out: [string, LocalText | undefined][] = [
    ['name', b.name],
    ['intro', d.intro],
    ['consent', d.consent],
    ['thanks', d.thanks],
  ];
  for (const s of d.sections ?? []) out.push([`section ${s.code}`, s.label]);
  for (const [list, opts] of Object.entries(d.lists ?? {})) for (const o of opts) out.push([`list ${list}.${o.code}`, o.label]);
  for (const it of d.items) {
    out.push([`${it.code}.label`, it.label]);
    for (const key of ['help', 'script', 'minLabel', 'maxLabel'] as const) if (it[key]) out.push([`${it.code}.${key}`, it[key]]);
    if (it.noOpinion) out.push([`${it.code}.noOpinion`, it.noOpinion.label]);
    for (const o of it.options ?? []) out.push([`${it.code}.${o.code}`, o.label]);
  }
  return out;
}

describe('built-in instruments', () => {
  it('has the six instruments with unique, well-formed codes', () => {
    const codes = BUILTIN_INSTRUMENTS.map((b) => b.code);
    expect(codes).toEqual(['MSCORE_PHONE', 'KIOSK_QUICK', 'SMS_ONE', 'MOH_OUTPATIENT', 'MOH_INPATIENT', 'SIPAS']);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c).toMatch(CODE);
  });

  for (const b of BUILTIN_INSTRUMENTS) {
    describe(b.code, () => {
      it('parses unchanged (no defaults missing)', () => {
        const parsed = definition.safeParse(b.definition);
        expect(parsed.error?.issues ?? []).toEqual([]);
        expect(parsed.data).toStrictEqual(b.definition);
      });

      it('has vi and en for every text, and intro, consent and thanks', () => {
        expect(b.definition.languages).toEqual(['vi', 'en']);
        for (const [where, text] of texts(b)) {
          expect(text, where).toBeDefined();
          expect(text?.vi?.trim(), `${where} vi`).toBeTruthy();
          expect(text?.en?.trim(), `${where} en`).toBeTruthy();
        }
      });

      it('has item codes matching the code pattern, declared sections and a framework', () => {
        const sections = new Set((b.definition.sections ?? []).map((s) => s.code));
        for (const it of b.definition.items) {
          expect(it.code).toMatch(CODE);
          expect(it.framework, it.code).toBeTruthy();
          if (it.section) expect(sections.has(it.section), `${it.code} section ${it.section}`).toBe(true);
        }
      });

      it('has channels, and defaults only on its own channels', () => {
        expect(b.channels.length).toBeGreaterThan(0);
        expect(new Set(b.channels).size).toBe(b.channels.length);
        for (const d of b.defaultFor) {
          expect(b.channels).toContain(d.channel);
          if (b.sector !== null) expect(d.sector).toBe(b.sector);
        }
      });
    });
  }

  it('no two instruments claim the same (channel, sector) default', () => {
    const keys = BUILTIN_INSTRUMENTS.flatMap((b) => b.defaultFor.map((d) => `${d.channel}|${d.sector ?? '*'}`));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('M.Score phone items are in the agreed order', () => {
    expect(itemCodes('MSCORE_PHONE')).toEqual([
      'IDENTITY',
      'RESULT_STATUS',
      'ASKED_TO_RETURN',
      'RETURN_TIMES',
      'RETURN_REASONS',
      'FEE_PAID',
      'EXTRA_PAYMENT',
      'STAFF_ATTITUDE',
      'GUIDANCE_CLARITY',
      'SATISFACTION',
      'VISITS',
      'WAIT_MINUTES',
      'BEST_THING',
      'WORST_THING',
      'SUGGESTION',
    ]);
    for (const it of byCode('MSCORE_PHONE').definition.items) expect(it.script, it.code).toBeDefined();
  });

  it('kiosk and SMS items', () => {
    expect(itemCodes('KIOSK_QUICK')).toEqual(['OVERALL', 'REASONS_GOOD', 'REASONS_BAD', 'CALLBACK_PHONE']);
    const kiosk = byCode('KIOSK_QUICK').definition;
    for (const opts of Object.values(kiosk.lists ?? {})) for (const o of opts) expect(o.icon, o.code).toBeTruthy();
    expect(kiosk.items.find((i) => i.code === 'CALLBACK_PHONE')).toMatchObject({ personal: true, required: false });
    expect(itemCodes('SMS_ONE')).toEqual(['RATING', 'COMMENT']);
  });

  it('MoH outpatient has A1-A5, B1-B10, C1-C8, D1-D4, E1-E4, G1, G2', () => {
    const scored = [...seq('A', 5), ...seq('B', 10), ...seq('C', 8), ...seq('D', 4), ...seq('E', 4)];
    expect(scored).toHaveLength(31);
    expect(itemCodes('MOH_OUTPATIENT')).toEqual([...scored, 'G1', 'G2']);
  });

  it('MoH inpatient has A1-A5, B1-B7, C1-C11, D1-D7, E1-E6, G1, G2', () => {
    const scored = [...seq('A', 5), ...seq('B', 7), ...seq('C', 11), ...seq('D', 7), ...seq('E', 6)];
    expect(scored).toHaveLength(36);
    expect(itemCodes('MOH_INPATIENT')).toEqual([...scored, 'G1', 'G2']);
  });

  it('MoH A-E items are 1-5 with 0 = not used / no opinion', () => {
    for (const code of ['MOH_OUTPATIENT', 'MOH_INPATIENT']) {
      const items = byCode(code).definition.items.filter((i) => /^[A-E]\d+$/.test(i.code));
      for (const it of items) {
        expect(it, `${code} ${it.code}`).toMatchObject({
          type: 'scale',
          min: 1,
          max: 5,
          required: true,
          section: it.code[0],
          noOpinion: { value: 0 },
          framework: `MoH 3869 ${it.code}`,
        });
      }
      const g2 = byCode(code).definition.items.find((i) => i.code === 'G2');
      expect(g2?.options).toHaveLength(5);
    }
  });

  it('SIPAS has 22 criteria in 5 sections on a 1-5 scale', () => {
    expect(itemCodes('SIPAS')).toEqual([...seq('ACC', 4), ...seq('PROC', 5), ...seq('CS', 6), ...seq('RES', 3), ...seq('FB', 4)]);
    for (const it of byCode('SIPAS').definition.items)
      expect(it).toMatchObject({ type: 'scale', min: 1, max: 5, required: true, noOpinion: { value: 0 } });
    expect(byCode('SIPAS').definition.sections?.map((s) => s.code)).toEqual([
      'access',
      'procedures',
      'civil_servants',
      'results',
      'feedback',
    ]);
  });
});
