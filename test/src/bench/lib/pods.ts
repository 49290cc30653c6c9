// A realistic pod manifest (about 2.5 KB of JSON as written, about 3 KB once the API server adds its defaults): labels and annotations like a
// Deployment's pods carry, an app container with env, ports, resources and a probe plus a small sidecar, and a status
// with conditions and container statuses, as a kubelet would report them.

export interface PodOptions {
  namespace: string;
  name: string;
  nodeName: string;
  /** Varies the content a little, so no two pods are byte-identical. */
  seq: number;
}

export function podManifest({
  namespace,
  name,
  nodeName,
  seq,
}: PodOptions): Record<string, unknown> {
  const app = `app-${seq % 50}`;
  const hash = (seq * 2654435761).toString(16).padStart(8, '0').slice(-8);
  const started = new Date(Date.UTC(2026, 10, 22, 0, 0, seq % 3600))
    .toISOString()
    .replace('.000', '');
  const container = (cname: string, port: number) => ({
    name: cname,
    image: `registry.example.com/team/${app}/${cname}:v1.${seq % 20}.3`,
    imagePullPolicy: 'IfNotPresent',
    args: ['--config=/etc/app/config.yaml', `--port=${port}`],
    env: [
      { name: 'APP_NAME', value: app },
      { name: 'APP_ENV', value: 'production' },
      {
        name: 'POD_NAME',
        valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } },
      },
    ],
    ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
    resources: {
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '500m', memory: '512Mi' },
    },
    readinessProbe: {
      httpGet: { path: '/readyz', port, scheme: 'HTTP' },
      periodSeconds: 10,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    },
    volumeMounts: [{ name: 'config', mountPath: '/etc/app', readOnly: true }],
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
  });
  const condition = (type: string) => ({
    type,
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: started,
  });
  const containerStatus = (cname: string, image: string) => ({
    name: cname,
    ready: true,
    restartCount: 0,
    started: true,
    image,
    imageID: `sha256:${hash.repeat(8)}`,
    containerID: `containerd://${hash.repeat(4)}`,
    state: { running: { startedAt: started } },
  });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels: {
        app,
        'app.kubernetes.io/name': app,
        'app.kubernetes.io/part-of': 'bench',
        'pod-template-hash': hash,
        tier: seq % 2 ? 'backend' : 'frontend',
      },
      annotations: {
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '9090',
        'bench.splitplane.io/seq': String(seq),
      },
    },
    spec: {
      nodeName,
      containers: [
        container('main', 8080),
        {
          name: 'sidecar',
          image: `registry.example.com/infra/proxy:v2.${seq % 7}`,
          ports: [{ name: 'proxy', containerPort: 15001, protocol: 'TCP' }],
          resources: { requests: { cpu: '50m', memory: '64Mi' } },
        },
      ],
      volumes: [{ name: 'config', configMap: { name: `${app}-config`, defaultMode: 420 } }],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default',
    },
    status: {
      phase: 'Running',
      conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(condition),
      hostIP: `10.0.${(seq >> 8) & 255}.${seq & 255}`,
      podIP: `10.244.${(seq >> 8) & 255}.${seq & 255}`,
      podIPs: [{ ip: `10.244.${(seq >> 8) & 255}.${seq & 255}` }],
      startTime: started,
      qosClass: 'Burstable',
      containerStatuses: [
        containerStatus('main', `registry.example.com/team/${app}/main:v1.${seq % 20}.3`),
        containerStatus('sidecar', `registry.example.com/infra/proxy:v2.${seq % 7}`),
      ],
    },
  };
}
