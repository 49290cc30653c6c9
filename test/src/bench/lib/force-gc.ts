// A full garbage collection in another Node process, so its RSS can be read settled: the
// process (started with --inspect-port=0) opens its inspector on SIGUSR1 and logs the
// address; a minimal WebSocket client then sends the DevTools Protocol's
// HeapProfiler.collectGarbage. Node 20 has no WebSocket client without a flag, and one
// request/reply needs only unfragmented text frames.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Node flags a service needs for forceGc: an inspector on a free port, opened only on SIGUSR1. */
export const FORCE_GC_NODE_ARGS = ['--inspect-port=0'];

export interface HeapUsage {
  usedSize: number;
  totalSize: number;
}

/** Collects garbage twice in process `pid` (logging to `logFile`) and returns its heap usage. */
export async function forceGc(pid: number, logFile: string): Promise<HeapUsage> {
  const url = await inspectorUrl(pid, logFile);
  const session = await CdpSession.open(url);
  try {
    await session.send('HeapProfiler.collectGarbage');
    await session.send('HeapProfiler.collectGarbage');
    return (await session.send('Runtime.getHeapUsage')) as unknown as HeapUsage;
  } finally {
    session.close();
  }
}

const LISTENING = /Debugger listening on (ws:\/\/\S+)/g;

async function inspectorUrl(pid: number, logFile: string): Promise<string> {
  const known = () => [...readFileSync(logFile, 'utf8').matchAll(LISTENING)].map((m) => m[1]!);
  const before = known().length;
  process.kill(pid, 'SIGUSR1'); // a no-op when the inspector is already open
  for (let i = 0; i < 100; i++) {
    const urls = known();
    if (urls.length > before || (urls.length > 0 && i >= 20)) return urls.at(-1)!;
    await sleep(50);
  }
  throw new Error(
    `process ${pid} did not open its inspector (is it running with --inspect-port=0?)`,
  );
}

class CdpSession {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly waiting = new Map<number, (result: Record<string, unknown>) => void>();

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
  }

  static async open(url: string): Promise<CdpSession> {
    const { hostname, port, pathname } = new URL(url);
    const socket = connect(Number(port), hostname);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.write(
      `GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    const rest = await new Promise<Buffer>((resolve, reject) => {
      let head = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onData);
        const status = head.subarray(0, head.indexOf('\r\n')).toString();
        if (!status.includes(' 101 ')) reject(new Error(`inspector handshake: ${status}`));
        else resolve(head.subarray(end + 4));
      };
      socket.on('data', onData);
      socket.once('error', reject);
    });
    const session = new CdpSession(socket);
    if (rest.length) session.onData(rest);
    return session;
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    const payload = Buffer.from(JSON.stringify({ id, method, params }));
    const mask = randomBytes(4);
    const len = payload.length;
    const header =
      len < 126
        ? Buffer.from([0x81, 0x80 | len])
        : len < 65536
          ? Buffer.from([0x81, 0x80 | 126, len >> 8, len & 255])
          : (() => {
              const h = Buffer.alloc(10);
              h[0] = 0x81;
              h[1] = 0x80 | 127;
              h.writeBigUInt64BE(BigInt(len), 2);
              return h;
            })();
    for (let i = 0; i < len; i++) payload[i]! ^= mask[i % 4]!;
    this.socket.write(Buffer.concat([header, mask, payload]));
    return new Promise((resolve) => this.waiting.set(id, resolve));
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.buffer.length < 2) return;
      let len = this.buffer[1]! & 0x7f;
      let offset = 2;
      if (len === 126) {
        if (this.buffer.length < 4) return;
        len = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (this.buffer.length < 10) return;
        len = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (this.buffer.length < offset + len) return;
      const opcode = this.buffer[0]! & 0x0f;
      const payload = this.buffer.subarray(offset, offset + len);
      this.buffer = this.buffer.subarray(offset + len);
      if (opcode !== 1) continue; // only text frames carry replies
      const message = JSON.parse(payload.toString('utf8')) as {
        id?: number;
        result?: Record<string, unknown>;
      };
      if (message.id !== undefined) {
        this.waiting.get(message.id)?.(message.result ?? {});
        this.waiting.delete(message.id);
      }
    }
  }
}
