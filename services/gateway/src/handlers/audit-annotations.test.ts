import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { BUILTIN_RESOURCES } from '@splitplane/scheme';
import { createLogger } from '@splitplane/kit';
import { setLogger } from '../logger.js';
import { recordAuditAnnotations } from './audit-annotations.js';
import type { ResourceRequest } from './resource-request.js';

const pods = BUILTIN_RESOURCES.find((d) => d.group === '' && d.plural === 'pods')!;
const request = {
  def: pods,
  ctx: {
    auditId: 'a1b2',
    info: { verb: 'create', namespace: 'default', name: '', subresource: '' },
  },
} as unknown as ResourceRequest;

describe('audit annotations from registry writes', () => {
  afterEach(() => setLogger(createLogger('gateway')));

  it('are logged once, at info, with the request’s audit ID', () => {
    const logged: Array<[unknown, string]> = [];
    setLogger({ info: (obj: unknown, msg: string) => logged.push([obj, msg]) } as never);
    recordAuditAnnotations(request, {});
    recordAuditAnnotations(request, undefined);
    assert.equal(logged.length, 0);
    recordAuditAnnotations(request, {
      'pod-security.kubernetes.io/enforce-policy': 'restricted:latest',
    });
    assert.deepEqual(logged, [
      [
        {
          auditID: 'a1b2',
          verb: 'create',
          resource: 'pods',
          namespace: 'default',
          annotations: { 'pod-security.kubernetes.io/enforce-policy': 'restricted:latest' },
        },
        'audit annotations',
      ],
    ]);
  });

  it('name a created object from the response, as kube’s objectRef does', () => {
    const logged: Array<[{ name?: string }, string]> = [];
    setLogger({ info: (obj: { name?: string }, msg: string) => logged.push([obj, msg]) } as never);
    const created = Buffer.from(JSON.stringify({ metadata: { name: 'web-1' } }));
    recordAuditAnnotations(request, { 'a.example.com/x': 'y' }, created);
    recordAuditAnnotations(request, { 'a.example.com/x': 'y' }, Buffer.from('not json'));
    assert.deepEqual(
      logged.map(([obj]) => obj.name),
      ['web-1', undefined],
    );
  });
});
