// The whole plane, driven by the real kubectl exactly as a user drives kube-apiserver.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { ok, startPlane, type Plane } from './plane.js';

const manifest = (image: string, data: string) => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: e2e
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: ${image}
        ports:
        - containerPort: 80
        env:
        - {name: MODE, value: production}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: e2e
  labels: {app: web}
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 8080
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  namespace: e2e
  labels: {app: web}
data:
  setting: "${data}"
`;

describe('kubectl end to end', { timeout: 600_000 }, () => {
  let plane: Plane;
  const k = (...args: string[]) => ok(plane.kubectl(args));

  before(async () => {
    plane = await startPlane();
  });
  after(async () => {
    await plane?.stop();
  });

  it('creates a namespace', async () => {
    assert.match(await k('create', 'namespace', 'e2e'), /namespace\/e2e created/);
  });

  it('applies a multi-document manifest, then applies an edit', async () => {
    const first = await ok(plane.kubectl(['apply', '-f', '-'], manifest('nginx:1.25', 'one')));
    assert.match(first, /deployment.apps\/web created/);
    assert.match(first, /service\/web created/);
    assert.match(first, /configmap\/web-config created/);

    const second = await ok(plane.kubectl(['apply', '-f', '-'], manifest('nginx:1.27', 'two')));
    assert.match(second, /deployment.apps\/web configured/);
    assert.match(second, /service\/web unchanged/);
    assert.match(second, /configmap\/web-config configured/);
    assert.equal(
      await k(
        'get',
        'deployment',
        'web',
        '-n',
        'e2e',
        '-o',
        'jsonpath={.spec.template.spec.containers[0].image}',
      ),
      'nginx:1.27',
    );
    assert.equal(
      await k('get', 'cm', 'web-config', '-n', 'e2e', '-o', 'jsonpath={.data.setting}'),
      'two',
    );
  });

  it('gets in table, yaml, json and jsonpath forms', async () => {
    const table = await k('get', 'deployments', '-n', 'e2e');
    assert.match(table, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE/m);
    assert.match(table, /^web\s+/m);
    const svc = await k('get', 'service', 'web', '-n', 'e2e');
    assert.match(svc, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE/m);
    assert.match(svc, /80\/TCP/);
    // The registry allocated a cluster IP from the default 10.96.0.0/12 range.
    assert.match(svc, /^web\s+ClusterIP\s+10\.(9[6-9]|10\d|11[01])\.\d+\.\d+\s/m);
    const kubernetes = await k('get', 'service', 'kubernetes', '-n', 'default');
    assert.match(kubernetes, /^kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP\s/m);

    const [doc] = parseAllDocuments(await k('get', 'deployment', 'web', '-n', 'e2e', '-o', 'yaml'));
    const fromYaml = doc!.toJSON();
    assert.equal(fromYaml.kind, 'Deployment');
    assert.equal(fromYaml.spec.template.spec.restartPolicy, 'Always', 'defaulted by the registry');
    const fromJson = JSON.parse(await k('get', 'deployment', 'web', '-n', 'e2e', '-o', 'json'));
    assert.equal(fromJson.metadata.generation, 2, 'the template edit bumped generation');
    assert.equal(
      await k('get', 'deployment', 'web', '-n', 'e2e', '-o', 'jsonpath={.spec.replicas}'),
      '2',
    );
  });

  it('selects by label and field, and across namespaces', async () => {
    assert.match(
      await k('get', 'cm', '-n', 'e2e', '-l', 'app=web', '-o', 'name'),
      /configmap\/web-config/,
    );
    assert.doesNotMatch(
      await k('get', 'cm', '-n', 'e2e', '-l', 'app!=web', '-o', 'name'),
      /web-config/,
    );
    assert.equal(
      (
        await k(
          'get',
          'cm',
          '-n',
          'e2e',
          '--field-selector',
          'metadata.name=web-config',
          '-o',
          'name',
        )
      ).trim(),
      'configmap/web-config',
    );
    const all = await k('get', 'deployments', '-A');
    assert.match(all, /^NAMESPACE\s+NAME\s+READY/m);
    assert.match(all, /^e2e\s+web\s+/m);
  });

  it('describes a deployment', async () => {
    const out = await k('describe', 'deployment', 'web', '-n', 'e2e');
    assert.match(out, /^Name:\s+web$/m);
    assert.match(out, /^Namespace:\s+e2e$/m);
    assert.match(out, /Image:\s+nginx:1.27/);
  });

  it('labels and annotates', async () => {
    assert.match(await k('label', 'cm', 'web-config', '-n', 'e2e', 'tier=backend'), /labeled/);
    assert.match(await k('annotate', 'cm', 'web-config', '-n', 'e2e', 'note=hello'), /annotated/);
    const cm = JSON.parse(await k('get', 'cm', 'web-config', '-n', 'e2e', '-o', 'json'));
    assert.equal(cm.metadata.labels.tier, 'backend');
    assert.equal(cm.metadata.annotations.note, 'hello');
  });

  it('patches with all three patch types', async () => {
    await k(
      'patch',
      'cm',
      'web-config',
      '-n',
      'e2e',
      '--type=merge',
      '-p',
      '{"data":{"merge":"yes"}}',
    );
    await k(
      'patch',
      'cm',
      'web-config',
      '-n',
      'e2e',
      '--type=json',
      '-p',
      '[{"op":"add","path":"/data/json","value":"yes"}]',
    );
    await k(
      'patch',
      'deployment',
      'web',
      '-n',
      'e2e',
      '--type=strategic',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"EXTRA","value":"1"}]}]}}}}',
    );
    const cm = JSON.parse(await k('get', 'cm', 'web-config', '-n', 'e2e', '-o', 'json'));
    assert.equal(cm.data.merge, 'yes');
    assert.equal(cm.data.json, 'yes');
    const env = JSON.parse(
      await k(
        'get',
        'deployment',
        'web',
        '-n',
        'e2e',
        '-o',
        'jsonpath={.spec.template.spec.containers[0].env}',
      ),
    );
    assert.deepEqual(env.map((e: { name: string }) => e.name).sort(), ['EXTRA', 'MODE']);
    assert.equal(env.length, 2, 'strategic merge kept MODE and added EXTRA by merge key');
  });

  it('scales a deployment', async () => {
    assert.match(
      await k('scale', 'deployment', 'web', '-n', 'e2e', '--replicas=3'),
      /deployment.apps\/web scaled/,
    );
    assert.equal(
      await k('get', 'deployment', 'web', '-n', 'e2e', '-o', 'jsonpath={.spec.replicas}'),
      '3',
    );
  });

  it('creates configmaps and secrets from literals (protobuf bodies)', async () => {
    assert.match(
      await k('create', 'configmap', 'lit', '-n', 'e2e', '--from-literal=a=b'),
      /configmap\/lit created/,
    );
    assert.match(
      await k('create', 'secret', 'generic', 's1', '-n', 'e2e', '--from-literal=password=hunter2'),
      /secret\/s1 created/,
    );
    assert.equal(await k('get', 'cm', 'lit', '-n', 'e2e', '-o', 'jsonpath={.data.a}'), 'b');
    const password = await k('get', 'secret', 's1', '-n', 'e2e', '-o', 'jsonpath={.data.password}');
    assert.equal(Buffer.from(password, 'base64').toString(), 'hunter2');
    assert.equal(await k('get', 'secret', 's1', '-n', 'e2e', '-o', 'jsonpath={.type}'), 'Opaque');
  });

  it('lists api resources and versions, and explains fields', async () => {
    const resources = await k('api-resources');
    assert.match(resources, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    assert.match(resources, /^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
    const versions = await k('api-versions');
    assert.match(versions, /^apps\/v1$/m);
    assert.match(versions, /^rbac.authorization.k8s.io\/v1$/m);
    const explain = await k('explain', 'deployment.spec.template');
    assert.match(explain, /FIELD: template <PodTemplateSpec>/);
    assert.match(explain, /DESCRIPTION:/);
    assert.match(explain, /spec\s+<PodSpec>/);
  });

  it('reports readiness', async () => {
    const out = await k('get', '--raw', '/readyz?verbose');
    assert.match(out, /\[\+\]etcd ok/);
    assert.match(out, /readyz check passed/);
  });

  it('deletes one object, by label, and a whole namespace', async () => {
    assert.match(await k('delete', 'cm', 'lit', '-n', 'e2e'), /configmap "lit" deleted/);
    assert.match(
      await k('delete', 'cm', '-n', 'e2e', '-l', 'app=web'),
      /configmap "web-config" deleted/,
    );
    assert.equal((await k('get', 'cm', '-n', 'e2e', '-o', 'name')).trim(), '');
    assert.match(await k('delete', 'namespace', 'e2e', '--timeout=60s'), /namespace "e2e" deleted/);
    const gone = await plane.kubectl(['get', 'namespace', 'e2e']);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /namespaces "e2e" not found/);
    assert.equal(
      (await k('get', 'deployments', '-A', '-o', 'name')).trim(),
      '',
      'contents were removed',
    );
  });
});
