// A few of kube's pod warnings (pkg/api/pod/warnings.go), for pods and pod templates.
import { type JsonObject, isInt, isObject, objects, stringMap } from '../internal/json.js';
import { child, index, key } from '../internal/path.js';

/** Node labels deprecated in favour of the GA names. */
const DEPRECATED_NODE_LABELS: Record<string, string> = {
  'beta.kubernetes.io/arch': 'deprecated since v1.14; use "kubernetes.io/arch" instead',
  'beta.kubernetes.io/os': 'deprecated since v1.14; use "kubernetes.io/os" instead',
  'failure-domain.beta.kubernetes.io/region':
    'deprecated since v1.17; use "topology.kubernetes.io/region" instead',
  'failure-domain.beta.kubernetes.io/zone':
    'deprecated since v1.17; use "topology.kubernetes.io/zone" instead',
  'beta.kubernetes.io/instance-type':
    'deprecated since v1.17; use "node.kubernetes.io/instance-type" instead',
};

export function podSpecWarnings(spec: unknown, path: string): string[] {
  if (!isObject(spec)) return [];
  const out: string[] = [];
  for (const k of Object.keys(stringMap(spec['nodeSelector']))) {
    const msg = DEPRECATED_NODE_LABELS[k];
    if (msg) out.push(`${key(child(path, 'nodeSelector'), k)}: ${msg}`);
  }
  const grace = spec['terminationGracePeriodSeconds'];
  if (isInt(grace) && grace < 0) {
    out.push(
      `${child(path, 'terminationGracePeriodSeconds')}: must be >= 0; negative values are invalid and will be treated as 1`,
    );
  }
  objects(spec['volumes']).forEach((v, i) => {
    if (isObject(v['gitRepo'])) {
      out.push(`${child(index(child(path, 'volumes'), i), 'gitRepo')}: deprecated in v1.11`);
    }
  });
  objects(spec['containers']).forEach((c, i) => {
    const seen = new Map<string, number>();
    objects(c['ports']).forEach((p, j) => {
      const k = `${p['containerPort']}/${p['protocol'] ?? 'TCP'}/${p['hostIP'] ?? ''}/${p['hostPort'] ?? 0}`;
      const prev = seen.get(k);
      const base = child(index(child(path, 'containers'), i), 'ports');
      if (prev !== undefined)
        out.push(`${index(base, j)}: duplicate port definition with ${index(base, prev)}`);
      else seen.set(k, j);
    });
  });
  return out;
}

export function podWarnings(pod: JsonObject): string[] {
  return podSpecWarnings(pod['spec'], 'spec');
}

export function templateWarnings(obj: JsonObject, templatePath = 'spec.template'): string[] {
  const spec = obj['spec'];
  if (!isObject(spec) || !isObject(spec['template'])) return [];
  return podSpecWarnings(spec['template']['spec'], child(templatePath, 'spec'));
}
