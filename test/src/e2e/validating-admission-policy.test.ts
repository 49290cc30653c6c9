// The ValidatingAdmissionPolicy examples of the Kubernetes documentation
// (reference/access-authn-authz/validating-admission-policy) through the real kubectl
// against a real plane: kubectl must print what the documentation shows. Every binding
// selects its own namespaces, so cases never see each other's policies; each waits for its
// policy and binding to take effect (informers) before asserting.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '@splitplane/testing';
import {
  binding,
  configMap,
  deployment,
  DEPLOYMENTS_CONSTRAINTS,
  namespace,
  policy,
  type Json,
} from '../lib/admission-objects.js';
import { eventually } from '../lib/eventually.js';
import { ok, startPlane, type Plane } from './plane.js';

const LABEL = 'e2e.splitplane.io/case';
const inCase = (name: string): Json => ({
  namespaceSelector: { matchLabels: { [LABEL]: name } },
});
const DEMO = 'demo-policy.example.com';
const DEMO_BINDING = 'demo-binding-test.example.com';
const DEMO_DENIAL = `ValidatingAdmissionPolicy '${DEMO}' with binding '${DEMO_BINDING}' denied request: failed expression: object.spec.replicas <= 5`;
const DEMO_WARNING = `Warning: Validation failed for ValidatingAdmissionPolicy '${DEMO}' with binding '${DEMO_BINDING}': failed expression: object.spec.replicas <= 5\n`;

describe(
  'ValidatingAdmissionPolicy: the documentation examples through kubectl',
  { timeout: 900_000 },
  () => {
    let plane: Plane;
    const k = (...args: string[]) => ok(plane.kubectl(args));
    const create = (manifest: string) => plane.kubectl(['create', '-f', '-'], manifest);
    const apply = (manifest: string) => ok(plane.kubectl(['apply', '-f', '-'], manifest));
    const caseNamespace = (name: string, labels: Record<string, string> = {}) =>
      apply(namespace(name, { [LABEL]: name, ...labels }));
    const invalid = (name: string, message: string) =>
      `The deployments "${name}" is invalid: : ${message}\n`;
    /** Creates `<prefix>-<n>` Deployments until `done` holds for a kubectl result. */
    const until = (
      ns: string,
      prefix: string,
      replicas: number,
      done: (r: { code: number | null; stderr: string }) => boolean,
      image?: string,
    ) =>
      eventually(async (n) => {
        const name = `${prefix}-${n}`;
        const r = await create(deployment(ns, name, replicas, image));
        return done(r) ? { ...r, name } : undefined;
      }, `the policy in ${ns} to take effect`);
    const refused = (r: { code: number | null }) => r.code !== 0;

    before(async () => {
      plane = await startPlane();
    });
    after(async () => {
      await plane?.stop();
    });

    it('demo-policy with a Deny binding: kubectl prints the documented error', async () => {
      await caseNamespace('vap-test', { environment: 'test' });
      await caseNamespace('vap-prod', { environment: 'prod' });
      await apply(
        policy(DEMO, {
          failurePolicy: 'Fail',
          matchConstraints: DEPLOYMENTS_CONSTRAINTS,
          validations: [{ expression: 'object.spec.replicas <= 5' }],
        }),
      );
      await apply(
        binding(DEMO_BINDING, {
          policyName: DEMO,
          validationActions: ['Deny'],
          matchResources: { namespaceSelector: { matchLabels: { environment: 'test' } } },
        }),
      );
      const r = await until('vap-test', 'nginx', 6, refused);
      assert.equal(r.stderr, invalid(r.name, DEMO_DENIAL));
      assert.equal(
        await ok(create(deployment('vap-test', 'five', 5))),
        'deployment.apps/five created\n',
      );
      assert.equal(
        await ok(create(deployment('vap-prod', 'six', 6))),
        'deployment.apps/six created\n',
      );
      // UPDATE is matched too.
      const patch = ['--type=merge', '-p', '{"spec":{"replicas":7}}'];
      const patched = await plane.kubectl([
        'patch',
        'deployment',
        'five',
        '-n',
        'vap-test',
        ...patch,
      ]);
      assert.equal(patched.stderr, invalid('five', DEMO_DENIAL));
    });

    it('validationActions Warn (and Warn+Audit) admit with the documented warning; Deny+Warn is refused', async () => {
      const withActions = (validationActions: string[]) =>
        apply(
          binding(DEMO_BINDING, {
            policyName: DEMO,
            validationActions,
            matchResources: { namespaceSelector: { matchLabels: { environment: 'test' } } },
          }),
        );
      await withActions(['Warn']);
      const warned = await until('vap-test', 'warned', 6, (r) => r.code === 0);
      assert.equal(warned.stderr, DEMO_WARNING);
      assert.equal(warned.stdout, `deployment.apps/${warned.name} created\n`);

      await withActions(['Warn', 'Audit']);
      const audited = await until('vap-test', 'warn-audit', 7, (r) => r.code === 0);
      assert.equal(audited.stderr, DEMO_WARNING);

      // kube refuses Deny with Warn: the same failure would be reported twice.
      const both = await plane.kubectl(
        ['apply', '-f', '-'],
        binding(DEMO_BINDING, { policyName: DEMO, validationActions: ['Deny', 'Warn'] }),
      );
      assert.equal(both.code, 1);
      assert.match(
        both.stderr,
        /^The ValidatingAdmissionPolicyBinding "demo-binding-test\.example\.com" is invalid: spec\.validationActions: Invalid value: .*: must not contain both Deny and Warn \(repeating the same validation failure information in the API response and headers serves no purpose\)\n$/,
      );
    });

    it('validationActions Audit admits silently', async () => {
      await apply(
        binding(DEMO_BINDING, {
          policyName: DEMO,
          validationActions: ['Audit'],
          matchResources: { namespaceSelector: { matchLabels: { environment: 'test' } } },
        }),
      );
      const r = await until('vap-test', 'audited', 6, (x) => x.code === 0 && x.stderr === '');
      assert.equal(r.stdout, `deployment.apps/${r.name} created\n`);
      await k('delete', 'validatingadmissionpolicybinding', DEMO_BINDING);
    });

    it('paramKind ConfigMap with paramRef by name, messageExpression and reason', async () => {
      await caseNamespace('vap-params');
      await apply(
        configMap('vap-params', 'replica-limit-test.example.com', {}, { maxReplicas: '3' }),
      );
      await apply(
        policy('replicalimit-policy.example.com', {
          failurePolicy: 'Fail',
          paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
          matchConstraints: DEPLOYMENTS_CONSTRAINTS,
          validations: [
            {
              expression: 'object.spec.replicas <= int(params.data.maxReplicas)',
              messageExpression:
                "'object.spec.replicas must be no greater than ' + params.data.maxReplicas",
              reason: 'Invalid',
            },
          ],
        }),
      );
      await apply(
        binding('replicalimit-binding-test.example.com', {
          policyName: 'replicalimit-policy.example.com',
          validationActions: ['Deny'],
          paramRef: {
            name: 'replica-limit-test.example.com',
            namespace: 'vap-params',
            parameterNotFoundAction: 'Deny',
          },
          matchResources: inCase('vap-params'),
        }),
      );
      const r = await until('vap-params', 'limited', 4, refused);
      assert.equal(
        r.stderr,
        invalid(
          r.name,
          "ValidatingAdmissionPolicy 'replicalimit-policy.example.com' with binding 'replicalimit-binding-test.example.com' denied request: object.spec.replicas must be no greater than 3",
        ),
      );
      await ok(create(deployment('vap-params', 'three', 3)));
      // The param is read live: raising the limit admits 4.
      await apply(
        configMap('vap-params', 'replica-limit-test.example.com', {}, { maxReplicas: '4' }),
      );
      await until('vap-params', 'raised', 4, (x) => x.code === 0);
    });

    it('paramRef selector evaluates every matching param; parameterNotFoundAction Deny and Allow', async () => {
      await caseNamespace('vap-selector');
      await caseNamespace('vap-missing-deny');
      await caseNamespace('vap-missing-allow');
      for (const [name, max] of [
        ['loose', '10'],
        ['tight', '2'],
      ] as const)
        await apply(configMap('vap-selector', name, { tier: 'limits' }, { maxReplicas: max }));
      const refBy = (bindingName: string, paramRef: Json, ns: string) =>
        apply(
          binding(bindingName, {
            policyName: 'replicalimit-policy.example.com',
            validationActions: ['Deny'],
            paramRef,
            matchResources: inCase(ns),
          }),
        );
      // No namespace in paramRef: params come from the request's namespace.
      await refBy(
        'by-selector',
        { selector: { matchLabels: { tier: 'limits' } }, parameterNotFoundAction: 'Deny' },
        'vap-selector',
      );
      const sel = await until('vap-selector', 'sel', 3, refused);
      assert.equal(
        sel.stderr,
        invalid(
          sel.name,
          "ValidatingAdmissionPolicy 'replicalimit-policy.example.com' with binding 'by-selector' denied request: object.spec.replicas must be no greater than 2",
        ),
      );
      await ok(create(deployment('vap-selector', 'two', 2)));

      await refBy(
        'missing-deny',
        { name: 'absent', parameterNotFoundAction: 'Deny' },
        'vap-missing-deny',
      );
      const missing = await until('vap-missing-deny', 'm', 1, refused);
      assert.equal(
        missing.stderr,
        invalid(
          missing.name,
          "ValidatingAdmissionPolicy 'replicalimit-policy.example.com' with binding 'missing-deny' denied request: failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction",
        ),
      );
      await refBy(
        'missing-allow',
        { name: 'absent', parameterNotFoundAction: 'Allow' },
        'vap-missing-allow',
      );
      // Nothing to wait for that shows the Allow binding is in effect, and Allow admits.
      assert.equal(
        await ok(create(deployment('vap-missing-allow', 'hundred', 100))),
        'deployment.apps/hundred created\n',
      );
    });

    it('variables, namespaceObject and messageExpression (image-matches-namespace-environment)', async () => {
      await caseNamespace('vap-staging', { environment: 'staging' });
      await caseNamespace('vap-exempt', { environment: 'staging', exempt: 'true' });
      const name = 'image-matches-namespace-environment.policy.example.com';
      await apply(
        policy(name, {
          failurePolicy: 'Fail',
          matchConstraints: DEPLOYMENTS_CONSTRAINTS,
          variables: [
            {
              name: 'environment',
              expression:
                "'environment' in namespaceObject.metadata.labels ? namespaceObject.metadata.labels['environment'] : 'prod'",
            },
            {
              name: 'exempt',
              expression:
                "'exempt' in namespaceObject.metadata.labels && namespaceObject.metadata.labels['exempt'] == 'true'",
            },
            { name: 'containers', expression: 'object.spec.template.spec.containers' },
            {
              name: 'containersToCheck',
              expression: "variables.containers.filter(c, c.image.contains('example.com/'))",
            },
          ],
          validations: [
            {
              expression:
                "variables.exempt || variables.containersToCheck.all(c, c.image.startsWith(variables.environment + '.'))",
              messageExpression:
                "'only ' + variables.environment + ' images are allowed in namespace ' + namespaceObject.metadata.name",
            },
          ],
        }),
      );
      await apply(
        binding('image-matches-namespace-environment.binding.example.com', {
          policyName: name,
          validationActions: ['Deny'],
          matchResources: {
            namespaceSelector: {
              matchExpressions: [
                { key: LABEL, operator: 'In', values: ['vap-staging', 'vap-exempt'] },
              ],
            },
          },
        }),
      );
      const r = await until('vap-staging', 'img', 1, refused, 'prod.example.com/nginx');
      assert.equal(
        r.stderr,
        invalid(
          r.name,
          `ValidatingAdmissionPolicy '${name}' with binding 'image-matches-namespace-environment.binding.example.com' denied request: only staging images are allowed in namespace vap-staging`,
        ),
      );
      await ok(create(deployment('vap-staging', 'staged', 1, 'staging.example.com/nginx')));
      await ok(create(deployment('vap-staging', 'elsewhere', 1, 'nginx')));
      await ok(create(deployment('vap-exempt', 'exempt', 1, 'prod.example.com/nginx')));
    });

    it('matchConditions exclude requests before validation (the documentation example)', async () => {
      await caseNamespace('vap-cond');
      await apply(
        policy('demo-conditions.example.com', {
          failurePolicy: 'Fail',
          matchConstraints: {
            resourceRules: [
              {
                apiGroups: ['*'],
                apiVersions: ['*'],
                operations: ['CREATE', 'UPDATE'],
                resources: ['*'],
              },
            ],
          },
          matchConditions: [
            {
              name: 'exclude-leases',
              expression:
                '!(request.resource.group == "coordination.k8s.io" && request.resource.resource == "leases")',
            },
            {
              name: 'exclude-kubelet-requests',
              expression: '!("system:nodes" in request.userInfo.groups)',
            },
            {
              name: 'rbac',
              expression: 'request.resource.group != "rbac.authorization.k8s.io"',
            },
          ],
          validations: [
            {
              expression:
                "!object.metadata.name.contains('demo') || object.metadata.namespace == 'demo'",
            },
          ],
        }),
      );
      await apply(
        binding('demo-conditions-binding.example.com', {
          policyName: 'demo-conditions.example.com',
          validationActions: ['Deny'],
          matchResources: inCase('vap-cond'),
        }),
      );
      const r = await eventually(async (n) => {
        const res = await create(configMap('vap-cond', `demo-${n}`));
        return res.code !== 0 ? { ...res, name: `demo-${n}` } : undefined;
      }, 'the conditions policy');
      assert.equal(
        r.stderr,
        `The configmaps "${r.name}" is invalid: : ValidatingAdmissionPolicy 'demo-conditions.example.com' with binding 'demo-conditions-binding.example.com' denied request: failed expression: !object.metadata.name.contains('demo') || object.metadata.namespace == 'demo'\n`,
      );
      const lease = JSON.stringify({
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: 'demo-lease', namespace: 'vap-cond' },
        spec: { holderIdentity: 'x' },
      });
      assert.equal(await ok(create(lease)), 'lease.coordination.k8s.io/demo-lease created\n');
      const role = JSON.stringify({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'demo-role', namespace: 'vap-cond' },
        rules: [],
      });
      assert.equal(await ok(create(role)), 'role.rbac.authorization.k8s.io/demo-role created\n');
    });

    it('Audit and auditAnnotations (the documentation example) reach the audit record', async () => {
      await caseNamespace('vap-audit');
      await apply(
        policy('audit-policy.example.com', {
          failurePolicy: 'Fail',
          matchConstraints: DEPLOYMENTS_CONSTRAINTS,
          validations: [
            {
              expression: 'object.spec.replicas > 50',
              messageExpression:
                "'Deployment spec.replicas set to ' + string(object.spec.replicas)",
            },
          ],
          auditAnnotations: [
            {
              key: 'high-replica-count',
              valueExpression: "'Deployment spec.replicas set to ' + string(object.spec.replicas)",
            },
          ],
        }),
      );
      await apply(
        binding('audit-binding.example.com', {
          policyName: 'audit-policy.example.com',
          validationActions: ['Audit'],
          matchResources: inCase('vap-audit'),
        }),
      );
      // The gateway has no audit log yet: it logs each write's audit annotations (without the
      // name of a created object, so entries are told apart by replica count here).
      const gatewayLog = join(plane.dataDir, 'logs', 'gateway.log');
      const HIGH = 'audit-policy.example.com/high-replica-count';
      const FAILURE = 'validation.policy.admission.k8s.io/validation_failure';
      const entryFor = async (replicas: number) =>
        (await readFile(gatewayLog, 'utf8'))
          .split('\n')
          .filter((line) => line.includes('"audit annotations"'))
          .map((line) => (JSON.parse(line) as { annotations: Record<string, string> }).annotations)
          .find((a) => a[HIGH] === `Deployment spec.replicas set to ${replicas}`);
      const { replicas, annotations } = await eventually(async (n) => {
        const name = `audited-${n}`;
        const r = await create(deployment('vap-audit', name, 10 + n));
        assert.equal(r.stderr, '');
        assert.equal(r.stdout, `deployment.apps/${name} created\n`);
        const annotations = await entryFor(10 + n);
        return annotations && { replicas: 10 + n, annotations };
      }, 'the audit annotations');
      assert.deepEqual(JSON.parse(annotations[FAILURE]!), [
        {
          message: `Deployment spec.replicas set to ${replicas}`,
          policy: 'audit-policy.example.com',
          binding: 'audit-binding.example.com',
          expressionIndex: 0,
          validationActions: ['Audit'],
        },
      ]);
      // A passing validation leaves only the annotation.
      await ok(create(deployment('vap-audit', 'many', 60)));
      const passed = await waitFor(() => entryFor(60));
      assert.equal(passed[FAILURE], undefined);
    });

    it('failurePolicy: an expression error denies under Fail, admits under Ignore', async () => {
      await caseNamespace('vap-fail');
      await caseNamespace('vap-ignore');
      const erroring = (name: string, failurePolicy: string) =>
        policy(name, {
          failurePolicy,
          matchConstraints: DEPLOYMENTS_CONSTRAINTS,
          validations: [
            { expression: "object.spec.template.metadata.annotations['missing'] == 'x'" },
          ],
        });
      await apply(erroring('erroring-fail.example.com', 'Fail'));
      await apply(erroring('erroring-ignore.example.com', 'Ignore'));
      for (const [policyName, ns] of [
        ['erroring-fail.example.com', 'vap-fail'],
        ['erroring-ignore.example.com', 'vap-ignore'],
      ] as const)
        await apply(
          binding(`${policyName}-binding`, {
            policyName,
            validationActions: ['Deny'],
            matchResources: inCase(ns),
          }),
        );
      const r = await until('vap-fail', 'err', 60, refused);
      assert.match(
        r.stderr,
        new RegExp(
          `^The deployments "${r.name}" is invalid: : ValidatingAdmissionPolicy 'erroring-fail\\.example\\.com' with binding 'erroring-fail\\.example\\.com-binding' denied request: expression 'object\\.spec\\.template\\.metadata\\.annotations\\['missing'\\] == 'x'' resulted in error: `,
        ),
      );
      // The Ignore policy's binding is applied after the Fail one's, which is in effect now;
      // wait for it too rather than assume.
      await until('vap-ignore', 'ignored', 60, (x) => x.code === 0 && x.stderr === '');
    });
  },
);
