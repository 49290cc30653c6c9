import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@splitplane/scheme';
import { strategyFor } from '../registry.js';
import {
  assertErrors,
  defOf,
  meta,
  podSpec,
  runCreate,
  runUpdate,
  stored,
} from '../internal/test-support.js';

const pod = (spec: Record<string, unknown>, name = 'web'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: meta(name),
  spec,
});

test('pod defaults match what kube-apiserver returns', () => {
  const { obj, errs } = runCreate(
    'Pod',
    pod({ containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }] }] }),
  );
  assert.deepEqual(errs, []);
  assert.deepEqual(obj['spec'], {
    containers: [
      {
        name: 'nginx',
        image: 'nginx',
        imagePullPolicy: 'Always',
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        resources: {},
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      },
    ],
    dnsPolicy: 'ClusterFirst',
    enableServiceLinks: true,
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
  });
  assert.deepEqual(obj['status'], { phase: 'Pending', qosClass: 'BestEffort' });
  assert.equal(obj.metadata?.generation, undefined);
});

test('pod container, probe and volume defaults', () => {
  const { obj, errs } = runCreate(
    'Pod',
    pod({
      containers: [
        {
          name: 'app',
          image: 'registry.example.com:5000/app:v1',
          resources: { limits: { cpu: '0.5', memory: '128Mi' } },
          livenessProbe: { httpGet: { port: 8080 } },
          env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
        },
        { name: 'side', image: 'busybox@sha256:' + 'a'.repeat(64) },
      ],
      volumes: [{ name: 'scratch' }, { name: 'cfg', configMap: { name: 'cfg' } }],
    }),
  );
  assert.deepEqual(errs.map(String), []);
  const spec = obj['spec'] as Record<string, any>;
  const app = spec['containers'][0];
  assert.equal(app.imagePullPolicy, 'IfNotPresent');
  assert.equal(spec['containers'][1].imagePullPolicy, 'IfNotPresent');
  assert.deepEqual(app.livenessProbe, {
    httpGet: { port: 8080, path: '/', scheme: 'HTTP' },
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  });
  // Requests default to limits, and quantities are stored canonically.
  assert.deepEqual(app.resources, {
    limits: { cpu: '500m', memory: '128Mi' },
    requests: { cpu: '500m', memory: '128Mi' },
  });
  assert.equal(app.env[0].valueFrom.fieldRef.apiVersion, 'v1');
  assert.deepEqual(spec['volumes'], [
    { name: 'scratch', emptyDir: {} },
    { name: 'cfg', configMap: { name: 'cfg', defaultMode: 420 } },
  ]);
  assert.equal((obj['status'] as Record<string, unknown>)['qosClass'], 'Burstable');
});

test('pod QoS is Guaranteed when every container has equal cpu and memory requests and limits', () => {
  const res = { limits: { cpu: '1', memory: '1Gi' } };
  const { obj } = runCreate(
    'Pod',
    pod({ containers: [{ name: 'a', image: 'x', resources: res }] }),
  );
  assert.equal((obj['status'] as Record<string, unknown>)['qosClass'], 'Guaranteed');
});

test('valid pods pass', () => {
  const { errs } = runCreate(
    'Pod',
    pod({
      initContainers: [{ name: 'init', image: 'busybox', command: ['true'] }],
      containers: [
        {
          name: 'app',
          image: 'nginx:1.27',
          ports: [
            { name: 'http', containerPort: 80 },
            { name: 'metrics', containerPort: 9090, protocol: 'UDP' },
          ],
          env: [
            { name: 'A', value: '1' },
            { name: 'B', valueFrom: { configMapKeyRef: { name: 'cm', key: 'b' } } },
          ],
          envFrom: [{ secretRef: { name: 's' } }],
          resources: {
            requests: { cpu: '100m', memory: '64Mi' },
            limits: { cpu: '1', memory: '128Mi' },
          },
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
          readinessProbe: { tcpSocket: { port: 'http' } },
        },
      ],
      volumes: [{ name: 'data', emptyDir: { sizeLimit: '1Gi' } }],
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'x', effect: 'NoSchedule' }],
    }),
  );
  assertErrors(errs, []);
});

test('invalid pods yield kube field paths and types', () => {
  const table: Array<[string, KubeObject, Parameters<typeof assertErrors>[1]]> = [
    [
      'bad name',
      pod(podSpec(), 'Web'),
      [{ field: 'metadata.name', type: 'Invalid', detail: /lowercase RFC 1123 subdomain/ }],
    ],
    ['no containers', pod({ containers: [] }), [{ field: 'spec.containers', type: 'Required' }]],
    [
      'duplicate container names across init and app containers',
      pod({
        initContainers: [{ name: 'a', image: 'x' }],
        containers: [
          { name: 'b', image: 'x' },
          { name: 'a', image: 'x' },
        ],
      }),
      [{ field: 'spec.containers[1].name', type: 'Duplicate' }],
    ],
    [
      'container name not a label',
      pod({ containers: [{ name: 'My_App', image: 'x' }] }),
      [{ field: 'spec.containers[0].name', type: 'Invalid' }],
    ],
    [
      'no image',
      pod({ containers: [{ name: 'a' }] }),
      [{ field: 'spec.containers[0].image', type: 'Required' }],
    ],
    [
      'port out of range, duplicate name, bad protocol',
      pod({
        containers: [
          {
            name: 'a',
            image: 'x',
            ports: [
              { name: 'http', containerPort: 70000 },
              { name: 'http', containerPort: 81, protocol: 'HTTP' },
            ],
          },
        ],
      }),
      [
        {
          field: 'spec.containers[0].ports[0].containerPort',
          type: 'Invalid',
          detail: 'must be between 1 and 65535, inclusive',
        },
        { field: 'spec.containers[0].ports[1].name', type: 'Duplicate' },
        {
          field: 'spec.containers[0].ports[1].protocol',
          type: 'NotSupported',
          detail: 'supported values: "SCTP", "TCP", "UDP"',
        },
      ],
    ],
    [
      'bad port name',
      pod({
        containers: [{ name: 'a', image: 'x', ports: [{ name: 'HTTP_PORT', containerPort: 80 }] }],
      }),
      [{ field: 'spec.containers[0].ports[0].name', type: 'Invalid' }],
    ],
    [
      'env name',
      pod({ containers: [{ name: 'a', image: 'x', env: [{ name: '1BAD=', value: 'v' }] }] }),
      [{ field: 'spec.containers[0].env[0].name', type: 'Invalid' }],
    ],
    [
      'env valueFrom empty',
      pod({ containers: [{ name: 'a', image: 'x', env: [{ name: 'A', valueFrom: {} }] }] }),
      [
        {
          field: 'spec.containers[0].env[0].valueFrom',
          type: 'Invalid',
          detail: /must specify one of/,
        },
      ],
    ],
    [
      'requests above limits',
      pod({
        containers: [
          { name: 'a', image: 'x', resources: { requests: { cpu: '1' }, limits: { cpu: '500m' } } },
        ],
      }),
      [
        {
          field: 'spec.containers[0].resources.requests',
          type: 'Invalid',
          detail: 'must be less than or equal to cpu limit of 500m',
        },
      ],
    ],
    [
      'unparsable quantity',
      pod({ containers: [{ name: 'a', image: 'x', resources: { limits: { memory: '1GB' } } }] }),
      [
        {
          field: 'spec.containers[0].resources.limits[memory]',
          type: 'Invalid',
          detail: /^quantities must match/,
        },
        // Requests were defaulted from the limit, so they fail the same way.
        {
          field: 'spec.containers[0].resources.requests[memory]',
          type: 'Invalid',
          detail: /^quantities must match/,
        },
      ],
    ],
    [
      'non-standard resource',
      pod({ containers: [{ name: 'a', image: 'x', resources: { limits: { gpu: '1' } } }] }),
      [
        {
          field: 'spec.containers[0].resources.limits[gpu]',
          type: 'Invalid',
          detail: 'must be a standard resource for containers',
        },
        {
          field: 'spec.containers[0].resources.requests[gpu]',
          type: 'Invalid',
          detail: 'must be a standard resource for containers',
        },
      ],
    ],
    [
      'volumes: duplicate name, two sources, unknown mount',
      pod({
        containers: [{ name: 'a', image: 'x', volumeMounts: [{ name: 'nope', mountPath: '/x' }] }],
        volumes: [
          { name: 'v', emptyDir: {}, configMap: { name: 'c' } },
          { name: 'v', emptyDir: {} },
        ],
      }),
      [
        {
          field: 'spec.volumes[0].configMap',
          type: 'Forbidden',
          detail: 'may not specify more than 1 volume type',
        },
        { field: 'spec.volumes[1].name', type: 'Duplicate' },
        { field: 'spec.containers[0].volumeMounts[0].name', type: 'NotFound' },
      ],
    ],
    [
      'restartPolicy',
      pod(podSpec({ restartPolicy: 'Sometimes' })),
      [
        {
          field: 'spec.restartPolicy',
          type: 'NotSupported',
          detail: 'supported values: "Always", "OnFailure", "Never"',
        },
      ],
    ],
    [
      'dnsPolicy',
      pod(podSpec({ dnsPolicy: 'Google' })),
      [{ field: 'spec.dnsPolicy', type: 'NotSupported' }],
    ],
    [
      'probe without handler',
      pod({ containers: [{ name: 'a', image: 'x', livenessProbe: { periodSeconds: 5 } }] }),
      [
        {
          field: 'spec.containers[0].livenessProbe',
          type: 'Required',
          detail: 'must specify a handler type',
        },
      ],
    ],
    [
      'liveness successThreshold',
      pod({
        containers: [
          {
            name: 'a',
            image: 'x',
            livenessProbe: { exec: { command: ['true'] }, successThreshold: 2 },
          },
        ],
      }),
      [
        {
          field: 'spec.containers[0].livenessProbe.successThreshold',
          type: 'Invalid',
          detail: 'must be 1',
        },
      ],
    ],
    [
      'init container probe',
      pod({
        initContainers: [
          { name: 'i', image: 'x', readinessProbe: { exec: { command: ['true'] } } },
        ],
        containers: [{ name: 'a', image: 'x' }],
      }),
      [{ field: 'spec.initContainers[0].readinessProbe', type: 'Forbidden' }],
    ],
    [
      'activeDeadlineSeconds',
      pod(podSpec({ activeDeadlineSeconds: 0 })),
      [{ field: 'spec.activeDeadlineSeconds', type: 'Invalid' }],
    ],
    [
      'toleration operator',
      pod(podSpec({ tolerations: [{ key: 'k', operator: 'Maybe' }] })),
      [{ field: 'spec.tolerations[0].operator', type: 'NotSupported' }],
    ],
  ];
  for (const [label, obj, expected] of table)
    assertErrors(runCreate('Pod', obj).errs, expected, label);
});

test('pod updates may only change images, deadlines and add tolerations', () => {
  const old = stored('Pod', pod(podSpec({ activeDeadlineSeconds: 100 })));
  const spec = structuredClone(old['spec']) as Record<string, any>;
  spec.containers[0].image = 'nginx:1.28';
  spec.activeDeadlineSeconds = 50;
  spec.tolerations = [{ key: 'k', operator: 'Exists' }];
  assertErrors(runUpdate('Pod', { ...old, spec }, old).errs, [], 'mutable fields');

  const spec2 = structuredClone(old['spec']) as Record<string, any>;
  spec2.containers[0].ports = [{ containerPort: 81 }];
  assertErrors(runUpdate('Pod', { ...old, spec: spec2 }, old).errs, [
    { field: 'spec', type: 'Forbidden', detail: /^pod updates may not change fields other than/ },
  ]);

  const spec3 = structuredClone(old['spec']) as Record<string, any>;
  spec3.activeDeadlineSeconds = 200;
  assertErrors(runUpdate('Pod', { ...old, spec: spec3 }, old).errs, [
    {
      field: 'spec.activeDeadlineSeconds',
      type: 'Invalid',
      detail: 'must be less than or equal to previous value',
    },
  ]);
});

test('pod status and generation bookkeeping', () => {
  const s = strategyFor(defOf('Pod'));
  const old = stored('Pod', pod(podSpec()));
  old['status'] = { phase: 'Running' };
  const upd = structuredClone(old);
  upd['status'] = { phase: 'Failed' };
  (upd['spec'] as Record<string, any>).containers[0].image = 'nginx:2';
  s.prepareForUpdate(upd, old);
  assert.deepEqual(upd['status'], { phase: 'Running' });

  const st = structuredClone(old);
  st['status'] = { phase: 'Succeeded' };
  (st['spec'] as Record<string, any>).containers[0].image = 'changed';
  st.metadata!.labels = { sneaky: 'yes' };
  s.prepareForStatusUpdate(st, old);
  assert.deepEqual(st['spec'], old['spec']);
  assert.deepEqual(st['status'], { phase: 'Succeeded' });
  assert.equal(st.metadata?.labels, undefined);
});

test('pods delete gracefully once scheduled', () => {
  const s = strategyFor(defOf('Pod'));
  const p = stored('Pod', pod(podSpec({ nodeName: 'n1' })));
  assert.equal(s.defaultGracePeriodSeconds?.(p), 30);
  const unscheduled = stored('Pod', pod(podSpec()));
  assert.equal(s.defaultGracePeriodSeconds?.(unscheduled), 0);
});

test('pod warnings for deprecated node labels', () => {
  const s = strategyFor(defOf('Pod'));
  const w =
    s.warningsOnCreate?.(pod(podSpec({ nodeSelector: { 'beta.kubernetes.io/os': 'linux' } }))) ??
    [];
  assert.deepEqual(w, [
    'spec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use "kubernetes.io/os" instead',
  ]);
});
