// The tablet's own storage (IndexedDB): its credential and configuration, its
// running rating number, and every rating not yet acknowledged by the server.
// A rating and the next number are written in one transaction that must reach
// the disk ("strict") before the thank-you screen shows: a tap is never lost,
// whatever happens to the network, the page or the power afterwards.

export type Rating = {
  id: string;
  seq: number;
  instrument: string;
  version: number;
  startedAt: string;
  submittedAt: string;
  answers: Record<string, unknown>;
  language: string;
  consent?: boolean;
};

export type Enrollment = { deviceId: string; credential: string; unit: { code: string; name: string } };

const DB_NAME = 'mscore-kiosk';
let opening: Promise<IDBDatabase> | undefined;

function open(): Promise<IDBDatabase> {
  opening ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      req.result.createObjectStore('ratings', { keyPath: 'id' });
      req.result.createObjectStore('meta');
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return opening;
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('aborted'));
  });
}

const result = <T>(req: IDBRequest<T>) =>
  new Promise<T>((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });

export async function getMeta<T>(key: string): Promise<T | undefined> {
  const db = await open();
  return result(db.transaction('meta').objectStore('meta').get(key)) as Promise<T | undefined>;
}

export async function setMeta(key: string, value: unknown): Promise<void> {
  const db = await open();
  const tx = db.transaction('meta', 'readwrite');
  tx.objectStore('meta').put(value, key);
  await done(tx);
}

export async function deleteMeta(key: string): Promise<void> {
  const db = await open();
  const tx = db.transaction('meta', 'readwrite');
  tx.objectStore('meta').delete(key);
  await done(tx);
}

/** Numbers the rating and keeps it, durably; resolves once it is on disk. */
export async function keepRating(r: Omit<Rating, 'seq'>): Promise<Rating> {
  const db = await open();
  const tx = db.transaction(['ratings', 'meta'], 'readwrite', { durability: 'strict' });
  const meta = tx.objectStore('meta');
  const last = ((await result(meta.get('seq'))) as number | undefined) ?? 0;
  const rating: Rating = { ...r, seq: last + 1 };
  meta.put(rating.seq, 'seq');
  tx.objectStore('ratings').put(rating);
  await done(tx);
  return rating;
}

/** The oldest unsent ratings, in the order they were given. */
export async function unsent(limit: number): Promise<Rating[]> {
  const db = await open();
  const all = (await result(db.transaction('ratings').objectStore('ratings').getAll())) as Rating[];
  return all.sort((a, b) => a.seq - b.seq).slice(0, limit);
}

export async function unsentCount(): Promise<number> {
  const db = await open();
  return result(db.transaction('ratings').objectStore('ratings').count());
}

export async function forget(ids: string[]): Promise<void> {
  if (!ids.length) return;
  const db = await open();
  const tx = db.transaction('ratings', 'readwrite');
  for (const id of ids) tx.objectStore('ratings').delete(id);
  await done(tx);
}

export async function lastSeq(): Promise<number> {
  return (await getMeta<number>('seq')) ?? 0;
}
