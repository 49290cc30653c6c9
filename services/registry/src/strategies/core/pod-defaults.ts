// Pod and PodSpec defaulting, after kube's SetDefaults_Pod / SetDefaults_PodSpec /
// SetDefaults_Container / SetDefaults_Probe / SetDefaults_Volume (core/v1 defaults.go).
import { type JsonObject, isObject, objects, setDefault } from '../internal/json.js';

/** Defaults every PodSpec gets, whether in a Pod or in a workload's template. */
export function defaultPodSpec(spec: JsonObject): void {
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'schedulerName', 'default-scheduler');
  const hostNetwork = spec['hostNetwork'] === true;
  for (const c of objects(spec['initContainers'])) defaultContainer(c, hostNetwork);
  for (const c of objects(spec['containers'])) defaultContainer(c, hostNetwork);
  for (const c of objects(spec['ephemeralContainers'])) defaultContainer(c, false);
  for (const v of objects(spec['volumes'])) defaultVolume(v);
}

/** Defaults only Pod objects get (not templates): SetDefaults_Pod. */
export function defaultPod(pod: JsonObject): void {
  const spec = isObject(pod['spec']) ? pod['spec'] : undefined;
  if (!spec) return;
  defaultPodSpec(spec);
  setDefault(spec, 'enableServiceLinks', true);
  // Requests default to limits for every resource that has a limit but no request.
  for (const list of ['initContainers', 'containers']) {
    for (const c of objects(spec[list])) {
      const resources = c['resources'];
      if (!isObject(resources) || !isObject(resources['limits'])) continue;
      const limits = resources['limits'];
      const requests = isObject(resources['requests']) ? resources['requests'] : {};
      let changed = false;
      for (const [name, q] of Object.entries(limits)) {
        if (requests[name] === undefined) {
          requests[name] = q;
          changed = true;
        }
      }
      if (changed || isObject(resources['requests'])) resources['requests'] = requests;
    }
  }
}

function defaultContainer(c: JsonObject, hostNetwork: boolean): void {
  // A non-pointer struct in Go, so kube always shows it, if only as {}.
  setDefault(c, 'resources', {});
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  if (c['imagePullPolicy'] === undefined || c['imagePullPolicy'] === '') {
    c['imagePullPolicy'] = pullPolicyFor(typeof c['image'] === 'string' ? c['image'] : '');
  }
  for (const p of objects(c['ports'])) {
    setDefault(p, 'protocol', 'TCP');
    // With host networking the host port is the container port (SetDefaults_PodSpec).
    if (hostNetwork && (p['hostPort'] === undefined || p['hostPort'] === 0))
      p['hostPort'] = p['containerPort'];
  }
  for (const e of objects(c['env'])) {
    const from = e['valueFrom'];
    if (isObject(from) && isObject(from['fieldRef']))
      setDefault(from['fieldRef'], 'apiVersion', 'v1');
  }
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    if (isObject(c[probe])) defaultProbe(c[probe]);
  }
  for (const hook of ['postStart', 'preStop']) {
    const lifecycle = c['lifecycle'];
    if (isObject(lifecycle) && isObject(lifecycle[hook])) defaultHandler(lifecycle[hook]);
  }
}

/**
 * Always for `:latest` or untagged images (no digest), IfNotPresent otherwise, as
 * SetDefaults_Container decides from the parsed image reference.
 */
export function pullPolicyFor(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const lastColon = image.lastIndexOf(':');
  const tag = lastColon > lastSlash ? image.slice(lastColon + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(probe: JsonObject): void {
  setDefault(probe, 'timeoutSeconds', 1);
  setDefault(probe, 'periodSeconds', 10);
  setDefault(probe, 'successThreshold', 1);
  setDefault(probe, 'failureThreshold', 3);
  defaultHandler(probe);
}

function defaultHandler(handler: JsonObject): void {
  const http = handler['httpGet'];
  if (isObject(http)) {
    if (http['path'] === undefined || http['path'] === '') http['path'] = '/';
    if (http['scheme'] === undefined || http['scheme'] === '') http['scheme'] = 'HTTP';
  }
  const grpc = handler['grpc'];
  if (isObject(grpc)) setDefault(grpc, 'service', '');
}

const PROJECTION_MODE = 0o644;

function defaultVolume(v: JsonObject): void {
  const sources = Object.keys(v).filter((k) => k !== 'name' && v[k] !== undefined && v[k] !== null);
  if (sources.length === 0) {
    v['emptyDir'] = {};
    return;
  }
  for (const src of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    if (isObject(v[src])) setDefault(v[src], 'defaultMode', PROJECTION_MODE);
  }
  if (isObject(v['hostPath'])) setDefault(v['hostPath'], 'type', '');
  if (isObject(v['iscsi'])) setDefault(v['iscsi'], 'iscsiInterface', 'default');
  if (isObject(v['rbd'])) {
    setDefault(v['rbd'], 'pool', 'rbd');
    setDefault(v['rbd'], 'user', 'admin');
    setDefault(v['rbd'], 'keyring', '/etc/ceph/keyring');
  }
  if (isObject(v['azureDisk'])) {
    setDefault(v['azureDisk'], 'cachingMode', 'ReadWrite');
    setDefault(v['azureDisk'], 'fsType', 'ext4');
    setDefault(v['azureDisk'], 'readOnly', false);
    setDefault(v['azureDisk'], 'kind', 'Shared');
  }
  const projected = v['projected'];
  if (isObject(projected)) {
    for (const s of objects(projected['sources'])) {
      const sat = s['serviceAccountToken'];
      if (isObject(sat)) setDefault(sat, 'expirationSeconds', 3600);
    }
  }
  const dapi = v['downwardAPI'];
  if (isObject(dapi)) {
    for (const item of objects(dapi['items'])) {
      if (isObject(item['fieldRef'])) setDefault(item['fieldRef'], 'apiVersion', 'v1');
    }
  }
}
