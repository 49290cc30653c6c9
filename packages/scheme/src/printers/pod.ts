// Pod table: READY, STATUS and RESTARTS follow kube's printPod, including init
// containers, restartable (sidecar) init containers, waiting/terminated reasons,
// SchedulingGated, Terminating and NodeLost.
import type { KubeObject, Printer } from '../resource-definition.js';
import { ageColumn, col, nameColumn, wide } from './columns.js';
import { parseTime, since } from './duration.js';
import { type Obj, arr, num, obj, str } from './format.js';

const NODE_UNREACHABLE_REASON = 'NodeLost';

export interface PodStatusSummary {
  ready: string;
  status: string;
  restarts: string;
}

export function summarizePod(pod: KubeObject, now: Date): PodStatusSummary {
  const spec = obj(pod.spec);
  const status = obj(pod.status);
  const conditions = arr(status.conditions).map(obj);
  const initSpecs = new Map<string, Obj>(
    arr(spec.initContainers).map((c) => [str(obj(c).name), obj(c)]),
  );
  const restartable = (name: string) => initSpecs.get(name)?.restartPolicy === 'Always';

  let restarts = 0;
  let sidecarRestarts = 0;
  let totalContainers = arr(spec.containers).length;
  let readyContainers = 0;
  let lastRestart: Date | undefined;
  let lastSidecarRestart: Date | undefined;
  const later = (a: Date | undefined, b: Date | undefined) => (b && (!a || b > a) ? b : a);

  const phase = str(status.phase);
  let reason = str(status.reason) || phase;
  if (conditions.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) {
    reason = 'SchedulingGated';
  }
  for (const c of initSpecs.values()) if (c.restartPolicy === 'Always') totalContainers++;

  let initializing = false;
  const initStatuses = arr(status.initContainerStatuses).map(obj);
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i]!;
    const name = str(cs.name);
    const state = obj(cs.state);
    const terminated = state.terminated === undefined ? undefined : obj(state.terminated);
    const waiting = state.waiting === undefined ? undefined : obj(state.waiting);
    const finishedAt = parseTime(obj(obj(cs.lastState).terminated).finishedAt);
    restarts += num(cs.restartCount);
    lastRestart = later(lastRestart, finishedAt);
    if (restartable(name)) {
      sidecarRestarts += num(cs.restartCount);
      lastSidecarRestart = later(lastSidecarRestart, finishedAt);
    }
    if (terminated && num(terminated.exitCode) === 0) continue;
    if (restartable(name) && cs.started === true) {
      if (cs.ready === true) readyContainers++;
      continue;
    }
    if (terminated) {
      if (str(terminated.reason) === '') {
        reason = num(terminated.signal)
          ? `Init:Signal:${num(terminated.signal)}`
          : `Init:ExitCode:${num(terminated.exitCode)}`;
      } else {
        reason = `Init:${str(terminated.reason)}`;
      }
    } else if (waiting && str(waiting.reason) !== '' && waiting.reason !== 'PodInitializing') {
      reason = `Init:${str(waiting.reason)}`;
    } else {
      reason = `Init:${i}/${initSpecs.size}`;
    }
    initializing = true;
    break;
  }

  const initialized = conditions.some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = arr(status.containerStatuses).map(obj);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i]!;
      const state = obj(cs.state);
      restarts += num(cs.restartCount);
      lastRestart = later(lastRestart, parseTime(obj(obj(cs.lastState).terminated).finishedAt));
      const waiting = state.waiting === undefined ? undefined : obj(state.waiting);
      const terminated = state.terminated === undefined ? undefined : obj(state.terminated);
      if (waiting && str(waiting.reason) !== '') {
        reason = str(waiting.reason);
      } else if (terminated && str(terminated.reason) !== '') {
        reason = str(terminated.reason);
      } else if (terminated) {
        reason = num(terminated.signal)
          ? `Signal:${num(terminated.signal)}`
          : `ExitCode:${num(terminated.exitCode)}`;
      } else if (cs.ready === true && state.running !== undefined) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // A pod whose last container completed while another still runs is not "Completed".
    if (reason === 'Completed' && hasRunning) {
      reason = conditions.some((c) => c.type === 'Ready' && c.status === 'True')
        ? 'Running'
        : 'NotReady';
    }
  }

  const deleting = parseTime(obj(pod.metadata).deletionTimestamp) !== undefined;
  if (deleting && status.reason === NODE_UNREACHABLE_REASON) {
    reason = 'Unknown';
  } else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') {
    reason = 'Terminating';
  }

  let restartsCell = String(restarts);
  if (restarts !== 0 && lastRestart) {
    restartsCell = `${restarts} (${since(lastRestart.toISOString(), now)} ago)`;
  }
  return { ready: `${readyContainers}/${totalContainers}`, status: reason, restarts: restartsCell };
}

function readinessGates(pod: KubeObject): string {
  const gates = arr(obj(pod.spec).readinessGates).map(obj);
  if (gates.length === 0) return '<none>';
  const conditions = arr(obj(pod.status).conditions).map(obj);
  let trueCount = 0;
  for (const gate of gates) {
    const cond = conditions.find((c) => c.type === gate.conditionType);
    if (cond?.status === 'True') trueCount++;
  }
  return `${trueCount}/${gates.length}`;
}

export const podPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'string', 'The aggregate status of the containers in this pod.'),
    col(
      'Restarts',
      'string',
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    ),
    ageColumn(),
    wide(
      'IP',
      'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
    ),
    wide('Node', 'NodeName indicates in which node this pod is scheduled.'),
    wide(
      'Nominated Node',
      'nominatedNodeName is set only when this pod preempts other pods on the node.',
    ),
    wide(
      'Readiness Gates',
      'If specified, all readiness gates will be evaluated for pod readiness.',
    ),
  ],
  row(pod, now) {
    const meta = obj(pod.metadata);
    const status = obj(pod.status);
    const s = summarizePod(pod, now);
    const podIP = str(obj(arr(status.podIPs)[0]).ip) || '<none>';
    return [
      str(meta.name),
      s.ready,
      s.status,
      s.restarts,
      since(meta.creationTimestamp, now),
      podIP,
      str(obj(pod.spec).nodeName) || '<none>',
      str(status.nominatedNodeName) || '<none>',
      readinessGates(pod),
    ];
  },
};
