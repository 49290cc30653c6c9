// The watch API of the whole plane over raw HTTPS, against kube-apiserver's semantics:
// resourceVersion unset / "0" / X / too old / future, sendInitialEvents (watch-list) and its
// validation, bookmarks, timeoutSeconds, label-selector transitions, single-object watches,
// protobuf frames.
import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '@splitplane/testing';
import { startPlane, type Plane } from './plane.js';

interface Event {
  type: string;
  object: {
    kind?: string;
    apiVersion?: string;
    code?: number;
    reason?: string;
    message?: string;
    metadata: {
      name?: string;
      resourceVersion: string;
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
    };
    data?: Record<string, string>;
  };
}

interface OpenWatch {
  events: Event[];
  raw: Buffer[];
  status: Promise<number>;
  /** Settles when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

let plane: Plane;
const WINDOW_EVENTS = 20;

before(async () => {
  plane = await startPlane({
    gatewayArgs: ['--watch-bookmark-interval=1'],
    // A small event window, so the 410 test can push an RV out of it.
    watchCacheArgs: [`--event-window-max-events=${WINDOW_EVENTS}`],
  });
});
after(async () => {
  await plane?.stop();
});

function openWatch(path: string, headers: Record<string, string> = {}): OpenWatch {
  const events: Event[] = [];
  const raw: Buffer[] = [];
  let setStatus!: (s: number) => void;
  const status = new Promise<number>((r) => (setStatus = r));
  let req!: ReturnType<typeof httpsRequest>;
  const ended = new Promise<void>((resolve, reject) => {
    req = httpsRequest(
      `${plane.server}${path}`,
      { ca: plane.tls.ca, cert: plane.tls.cert, key: plane.tls.key, headers, agent: false },
      (res) => {
        setStatus(res.statusCode ?? 0);
        let buf = '';
        res.on('data', (c: Buffer) => {
          raw.push(c);
          if (headers.accept?.includes('protobuf')) return;
          buf += c.toString();
          let i;
          while ((i = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, i);
            buf = buf.slice(i + 1);
            if (line.trim()) events.push(JSON.parse(line) as Event);
          }
        });
        res.on('end', () => resolve());
        res.on('error', () => resolve());
      },
    );
    req.on('error', (err) => (req.destroyed ? resolve() : reject(err)));
    req.end();
  });
  return { events, raw, status, ended, close: () => req.destroy() };
}

/**
 * The event types of a `stream=watch` protobuf body: 4-byte big-endian frame lengths, each
 * frame a meta.v1.WatchEvent whose field 1 is the type string.
 */
function frameTypes(body: Buffer): string[] {
  const types: string[] = [];
  for (let at = 0; at + 4 <= body.length;) {
    const size = body.readUInt32BE(at);
    const frame = body.subarray(at + 4, at + 4 + size);
    assert.equal(frame[0], 0x0a);
    types.push(frame.subarray(2, 2 + frame[1]!).toString());
    at += 4 + size;
  }
  return types;
}

const json = { 'content-type': 'application/json' };
const merge = { 'content-type': 'application/merge-patch+json' };

async function namespace(name: string): Promise<string> {
  const res = await plane.request('POST', '/api/v1/namespaces', {
    body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }),
    headers: json,
  });
  assert.equal(res.status, 201, res.body);
  return name;
}

const cmPath = (ns: string) => `/api/v1/namespaces/${ns}/configmaps`;

async function createCm(ns: string, name: string, labels?: Record<string, string>) {
  const res = await plane.request('POST', cmPath(ns), {
    body: JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, ...(labels ? { labels } : {}) },
      data: { v: '1' },
    }),
    headers: json,
  });
  assert.equal(res.status, 201, res.body);
  return res.json<Event['object']>();
}

async function patchCm(ns: string, name: string, patch: unknown) {
  const res = await plane.request('PATCH', `${cmPath(ns)}/${name}`, {
    body: JSON.stringify(patch),
    headers: merge,
  });
  assert.equal(res.status, 200, res.body);
  return res.json<Event['object']>();
}

async function deleteCm(ns: string, name: string) {
  const res = await plane.request('DELETE', `${cmPath(ns)}/${name}`);
  assert.equal(res.status, 200, res.body);
}

async function listRv(ns: string): Promise<string> {
  const res = await plane.request('GET', cmPath(ns));
  assert.equal(res.status, 200, res.body);
  return res.json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion;
}

const objects = (events: Event[]) =>
  events.filter((e) => e.type !== 'BOOKMARK').map((e) => [e.type, e.object.metadata.name]);

const until = (message: string, cond: () => boolean) =>
  waitFor(cond, { message, timeoutMs: 30_000 });

describe('watch API', () => {
  it('RV unset: ADDED for the current state, then every change; timeoutSeconds ends it', async () => {
    const ns = await namespace('w-unset');
    await createCm(ns, 'a');
    await createCm(ns, 'b');
    const w = openWatch(`${cmPath(ns)}?watch=1&timeoutSeconds=5`);
    assert.equal(await w.status, 200);
    await until('initial events', () => w.events.length >= 2);
    const c = await createCm(ns, 'c');
    const a = await patchCm(ns, 'a', { data: { v: '2' } });
    await deleteCm(ns, 'b');
    await until('three changes', () => w.events.length >= 5);
    assert.deepEqual(objects(w.events.slice(0, 2)).sort(), [
      ['ADDED', 'a'],
      ['ADDED', 'b'],
    ]);
    assert.deepEqual(objects(w.events.slice(2)), [
      ['ADDED', 'c'],
      ['MODIFIED', 'a'],
      ['DELETED', 'b'],
    ]);
    assert.equal(w.events[2]!.object.metadata.resourceVersion, c.metadata.resourceVersion);
    assert.equal(w.events[3]!.object.metadata.resourceVersion, a.metadata.resourceVersion);
    await w.ended; // timeoutSeconds: a clean end of the stream
  });

  it('RV "0": ADDED for a recent state, then changes', async () => {
    const ns = await namespace('w-zero');
    await createCm(ns, 'a');
    const w = openWatch(`${cmPath(ns)}?watch=1&resourceVersion=0&timeoutSeconds=30`);
    await until('initial event', () => w.events.length >= 1);
    await createCm(ns, 'b');
    await until('change', () => w.events.length >= 2);
    assert.deepEqual(objects(w.events), [
      ['ADDED', 'a'],
      ['ADDED', 'b'],
    ]);
    w.close();
  });

  it('RV X: exactly the events after X (a LIST RV resumes)', async () => {
    const ns = await namespace('w-exact');
    await createCm(ns, 'before');
    const rv = await listRv(ns);
    const after1 = await createCm(ns, 'after1');
    const w = openWatch(`${cmPath(ns)}?watch=1&resourceVersion=${rv}&timeoutSeconds=30`);
    await until('first', () => w.events.length >= 1);
    await deleteCm(ns, 'before');
    await until('second', () => w.events.length >= 2);
    assert.deepEqual(objects(w.events), [
      ['ADDED', 'after1'],
      ['DELETED', 'before'],
    ]);
    assert.equal(w.events[0]!.object.metadata.resourceVersion, after1.metadata.resourceVersion);
    w.close();
  });

  it('an RV older than the history is a 200 stream with one ERROR 410 Expired', async () => {
    // Secrets: no watch has anchored this gateway's feed for them, so its history comes
    // from the watch-cache, whose window holds only the last WINDOW_EVENTS events.
    const ns = await namespace('w-gone');
    const secrets = `/api/v1/namespaces/${ns}/secrets`;
    let first = '';
    // Two more than the window holds: the window then resumes only from the second.
    for (let i = 0; i < WINDOW_EVENTS + 2; i++) {
      const res = await plane.request('POST', secrets, {
        body: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: `s${i}` } }),
        headers: { 'Content-Type': 'application/json' },
      });
      assert.equal(res.status, 201, res.body);
      first ||= res.json<Event['object']>().metadata.resourceVersion;
    }
    const res = await plane.request(
      'GET',
      `${secrets}?watch=1&resourceVersion=${first}&timeoutSeconds=5`,
    );
    assert.equal(res.status, 200);
    const lines = res.body.trim().split('\n');
    assert.equal(lines.length, 1, res.body);
    const event = JSON.parse(lines[0]!) as Event;
    assert.equal(event.type, 'ERROR');
    assert.equal(event.object.code, 410);
    assert.equal(event.object.reason, 'Expired');
    assert.match(
      event.object.message ?? '',
      new RegExp(`^too old resource version: ${first} \\(\\d+\\)$`),
    );
  });

  it('a future RV waits: only events after it arrive', async () => {
    const ns = await namespace('w-future');
    const future = BigInt(await listRv(ns)) + 4n;
    const w = openWatch(`${cmPath(ns)}?watch=1&resourceVersion=${future}&timeoutSeconds=30`);
    assert.equal(await w.status, 200);
    const written = [];
    for (let i = 0; i < 6; i++) written.push(await createCm(ns, `f${i}`));
    const want = written
      .filter((o) => BigInt(o.metadata.resourceVersion) > future)
      .map((o) => ['ADDED', o.metadata.name]);
    assert.ok(want.length > 0);
    await until('events after the future RV', () => w.events.length >= want.length);
    assert.deepEqual(objects(w.events), want);
    w.close();
  });

  it('watch-list: initial state, the initial-events-end bookmark, then changes', async () => {
    const ns = await namespace('w-list');
    await createCm(ns, 'a');
    await createCm(ns, 'b');
    const w = openWatch(
      `${cmPath(ns)}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=30`,
    );
    await until('end bookmark', () =>
      w.events.some((e) => e.object.metadata.annotations?.['k8s.io/initial-events-end']),
    );
    const at = w.events.findIndex((e) => e.type === 'BOOKMARK');
    assert.deepEqual(objects(w.events.slice(0, at)).sort(), [
      ['ADDED', 'a'],
      ['ADDED', 'b'],
    ]);
    const bookmark = w.events[at]!;
    assert.deepEqual(bookmark.object, {
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: {
        resourceVersion: bookmark.object.metadata.resourceVersion,
        annotations: { 'k8s.io/initial-events-end': 'true' },
      },
    });
    const c = await createCm(ns, 'c');
    await until('change', () => objects(w.events).length >= 3);
    assert.deepEqual(objects(w.events).at(-1), ['ADDED', 'c']);
    assert.ok(
      BigInt(c.metadata.resourceVersion) > BigInt(bookmark.object.metadata.resourceVersion),
    );
    w.close();
  });

  it('sendInitialEvents=false: no initial events, only changes', async () => {
    const ns = await namespace('w-noinit');
    await createCm(ns, 'old');
    const w = openWatch(
      `${cmPath(ns)}?watch=1&sendInitialEvents=false&resourceVersionMatch=NotOlderThan&timeoutSeconds=30`,
    );
    assert.equal(await w.status, 200);
    // Its start is the RV when it began, unknown to us: write probes until one shows up.
    for (let i = 0; w.events.length === 0; i++) {
      await createCm(ns, `probe${i}`);
      await waitFor(() => w.events.length > 0, { timeoutMs: 2_000 }).catch(() => undefined);
    }
    assert.ok(w.events.every((e) => e.type === 'ADDED' && e.object.metadata.name !== 'old'));
    w.close();
  });

  it("rejects invalid watch options with kube's 422", async () => {
    const a = await plane.request('GET', `${cmPath('default')}?watch=1&sendInitialEvents=true`);
    assert.equal(a.status, 422);
    assert.equal(
      a.json<{ message: string }>().message,
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
    );
    const b = await plane.request(
      'GET',
      `${cmPath('default')}?watch=1&resourceVersionMatch=NotOlderThan`,
    );
    assert.equal(b.status, 422);
    assert.equal(
      b.json<{ message: string }>().message,
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
    );
  });

  it('sends periodic bookmarks carrying only the resourceVersion', async () => {
    const ns = await namespace('w-bookmarks');
    const rv = await listRv(ns);
    const w = openWatch(
      `${cmPath(ns)}?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true&timeoutSeconds=30`,
    );
    await createCm(ns, 'x');
    await until('two bookmarks', () => w.events.filter((e) => e.type === 'BOOKMARK').length >= 2);
    const bookmarks = w.events.filter((e) => e.type === 'BOOKMARK');
    for (const b of bookmarks) {
      assert.deepEqual(Object.keys(b.object).sort(), ['apiVersion', 'kind', 'metadata']);
      assert.deepEqual(Object.keys(b.object.metadata), ['resourceVersion']);
    }
    const rvs = w.events.map((e) => BigInt(e.object.metadata.resourceVersion));
    assert.deepEqual(
      rvs,
      [...rvs].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)),
    );
    w.close();
  });

  it('label selectors: entering is ADDED, leaving is DELETED with the previous state', async () => {
    const ns = await namespace('w-labels');
    const rv = await listRv(ns);
    const w = openWatch(
      `${cmPath(ns)}?watch=1&resourceVersion=${rv}&labelSelector=app%3Dweb&timeoutSeconds=30`,
    );
    await createCm(ns, 'a', { app: 'web' });
    await createCm(ns, 'other', { app: 'db' });
    const left = await patchCm(ns, 'a', { metadata: { labels: { app: 'db' } } });
    await patchCm(ns, 'a', { data: { v: '9' } });
    await patchCm(ns, 'a', { metadata: { labels: { app: 'web' } } });
    await deleteCm(ns, 'a');
    await until('four events', () => w.events.length >= 4);
    assert.deepEqual(objects(w.events), [
      ['ADDED', 'a'],
      ['DELETED', 'a'],
      ['ADDED', 'a'],
      ['DELETED', 'a'],
    ]);
    assert.deepEqual(w.events[1]!.object.metadata.labels, { app: 'web' });
    assert.equal(w.events[1]!.object.metadata.resourceVersion, left.metadata.resourceVersion);
    w.close();
  });

  it('watches a single object by fieldSelector=metadata.name', async () => {
    const ns = await namespace('w-name');
    const rv = await listRv(ns);
    const w = openWatch(
      `${cmPath(ns)}?watch=1&resourceVersion=${rv}&fieldSelector=metadata.name%3Dme&timeoutSeconds=30`,
    );
    await createCm(ns, 'not-me');
    await createCm(ns, 'me');
    await patchCm(ns, 'not-me', { data: { v: '2' } });
    await patchCm(ns, 'me', { data: { v: '2' } });
    await until('two events', () => w.events.length >= 2);
    assert.deepEqual(objects(w.events), [
      ['ADDED', 'me'],
      ['MODIFIED', 'me'],
    ]);
    w.close();
  });

  it('streams protobuf watch frames', async () => {
    const ns = await namespace('w-proto');
    const rv = await listRv(ns);
    const w = openWatch(`${cmPath(ns)}?watch=1&resourceVersion=${rv}&timeoutSeconds=3`, {
      accept: 'application/vnd.kubernetes.protobuf;stream=watch',
    });
    await createCm(ns, 'pb');
    await w.ended;
    assert.deepEqual(frameTypes(Buffer.concat(w.raw)), ['ADDED']);
  });
});
