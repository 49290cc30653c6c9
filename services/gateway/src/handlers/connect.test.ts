import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUILTIN_RESOURCES } from '@splitplane/scheme';
import { connectOptions, isConnectSubresource } from './connect.js';

const pods = BUILTIN_RESOURCES.find((d) => d.group === '' && d.plural === 'pods')!;
const services = BUILTIN_RESOURCES.find((d) => d.group === '' && d.plural === 'services')!;

describe('connect subresources', () => {
  it('pods/exec, attach and portforward are connect subresources; others are not', () => {
    for (const sub of ['exec', 'attach', 'portforward']) assert.ok(isConnectSubresource(pods, sub));
    assert.equal(isConnectSubresource(pods, 'status'), false);
    assert.equal(isConnectSubresource(services, 'exec'), false);
  });

  it('decodes the query as kube’s PodExecOptions/PodAttachOptions/PodPortForwardOptions', () => {
    const q = (s: string) => new URLSearchParams(s);
    assert.deepEqual(
      connectOptions(
        'exec',
        q('command=sh&command=-c&command=ls&container=app&stdin=true&stdout=1&tty=false'),
      ),
      { stdin: true, stdout: true, container: 'app', command: ['sh', '-c', 'ls'] },
    );
    assert.deepEqual(connectOptions('exec', q('')), { command: [] });
    assert.deepEqual(connectOptions('attach', q('stderr=true&command=x')), { stderr: true });
    assert.deepEqual(connectOptions('portforward', q('ports=80,443&ports=8080')), {
      ports: [80, 443, 8080],
    });
    assert.throws(() => connectOptions('exec', q('stdin=yes')), /invalid syntax/);
  });
});
