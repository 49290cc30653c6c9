// One kube watch held open over HTTPS, recording when each event arrived. Events are not
// parsed as JSON: the type and the object's resourceVersion are read from the line, so that
// thousands of watchers cost the benchmark process little.
import type { Agent } from 'node:https';
import { request } from 'node:https';
import type { ClientRequest } from 'node:http';
import { resourceVersionOf } from './client.js';
import { nowMs } from './stats.js';

export interface Arrival {
  rv: number;
  type: string;
  /** metadata.name, read only for DELETED events. */
  name?: string;
  /** nowMs() when the chunk holding the event arrived. */
  at: number;
}

export class WatchStream {
  readonly arrivals: Arrival[] = [];
  /** Text of ERROR events and transport errors. */
  readonly errors: string[] = [];
  ended = false;
  private req?: ClientRequest;
  private closing = false;

  constructor(
    private readonly agent: Agent,
    readonly base: string,
    readonly path: string,
  ) {}

  /** Resolves once the response headers (HTTP 200) have arrived. */
  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = request(
        `${this.base}${this.path}`,
        { agent: this.agent, headers: { Accept: 'application/json' } },
        (res) => {
          if (res.statusCode !== 200) {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString('utf8')));
            res.on('end', () =>
              reject(
                new Error(`watch ${this.path}: HTTP ${res.statusCode}: ${body.slice(0, 300)}`),
              ),
            );
            return;
          }
          resolve();
          let pending = '';
          res.on('data', (chunk: Buffer) => {
            const at = nowMs();
            pending += chunk.toString('utf8');
            let start = 0;
            let nl: number;
            while ((nl = pending.indexOf('\n', start)) >= 0) {
              this.onLine(pending.slice(start, nl), at);
              start = nl + 1;
            }
            pending = pending.slice(start);
          });
          res.on('end', () => this.onEnd());
          res.on('error', (err) => {
            if (!this.closing) this.errors.push(String(err));
          });
        },
      );
      req.on('error', (err) => {
        if (!this.closing) this.errors.push(String(err));
        reject(err);
      });
      req.end();
      this.req = req;
    });
  }

  close(): void {
    this.closing = true;
    this.req?.destroy();
  }

  private onLine(line: string, at: number) {
    if (!line) return;
    const type = line.slice(9, line.indexOf('"', 9)); // after {"type":"
    if (type === 'ERROR') {
      this.errors.push(line.slice(0, 400));
      return;
    }
    if (type === 'BOOKMARK') return;
    const arrival: Arrival = { rv: Number(resourceVersionOf(line)), type, at };
    if (type === 'DELETED') arrival.name = nameOf(line);
    this.arrivals.push(arrival);
  }

  private onEnd() {
    if (!this.closing) this.ended = true;
  }
}

/** The first "name" in an object's JSON: metadata.name, as metadata precedes spec. */
function nameOf(text: string): string | undefined {
  const at = text.indexOf('"name":"');
  if (at < 0) return undefined;
  const start = at + '"name":"'.length;
  return text.slice(start, text.indexOf('"', start));
}
