// CONNECT subresources against a real admission service: the options object is admitted
// with operation CONNECT, then the store answers as kube-apiserver does before its kubelet
// proxy step.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '@splitplane/apimachinery';
import { connect } from './connect.js';
import { create } from './create.js';
import type { Store } from './store.js';
import {
  PODS,
  type RecordingStore,
  attrs,
  brief,
  json,
  startRecordingStore,
} from './testing/admission-recorder.js';

describe('pods/exec, attach and portforward', () => {
  let rec: RecordingStore;
  let store: Store;
  const take = () => rec.take();

  before(async () => {
    rec = await startRecordingStore();
    store = rec.store;
  });
  after(async () => {
    await rec?.stop();
  });

  it('CONNECT (pods/exec, attach, portforward): admission on the options, then kube’s answer', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        containers: [
          { name: 'a', image: 'nginx' },
          { name: 'b', image: 'nginx' },
        ],
      },
    };
    await create(store, store.context(attrs(PODS, '')), json(pod));
    take();
    const rejects = (sub: string, options: unknown, code: number, message: string, name = 'p') =>
      assert.rejects(
        connect(store, store.context(attrs(PODS, name, { subresource: sub })), json(options)),
        (err: unknown) => {
          assert.ok(err instanceof StatusError, String(err));
          assert.deepEqual([err.code, err.message], [code, message]);
          return true;
        },
      );
    await rejects(
      'exec',
      { command: ['ls'], container: 'a', stdout: true },
      400,
      'pod p does not have a host assigned',
    );
    const calls = take();
    assert.deepEqual(calls.map(brief), [
      'admit CONNECT pods/exec p object=PodExecOptions old=undefined',
      'validate CONNECT pods/exec p object=PodExecOptions old=undefined',
    ]);
    assert.equal(calls[0]!.kind, '/v1/PodExecOptions');
    assert.equal(calls[0]!.options, undefined);
    await rejects('attach', { container: 'c' }, 400, 'container c is not valid for pod p');
    await rejects(
      'exec',
      { command: ['ls'] },
      400,
      'a container name must be specified for pod p, choose one of: [a b]',
    );
    await rejects('portforward', { ports: [80] }, 400, 'pod p does not have a host assigned');
    await rejects('exec', { command: ['ls'] }, 404, 'pods "missing" not found', 'missing');
    assert.deepEqual(
      take()
        .filter((c) => c.phase === 'admit')
        .map((c) => `${c.subresource} ${c.objectKind}`),
      [
        'attach PodAttachOptions',
        'exec PodExecOptions',
        'portforward PodPortForwardOptions',
        'exec PodExecOptions',
      ],
    );
  });
});
