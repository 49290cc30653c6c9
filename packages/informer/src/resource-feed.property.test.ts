// Randomized: two replicas publish one history with independent losses, lag, a restart
// (weaker prevRv) and PROGRESS, while subscribers join at random RVs (window, history,
// future) and the history's window slides. Every subscriber must see exactly the history
// after its RV — or a correct prefix of it, then a 410 if its RV left the history.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectNats, eventsSubject, type NatsConnection } from '@splitplane/kit';
import { WatchEvent } from '@splitplane/proto';
import { startNats, waitFor, type NatsHandle } from '@splitplane/testing';
import { ResourceFeed } from './resource-feed.js';
import { Recorder } from './testing/recorder.js';
import { TestHistory } from './testing/test-history.js';

let nats: NatsHandle;
let pubA: NatsConnection;
let pubB: NatsConnection;
let nc: NatsConnection;

before(async () => {
  nats = await startNats({ jetstream: false });
  [pubA, pubB, nc] = await Promise.all(
    ['replica-a', 'replica-b', 'feed'].map((name) => connectNats({ servers: [nats.url], name })),
  );
});

after(async () => {
  await Promise.all([pubA, pubB, nc].map((c) => c.close()));
  await nats.stop();
});

/** A deterministic PRNG, so a failing seed can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Replica {
  conn: NatsConnection;
  /** Index of the next history event it publishes. */
  next: number;
  loss: number;
  /** After a restart, its events' prevRv is at least its start revision. */
  floor: bigint;
  down: boolean;
}

async function run(seed: number) {
  const random = rng(seed);
  const resource = `prop${seed}`;
  const subject = eventsSubject('prop.io', resource);
  const history = new TestHistory();
  const feed = new ResourceFeed({
    nats: nc,
    group: 'prop.io',
    resource,
    history,
    retainEvents: 150,
    giveUpMs: 5_000,
  });
  await feed.start();
  const subs: Array<{ from: bigint; rec: Recorder }> = [];
  const replicas: Replica[] = [
    { conn: pubA, next: 0, loss: 0.05, floor: 0n, down: false },
    { conn: pubB, next: 0, loss: 0.15, floor: 0n, down: false },
  ];
  const send = (r: Replica, ev: WatchEvent) => {
    if (!r.down && random() >= r.loss) r.conn.publish(subject, WatchEvent.encode(ev).finish());
  };
  const publishUpTo = (r: Replica, upTo: number) => {
    for (; r.next < upTo; r.next++) {
      const ev = history.log[r.next]!;
      const prevRv = BigInt(ev.prevRv) > r.floor ? ev.prevRv : r.floor.toString();
      send(r, { ...ev, prevRv });
    }
  };

  const TOTAL = 1_200;
  for (let i = 0; i < TOTAL; i++) {
    const type = random() < 0.4 ? 'ADDED' : random() < 0.7 ? 'MODIFIED' : 'DELETED';
    history.append(
      type,
      `o${Math.floor(random() * 40)}`,
      'default',
      BigInt(Math.floor(random() * 3)),
    );
    // Replica A keeps up; B lags by up to 30 events, so their copies interleave.
    publishUpTo(replicas[0]!, history.log.length);
    publishUpTo(
      replicas[1]!,
      Math.max(replicas[1]!.next, history.log.length - Math.floor(random() * 30)),
    );
    if (i % 40 === 0) {
      for (const r of replicas)
        if (r.next === history.log.length && !r.down) send(r, history.progress());
    }
    if (i === 500) replicas[1]!.down = true;
    if (i === 560) {
      // B restarts at the current revision: it skips what it missed and its bound weakens.
      Object.assign(replicas[1]!, {
        down: false,
        next: history.log.length,
        floor: history.revision,
      });
    }
    // The replicas' window slides: 250 events of history stay resumable.
    if (history.log.length > 250)
      history.oldest = BigInt(history.log[history.log.length - 251]!.rv);
    if (i % 25 === 0) {
      const pick = random();
      const from =
        pick < 0.2
          ? history.revision + BigInt(Math.floor(random() * 10)) // future
          : BigInt(history.log[Math.floor(random() * history.log.length)]!.rv) - 1n; // maybe expired
      const rec = new Recorder();
      feed.subscribe(from, rec);
      subs.push({ from, rec });
    }
    // Odd seeds let the feed keep up (live path); even ones race it (history path).
    if (i % (seed % 2 ? 5 : 100) === 0) await Promise.all([pubA.flush(), pubB.flush()]);
  }
  history.advance(1n);
  const final = history.revision;
  const done = () => subs.every((s) => s.rec.ended || (s.rec.position ?? 0n) >= final);
  await waitFor(
    () => {
      for (const r of replicas) send({ ...r, loss: 0 }, history.progress());
      return done();
    },
    { message: `seed ${seed}: every subscriber caught up`, timeoutMs: 30_000, intervalMs: 100 },
  );

  let expired = 0;
  for (const { from, rec } of subs) {
    const want = history.rvsAfter(from);
    if (rec.ended) {
      // A 410 (its RV left the history) after a correct prefix; never a clean end here.
      assert.equal(rec.endError?.code, 410, `seed ${seed}: from ${from} ended without a 410`);
      assert.deepEqual(rec.rvs, want.slice(0, rec.rvs.length), `seed ${seed}: prefix from ${from}`);
      expired++;
    } else {
      assert.deepEqual(rec.rvs, want, `seed ${seed}: events from ${from}`);
      assert.ok(
        rec.progressed.every((rv) => rv >= from),
        'progress never before fromRv',
      );
    }
  }
  feed.close();
  return { subs: subs.length, expired, stats: feed.stats };
}

describe('ResourceFeed (randomized)', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`seed ${seed}: exact history for every subscriber`, async (t) => {
      const result = await run(seed);
      t.diagnostic(JSON.stringify(result));
      assert.ok(result.subs - result.expired > 10, 'most subscribers stayed');
    });
  }
});
