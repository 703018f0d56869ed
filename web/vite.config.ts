import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The keys of the shared locale files the public portal uses: its own strings and the labels it
// shares with the console. Importing `locales/xx.json?portal` gives only these, so the console's
// strings (most of the file) stay out of the page citizens load on their phones.
const PORTAL_LOCALE_KEYS = ['app.name', 'lang', 'event.status', 'portal'];

function pick(data: Record<string, unknown>, keys: string[], file: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const parts = key.split('.');
    let from: unknown = data;
    let to = out;
    for (const [i, part] of parts.entries()) {
      from = from && typeof from === 'object' ? (from as Record<string, unknown>)[part] : undefined;
      if (from === undefined) throw new Error(`${file}: no key "${key}"`);
      if (i === parts.length - 1) to[part] = from;
      else {
        to[part] ??= {};
        to = to[part] as Record<string, unknown>;
      }
    }
  }
  return out;
}

function localeSubset(): Plugin {
  return {
    name: 'mscore:locale-subset',
    enforce: 'pre',
    load(id) {
      const [file, query] = id.split('?', 2);
      if (query !== 'portal' || !file?.endsWith('.json')) return null;
      this.addWatchFile(file);
      const strings = pick(JSON.parse(readFileSync(file, 'utf8')), PORTAL_LOCALE_KEYS, file);
      return `export default ${JSON.stringify(strings)};`;
    },
  };
}

// One HTML entry per app. The public pages must stay light (cheap phones, slow networks): they
// load React alone, never Mantine.
export default defineConfig({
  root,
  base: '/',
  plugins: [localeSubset(), react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // React + Mantine alone are ~550 kB; they change rarely, so they get their own cacheable chunks.
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      input: {
        console: fileURLToPath(new URL('./index.html', import.meta.url)),
        // "Tra cứu hồ sơ": served at /tra-cuu/ (web/dist/tra-cuu/index.html).
        portal: fileURLToPath(new URL('./tra-cuu/index.html', import.meta.url)),
        // The web survey of a QR code or one-time link: /s/CODE serves web/dist/s/index.html.
        survey: fileURLToPath(new URL('./s/index.html', import.meta.url)),
        // The rating tablet: /kiosk/ (web/dist/kiosk/index.html).
        kiosk: fileURLToPath(new URL('./kiosk/index.html', import.meta.url)),
        // The phone interviewers' console: /interviewer/ (web/dist/interviewer/index.html).
        interviewer: fileURLToPath(new URL('./interviewer/index.html', import.meta.url)),
      },
      output: {
        codeSplitting: {
          groups: [
            // All the public pages need from node_modules (they do without i18next), in a chunk of its own.
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 2 },
            { name: 'vendor', test: /node_modules/, priority: 1 },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': {
        target: 'http://localhost:3000',
        changeOrigin: true,
        // The server rejects writes whose Origin is not its own; the dev server is a different origin.
        configure: (proxy) => {
          proxy.on('proxyReq', (req) => req.removeHeader('origin'));
        },
      },
    },
  },
});
