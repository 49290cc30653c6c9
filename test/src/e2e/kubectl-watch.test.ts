// `kubectl get -w` against the plane: creates, updates and deletes show up live, in order,
// with the resourceVersions the writes returned; through either gateway replica.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '@splitplane/testing';
import { ok, startPlane, type Plane } from './plane.js';

interface WatchEvent {
  type: string;
  object: { metadata: { name: string; resourceVersion: string; labels?: Record<string, string> } };
}

/** A running `kubectl get -w`, its output parsed as it arrives. */
interface KubectlWatch {
  events: WatchEvent[];
  stderr(): string;
  exited(): boolean;
  stop(): Promise<void>;
}

/**
 * `-o json` prints one pretty-printed JSON document per event, back to back; split them by
 * brace depth (outside strings) so each is parsed the moment it is complete.
 */
function jsonStream(onDocument: (doc: string) => void): (chunk: string) => void {
  let buffer = '';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = -1;
  return (chunk) => {
    const offset = buffer.length;
    buffer += chunk;
    for (let i = offset; i < buffer.length; i++) {
      const c = buffer[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
      } else if (c === '"') {
        inString = true;
      } else if (c === '{') {
        if (depth++ === 0) start = i;
      } else if (c === '}' && --depth === 0) {
        onDocument(buffer.slice(start, i + 1));
        buffer = buffer.slice(i + 1);
        i = -1;
      }
    }
  };
}

function watchPods(plane: Plane, namespace: string, gateway: number): KubectlWatch {
  const args = ['--kubeconfig', plane.kubeconfig, `--server=${plane.gateways[gateway]}`];
  args.push('get', 'pods', '-n', namespace, '-w', '-o', 'json', '--output-watch-events');
  const child: ChildProcess = spawn('/usr/bin/kubectl', args, {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: WatchEvent[] = [];
  let stderr = '';
  const feed = jsonStream((doc) => events.push(JSON.parse(doc) as WatchEvent));
  child.stdout!.setEncoding('utf8').on('data', feed);
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return {
    events,
    stderr: () => stderr,
    exited: () => child.exitCode !== null || child.signalCode !== null,
    async stop() {
      if (child.pid !== undefined && !(child.exitCode !== null || child.signalCode !== null)) {
        process.kill(child.pid, 'SIGKILL');
      }
      await closed;
    },
  };
}

const podManifest = (namespace: string, name: string) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
  });

describe('kubectl get -w', { timeout: 300_000 }, () => {
  let plane: Plane;
  const k = (...args: string[]) => ok(plane.kubectl(args));

  before(async () => {
    plane = await startPlane({ watchCacheReplicas: 2, gatewayReplicas: 2 });
  });
  after(async () => {
    await plane?.stop();
  });

  for (const { title, writeVia, watchVia } of [
    { title: 'on the gateway that takes the writes', writeVia: 0, watchVia: 0 },
    { title: 'on another gateway than the one taking the writes', writeVia: 0, watchVia: 1 },
  ]) {
    it(`shows a create, an update and a delete live, in order, ${title}`, async () => {
      const ns = `watch-${watchVia}`;
      await k('create', 'namespace', ns);
      // A pod that exists before the watch starts: once kubectl prints it, its list is done
      // and everything after is the watch proper.
      await ok(plane.kubectl(['create', '-f', '-'], podManifest(ns, 'before')));
      const watch = watchPods(plane, ns, watchVia);
      try {
        const seen = (type: string, name: string, rv?: string) =>
          waitFor(
            () => {
              if (watch.exited()) throw new Error(`kubectl exited: ${watch.stderr()}`);
              return watch.events.find(
                (e) =>
                  e.type === type &&
                  e.object.metadata.name === name &&
                  (rv === undefined || e.object.metadata.resourceVersion === rv),
              );
            },
            { timeoutMs: 30_000, message: `${type} ${name} ${rv ?? ''} from kubectl get -w` },
          ).catch((err: unknown) => {
            // Say what kubectl did print, as of the timeout.
            const printed = watch.events.map((e) => [
              e.type,
              e.object.metadata.name,
              e.object.metadata.resourceVersion,
            ]);
            throw new Error(
              `${(err as Error).message}; it printed ${JSON.stringify(printed)}, stderr ${JSON.stringify(watch.stderr())}`,
              { cause: err },
            );
          });
        await seen('ADDED', 'before');

        const write = (args: string[], input?: string) =>
          ok(plane.kubectl([...args, '-o', 'json'], input, { gateway: writeVia })).then(
            (out) => (JSON.parse(out) as WatchEvent['object']).metadata.resourceVersion,
          );
        const createdRv = await write(['create', '-f', '-'], podManifest(ns, 'live'));
        await seen('ADDED', 'live', createdRv);
        // `kubectl patch -o json` prints the server's answer (`label -o json` prints its local copy).
        const labeledRv = await write([
          'patch',
          'pod',
          'live',
          '-n',
          ns,
          '--type=merge',
          '-p',
          '{"metadata":{"labels":{"stage":"updated"}}}',
        ]);
        const modified = await seen('MODIFIED', 'live', labeledRv);
        assert.equal(modified.object.metadata.labels?.stage, 'updated');
        await ok(
          plane.kubectl(['delete', 'pod', 'live', '-n', ns, '--wait=false'], undefined, {
            gateway: writeVia,
          }),
        );
        const deleted = await seen('DELETED', 'live');
        // kubectl's own `get -o json` List has no resourceVersion; ask the API directly.
        const list = await plane.request('GET', `/api/v1/namespaces/${ns}/pods`);
        assert.equal(list.status, 200, list.body);
        const listRv = list.json<{ metadata: { resourceVersion: string } }>().metadata
          .resourceVersion;

        const live = watch.events.filter((e) => e.object.metadata.name === 'live');
        assert.deepEqual(
          live.map((e) => [e.type, e.object.metadata.resourceVersion]),
          [
            ['ADDED', createdRv],
            ['MODIFIED', labeledRv],
            ['DELETED', deleted.object.metadata.resourceVersion],
          ],
        );
        const deletedRv = BigInt(deleted.object.metadata.resourceVersion);
        assert.ok(deletedRv > BigInt(labeledRv), 'the delete has its own, later revision');
        assert.ok(
          deletedRv <= BigInt(listRv),
          `a later LIST (${listRv}) is at or after the delete`,
        );
        const rvs = watch.events.map((e) => BigInt(e.object.metadata.resourceVersion));
        assert.deepEqual(
          rvs,
          [...rvs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
          'events arrive in resourceVersion order',
        );
        assert.equal(watch.exited(), false, 'the watch is still open');
      } finally {
        await watch.stop();
      }
    });
  }
});
