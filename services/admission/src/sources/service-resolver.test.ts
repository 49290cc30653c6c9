import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IndexedStore } from '@splitplane/informer';
import type { KubeObject } from '@splitplane/scheme';
import { InformerServiceResolver } from './service-resolver.js';

function stores(objects: {
  services?: KubeObject[];
  endpoints?: KubeObject[];
  slices?: KubeObject[];
}) {
  const fill = (list: KubeObject[] = []) => {
    const s = new IndexedStore();
    for (const o of list) s.set(o);
    return s;
  };
  return new InformerServiceResolver({
    services: fill(objects.services),
    endpoints: fill(objects.endpoints),
    endpointSlices: fill(objects.slices),
  });
}

const meta = (name: string, labels?: Record<string, string>) => ({
  name,
  namespace: 'ns',
  ...(labels ? { labels } : {}),
});
const service = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: meta('hook'),
  spec,
});

describe('InformerServiceResolver', () => {
  it('dials an ExternalName service at its externalName on the asked port', () => {
    const r = stores({ services: [service({ type: 'ExternalName', externalName: 'localhost' })] });
    assert.deepEqual(r.resolve('ns', 'hook', 8443), { host: 'localhost', port: 8443 });
  });

  it('dials a ready EndpointSlice endpoint on the port named like the service port', () => {
    const r = stores({
      services: [service({ ports: [{ name: 'https', port: 443, targetPort: 9443 }] })],
      slices: [
        {
          apiVersion: 'discovery.k8s.io/v1',
          kind: 'EndpointSlice',
          metadata: meta('hook-abc', { 'kubernetes.io/service-name': 'hook' }),
          addressType: 'IPv4',
          endpoints: [
            { addresses: ['10.0.0.1'], conditions: { ready: false } },
            { addresses: ['127.0.0.1'], conditions: { ready: true } },
          ],
          ports: [
            { name: 'metrics', port: 9090 },
            { name: 'https', port: 9443 },
          ],
        },
      ],
    });
    assert.deepEqual(r.resolve('ns', 'hook', 443), { host: '127.0.0.1', port: 9443 });
  });

  it('falls back to Endpoints when the service has no slices', () => {
    const r = stores({
      services: [service({ ports: [{ port: 443 }] })],
      endpoints: [
        {
          apiVersion: 'v1',
          kind: 'Endpoints',
          metadata: meta('hook'),
          subsets: [{ addresses: [{ ip: '127.0.0.2' }], ports: [{ port: 8443 }] }],
        },
      ],
    });
    assert.deepEqual(r.resolve('ns', 'hook', 443), { host: '127.0.0.2', port: 8443 });
  });

  it("fails with kube's messages", () => {
    const none = stores({});
    assert.throws(() => none.resolve('ns', 'hook', 443), { message: 'service "hook" not found' });
    const r = stores({ services: [service({ ports: [{ port: 443 }] })] });
    assert.throws(() => r.resolve('ns', 'hook', 444), {
      message: 'no service port 444 found for service "hook"',
    });
    assert.throws(() => r.resolve('ns', 'hook', 443), {
      message: 'no endpoints available for service "hook"',
    });
  });
});
