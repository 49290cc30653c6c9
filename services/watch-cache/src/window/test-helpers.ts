// Shared fixtures for the window tests.
import type { EventInput, EventType, WindowEvent } from './event.js';
import { TooOld, NotYet } from './errors.js';

export class FakeClock {
  constructor(public t = 1_000_000) {}
  readonly now = (): number => this.t;
  tick(ms: number): void {
    this.t += ms;
  }
}

export function ev(rv: bigint | number, extra: Partial<EventInput> = {}): EventInput {
  const r = BigInt(rv);
  const type: EventType = extra.type ?? 'MODIFIED';
  return {
    type,
    rv: r,
    key: `/registry/pods/default/p${r % 7n}`,
    object: new TextEncoder().encode(`{"metadata":{"resourceVersion":"${r}"}}`),
    ...extra,
  };
}

/** rvs of a since()/range() answer, or the marker's kind. */
export function rvs(x: WindowEvent[] | TooOld | NotYet): bigint[] | 'too-old' | 'not-yet' {
  if (x instanceof TooOld) return 'too-old';
  if (x instanceof NotYet) return 'not-yet';
  return x.map((e) => e.rv);
}
