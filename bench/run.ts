// `npm run bench`: runs every bench/*.bench.ts, prints one table, writes bench/results.json.
import { readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

type Figure = { name: string; value: number; unit: string; baseline?: number; note?: string };

const dir = import.meta.dirname;
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
const results: Record<string, Figure[]> = {};
for (const f of files) {
  process.stderr.write(`running ${f}...\n`);
  const mod = (await import(path.join(dir, f))) as { run: () => Promise<Figure[]> };
  results[f.replace('.bench.ts', '')] = await mod.run();
}
const fmt = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '-' : v >= 100 ? v.toFixed(0) : v.toFixed(1));
const rows = Object.entries(results).flatMap(([bench, figs]) =>
  figs.map((f) => [
    bench,
    f.name,
    `${fmt(f.value)} ${f.unit}`,
    f.baseline === undefined ? '-' : `${fmt(f.baseline)} ${f.unit}`,
    f.baseline ? `${(f.value / f.baseline).toFixed(2)}x` : '-',
    f.note ?? '',
  ]),
);
const header = ['bench', 'figure', 'value', 'baseline', 'ratio', 'note'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] as number)).join('  ');
process.stdout.write(`${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`);
writeFileSync(
  path.join(dir, 'results.json'),
  `${JSON.stringify(
    {
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      results,
    },
    null,
    2,
  )}\n`,
);
