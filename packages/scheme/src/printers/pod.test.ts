import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUILTIN_RESOURCES } from '../builtins.js';
import type { KubeObject } from '../resource-definition.js';
import { printerFor } from './printer-for.js';
import { summarizePod } from './pod.js';

const NOW = new Date('2025-01-01T12:00:00Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString();
const def = (group: string, kind: string) =>
  BUILTIN_RESOURCES.find((d) => d.group === group && d.kind === kind)!;

function pod(status: Record<string, unknown>, extra: Partial<KubeObject> = {}): KubeObject {
  return {
    metadata: {
      name: 'web',
      namespace: 'default',
      creationTimestamp: ago(300),
      ...(extra.metadata ?? {}),
    },
    spec: { containers: [{ name: 'app', image: 'nginx' }], ...((extra.spec as object) ?? {}) },
    status,
  };
}

describe('pod printer', () => {
  const printer = printerFor(def('', 'Pod'));

  it('has kube columns, wide ones at priority 1', () => {
    assert.deepEqual(
      printer.columns.map((c) => [c.name, c.priority ?? 0]),
      [
        ['Name', 0],
        ['Ready', 0],
        ['Status', 0],
        ['Restarts', 0],
        ['Age', 0],
        ['IP', 1],
        ['Node', 1],
        ['Nominated Node', 1],
        ['Readiness Gates', 1],
      ],
    );
  });

  it('Pending', () => {
    const row = printer.row(pod({ phase: 'Pending' }), NOW);
    assert.deepEqual(row, [
      'web',
      '0/1',
      'Pending',
      '0',
      '5m',
      '<none>',
      '<none>',
      '<none>',
      '<none>',
    ]);
  });

  it('Running and ready', () => {
    const p = pod(
      {
        phase: 'Running',
        podIP: '10.0.0.5',
        podIPs: [{ ip: '10.0.0.5' }],
        containerStatuses: [
          {
            name: 'app',
            ready: true,
            restartCount: 0,
            state: { running: { startedAt: ago(200) } },
          },
        ],
      },
      { spec: { containers: [{ name: 'app', image: 'nginx' }], nodeName: 'node-1' } },
    );
    assert.deepEqual(printer.row(p, NOW), [
      'web',
      '1/1',
      'Running',
      '0',
      '5m',
      '10.0.0.5',
      'node-1',
      '<none>',
      '<none>',
    ]);
  });

  it('CrashLoopBackOff with restarts and last restart age', () => {
    const p = pod({
      phase: 'Running',
      containerStatuses: [
        {
          name: 'app',
          ready: false,
          restartCount: 3,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(300) } },
        },
      ],
    });
    const s = summarizePod(p, NOW);
    assert.deepEqual(s, { ready: '0/1', status: 'CrashLoopBackOff', restarts: '3 (5m ago)' });
  });

  it('Terminating when deleted and not terminal', () => {
    const p = pod(
      {
        phase: 'Running',
        containerStatuses: [{ name: 'app', ready: true, state: { running: {} } }],
      },
      { metadata: { deletionTimestamp: ago(1) } },
    );
    assert.equal(summarizePod(p, NOW).status, 'Terminating');
    const done = pod({ phase: 'Succeeded' }, { metadata: { deletionTimestamp: ago(1) } });
    assert.equal(summarizePod(done, NOW).status, 'Succeeded');
  });

  it('init containers and completed/error reasons', () => {
    const p = pod(
      {
        phase: 'Pending',
        initContainerStatuses: [
          { name: 'init', state: { waiting: { reason: 'PodInitializing' } } },
        ],
      },
      { spec: { initContainers: [{ name: 'init' }], containers: [{ name: 'app' }] } },
    );
    assert.equal(summarizePod(p, NOW).status, 'Init:0/1');
    const failed = pod(
      {
        phase: 'Running',
        initContainerStatuses: [{ name: 'init', state: { terminated: { exitCode: 2 } } }],
      },
      { spec: { initContainers: [{ name: 'init' }], containers: [{ name: 'app' }] } },
    );
    assert.equal(summarizePod(failed, NOW).status, 'Init:ExitCode:2');
    const completed = pod({
      phase: 'Succeeded',
      containerStatuses: [
        { name: 'app', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
      ],
    });
    assert.equal(summarizePod(completed, NOW).status, 'Completed');
  });

  it('counts sidecar init containers in READY', () => {
    const p = pod(
      {
        phase: 'Running',
        conditions: [{ type: 'Initialized', status: 'True' }],
        initContainerStatuses: [
          { name: 'proxy', started: true, ready: true, state: { running: {} } },
        ],
        containerStatuses: [{ name: 'app', ready: true, state: { running: {} } }],
      },
      {
        spec: {
          initContainers: [{ name: 'proxy', restartPolicy: 'Always' }],
          containers: [{ name: 'app' }],
        },
      },
    );
    assert.deepEqual(summarizePod(p, NOW), { ready: '2/2', status: 'Running', restarts: '0' });
  });
});
