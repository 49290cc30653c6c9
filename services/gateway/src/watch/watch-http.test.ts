// The WATCH verb over HTTPS: a gateway whose feeds are real ResourceFeeds on a real
// nats-server (the test publishes as the watch-cache would) and whose List comes from the
// fake watch-cache. JSON lines, protobuf frames, initial events, watch-list bookmarks,
// timeoutSeconds, kube's validation errors and the 410 ERROR event.
import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { decodeWatchEvent, splitFrames } from '@splitplane/k8s-protobuf';
import { waitFor } from '@splitplane/testing';
import { type Harness, startHarness } from '../testing/harness.js';
import { startFeedFixture, type FeedFixture } from './testing/feed-fixture.js';

let fx: FeedFixture;
let h: Harness;
before(async () => {
  fx = await startFeedFixture();
  h = await startHarness({ feedFactory: fx.factory });
  // The fixture's revisions stay ahead of the fake watch-cache's list RVs.
  fx.history('', 'configmaps').revision = 10_000n;
});
after(async () => {
  await h.stop();
  await fx.stop();
});

const CM = '/api/v1/namespaces/default/configmaps';
const json = { 'content-type': 'application/json' };
const cm = (name: string) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' } });

interface Stream {
  chunks: Buffer[];
  lines(): Array<{ type: string; object: Record<string, any> }>;
  done: Promise<{ status: number; type: string | undefined }>;
}

function stream(path: string, headers: Record<string, string> = {}): Stream {
  const chunks: Buffer[] = [];
  const done = new Promise<{ status: number; type: string | undefined }>((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port: h.gateway.port,
        path,
        headers,
        ca: h.admin.ca,
        cert: h.admin.cert,
        key: h.admin.key,
        agent: false,
      },
      (res) => {
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
  return {
    chunks,
    lines: () =>
      Buffer.concat(chunks)
        .toString()
        .split('\n')
        .filter((l) => l)
        .map((l) => JSON.parse(l) as { type: string; object: Record<string, any> }),
    done,
  };
}

describe('WATCH over HTTPS', () => {
  it('RV unset: ADDED for the listed state, then live events; ends at timeoutSeconds', async () => {
    assert.equal((await h.call('POST', CM, { body: cm('listed'), headers: json })).status, 201);
    const s = stream(`${CM}?watch=1&timeoutSeconds=2`);
    await waitFor(() => s.lines().length >= 1, { message: 'initial event' });
    const live = fx.history('', 'configmaps').put({ name: 'live', namespace: 'default' });
    const { status, type } = await s.done;
    assert.equal(status, 200);
    assert.equal(type, 'application/json');
    const got = s.lines().map((e) => [e.type, e.object.metadata.name]);
    assert.deepEqual(got, [
      ['ADDED', 'listed'],
      ['ADDED', 'live'],
    ]);
    assert.equal(s.lines()[1]!.object.metadata.resourceVersion, live.rv);
  });

  it('watch-list: initial events, then the initial-events-end bookmark at the list RV', async () => {
    const s = stream(
      `${CM}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=1`,
    );
    await s.done;
    const lines = s.lines();
    // The listed state, the bookmark, then what happened after the list (here: 'live').
    const at = lines.findIndex((l) => l.type === 'BOOKMARK');
    assert.ok(at >= 1);
    assert.ok(lines.slice(0, at).every((l) => l.type === 'ADDED'));
    assert.deepEqual(
      lines.slice(at + 1).map((l) => [l.type, l.object.metadata.name]),
      [['ADDED', 'live']],
    );
    const bookmark = lines[at]!;
    assert.deepEqual(bookmark.object, {
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: {
        resourceVersion: bookmark.object.metadata.resourceVersion,
        annotations: { 'k8s.io/initial-events-end': 'true' },
      },
    });
    assert.match(bookmark.object.metadata.resourceVersion, /^\d+$/);
  });

  it("answers invalid watch options with kube's 422", async () => {
    const res = await h.call('GET', `${CM}?watch=1&sendInitialEvents=true`);
    assert.equal(res.status, 422);
    const status = res.json<{ reason: string; message: string; details: { kind: string } }>();
    assert.equal(status.reason, 'Invalid');
    assert.equal(status.details.kind, 'ListOptions');
    assert.equal(
      status.message,
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
    );
    const rvm = await h.call('GET', `${CM}?watch=1&resourceVersionMatch=NotOlderThan`);
    assert.equal(rvm.status, 422);
  });

  it('a resourceVersion older than any history is a 200 stream with one ERROR 410', async () => {
    const res = await h.call('GET', `${CM}?watch=true&resourceVersion=5`);
    assert.equal(res.status, 200);
    const event = JSON.parse(res.text.trim()) as { type: string; object: Record<string, unknown> };
    assert.equal(event.type, 'ERROR');
    assert.deepEqual(event.object, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'too old resource version: 5 (100)',
      reason: 'Expired',
      code: 410,
    });
  });

  it('streams protobuf frames', async () => {
    const history = fx.history('', 'configmaps');
    const s = stream(`${CM}?watch=1&resourceVersion=${history.revision}&timeoutSeconds=2`, {
      accept: 'application/vnd.kubernetes.protobuf;stream=watch, application/json',
    });
    // Starting at an explicit RV, the event reaches the watch whenever it attaches.
    history.put({ name: 'pbwatch', namespace: 'default' });
    const { type } = await s.done;
    assert.equal(type, 'application/vnd.kubernetes.protobuf;stream=watch');
    const { messages } = splitFrames(Buffer.concat(s.chunks));
    assert.equal(messages.length, 1);
    assert.equal(decodeWatchEvent(messages[0]!).type, 'ADDED');
  });
});
