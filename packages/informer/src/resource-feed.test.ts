import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectNats, eventsSubject, type NatsConnection } from '@splitplane/kit';
import { WatchEvent } from '@splitplane/proto';
import { startNats, waitFor, type NatsHandle } from '@splitplane/testing';
import { ResourceFeed, type ResourceFeedOptions } from './resource-feed.js';
import { Recorder } from './testing/recorder.js';
import { TestHistory } from './testing/test-history.js';

let nats: NatsHandle;
let pub: NatsConnection;
let sub: NatsConnection;
let counter = 0;
const feeds: ResourceFeed[] = [];

before(async () => {
  nats = await startNats({ jetstream: false });
  pub = await connectNats({ servers: [nats.url], name: 'test-publisher' });
  sub = await connectNats({ servers: [nats.url], name: 'test-feed' });
});

after(async () => {
  for (const f of feeds) f.close();
  await pub.close();
  await sub.close();
  await nats.stop();
});

/** A resource of its own per test, so tests share one nats-server without crosstalk. */
async function setup(opts: Partial<ResourceFeedOptions> = {}) {
  const resource = `things${++counter}`;
  const history = new TestHistory();
  const feed = new ResourceFeed({ nats: sub, group: 'test.io', resource, history, ...opts });
  feeds.push(feed);
  await feed.start();
  const subject = eventsSubject('test.io', resource);
  const publish = (...evs: WatchEvent[]) => {
    for (const ev of evs) pub.publish(subject, WatchEvent.encode(ev).finish());
  };
  return { history, feed, publish, flush: () => pub.flush() };
}

const waitRvs = (rec: Recorder, want: bigint[], message = 'events') =>
  waitFor(() => rec.events.length >= want.length || rec.ended, { message, timeoutMs: 15_000 }).then(
    () => assert.deepEqual(rec.rvs, want),
  );

describe('ResourceFeed', () => {
  it('drops the duplicates several replicas publish, in any interleaving', async () => {
    const { history, feed, publish } = await setup();
    const rec = new Recorder();
    feed.subscribe(history.revision, rec);
    await waitFor(() => feed.rv !== undefined, { message: 'anchored' });
    const evs = [
      history.append('ADDED', 'a'),
      history.append('MODIFIED', 'a', 'default', 3n),
      history.append('ADDED', 'b'),
      history.append('DELETED', 'a', 'default', 1n),
    ];
    // Replica A publishes everything; replica B lags and repeats, and re-sends an old one.
    publish(evs[0]!, evs[1]!, evs[0]!, evs[2]!, evs[1]!, evs[3]!, evs[2]!, evs[3]!, evs[0]!);
    history.advance(2n);
    publish(history.progress(), history.progress());
    await waitRvs(
      rec,
      evs.map((e) => BigInt(e.rv)),
    );
    await waitFor(() => rec.progressed.includes(history.revision), { message: 'progress' });
    assert.deepEqual(
      rec.rvs,
      evs.map((e) => BigInt(e.rv)),
    );
    assert.equal(rec.ended, false);
    assert.equal(history.calls.length - feed.stats.probes, 1, 'only the anchoring read');
  });

  it('anchors on the first message when nobody subscribed yet', async () => {
    const { history, feed, publish } = await setup();
    history.append('ADDED', 'x');
    const ev = history.append('ADDED', 'y');
    publish(ev);
    await waitFor(() => feed.rv === BigInt(ev.rv), { message: 'anchored on message' });
    assert.equal(feed.windowBase, BigInt(ev.prevRv));
    assert.equal(history.calls.length, 0);
  });

  it('heals a gap from history and replays what arrived meanwhile', async () => {
    const { history, feed, publish } = await setup();
    const e1 = history.append('ADDED', 'a');
    publish(e1);
    await waitFor(() => feed.rv === BigInt(e1.rv));
    const rec = new Recorder();
    feed.subscribe(BigInt(e1.rv), rec);
    history.append('ADDED', 'b'); // lost
    history.append('MODIFIED', 'b', 'default', 2n); // lost
    const e4 = history.append('ADDED', 'c');
    const e5 = history.append('ADDED', 'd');
    publish(e4, e5, e4);
    await waitRvs(rec, history.rvsAfter(BigInt(e1.rv)));
    assert.ok(
      history.calls.some((c) => c.from === BigInt(e1.rv)),
      'healed from lastRv',
    );
  });

  it('notices lost messages through PROGRESS and advances subscribers', async () => {
    const { history, feed, publish } = await setup();
    const e1 = history.append('ADDED', 'a');
    publish(e1);
    await waitFor(() => feed.rv === BigInt(e1.rv));
    const rec = new Recorder();
    feed.subscribe(BigInt(e1.rv), rec);
    history.append('ADDED', 'b'); // lost
    history.advance(5n);
    publish(history.progress());
    await waitRvs(rec, history.rvsAfter(BigInt(e1.rv)));
    await waitFor(() => rec.progressed.includes(history.revision), { message: 'progress' });
    assert.equal(feed.rv, history.revision);
  });

  it('asks history when the subject goes quiet, so a lost last message still arrives', async () => {
    const { history, feed, publish } = await setup({ idleProbeMs: 200 });
    const e1 = history.append('ADDED', 'a');
    publish(e1);
    await waitFor(() => feed.rv === BigInt(e1.rv));
    const rec = new Recorder();
    feed.subscribe(BigInt(e1.rv), rec);
    // A failing probe changes nothing: nothing is known to be missing.
    history.down = true;
    await waitFor(() => feed.stats.probes >= 2, { message: 'failed probes' });
    assert.equal(rec.ended, false);
    history.down = false;
    const lost = history.append('MODIFIED', 'a'); // its only message is lost; nothing follows
    await waitRvs(rec, [BigInt(lost.rv)]);
    assert.equal(rec.ended, false);
  });

  it('retries a failing history and ends subscribers cleanly when it stays down', async () => {
    const { history, feed, publish } = await setup({ giveUpMs: 1_500 });
    const e1 = history.append('ADDED', 'a');
    publish(e1);
    await waitFor(() => feed.rv === BigInt(e1.rv));
    const rec = new Recorder();
    feed.subscribe(BigInt(e1.rv), rec);
    history.failNext = 2;
    history.append('ADDED', 'b'); // lost
    const e3 = history.append('ADDED', 'c');
    publish(e3);
    await waitRvs(rec, history.rvsAfter(BigInt(e1.rv)));
    assert.equal(history.failNext, 0);

    history.down = true;
    history.append('ADDED', 'd'); // lost
    publish(history.append('ADDED', 'e'));
    await waitFor(() => rec.ended, { message: 'clean end' });
    assert.equal(rec.endError, undefined);
    assert.equal(feed.rv, undefined, 'position dropped');
  });

  it('ends every subscriber with 410 when the gap has left the history, then re-anchors', async () => {
    const { history, feed, publish } = await setup();
    const e1 = history.append('ADDED', 'a');
    publish(e1);
    await waitFor(() => feed.rv === BigInt(e1.rv));
    const recs = [new Recorder(), new Recorder()];
    for (const r of recs) feed.subscribe(BigInt(e1.rv), r);
    history.append('ADDED', 'b'); // lost
    const e3 = history.append('ADDED', 'c');
    history.oldest = BigInt(e3.prevRv);
    publish(e3);
    await waitFor(() => recs.every((r) => r.ended), { message: '410' });
    for (const r of recs) {
      assert.equal(r.endError?.code, 410);
      assert.deepEqual(r.rvs, []);
    }
    assert.equal(feed.rv, undefined);

    // A fresh subscription from a resumable RV anchors the feed again.
    const again = new Recorder();
    feed.subscribe(history.oldest, again);
    const e4 = history.append('ADDED', 'd');
    publish(e4);
    await waitRvs(again, history.rvsAfter(history.oldest));
    assert.equal(again.ended, false);
  });

  it('serves subscriptions from the window synchronously, from history when older, and waits for future ones', async () => {
    const { history, feed, publish } = await setup();
    const start = history.revision;
    const evs = [];
    for (let i = 0; i < 3; i++) evs.push(history.append('ADDED', `old${i}`));
    // The feed anchors on a later message: the old events are only in history.
    const firstSeen = history.append('ADDED', 'w0');
    publish(firstSeen);
    await waitFor(() => feed.rv === BigInt(firstSeen.rv));
    const e2 = history.append('ADDED', 'w1');
    publish(e2);
    await waitFor(() => feed.rv === BigInt(e2.rv));

    const inWindow = new Recorder();
    feed.subscribe(BigInt(firstSeen.rv), inWindow);
    assert.deepEqual(inWindow.rvs, [BigInt(e2.rv)], 'delivered before subscribe returned');

    const fromPast = new Recorder();
    feed.subscribe(start, fromPast);
    const future = new Recorder();
    const futureRv = history.revision + 2n;
    feed.subscribe(futureRv, future);

    history.append('ADDED', 'n1'); // below futureRv
    history.advance(1n);
    const n2 = history.append('ADDED', 'n2'); // above it
    publish(...history.log.slice(-2));
    await waitRvs(fromPast, history.rvsAfter(start));
    await waitRvs(inWindow, history.rvsAfter(BigInt(firstSeen.rv)));
    await waitRvs(future, [BigInt(n2.rv)]);
    assert.ok(history.calls.some((c) => c.from === start && c.to === BigInt(firstSeen.prevRv)));

    // The future subscriber hears progress only once its RV is reached.
    history.advance(2n);
    publish(history.progress());
    await waitFor(() => future.progressed.includes(history.revision), {
      message: 'future progress',
    });
    assert.ok(future.progressed.every((rv) => rv >= futureRv));
  });

  it('ends an old subscription with 410 when history no longer has it', async () => {
    const { history, feed, publish } = await setup();
    history.append('ADDED', 'a');
    const e2 = history.append('ADDED', 'b');
    publish(e2);
    await waitFor(() => feed.rv === BigInt(e2.rv));
    history.oldest = BigInt(e2.prevRv);
    const rec = new Recorder();
    feed.subscribe(history.oldest - 1n, rec);
    await waitFor(() => rec.ended, { message: '410' });
    assert.equal(rec.endError?.code, 410);
    // Others are unaffected.
    const ok = new Recorder();
    feed.subscribe(BigInt(e2.prevRv), ok);
    assert.deepEqual(ok.rvs, [BigInt(e2.rv)]);
  });

  it('anchors a subscription on an unanchored feed from history, and rejects expired ones with 410', async () => {
    const { history, feed, publish } = await setup();
    const start = history.revision;
    history.append('ADDED', 'a');
    history.append('ADDED', 'b');
    history.oldest = start + 1n;
    const expired = new Recorder();
    const ok = new Recorder();
    feed.subscribe(start, expired);
    feed.subscribe(start + 1n, ok);
    await waitFor(() => expired.ended, { message: '410' });
    assert.equal(expired.endError?.code, 410);
    await waitRvs(ok, history.rvsAfter(start + 1n));
    const e3 = history.append('ADDED', 'c');
    publish(e3);
    await waitRvs(ok, history.rvsAfter(start + 1n));
  });

  it('waits for a lagging history replica to reach the gap', async () => {
    const { history, feed, publish } = await setup();
    const e1 = history.append('ADDED', 'a');
    publish(e1);
    await waitFor(() => feed.rv === BigInt(e1.rv));
    const rec = new Recorder();
    feed.subscribe(BigInt(e1.rv), rec);
    history.replicaAt = history.revision; // the replica asked stops here for a while
    history.append('ADDED', 'b'); // lost
    const e3 = history.append('ADDED', 'c');
    publish(e3);
    await waitFor(() => history.calls.some((c) => c.to !== undefined), {
      message: 'explicit toRv',
    });
    history.replicaAt = undefined;
    history.poke();
    await waitRvs(rec, history.rvsAfter(BigInt(e1.rv)));
  });

  it('ends a listener that throws without disturbing the others', async () => {
    const { history, feed, publish } = await setup();
    const e1 = history.append('ADDED', 'a');
    publish(e1);
    await waitFor(() => feed.rv === BigInt(e1.rv));
    const good = new Recorder();
    const bad = new Recorder();
    bad.event = () => {
      throw new Error('boom');
    };
    feed.subscribe(BigInt(e1.rv), bad);
    feed.subscribe(BigInt(e1.rv), good);
    publish(history.append('ADDED', 'b'), history.append('ADDED', 'c'));
    await waitRvs(good, history.rvsAfter(BigInt(e1.rv)));
    assert.equal(bad.ended, true);
    assert.equal(bad.endError, undefined);
    assert.equal(feed.subscriberCount, 1);
  });

  it('close() ends every subscriber cleanly, and a closed subscription hears nothing', async () => {
    const { history, feed, publish } = await setup();
    const e1 = history.append('ADDED', 'a');
    publish(e1);
    await waitFor(() => feed.rv === BigInt(e1.rv));
    const a = new Recorder();
    const b = new Recorder();
    feed.subscribe(BigInt(e1.rv), a);
    const sb = feed.subscribe(BigInt(e1.rv), b);
    sb.close();
    const e2 = history.append('ADDED', 'b');
    publish(e2);
    await waitRvs(a, [BigInt(e2.rv)]);
    assert.deepEqual(b.rvs, []);
    feed.close();
    assert.equal(a.ended, true);
    assert.equal(a.endError, undefined);
    assert.equal(b.ended, false, 'closed by its owner: no end()');
    const late = new Recorder();
    feed.subscribe(0n, late);
    assert.equal(late.ended, true);
  });

  it('stays exact with a fraction of messages dropped on receipt', async () => {
    const { history, feed, publish, flush } = await setup({ dropFraction: 0.3 });
    const start = history.revision;
    const rec = new Recorder();
    feed.subscribe(start, rec);
    await waitFor(() => feed.rv !== undefined, { message: 'anchored' });
    for (let i = 0; i < 300; i++) {
      const kind = i % 3 === 0 ? 'ADDED' : i % 3 === 1 ? 'MODIFIED' : 'DELETED';
      const ev = history.append(kind, `o${i % 17}`, 'default', BigInt(i % 2));
      publish(ev, ev); // two replicas
      if (i % 50 === 0) publish(history.progress());
      if (i % 20 === 0) await flush();
    }
    const want = history.rvsAfter(start);
    // PROGRESS keeps coming (about once a second) until the feed has seen everything.
    await waitFor(
      () => {
        publish(history.progress());
        return rec.events.length >= want.length;
      },
      { message: 'all events', timeoutMs: 20_000, intervalMs: 100 },
    );
    assert.deepEqual(rec.rvs, want);
    assert.equal(rec.ended, false);
  });

  it('survives a nats-server restart: lost messages show up as a gap and heal', async () => {
    const { history, feed, publish, flush } = await setup();
    const start = history.revision;
    const rec = new Recorder();
    feed.subscribe(start, rec);
    await waitFor(() => feed.rv !== undefined, { message: 'anchored' });
    publish(history.append('ADDED', 'a'));
    await flush();
    await waitRvs(rec, history.rvsAfter(start));
    await nats.restart();
    // Written while the feed may still be reconnecting: NATS does not keep them for it.
    for (let i = 0; i < 5; i++) publish(history.append('ADDED', `during${i}`));
    await waitFor(
      () => {
        publish(history.progress());
        return rec.events.length >= history.rvsAfter(start).length;
      },
      { message: 'healed after restart', timeoutMs: 30_000, intervalMs: 200 },
    );
    publish(history.append('ADDED', 'after'));
    await waitRvs(rec, history.rvsAfter(start));
    assert.equal(rec.ended, false);
  });
});
