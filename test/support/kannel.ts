// Runs Debian's Kannel on 127.0.0.1 for a test file: bearerbox with a fake
// SMSC, smsbox with sendsms and an sms-service calling us back, and
// kannel-extras' fakesmsc as the "network". Everything on free ports in a
// temporary directory; stop() ends the three processes.
// The fake SMSC reports each message twice through the dlr-url: type 8 (SMSC
// accepted, reply "ACK/", no SMSC id) when it went to fakesmsc, then type 1
// (delivered, Kannel's message id as %F, empty reply).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  appendFileSync,
  closeSync,
  constants,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { kannelSmsService } from '../../src/modules/sms/gateways/http.ts';
import { freePort } from './platform.ts';

const BINARIES = {
  bearerbox: '/usr/sbin/bearerbox',
  smsbox: '/usr/sbin/smsbox',
  fakesmsc: '/usr/lib/kannel/test/fakesmsc', // kannel-extras
};

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Kannel binaries that are not installed (apt-get install kannel kannel-extras). */
export const missingKannel = Object.values(BINARIES).filter((p) => !executable(p));
export const hasKannel = missingKannel.length === 0;
// CI installs them: there a missing Kannel is a failure, not a skip.
if (!hasKannel && process.env.CI)
  throw new Error(`Kannel tests need ${missingKannel.join(', ')}: apt-get install kannel kannel-extras`);

/** A message Kannel handed to the fake SMSC, as fakesmsc printed it. */
export type FakeSmscMessage = {
  from: string;
  to: string;
  /** fakesmsc's line type: text (GSM 7-bit), ucs-2, data (8-bit), udh (a part of a long message) */
  kind: 'text' | 'ucs-2' | 'data' | 'udh';
  /** decoded text; for udh parts the payload read as UTF-8 (its coding is not on the line) */
  text: string;
  payload: Buffer;
  udh?: Buffer;
  line: string;
};

export type Kannel = {
  sendsmsUrl: string;
  username: string;
  password: string;
  /** our number: Kannel's global-sender and where injected messages go by default */
  shortCode: string;
  adminUrl: string;
  dir: string;
  /** messages fakesmsc received so far */
  received(): FakeSmscMessage[];
  waitForReceived(match: (m: FakeSmscMessage) => boolean, timeoutMs?: number): Promise<FakeSmscMessage>;
  /** a citizen's SMS: fakesmsc sends it to Kannel, whose sms-service calls our get-url */
  injectInbound(m: { from: string; to?: string; text: string }): Promise<void>;
  /** the last lines of each process's log */
  logs(): string;
  stop(): Promise<void>;
};

const STARTUP_MS = 15_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function httpGet(url: string, timeoutMs = 1000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** Kannel's URL encoding: '+' is a space, %XX a byte. */
function urlDecode(s: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '+') out.push(0x20);
    else if (c === '%' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      out.push(Number.parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(...Buffer.from(c, 'utf8'));
  }
  return Buffer.from(out);
}

function urlEncode(b: Buffer): string {
  let s = '';
  for (const x of b)
    s += /[0-9A-Za-z]/.test(String.fromCharCode(x)) ? String.fromCharCode(x) : `%${x.toString(16).padStart(2, '0')}`;
  return s;
}

function utf16be(text: string): Buffer {
  const b = Buffer.from(text, 'utf16le');
  b.swap16();
  return b;
}

// "<from> <to> text <text>", "<from> <to> ucs-2 <urlencoded UTF-16BE>",
// "<from> <to> data <urlencoded>", "<from> <to> udh <urlencoded udh> data <urlencoded>"
function parseFakeSmscLine(line: string): FakeSmscMessage | undefined {
  const m = /^(\S+) (\S+) (text|ucs-2|data|udh) (.*)$/s.exec(line);
  if (!m) return undefined;
  const [, from, to, kind, rest] = m as unknown as [string, string, string, FakeSmscMessage['kind'], string];
  if (kind === 'text') return { from, to, kind, text: rest, payload: Buffer.from(rest, 'utf8'), line };
  if (kind === 'udh') {
    const [udh = '', , data = ''] = rest.split(' ');
    const payload = urlDecode(data);
    return { from, to, kind, text: payload.toString('utf8'), payload, udh: urlDecode(udh), line };
  }
  const payload = urlDecode(rest);
  const text = kind === 'ucs-2' ? new TextDecoder('utf-16be').decode(payload) : payload.toString('utf8');
  return { from, to, kind, text, payload, line };
}

async function distinctFreePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

type Box = { name: string; child: ChildProcess; log: string; exited: Promise<void>; exit?: string };

export async function startKannel(opts: { callbackBase: string; callbackToken: string; shortCode?: string }): Promise<Kannel> {
  if (!hasKannel) throw new Error(`Kannel is not installed: ${missingKannel.join(', ')} missing`);
  const dir = mkdtempSync(path.join(tmpdir(), 'mscore-kannel-'));
  const [adminPort, boxPort, smscPort, sendsmsPort] = (await distinctFreePorts(4)) as [number, number, number, number];
  const adminPassword = randomBytes(8).toString('hex');
  const username = 'mscore';
  const password = randomBytes(8).toString('hex');
  const shortCode = opts.shortCode ?? '8077';
  const conf = path.join(dir, 'kannel.conf');
  writeFileSync(
    conf,
    `group = core
admin-port = ${adminPort}
admin-interface = 127.0.0.1
admin-password = ${adminPassword}
smsbox-port = ${boxPort}
smsbox-interface = 127.0.0.1
box-allow-ip = 127.0.0.1
dlr-storage = internal

# fakesmsc connects to this port (the bearerbox is the server side)
group = smsc
smsc = fake
smsc-id = fake
port = ${smscPort}
our-host = 127.0.0.1
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = ${boxPort}
sendsms-port = ${sendsmsPort}
sendsms-interface = 127.0.0.1
global-sender = ${shortCode}
# UCS-2 from phones reaches the get-url as UTF-8
mo-recode = true

group = sendsms-user
username = ${username}
password = ${password}
max-messages = 10
concatenation = true

group = sms-service
keyword = default
catch-all = yes
max-messages = 0
get-url = "${kannelSmsService(opts.callbackBase, opts.callbackToken)}"
`,
  );

  const boxes: Box[] = [];
  function launch(name: string, bin: string, args: string[], pipes = false): Box {
    const log = path.join(dir, `${name}.log`);
    const fd = pipes ? undefined : openSync(log, 'a');
    // Own process group: smsbox restarts itself in a new process when the bearerbox goes.
    const child = spawn(bin, args, { cwd: dir, detached: true, stdio: pipes ? 'pipe' : ['ignore', fd!, fd!] });
    if (fd !== undefined) closeSync(fd);
    const box: Box = { name, child, log, exited: Promise.resolve() };
    box.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        box.exit = signal ?? `code ${code}`;
        resolve();
      });
      child.once('error', (e) => {
        box.exit = e.message;
        resolve();
      });
    });
    boxes.push(box);
    return box;
  }

  const received: FakeSmscMessage[] = [];
  const receiveWaiters = new Set<() => void>();
  let sentByFake = 0;
  const sentWaiters = new Map<number, () => void>();

  function logs(): string {
    return boxes
      .map((b) => {
        const text = existsSync(b.log) ? readFileSync(b.log, 'utf8') : '';
        const tail = text.trimEnd().split('\n').slice(-25).join('\n');
        return `--- ${b.name}${b.exit ? ` (exited: ${b.exit})` : ''}\n${tail}`;
      })
      .join('\n');
  }

  let stopping: Promise<void> | undefined;
  async function stopAll(): Promise<void> {
    const signal = (b: Box, sig: NodeJS.Signals) => {
      try {
        if (b.child.pid) process.kill(-b.child.pid, sig);
      } catch {
        // already gone
      }
    };
    const within = (p: Promise<unknown>, ms: number) => Promise.race([p, sleep(ms)]);
    // smsbox first, or it sees the bearerbox go and starts again.
    const smsbox = boxes.find((b) => b.name === 'smsbox');
    if (smsbox) {
      signal(smsbox, 'SIGTERM');
      await within(smsbox.exited, 3000);
    }
    for (const b of boxes) if (b !== smsbox) signal(b, 'SIGTERM');
    await within(Promise.all(boxes.map((b) => b.exited)), 3000);
    for (const b of boxes) signal(b, 'SIGKILL');
    await within(Promise.all(boxes.map((b) => b.exited)), 2000);
    for (const b of boxes) {
      b.child.stdin?.destroy();
      b.child.stdout?.destroy();
      b.child.stderr?.destroy();
    }
    for (const w of receiveWaiters) w();
    rmSync(dir, { recursive: true, force: true });
  }
  const stop = () => {
    stopping ??= stopAll();
    return stopping;
  };

  const adminUrl = `http://127.0.0.1:${adminPort}`;
  const sendsmsUrl = `http://127.0.0.1:${sendsmsPort}/cgi-bin/sendsms`;
  const status = async () => {
    try {
      const r = await httpGet(`${adminUrl}/status.txt?password=${adminPassword}`);
      return r.status === 200 ? r.body : '';
    } catch {
      return '';
    }
  };
  const deadline = Date.now() + STARTUP_MS;
  async function until(what: string, ready: () => Promise<boolean>) {
    for (;;) {
      const dead = boxes.find((b) => b.exit);
      if (dead) throw new Error(`${dead.name} exited (${dead.exit}) while waiting for ${what}`);
      if (await ready()) return;
      if (Date.now() > deadline) throw new Error(`no ${what} within ${STARTUP_MS / 1000} s`);
      await sleep(100);
    }
  }

  try {
    launch('bearerbox', BINARIES.bearerbox, ['-v', '1', conf]);
    await until('bearerbox admin status', async () => (await status()).includes('fake['));

    // fakesmsc without messages on the command line reads them from stdin, one per line.
    const fake = launch('fakesmsc', BINARIES.fakesmsc, ['-H', '127.0.0.1', '-r', String(smscPort), '-i', '0'], true);
    for (const stream of [fake.child.stdout!, fake.child.stderr!]) {
      createInterface({ input: stream }).on('line', (l) => {
        appendFileSync(fake.log, `${l}\n`);
        const got = /Got message \d+: <(.*)>$/s.exec(l);
        const msg = got && parseFakeSmscLine(got[1]!);
        if (msg) {
          received.push(msg);
          for (const w of receiveWaiters) w();
        }
        const sent = /fakesmsc: sent message (\d+)/.exec(l);
        if (sent) sentWaiters.get(Number(sent[1]))?.();
      });
    }
    await until('fake SMSC connection', async () => /fake\[fake\][^\n]*\(online/.test(await status()));

    launch('smsbox', BINARIES.smsbox, ['-v', '1', conf]);
    await until('smsbox connection', async () => /Box connections:\s*\n\s*smsbox:/.test(await status()));
    await until('sendsms', () =>
      httpGet(sendsmsUrl).then(
        () => true,
        () => false,
      ),
    );
  } catch (e) {
    const tails = logs();
    await stop();
    throw new Error(`Kannel did not start: ${(e as Error).message}\n${tails}`);
  }

  const fake = boxes.find((b) => b.name === 'fakesmsc')!;
  let injecting: Promise<unknown> = Promise.resolve();

  async function inject(m: { from: string; to?: string; text: string }): Promise<void> {
    const to = m.to ?? shortCode;
    if (/\s/.test(m.from + to) || !m.from || !to) throw new Error('injectInbound: numbers without spaces, please');
    // Printable ASCII goes as is; anything else as UCS-2, as a phone sends Vietnamese.
    const line = /^[\x20-\x7e]*$/.test(m.text)
      ? `${m.from} ${to} text ${m.text}`
      : `${m.from} ${to} ucs2 ${urlEncode(utf16be(m.text))}`;
    // fakesmsc reads stdin with fgets into 256 bytes.
    if (Buffer.byteLength(line) > 254)
      throw new Error(`injectInbound: line too long for fakesmsc (${Buffer.byteLength(line)} > 254 bytes)`);
    const n = ++sentByFake;
    const taken = new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => {
        sentWaiters.delete(n);
        reject(new Error(`fakesmsc did not send message ${n} within 5 s\n${logs()}`));
      }, 5000);
      sentWaiters.set(n, () => {
        clearTimeout(t);
        sentWaiters.delete(n);
        resolve();
      });
    });
    fake.child.stdin!.write(`${line}\n`);
    await taken;
  }

  return {
    sendsmsUrl,
    username,
    password,
    shortCode,
    adminUrl,
    dir,
    received: () => [...received],
    async waitForReceived(match, timeoutMs = 10_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(match);
        if (found) return found;
        if (stopping || Date.now() > end)
          throw new Error(`fakesmsc did not receive the message within ${timeoutMs} ms\n${logs()}`);
        await new Promise<void>((resolve) => {
          const done = () => {
            receiveWaiters.delete(done);
            clearTimeout(t);
            resolve();
          };
          const t = setTimeout(done, Math.max(0, end - Date.now()) + 1);
          receiveWaiters.add(done);
        });
      }
    },
    // One at a time: fakesmsc's select() on stdin misses a second line fgets already buffered.
    injectInbound(m) {
      const next = injecting.then(() => inject(m));
      injecting = next.catch(() => {});
      return next;
    },
    logs,
    stop,
  };
}
