// admissionregistration.k8s.io/v1 through the real kubectl: apply each kind, the table
// columns kube prints, kube's defaults on what is stored, the VAP status subresource,
// kube's 422 messages for invalid objects, delete. The rules name a group nothing in the
// plane serves, so these objects change no other request's admission.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ok, startPlane, type Plane } from './plane.js';

const RULES = `
    rules:
    - operations: [CREATE, UPDATE]
      apiGroups: [widgets.example.com]
      apiVersions: [v1]
      resources: [widgets]`;

const VALID = `
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: mutate-widgets}
webhooks:
  - name: defaults.widgets.example.com
    clientConfig:
      service: {namespace: default, name: widget-hooks, path: /mutate}
    sideEffects: None
    admissionReviewVersions: [v1]${RULES}
  - name: labels.widgets.example.com
    clientConfig: {url: "https://hooks.example.com/labels"}
    sideEffects: NoneOnDryRun
    reinvocationPolicy: IfNeeded
    admissionReviewVersions: [v1, v1beta1]${RULES}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: validate-widgets}
webhooks:
  - name: check.widgets.example.com
    clientConfig:
      service: {namespace: default, name: widget-hooks}
    sideEffects: None
    failurePolicy: Ignore
    timeoutSeconds: 5
    admissionReviewVersions: [v1]${RULES}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: widget-size}
spec:
  paramKind: {apiVersion: v1, kind: ConfigMap}
  matchConstraints:
    resourceRules:
    - operations: [CREATE, UPDATE]
      apiGroups: [widgets.example.com]
      apiVersions: [v1]
      resources: [widgets]
  validations:
  - expression: "object.spec.size <= int(params.data.maxSize)"
    message: too big
  - expression: "has(object.spec.size)"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: widget-size-default}
spec:
  policyName: widget-size
  validationActions: [Deny]
  paramRef: {name: widget-limits, namespace: default, parameterNotFoundAction: Deny}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: widget-size-all}
spec:
  policyName: widget-size
  validationActions: [Warn, Audit]
  paramRef: {name: widget-limits, parameterNotFoundAction: Allow}
`;

const hookYaml = (kind: string, name: string, hook: string) =>
  `apiVersion: admissionregistration.k8s.io/v1\nkind: ${kind}\nmetadata: {name: ${name}}\nwebhooks:\n${hook}`;

const INVALID: Array<[string, string, string]> = [
  [
    'a webhook name with two segments and a plain-http URL',
    hookYaml(
      'ValidatingWebhookConfiguration',
      'bad-hook',
      `- name: example.com\n  clientConfig: {url: "http://hooks.example.com/x"}\n  sideEffects: None\n  admissionReviewVersions: [v1]\n`,
    ),
    `The ValidatingWebhookConfiguration "bad-hook" is invalid: \n` +
      `* webhooks[0].name: Invalid value: "example.com": should be a domain with at least three segments separated by dots\n` +
      `* webhooks[0].clientConfig.url: Invalid value: "http": 'https' is the only allowed URL scheme; desired format: https://host[/path]\n`,
  ],
  [
    'a mutating webhook without sideEffects, with a 60 s timeout',
    hookYaml(
      'MutatingWebhookConfiguration',
      'bad-mutator',
      `- name: m.widgets.example.com\n  clientConfig: {service: {namespace: default, name: hooks}}\n  timeoutSeconds: 60\n  admissionReviewVersions: [v1]\n`,
    ),
    `The MutatingWebhookConfiguration "bad-mutator" is invalid: \n` +
      `* webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun\n` +
      `* webhooks[0].timeoutSeconds: Invalid value: 60: the timeout value must be between 1 and 30 seconds\n`,
  ],
  [
    'a policy without validations',
    `apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata: {name: empty}\nspec:\n  matchConstraints:\n    resourceRules: [{operations: ["*"], apiGroups: ["*"], apiVersions: ["*"], resources: ["*"]}]\n`,
    `The ValidatingAdmissionPolicy "empty" is invalid: \n` +
      `* spec.validations: Required value: validations or auditAnnotations must contain at least one item\n` +
      `* spec.auditAnnotations: Required value: validations or auditAnnotations must contain at least one item\n`,
  ],
  [
    'a binding without policyName or validationActions',
    `apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata: {name: nothing}\nspec: {}\n`,
    `The ValidatingAdmissionPolicyBinding "nothing" is invalid: \n` +
      `* spec.policyName: Required value\n` +
      `* spec.validationActions: Required value: at least one validation action is required\n`,
  ],
];

describe('kubectl and admissionregistration.k8s.io/v1', { timeout: 600_000 }, () => {
  let plane: Plane;
  const k = (...args: string[]) => ok(plane.kubectl(args));
  const rows = (out: string) =>
    out
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s{2,}/));

  before(async () => {
    plane = await startPlane();
  });
  after(async () => {
    await plane?.stop();
  });

  it('api-resources lists the four kinds, cluster-scoped, in the api-extensions category', async () => {
    const out = await k('api-resources', '--api-group=admissionregistration.k8s.io');
    for (const [plural, kind] of [
      ['mutatingwebhookconfigurations', 'MutatingWebhookConfiguration'],
      ['validatingwebhookconfigurations', 'ValidatingWebhookConfiguration'],
      ['validatingadmissionpolicies', 'ValidatingAdmissionPolicy'],
      ['validatingadmissionpolicybindings', 'ValidatingAdmissionPolicyBinding'],
    ]) {
      assert.match(
        out,
        new RegExp(`^${plural}\\s+admissionregistration.k8s.io/v1\\s+false\\s+${kind}$`, 'm'),
      );
    }
    const wide = await k('api-resources', '--api-group=admissionregistration.k8s.io', '-o', 'wide');
    assert.match(wide, /^validatingadmissionpolicies\s.*\sapi-extensions$/m);
    // OpenAPI describes them (kubectl explain reads /openapi/v3).
    assert.match(
      await k('explain', 'validatingwebhookconfiguration.webhooks.sideEffects'),
      /FIELD: sideEffects <string>/,
    );
    assert.match(
      await k('explain', 'validatingadmissionpolicybinding.spec.validationActions'),
      /FIELD: validationActions <\[\]string>/,
    );
  });

  it('applies each kind, prints kube columns, stores kube defaults, deletes them', async () => {
    const applied = await ok(plane.kubectl(['apply', '-f', '-'], VALID));
    assert.match(
      applied,
      /mutatingwebhookconfiguration.admissionregistration.k8s.io\/mutate-widgets created/,
    );
    assert.match(
      applied,
      /validatingwebhookconfiguration.admissionregistration.k8s.io\/validate-widgets created/,
    );
    assert.match(
      applied,
      /validatingadmissionpolicy.admissionregistration.k8s.io\/widget-size created/,
    );
    assert.match(
      applied,
      /validatingadmissionpolicybinding.admissionregistration.k8s.io\/widget-size-all created/,
    );

    const mw = rows(await k('get', 'mutatingwebhookconfigurations', 'mutate-widgets'));
    assert.deepEqual(mw[0], ['NAME', 'WEBHOOKS', 'AGE']);
    assert.deepEqual(mw[1]!.slice(0, 2), ['mutate-widgets', '2']);
    const vw = rows(await k('get', 'validatingwebhookconfigurations', 'validate-widgets'));
    assert.deepEqual(vw[0], ['NAME', 'WEBHOOKS', 'AGE']);
    assert.deepEqual(vw[1]!.slice(0, 2), ['validate-widgets', '1']);
    const vap = rows(await k('get', 'validatingadmissionpolicies'));
    assert.deepEqual(vap[0], ['NAME', 'VALIDATIONS', 'PARAMKIND', 'AGE']);
    assert.deepEqual(vap[1]!.slice(0, 3), ['widget-size', '2', 'v1/ConfigMap']);
    const vapb = rows(await k('get', 'validatingadmissionpolicybindings'));
    assert.deepEqual(vapb[0], ['NAME', 'POLICYNAME', 'PARAMREF', 'AGE']);
    assert.deepEqual(
      vapb.slice(1).map((r) => r.slice(0, 3)),
      [
        ['widget-size-all', 'widget-size', '*/widget-limits'],
        ['widget-size-default', 'widget-size', 'default/widget-limits'],
      ],
    );
    const all = await k('get', 'api-extensions', '-o', 'name');
    assert.match(all, /validatingadmissionpolicy.admissionregistration.k8s.io\/widget-size/);

    const stored = JSON.parse(
      await k('get', 'mutatingwebhookconfiguration', 'mutate-widgets', '-o', 'json'),
    );
    const [first, second] = stored.webhooks;
    assert.equal(first.failurePolicy, 'Fail');
    assert.equal(first.matchPolicy, 'Equivalent');
    assert.deepEqual(first.namespaceSelector, {});
    assert.deepEqual(first.objectSelector, {});
    assert.equal(first.timeoutSeconds, 10);
    assert.equal(first.reinvocationPolicy, 'Never');
    assert.equal(first.rules[0].scope, '*');
    assert.equal(first.clientConfig.service.port, 443);
    assert.equal(second.reinvocationPolicy, 'IfNeeded');
    assert.equal(stored.metadata.generation, 1);
    const policy = JSON.parse(
      await k('get', 'validatingadmissionpolicy', 'widget-size', '-o', 'json'),
    );
    assert.equal(policy.spec.failurePolicy, 'Fail');
    assert.equal(policy.spec.matchConstraints.matchPolicy, 'Equivalent');

    // A change to the webhooks bumps generation; reapplying the same file does not.
    assert.match(await ok(plane.kubectl(['apply', '-f', '-'], VALID)), /unchanged/);
    const again = JSON.parse(
      await k('get', 'mutatingwebhookconfiguration', 'mutate-widgets', '-o', 'json'),
    );
    assert.equal(again.metadata.generation, 1);
    const patched = JSON.parse(
      await k(
        'patch',
        'validatingwebhookconfiguration',
        'validate-widgets',
        '--type=json',
        '-p',
        '[{"op":"replace","path":"/webhooks/0/timeoutSeconds","value":7}]',
        '-o',
        'json',
      ),
    );
    assert.equal(patched.metadata.generation, 2);

    const pb = await plane.request(
      'GET',
      '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/validate-widgets',
      { headers: { accept: 'application/vnd.kubernetes.protobuf' } },
    );
    assert.equal(pb.status, 200);
    assert.equal(pb.headers['content-type'], 'application/vnd.kubernetes.protobuf');
    assert.ok(pb.body.startsWith('k8s\u0000') && pb.body.includes('check.widgets.example.com'));

    const deleted = await k(
      'delete',
      'mutatingwebhookconfiguration/mutate-widgets',
      'validatingwebhookconfiguration/validate-widgets',
      'validatingadmissionpolicybinding/widget-size-default',
      'validatingadmissionpolicybinding/widget-size-all',
    );
    assert.match(
      deleted,
      /mutatingwebhookconfiguration.admissionregistration.k8s.io "mutate-widgets" deleted/,
    );
    assert.match(
      deleted,
      /validatingadmissionpolicybinding.admissionregistration.k8s.io "widget-size-all" deleted/,
    );
    const none = await plane.kubectl(['get', 'validatingwebhookconfiguration', 'validate-widgets']);
    assert.match(
      none.stderr,
      /validatingwebhookconfigurations.admissionregistration.k8s.io "validate-widgets" not found/,
    );
  });

  it('a ValidatingAdmissionPolicy has a status subresource that writes only status', async () => {
    const before = JSON.parse(
      await k('get', 'validatingadmissionpolicy', 'widget-size', '-o', 'json'),
    );
    const after = JSON.parse(
      await k(
        'patch',
        'validatingadmissionpolicy',
        'widget-size',
        '--subresource=status',
        '--type=merge',
        '-p',
        '{"spec":{"failurePolicy":"Ignore"},"status":{"observedGeneration":1}}',
        '-o',
        'json',
      ),
    );
    assert.equal(after.status.observedGeneration, 1);
    assert.equal(after.spec.failurePolicy, 'Fail');
    assert.equal(after.metadata.generation, before.metadata.generation);
    // A spec write keeps the status and bumps generation.
    const spec = JSON.parse(
      await k(
        'patch',
        'validatingadmissionpolicy',
        'widget-size',
        '--type=merge',
        '-p',
        '{"spec":{"failurePolicy":"Ignore"},"status":{"observedGeneration":9}}',
        '-o',
        'json',
      ),
    );
    assert.equal(spec.spec.failurePolicy, 'Ignore');
    assert.equal(spec.status.observedGeneration, 1);
    assert.equal(spec.metadata.generation, before.metadata.generation + 1);
    await k('delete', 'validatingadmissionpolicy', 'widget-size');
  });

  it('a policy’s paramKind and a binding’s paramRef must be readable by their author', async () => {
    await k(
      'create',
      'clusterrole',
      'policy-author',
      '--verb=get,list,create,update,patch,delete',
      '--resource=validatingadmissionpolicies.admissionregistration.k8s.io,validatingadmissionpolicybindings.admissionregistration.k8s.io',
    );
    await k(
      'create',
      'clusterrolebinding',
      'policy-author',
      '--clusterrole=policy-author',
      '--user=bob',
    );
    const policy = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: bob-policy}
spec:
  paramKind: {apiVersion: v1, kind: ConfigMap}
  matchConstraints:
    resourceRules: [{operations: [CREATE], apiGroups: [widgets.example.com], apiVersions: [v1], resources: [widgets]}]
  validations: [{expression: "true"}]
`;
    const denied = await plane.kubectl(['apply', '--as=bob', '-f', '-'], policy);
    assert.equal(
      denied.stderr,
      'The ValidatingAdmissionPolicy "bob-policy" is invalid: spec.paramKind: Forbidden: user &{bob  [system:authenticated] map[]} must have "get" permission on all objects of the referenced paramKind (kind=ConfigMap, apiVersion=v1)\n',
    );
    // An admin's policy; bob may bind it only to a parameter he can read.
    await ok(plane.kubectl(['apply', '-f', '-'], policy));
    const bindingYaml = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: bob-binding}
spec:
  policyName: bob-policy
  validationActions: [Deny]
  paramRef: {name: limits, namespace: default, parameterNotFoundAction: Deny}
`;
    const refused = await plane.kubectl(['apply', '--as=bob', '-f', '-'], bindingYaml);
    assert.equal(
      refused.stderr,
      'The ValidatingAdmissionPolicyBinding "bob-binding" is invalid: spec.paramRef: Forbidden: user &{bob  [system:authenticated] map[]} does not have "get" permission on the object referenced by paramRef\n',
    );
    await k(
      'create',
      'role',
      'read-limits',
      '-n',
      'default',
      '--verb=get',
      '--resource=configmaps',
      '--resource-name=limits',
    );
    await k(
      'create',
      'rolebinding',
      'read-limits',
      '-n',
      'default',
      '--role=read-limits',
      '--user=bob',
    );
    assert.match(
      await ok(plane.kubectl(['apply', '--as=bob', '-f', '-'], bindingYaml)),
      /validatingadmissionpolicybinding.admissionregistration.k8s.io\/bob-binding created/,
    );
    await k('delete', 'validatingadmissionpolicybinding', 'bob-binding');
    await k('delete', 'validatingadmissionpolicy', 'bob-policy');
  });

  it('kubectl exec and attach reach a pod without a node as kube answers them (CONNECT)', async () => {
    await k('run', 'lonely', '--image=nginx', '--restart=Never');
    const exec = await plane.kubectl(['exec', 'lonely', '--', 'ls']);
    assert.notEqual(exec.code, 0);
    assert.equal(
      exec.stderr,
      'Error from server (BadRequest): pod lonely does not have a host assigned\n',
    );
    const wrong = await plane.kubectl(['exec', 'lonely', '-c', 'sidecar', '--', 'ls']);
    assert.equal(
      wrong.stderr,
      'Error from server (BadRequest): container sidecar is not valid for pod lonely\n',
    );
    const missing = await plane.kubectl(['exec', 'nobody', '--', 'ls']);
    assert.equal(missing.stderr, 'Error from server (NotFound): pods "nobody" not found\n');
    await k('delete', 'pod', 'lonely', '--wait=false');
  });

  it('rejects invalid objects with kube’s exact kubectl output', async () => {
    for (const [what, yaml, stderr] of INVALID) {
      const res = await plane.kubectl(['apply', '-f', '-'], yaml);
      assert.notEqual(res.code, 0, what);
      assert.equal(res.stderr, stderr, what);
    }
    // CEL is compiled on write; the wording after "compilation failed:" is our compiler's.
    const cel = await plane.kubectl(
      ['apply', '-f', '-'],
      `apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata: {name: bad-cel}\nspec:\n  matchConstraints:\n    resourceRules: [{operations: [CREATE], apiGroups: [""], apiVersions: [v1], resources: [configmaps]}]\n  validations:\n  - expression: "object.data.size() <"\n  - expression: "1 + 1"\n`,
    );
    assert.match(
      cel.stderr,
      /^The ValidatingAdmissionPolicy "bad-cel" is invalid: \n\* spec.validations\[0\].expression: Invalid value: "object.data.size\(\) <": compilation failed: .+\n\* spec.validations\[1\].expression: Invalid value: "1 \+ 1": must evaluate to bool\n$/,
    );
  });
});
