// Talking to the server with the tablet's credential: enrollment, its
// configuration, sending kept ratings in batches (with back-off while the
// network is down) and a heartbeat every minute.
import { type Enrollment, forget, getMeta, lastSeq, type Rating, unsent, unsentCount } from './store';

export const APP_VERSION = '1.0.0';
const BATCH = 100;

export type KioskConfig = {
  device: { id: string; name: string };
  tenant: string;
  unit: { code: string; name: string };
  instrument: null | { code: string; version: number; name: Record<string, string>; definition: unknown };
  behaviour: { idleSeconds: number; lockSeconds: number; confirmMs: number; heartbeatSeconds: number };
  audio: { prompt: string; language: string; sha256: string }[];
};

export class KioskHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

async function call<T>(path: string, init: RequestInit & { credential?: string } = {}): Promise<T> {
  const headers = new Headers(init.headers);
  if (init.credential) headers.set('authorization', `Bearer ${init.credential}`);
  if (init.body) headers.set('content-type', 'application/json');
  const res = await fetch(path, { ...init, headers, cache: 'no-store' });
  if (!res.ok) {
    const problem = (await res.json().catch(() => ({}))) as { code?: string };
    throw new KioskHttpError(res.status, problem.code ?? `http.${res.status}`);
  }
  return (await res.json()) as T;
}

export const enroll = (code: string, name?: string) =>
  call<Enrollment>('/api/kiosk/v1/enroll', { method: 'POST', body: JSON.stringify({ code, ...(name ? { name } : {}) }) });

export const fetchConfig = (credential: string) => call<KioskConfig>('/api/kiosk/v1/config', { credential });

/** A recording as a blob (the service worker keeps a copy for offline days). */
export async function fetchAudio(credential: string, instrument: string, prompt: string, language: string): Promise<Blob> {
  const res = await fetch(
    `/api/kiosk/v1/audio/${encodeURIComponent(instrument)}/${encodeURIComponent(prompt)}/${encodeURIComponent(language)}`,
    { headers: { authorization: `Bearer ${credential}` } },
  );
  if (!res.ok) throw new KioskHttpError(res.status, `http.${res.status}`);
  return res.blob();
}

type Listener = (s: { unsent: number; revoked: boolean }) => void;

/**
 * Sends kept ratings whenever there are some: at once after a rating, when the
 * browser says it is online again, and on a timer with back-off (2 s doubling
 * to 2 minutes) while sending fails. A rating leaves the device only once the
 * server has answered for it (created, replayed or refused for good).
 */
export class SyncLoop {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private again = false;
  private delay = 2000;
  private revoked = false;
  private listeners = new Set<Listener>();
  private heartbeat: ReturnType<typeof setInterval> | undefined;

  constructor(private credential: string) {
    window.addEventListener('online', this.onOnline);
  }

  private onOnline = () => {
    this.delay = 2000;
    this.kick();
  };

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    void this.emit();
    return () => this.listeners.delete(l);
  }

  private async emit() {
    const n = await unsentCount();
    for (const l of this.listeners) l({ unsent: n, revoked: this.revoked });
  }

  kick() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    void this.run();
  }

  private async run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      for (;;) {
        const batch = await unsent(BATCH);
        if (!batch.length || this.revoked) break;
        await this.send(batch);
        this.delay = 2000;
        await this.emit();
      }
    } catch (e) {
      if (e instanceof KioskHttpError && e.status === 401) this.revoked = true;
      else {
        this.timer = setTimeout(() => this.kick(), this.delay);
        this.delay = Math.min(this.delay * 2, 120_000);
      }
    } finally {
      this.running = false;
      await this.emit();
      if (this.again) {
        this.again = false;
        void this.run();
      }
    }
  }

  private async send(batch: Rating[]) {
    const r = await call<{ results: { id: string; result: string; code?: string }[] }>('/api/kiosk/v1/ratings', {
      method: 'POST',
      credential: this.credential,
      body: JSON.stringify({ ratings: batch }),
    });
    // Refused ones are not sent again: the same content would be refused again.
    await forget(r.results.map((x) => x.id));
  }

  startHeartbeat(seconds: number) {
    const beat = async () => {
      const battery = await (navigator as Navigator & { getBattery?: () => Promise<{ level: number }> })
        .getBattery?.()
        .then((b) => b.level)
        .catch(() => null);
      await call('/api/kiosk/v1/heartbeat', {
        method: 'POST',
        credential: this.credential,
        body: JSON.stringify({
          battery: battery ?? null,
          appVersion: APP_VERSION,
          queue: await unsentCount(),
          deviceTime: new Date().toISOString(),
          lastSeq: await lastSeq(),
        }),
      }).catch((e) => {
        if (e instanceof KioskHttpError && e.status === 401) {
          this.revoked = true;
          void this.emit();
        }
      });
    };
    void beat();
    this.heartbeat = setInterval(beat, seconds * 1000);
  }

  stop() {
    window.removeEventListener('online', this.onOnline);
    if (this.timer) clearTimeout(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
  }
}

export const storedEnrollment = () => getMeta<Enrollment>('enrollment');
