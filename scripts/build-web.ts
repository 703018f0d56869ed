// Builds the web apps into web/dist; with --if-stale only when a source is newer than the build.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = path.join(import.meta.dirname, '..');
const web = path.join(root, 'web');
const marker = path.join(web, 'dist', 'index.html');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'dist' || e.name === 'node_modules') continue;
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const ifStale = process.argv.includes('--if-stale');
if (ifStale && existsSync(marker) && statSync(marker).mtimeMs >= newest(web)) process.exit(0);
process.stdout.write('Building the web console (vite)...\n');
execFileSync(
  process.execPath,
  [
    path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
    'build',
    '--config',
    path.join(web, 'vite.config.ts'),
    '--logLevel',
    'warn',
  ],
  {
    stdio: 'inherit',
    cwd: root,
  },
);

// Pre-compressed copies, served as they are: cheap phones on slow networks get
// a third of the bytes, and the server spends no CPU compressing.
function compressAll(dir: string) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) compressAll(p);
    else if (/\.(js|css|html|json|svg)$/.test(e.name)) {
      const body = readFileSync(p);
      if (body.length < 1024) continue;
      writeFileSync(`${p}.gz`, gzipSync(body, { level: 9 }));
      writeFileSync(`${p}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
    }
  }
}
compressAll(path.join(web, 'dist'));
