import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@splitplane/scheme';
import { strategyFor } from '../registry.js';
import {
  assertErrors,
  defOf,
  meta,
  runCreate,
  runUpdate,
  stored,
} from '../internal/test-support.js';

const UID = '6b1e6c0e-1f0b-4a43-9d6a-3f1c2a9a0f00';
const podTemplate = (spec: Record<string, unknown> = {}) => ({
  spec: { containers: [{ name: 'pi', image: 'perl:5.34' }], restartPolicy: 'Never', ...spec },
});
const job = (spec: Record<string, unknown> = {}, name = 'pi'): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: meta(name),
  spec: { template: podTemplate(), ...spec },
});
const cronJob = (spec: Record<string, unknown> = {}, name = 'hello'): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: meta(name),
  spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: podTemplate() } }, ...spec },
});

const TEMPLATE_SPEC = {
  containers: [
    {
      name: 'pi',
      image: 'perl:5.34',
      imagePullPolicy: 'IfNotPresent',
      resources: {},
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    },
  ],
  dnsPolicy: 'ClusterFirst',
  restartPolicy: 'Never',
  schedulerName: 'default-scheduler',
  securityContext: {},
  terminationGracePeriodSeconds: 30,
};

test('job defaults and generated selector match what kube-apiserver returns', () => {
  const { obj, errs } = runCreate('Job', job());
  assert.deepEqual(errs.map(String), []);
  const labels = {
    'batch.kubernetes.io/controller-uid': UID,
    'batch.kubernetes.io/job-name': 'pi',
    'controller-uid': UID,
    'job-name': 'pi',
  };
  assert.deepEqual(obj['spec'], {
    backoffLimit: 6,
    completionMode: 'NonIndexed',
    completions: 1,
    manualSelector: false,
    parallelism: 1,
    podReplacementPolicy: 'TerminatingOrFailed',
    selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': UID } },
    suspend: false,
    template: { metadata: { labels }, spec: TEMPLATE_SPEC },
  });
  assert.deepEqual(obj.metadata?.labels, labels);
  assert.equal(obj.metadata?.generation, 1);
  assert.deepEqual(obj['status'], {});
});

test('cronjob defaults match what kube-apiserver returns', () => {
  const { obj, errs } = runCreate('CronJob', cronJob());
  assert.deepEqual(errs.map(String), []);
  assert.deepEqual(obj['spec'], {
    concurrencyPolicy: 'Allow',
    failedJobsHistoryLimit: 1,
    jobTemplate: { spec: { template: { spec: TEMPLATE_SPEC } } },
    schedule: '*/5 * * * *',
    successfulJobsHistoryLimit: 3,
    suspend: false,
  });
});

test('invalid jobs yield kube field paths and types', () => {
  const table: Array<[string, KubeObject, Parameters<typeof assertErrors>[1]]> = [
    [
      'restartPolicy Always',
      job({ template: podTemplate({ restartPolicy: 'Always' }) }),
      [
        {
          field: 'spec.template.spec.restartPolicy',
          type: 'NotSupported',
          detail: 'supported values: "OnFailure", "Never"',
        },
      ],
    ],
    [
      'defaulted restartPolicy is Always',
      job({ template: { spec: { containers: [{ name: 'a', image: 'x' }] } } }),
      [{ field: 'spec.template.spec.restartPolicy', type: 'NotSupported' }],
    ],
    [
      'negative counts',
      job({ parallelism: -1, backoffLimit: -2 }),
      [
        { field: 'spec.parallelism', type: 'Invalid' },
        { field: 'spec.backoffLimit', type: 'Invalid' },
      ],
    ],
    [
      'completion mode',
      job({ completionMode: 'Sometimes' }),
      [{ field: 'spec.completionMode', type: 'NotSupported' }],
    ],
    [
      'manual selector must match',
      job({ manualSelector: true, selector: { matchLabels: { a: 'b' } } }),
      [
        {
          field: 'spec.template.metadata.labels',
          type: 'Invalid',
          detail: '`selector` does not match template `labels`',
        },
      ],
    ],
    [
      'manual selector required',
      job({ manualSelector: true }),
      [{ field: 'spec.selector', type: 'Required' }],
    ],
    [
      'auto selector not overridable',
      job({ selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'other' } } }),
      [
        { field: 'spec.selector', type: 'Invalid', detail: '`selector` not auto-generated' },
        {
          field: 'spec.template.metadata.labels',
          type: 'Invalid',
          detail: '`selector` does not match template `labels`',
        },
      ],
    ],
    [
      'indexed pod hostnames',
      job({ completionMode: 'Indexed', completions: 10 }, 'a'.repeat(62)),
      [
        {
          field: 'metadata.name',
          type: 'Invalid',
          detail: /^will not able to create pod with invalid DNS label/,
        },
      ],
    ],
  ];
  for (const [label, obj, expected] of table)
    assertErrors(runCreate('Job', obj).errs, expected, label);
});

test('job selector and template are immutable', () => {
  const old = stored('Job', job());
  const upd = structuredClone(old);
  (upd['spec'] as Record<string, any>).template.spec.containers[0].image = 'perl:5.36';
  assertErrors(runUpdate('Job', upd, old).errs, [
    { field: 'spec.template', type: 'Invalid', detail: 'field is immutable' },
  ]);
  const sel = structuredClone(old);
  (sel['spec'] as Record<string, any>).selector.matchLabels['extra'] = 'x';
  (sel['spec'] as Record<string, any>).template.metadata.labels['extra'] = 'x';
  assertErrors(runUpdate('Job', sel, old).errs, [
    { field: 'spec.selector', type: 'Invalid', detail: 'field is immutable' },
    { field: 'spec.template', type: 'Invalid', detail: 'field is immutable' },
  ]);
  const par = structuredClone(old);
  (par['spec'] as Record<string, any>).parallelism = 3;
  assertErrors(runUpdate('Job', par, old).errs, []);
});

test('invalid cronjobs yield kube field paths and types', () => {
  const table: Array<[string, KubeObject, Parameters<typeof assertErrors>[1]]> = [
    [
      'schedule',
      cronJob({ schedule: '61 * * * *' }),
      [
        {
          field: 'spec.schedule',
          type: 'Invalid',
          detail: 'end of range (61) above maximum (59): 61',
        },
      ],
    ],
    ['missing schedule', cronJob({ schedule: '' }), [{ field: 'spec.schedule', type: 'Required' }]],
    [
      'TZ in schedule',
      cronJob({ schedule: 'TZ=UTC 0 * * * *' }),
      [
        {
          field: 'spec.schedule',
          type: 'Invalid',
          detail: 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
        },
      ],
    ],
    [
      'unknown time zone',
      cronJob({ timeZone: 'Mars/Olympus' }),
      [{ field: 'spec.timeZone', type: 'Invalid', detail: 'unknown time zone Mars/Olympus' }],
    ],
    [
      'Local time zone',
      cronJob({ timeZone: 'Local' }),
      [{ field: 'spec.timeZone', type: 'Invalid', detail: /explicit time zone/ }],
    ],
    [
      'concurrencyPolicy',
      cronJob({ concurrencyPolicy: 'Sometimes' }),
      [
        {
          field: 'spec.concurrencyPolicy',
          type: 'NotSupported',
          detail: 'supported values: "Allow", "Forbid", "Replace"',
        },
      ],
    ],
    [
      'job template selector',
      cronJob({
        jobTemplate: { spec: { selector: { matchLabels: { a: 'b' } }, template: podTemplate() } },
      }),
      [
        {
          field: 'spec.jobTemplate.spec.selector',
          type: 'Invalid',
          detail: '`selector` will be auto-generated',
        },
      ],
    ],
    [
      'job template restartPolicy',
      cronJob({ jobTemplate: { spec: { template: podTemplate({ restartPolicy: 'Always' }) } } }),
      [{ field: 'spec.jobTemplate.spec.template.spec.restartPolicy', type: 'NotSupported' }],
    ],
    [
      'long name',
      cronJob({}, 'a'.repeat(53)),
      [{ field: 'metadata.name', type: 'Invalid', detail: 'must be no more than 52 characters' }],
    ],
  ];
  for (const [label, obj, expected] of table)
    assertErrors(runCreate('CronJob', obj).errs, expected, label);
  assertErrors(
    runCreate('CronJob', cronJob({ timeZone: 'Europe/Berlin', schedule: '@daily' })).errs,
    [],
    'valid time zone',
  );
});

test('a job created before the store assigned a uid gets one that matches its selector', () => {
  const s = strategyFor(defOf('Job'));
  const j = job();
  j.metadata = { name: 'pi', namespace: 'default' };
  s.applyDefaults(j);
  s.prepareForCreate(j);
  const uid = j.metadata.uid;
  assert.match(String(uid), /^[0-9a-f-]{36}$/);
  assert.deepEqual((j['spec'] as Record<string, any>).selector, {
    matchLabels: { 'batch.kubernetes.io/controller-uid': uid },
  });
  assertErrors(s.validate(j), []);
});
