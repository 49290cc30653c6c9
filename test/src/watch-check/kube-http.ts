// Minimal HTTPS access to the plane's gateways with the admin client certificate: JSON
// requests with failover across gateways, and raw streaming GETs for watches.
import { request as httpsRequest, Agent } from 'node:https';
import type { IncomingMessage, ClientRequest } from 'node:http';

export interface ClientTls {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

export interface JsonResult {
  status: number;
  body: any;
  gateway: string;
}

/** A connection-level failure (refused, reset, timeout): the gateway may be dead. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly gateway: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class KubeHttp {
  /** One agent per gateway, so a dead gateway's sockets never serve another. */
  private readonly agents = new Map<string, Agent>();

  constructor(
    /** Base URLs, e.g. https://127.0.0.1:6443; replaced when the harness restarts one. */
    public gateways: string[],
    private readonly tls: ClientTls,
  ) {}

  private agent(gateway: string): Agent {
    let a = this.agents.get(gateway);
    if (!a) {
      a = new Agent({ keepAlive: true, maxSockets: 64 });
      this.agents.set(gateway, a);
    }
    return a;
  }

  /** Starts a request; the response is handed over unread. */
  open(
    gateway: string,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): { req: ClientRequest; response: Promise<IncomingMessage> } {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let req!: ClientRequest;
    const response = new Promise<IncomingMessage>((resolve, reject) => {
      req = httpsRequest(
        `${gateway}${path}`,
        {
          method,
          ca: this.tls.ca,
          cert: this.tls.cert,
          key: this.tls.key,
          agent: this.agent(gateway),
          headers: {
            Accept: 'application/json',
            ...(payload === undefined ? {} : { 'Content-Type': 'application/json' }),
            ...headers,
          },
        },
        resolve,
      );
      req.on('error', (err) =>
        reject(
          new TransportError(`${method} ${gateway}${path}: ${err.message}`, gateway, {
            cause: err,
          }),
        ),
      );
      if (payload !== undefined) req.write(payload);
      req.end();
    });
    return { req, response };
  }

  /** One JSON request against one gateway. */
  async requestOn(
    gateway: string,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
    timeoutMs = 20_000,
  ): Promise<JsonResult> {
    const { req, response } = this.open(gateway, method, path, body, headers);
    const timer = setTimeout(
      () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    try {
      const res = await response;
      const chunks: Buffer[] = [];
      try {
        for await (const c of res) chunks.push(c as Buffer);
      } catch (err) {
        throw new TransportError(`${method} ${path}: response cut`, gateway, { cause: err });
      }
      const text = Buffer.concat(chunks).toString('utf8');
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text for the message
      }
      return { status: res.statusCode ?? 0, body: parsed, gateway };
    } finally {
      clearTimeout(timer);
    }
  }

  /** A JSON request on any live gateway, starting with a random one. */
  async request(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<JsonResult> {
    const order = shuffle([...this.gateways]);
    let last: unknown;
    for (const gw of order) {
      try {
        return await this.requestOn(gw, method, path, body, headers);
      } catch (err) {
        if (!(err instanceof TransportError)) throw err;
        last = err;
      }
    }
    throw last;
  }

  close(): void {
    for (const a of this.agents.values()) a.destroy();
    this.agents.clear();
  }
}

export function shuffle<T>(a: T[], random: () => number = Math.random): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
