// apps/v1 and batch/v1 tables: Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob.
import type { KubeObject, Printer } from '../resource-definition.js';
import { CONTAINERS, IMAGES, ageColumn, col, nameColumn, wide } from './columns.js';
import { humanDuration, parseTime, since } from './duration.js';
import {
  arr,
  at,
  containerCells,
  formatLabelSelector,
  formatLabels,
  labelSelectorString,
  num,
  obj,
  str,
} from './format.js';

const name = (o: KubeObject) => str(obj(o.metadata).name);
const age = (o: KubeObject, now: Date) => since(obj(o.metadata).creationTimestamp, now);
const templateSpec = (o: KubeObject) => at(o, 'spec', 'template', 'spec');

export const deploymentPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Ready', 'string', 'Number of the pod with ready state'),
    col(
      'Up-to-date',
      'string',
      'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
    ),
    col(
      'Available',
      'string',
      'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
    ),
    ageColumn(),
    CONTAINERS(),
    IMAGES(),
    wide(
      'Selector',
      'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.',
    ),
  ],
  row(o, now) {
    const spec = obj(o.spec);
    const status = obj(o.status);
    const [containers, images] = containerCells(templateSpec(o));
    const selector = labelSelectorString(spec.selector) ?? '<invalid>';
    return [
      name(o),
      `${num(status.readyReplicas)}/${num(spec.replicas, 1)}`,
      num(status.updatedReplicas),
      num(status.availableReplicas),
      age(o, now),
      containers,
      images,
      selector,
    ];
  },
};

export const replicaSetPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Desired', 'integer', 'Replicas is the number of desired pods.'),
    col('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
    col('Ready', 'integer', 'The number of ready replicas for this replica set.'),
    ageColumn(),
    CONTAINERS(),
    IMAGES(),
    wide('Selector', 'Selector is a label query over pods that should match the replica count.'),
  ],
  row(o, now) {
    const spec = obj(o.spec);
    const status = obj(o.status);
    const [containers, images] = containerCells(templateSpec(o));
    return [
      name(o),
      num(spec.replicas, 1),
      num(status.replicas),
      num(status.readyReplicas),
      age(o, now),
      containers,
      images,
      formatLabelSelector(spec.selector),
    ];
  },
};

export const statefulSetPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Ready', 'string', 'Number of the pod with ready state'),
    ageColumn(),
    CONTAINERS(),
    IMAGES(),
  ],
  row(o, now) {
    const [containers, images] = containerCells(templateSpec(o));
    return [
      name(o),
      `${num(obj(o.status).readyReplicas)}/${num(obj(o.spec).replicas, 1)}`,
      age(o, now),
      containers,
      images,
    ];
  },
};

export const daemonSetPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Desired', 'integer', 'The total number of nodes that should be running the daemon pod.'),
    col(
      'Current',
      'integer',
      'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.',
    ),
    col(
      'Ready',
      'integer',
      'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.',
    ),
    col('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
    col(
      'Available',
      'integer',
      'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.',
    ),
    col(
      'Node Selector',
      'string',
      'NodeSelector is a selector which must be true for the pod to fit on a node.',
    ),
    ageColumn(),
    CONTAINERS(),
    IMAGES(),
    wide('Selector', 'A label query over pods that are managed by the daemon set.'),
  ],
  row(o, now) {
    const status = obj(o.status);
    const [containers, images] = containerCells(templateSpec(o));
    return [
      name(o),
      num(status.desiredNumberScheduled),
      num(status.currentNumberScheduled),
      num(status.numberReady),
      num(status.updatedNumberScheduled),
      num(status.numberAvailable),
      formatLabels(obj(templateSpec(o)).nodeSelector),
      age(o, now),
      containers,
      images,
      formatLabelSelector(obj(o.spec).selector),
    ];
  },
};

function conditionTrue(o: KubeObject, type: string): boolean {
  const c = arr(obj(o.status).conditions)
    .map(obj)
    .find((x) => x.type === type);
  return c?.status === 'True';
}

export function jobStatus(o: KubeObject): string {
  if (conditionTrue(o, 'Complete')) return 'Complete';
  if (conditionTrue(o, 'Failed')) return 'Failed';
  if (parseTime(obj(o.metadata).deletionTimestamp)) return 'Terminating';
  if (conditionTrue(o, 'Suspended')) return 'Suspended';
  if (conditionTrue(o, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

export const jobPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Status', 'string', 'Status of the job.'),
    col('Completions', 'string', 'The number of pods which reached phase Succeeded.'),
    col('Duration', 'string', 'Time required to complete the job.'),
    ageColumn(),
    CONTAINERS(),
    IMAGES(),
    wide('Selector', 'A label query over pods that should match the pod count.'),
  ],
  row(o, now) {
    const spec = obj(o.spec);
    const status = obj(o.status);
    const succeeded = num(status.succeeded);
    let completions: string;
    if (typeof spec.completions === 'number') {
      completions = `${succeeded}/${spec.completions}`;
    } else {
      const parallelism = num(spec.parallelism);
      completions = parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
    }
    const start = parseTime(status.startTime);
    const end = parseTime(status.completionTime);
    const duration = !start ? '' : humanDuration((end ?? now).getTime() - start.getTime());
    const [containers, images] = containerCells(templateSpec(o));
    return [
      name(o),
      jobStatus(o),
      completions,
      duration,
      age(o, now),
      containers,
      images,
      formatLabelSelector(spec.selector),
    ];
  },
};

export const cronJobPrinter: Printer = {
  columns: [
    nameColumn(),
    col(
      'Schedule',
      'string',
      'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.',
    ),
    col(
      'Timezone',
      'string',
      'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.',
    ),
    col(
      'Suspend',
      'boolean',
      'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.',
    ),
    col('Active', 'integer', 'A list of pointers to currently running jobs.'),
    col(
      'Last Schedule',
      'string',
      'Information when was the last time the job was successfully scheduled.',
    ),
    ageColumn(),
    CONTAINERS(),
    IMAGES(),
    wide('Selector', 'A label query over pods that should match the pod count.'),
  ],
  row(o, now) {
    const spec = obj(o.spec);
    const status = obj(o.status);
    const jobSpec = at(spec, 'jobTemplate', 'spec');
    const [containers, images] = containerCells(at(jobSpec, 'template', 'spec'));
    const suspend =
      typeof spec.suspend === 'boolean' ? (spec.suspend ? 'True' : 'False') : '<unset>';
    return [
      name(o),
      str(spec.schedule),
      typeof spec.timeZone === 'string' ? spec.timeZone : '<none>',
      suspend,
      arr(status.active).length,
      status.lastScheduleTime ? since(status.lastScheduleTime, now) : '<none>',
      age(o, now),
      containers,
      images,
      formatLabelSelector(obj(jobSpec).selector),
    ];
  },
};
