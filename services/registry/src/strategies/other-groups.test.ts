import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@splitplane/scheme';
import { assertErrors, meta, runCreate, runUpdate, stored } from './internal/test-support.js';

const obj = (
  apiVersion: string,
  kind: string,
  body: Record<string, unknown>,
  name = 'x',
): KubeObject => ({ apiVersion, kind, metadata: meta(name), ...body });
const RBAC = 'rbac.authorization.k8s.io/v1';

test('rbac roles: rules need verbs, groups and resources; nonResourceURLs only cluster-wide', () => {
  const rule = { apiGroups: [''], resources: ['pods'], verbs: ['get'] };
  assertErrors(runCreate('Role', obj(RBAC, 'Role', { rules: [rule] }, 'pod-reader')).errs, []);
  assertErrors(
    runCreate(
      'ClusterRole',
      obj(
        RBAC,
        'ClusterRole',
        { rules: [rule, { nonResourceURLs: ['/healthz'], verbs: ['get'] }] },
        'system:reader',
      ),
    ).errs,
    [],
  );
  assertErrors(
    runCreate(
      'Role',
      obj(
        RBAC,
        'Role',
        {
          rules: [
            { apiGroups: [''], resources: ['pods'] },
            { nonResourceURLs: ['/x'], verbs: ['get'] },
            { verbs: ['get'] },
          ],
        },
        'r',
      ),
    ).errs,
    [
      {
        field: 'rules[0].verbs',
        type: 'Required',
        detail: 'verbs must contain at least one value',
      },
      {
        field: 'rules[1].nonResourceURLs',
        type: 'Invalid',
        detail: 'namespaced rules cannot apply to non-resource URLs',
      },
      { field: 'rules[2].apiGroups', type: 'Required' },
      { field: 'rules[2].resources', type: 'Required' },
    ],
  );
  assertErrors(runCreate('Role', obj(RBAC, 'Role', {}, 'a/b')).errs, [
    { field: 'metadata.name', type: 'Invalid', detail: "may not contain '/'" },
  ]);
});

test('rbac bindings: roleRef required and immutable, subject kinds', () => {
  const binding = (roleRef: Record<string, unknown>, subjects: unknown[]) =>
    obj(RBAC, 'RoleBinding', { roleRef, subjects }, 'b');
  const good = binding({ kind: 'Role', name: 'pod-reader' }, [
    { kind: 'User', name: 'jane' },
    { kind: 'ServiceAccount', name: 'default' },
  ]);
  const { obj: b, errs } = runCreate('RoleBinding', good);
  assertErrors(errs, []);
  assert.deepEqual(b['roleRef'], {
    apiGroup: 'rbac.authorization.k8s.io',
    kind: 'Role',
    name: 'pod-reader',
  });
  assert.equal(
    (b['subjects'] as Array<Record<string, unknown>>)[0]!['apiGroup'],
    'rbac.authorization.k8s.io',
  );
  assertErrors(
    runCreate('RoleBinding', binding({ kind: 'Thing' }, [{ kind: 'Robot', name: 'r' }])).errs,
    [
      { field: 'roleRef.kind', type: 'NotSupported' },
      { field: 'roleRef.name', type: 'Required' },
      {
        field: 'subjects[0].kind',
        type: 'NotSupported',
        detail: 'supported values: "ServiceAccount", "User", "Group"',
      },
    ],
  );
  const crb = obj(
    RBAC,
    'ClusterRoleBinding',
    { roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'sa' }] },
    'c',
  );
  assertErrors(runCreate('ClusterRoleBinding', crb).errs, [
    { field: 'roleRef.kind', type: 'NotSupported', detail: 'supported values: "ClusterRole"' },
    { field: 'subjects[0].namespace', type: 'Required' },
  ]);
  const old = stored('RoleBinding', good);
  const changed = binding({ kind: 'ClusterRole', name: 'view' }, []);
  assertErrors(runUpdate('RoleBinding', changed, old).errs, [
    { field: 'roleRef', type: 'Invalid', detail: 'cannot change roleRef' },
  ]);
});

test('ingress: backends, paths, hosts', () => {
  const backend = { service: { name: 'web', port: { number: 80 } } };
  const ing = (spec: Record<string, unknown>) =>
    obj('networking.k8s.io/v1', 'Ingress', { spec }, 'web');
  const good = ing({
    rules: [{ host: 'example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }],
  });
  const { obj: i, errs } = runCreate('Ingress', good);
  assertErrors(errs, []);
  assert.deepEqual(i['status'], { loadBalancer: {} });
  assertErrors(runCreate('Ingress', ing({})).errs, [
    {
      field: 'spec.rules',
      type: 'Invalid',
      detail: 'either `defaultBackend` or `rules` must be specified',
    },
  ]);
  assertErrors(
    runCreate(
      'Ingress',
      ing({
        rules: [
          {
            host: '10.0.0.1',
            http: {
              paths: [
                { path: 'api', pathType: 'Exact', backend },
                { path: '/', backend },
                { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: {} } } },
              ],
            },
          },
        ],
      }),
    ).errs,
    [
      {
        field: 'spec.rules[0].host',
        type: 'Invalid',
        detail: 'must be a DNS name, not an IP address',
      },
      {
        field: 'spec.rules[0].http.paths[0].path',
        type: 'Invalid',
        detail: 'must be an absolute path',
      },
      {
        field: 'spec.rules[0].http.paths[1].pathType',
        type: 'Required',
        detail: 'pathType must be specified',
      },
      {
        field: 'spec.rules[0].http.paths[2].backend',
        type: 'Required',
        detail: 'port name or number is required',
      },
    ],
  );
});

test('networkpolicy: policyTypes default and peers', () => {
  const np = (spec: Record<string, unknown>) =>
    obj('networking.k8s.io/v1', 'NetworkPolicy', { spec }, 'deny');
  const { obj: n, errs } = runCreate(
    'NetworkPolicy',
    np({ podSelector: {}, egress: [{ ports: [{ port: 53 }] }] }),
  );
  assertErrors(errs, []);
  const spec = n['spec'] as Record<string, any>;
  assert.deepEqual(spec.policyTypes, ['Ingress', 'Egress']);
  assert.equal(spec.egress[0].ports[0].protocol, 'TCP');
  assertErrors(
    runCreate(
      'NetworkPolicy',
      np({
        podSelector: {},
        ingress: [
          {
            from: [
              {},
              { ipBlock: { cidr: '10.0.0.0/8', except: ['11.0.0.0/16'] }, podSelector: {} },
            ],
          },
        ],
        policyTypes: ['Sideways'],
      }),
    ).errs,
    [
      { field: 'spec.ingress[0].from[0]', type: 'Required', detail: 'must specify a peer' },
      {
        field: 'spec.ingress[0].from[1].ipBlock.except[0]',
        type: 'Invalid',
        detail: 'must be a strict subset of `cidr`',
      },
      {
        field: 'spec.ingress[0].from[1]',
        type: 'Forbidden',
        detail: 'may not specify both ipBlock and another peer',
      },
      { field: 'spec.policyTypes[0]', type: 'NotSupported' },
    ],
  );
});

test('poddisruptionbudget: minAvailable and maxUnavailable are exclusive', () => {
  const pdb = (spec: Record<string, unknown>) =>
    obj('policy/v1', 'PodDisruptionBudget', { spec }, 'web');
  assertErrors(
    runCreate(
      'PodDisruptionBudget',
      pdb({ minAvailable: 2, selector: { matchLabels: { app: 'web' } } }),
    ).errs,
    [],
  );
  assertErrors(
    runCreate('PodDisruptionBudget', pdb({ minAvailable: '50%', maxUnavailable: 1 })).errs,
    [
      {
        field: 'spec',
        type: 'Invalid',
        detail: 'minAvailable and maxUnavailable cannot be both set',
      },
    ],
  );
  assertErrors(runCreate('PodDisruptionBudget', pdb({ maxUnavailable: '120%' })).errs, [
    { field: 'spec.maxUnavailable', type: 'Invalid', detail: 'must not be greater than 100%' },
  ]);
});

test('lease and endpointslice', () => {
  assertErrors(
    runCreate(
      'Lease',
      obj('coordination.k8s.io/v1', 'Lease', {
        spec: { holderIdentity: 'a', leaseDurationSeconds: 15 },
      }),
    ).errs,
    [],
  );
  assertErrors(
    runCreate(
      'Lease',
      obj('coordination.k8s.io/v1', 'Lease', { spec: { leaseDurationSeconds: 0 } }),
    ).errs,
    [{ field: 'spec.leaseDurationSeconds', type: 'Invalid', detail: 'must be greater than 0' }],
  );
  const es = (body: Record<string, unknown>) =>
    obj('discovery.k8s.io/v1', 'EndpointSlice', body, 'web-abc');
  const { obj: s, errs } = runCreate(
    'EndpointSlice',
    es({ addressType: 'IPv4', endpoints: [{ addresses: ['10.1.1.1'] }], ports: [{ port: 80 }] }),
  );
  assertErrors(errs, []);
  assert.deepEqual(s['ports'], [{ port: 80, name: '', protocol: 'TCP' }]);
  assertErrors(
    runCreate('EndpointSlice', es({ addressType: 'IPv5', endpoints: [{ addresses: [] }] })).errs,
    [
      { field: 'addressType', type: 'NotSupported' },
      { field: 'endpoints[0].addresses', type: 'Required' },
    ],
  );
  assertErrors(
    runCreate('EndpointSlice', es({ addressType: 'IPv4', endpoints: [{ addresses: ['fe80::1'] }] }))
      .errs,
    [
      {
        field: 'endpoints[0].addresses[0]',
        type: 'Invalid',
        detail: 'must be a valid IPv4 address',
      },
    ],
  );
  const old = stored('EndpointSlice', es({ addressType: 'IPv4', endpoints: [] }));
  assertErrors(runUpdate('EndpointSlice', es({ addressType: 'IPv6', endpoints: [] }), old).errs, [
    { field: 'addressType', type: 'Invalid', detail: 'field is immutable' },
  ]);
});
