// The four faces of a quick rating, drawn inline (no image requests): the web
// survey and the kiosk show the same ones.
export const FACE_VALUES = [1, 2, 3, 4] as const;
export type FaceValue = (typeof FACE_VALUES)[number];

const FACES: Record<FaceValue, { fill: string; mouth: string; brows?: string }> = {
  1: { fill: '#f8c9c4', mouth: 'M15 35c3-6 15-6 18 0', brows: 'M12 13l7 3M36 13l-7 3' },
  2: { fill: '#fcdcb8', mouth: 'M16 33c4-3 12-3 16 0' },
  3: { fill: '#d5ebcd', mouth: 'M16 29c4 4 12 4 16 0' },
  4: { fill: '#b3dea6', mouth: 'M14 27h20c-2 9-18 9-20 0z' },
};
const INK = '#1b1f24';

/** A simple face drawn inline; the words beside it carry the meaning. */
export function Face({ value, size = 56 }: { value: FaceValue; size?: number }) {
  const f = FACES[value];
  return (
    <svg className="face" viewBox="0 0 48 48" width={size} height={size} aria-hidden="true" focusable="false">
      <circle cx="24" cy="24" r="21.5" fill={f.fill} stroke={INK} strokeWidth="2.5" />
      <circle cx="17" cy="20" r="2.75" fill={INK} />
      <circle cx="31" cy="20" r="2.75" fill={INK} />
      {f.brows && <path d={f.brows} fill="none" stroke={INK} strokeWidth="2.5" strokeLinecap="round" />}
      <path
        d={f.mouth}
        fill={value === 4 ? INK : 'none'}
        stroke={INK}
        strokeWidth="2.75"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
