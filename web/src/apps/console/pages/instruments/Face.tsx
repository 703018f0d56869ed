// The four faces of a faces item (1 very dissatisfied ... 4 very satisfied), drawn
// rather than taken from an emoji font, which kiosks and servers often lack.

const COLORS = ['#e03131', '#f08c00', '#74b816', '#2f9e44'] as const;
// Mouth: a curve from (18,44) to (46,44) through a control point; lower = smile.
const MOUTH_Y = [34, 40, 50, 56] as const;

export function Face({
  value,
  size = 56,
  selected = false,
}: {
  value: 1 | 2 | 3 | 4;
  size?: number | string;
  selected?: boolean;
}) {
  const color = COLORS[value - 1];
  const c = MOUTH_Y[value - 1];
  const y = value <= 2 ? 46 : 42;
  return (
    <svg width={size} height={size} viewBox="0 0 64 64" aria-hidden focusable="false" style={{ display: 'block' }}>
      <circle cx="32" cy="32" r="29" fill={selected ? color : '#fff'} stroke={color} strokeWidth="4" />
      <circle cx="22" cy="26" r="4" fill={selected ? '#fff' : color} />
      <circle cx="42" cy="26" r="4" fill={selected ? '#fff' : color} />
      <path
        d={`M18 ${y} Q32 ${c} 46 ${y}`}
        fill="none"
        stroke={selected ? '#fff' : color}
        strokeWidth="4"
        strokeLinecap="round"
      />
    </svg>
  );
}

export const FACE_VALUES = [1, 2, 3, 4] as const;
