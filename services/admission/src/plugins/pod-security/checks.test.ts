// The Pod Security Standards controls, with allowed and forbidden values from the
// standards page and the messages kube's checks produce.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LATEST, v1, type Level, type Version } from './api.js';
import { Evaluator, forbiddenDetail } from './evaluator.js';
import type { PodMetaLike, PodSpecLike } from './pod-types.js';
import { bareSpec, restrictedSpec } from './test-pods.js';

const evaluator = new Evaluator();
const detail = (
  level: Level,
  spec: PodSpecLike,
  meta: PodMetaLike = {},
  version: Version = LATEST,
) => {
  const r = evaluator.evaluate({ level, version }, meta, spec);
  return r.allowed ? '' : forbiddenDetail(r);
};
const baseline = (spec: PodSpecLike, meta?: PodMetaLike, version?: Version) =>
  detail('baseline', spec, meta, version);
const restricted = (spec: PodSpecLike, meta?: PodMetaLike, version?: Version) =>
  detail('restricted', spec, meta, version);

describe('baseline', () => {
  it('allows a bare pod and forbids nothing at privileged', () => {
    assert.equal(baseline(bareSpec()), '');
    assert.equal(
      detail('privileged', {
        hostNetwork: true,
        containers: [{ name: 'c', securityContext: { privileged: true } }],
      }),
      '',
    );
  });

  it('HostProcess: undefined/false allowed, true forbidden on pod and containers', () => {
    assert.equal(baseline(bareSpec({ windowsOptions: { hostProcess: false } })), '');
    assert.equal(
      baseline({
        securityContext: { windowsOptions: { hostProcess: true } },
        containers: [
          { name: 'a', securityContext: { windowsOptions: { hostProcess: true } } },
          { name: 'b', securityContext: { windowsOptions: { hostProcess: true } } },
        ],
      }),
      'hostProcess (pod and containers "a", "b" must not set securityContext.windowsOptions.hostProcess=true)',
    );
  });

  it('Host Namespaces: hostNetwork, hostPID, hostIPC', () => {
    assert.equal(
      baseline({ ...bareSpec(), hostNetwork: false, hostPID: false, hostIPC: false }),
      '',
    );
    assert.equal(baseline({ ...bareSpec(), hostNetwork: true }), 'host namespaces (hostNetwork)');
    assert.equal(
      baseline({ ...bareSpec(), hostPID: true, hostNetwork: true, hostIPC: true }),
      'host namespaces (hostIPC, hostNetwork, hostPID)',
    );
  });

  it('Privileged Containers', () => {
    assert.equal(baseline(bareSpec({ privileged: false })), '');
    assert.equal(
      baseline(bareSpec({ privileged: true })),
      'privileged (container "c" must not set securityContext.privileged=true)',
    );
    assert.equal(
      baseline({
        initContainers: [{ name: 'init', securityContext: { privileged: true } }],
        containers: [{ name: 'c', securityContext: { privileged: true } }],
      }),
      'privileged (containers "init", "c" must not set securityContext.privileged=true)',
    );
  });

  it('Capabilities: the default set may be added, others not', () => {
    assert.equal(
      baseline(
        bareSpec({ capabilities: { add: ['CHOWN', 'NET_BIND_SERVICE', 'SYS_CHROOT', 'KILL'] } }),
      ),
      '',
    );
    assert.equal(
      baseline(bareSpec({ capabilities: { add: ['SYS_ADMIN', 'NET_RAW', 'CHOWN'] } })),
      'non-default capabilities (container "c" must not include "NET_RAW", "SYS_ADMIN" in securityContext.capabilities.add)',
    );
  });

  it('HostPath Volumes', () => {
    assert.equal(baseline({ ...bareSpec(), volumes: [{ name: 'e', emptyDir: {} }] }), '');
    assert.equal(
      baseline({ ...bareSpec(), volumes: [{ name: 'h', hostPath: { path: '/' } }] }),
      'hostPath volumes (volume "h")',
    );
    assert.equal(
      baseline({
        ...bareSpec(),
        volumes: [
          { name: 'h1', hostPath: { path: '/' } },
          { name: 'h2', hostPath: { path: '/x' } },
        ],
      }),
      'hostPath volumes (volumes "h1", "h2")',
    );
  });

  it('Host Ports: undefined or 0 allowed', () => {
    assert.equal(
      baseline({
        containers: [
          { name: 'c', ports: [{ containerPort: 80 }, { containerPort: 81, hostPort: 0 }] },
        ],
      }),
      '',
    );
    assert.equal(
      baseline({ containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080 }] }] }),
      'hostPort (container "c" uses hostPort 8080)',
    );
    assert.equal(
      baseline({
        containers: [
          { name: 'a', ports: [{ hostPort: 9000 }, { hostPort: 10000 }] },
          { name: 'b', ports: [{ hostPort: 9000 }] },
        ],
      }),
      'hostPort (containers "a", "b" use hostPorts 10000, 9000)',
    );
  });

  it('AppArmor: RuntimeDefault/Localhost fields and annotations allowed, Unconfined forbidden', () => {
    assert.equal(
      baseline(
        bareSpec(
          { appArmorProfile: { type: 'RuntimeDefault' } },
          { appArmorProfile: { type: 'Localhost', localhostProfile: 'p' } },
        ),
      ),
      '',
    );
    assert.equal(
      baseline(bareSpec(), {
        annotations: { 'container.apparmor.security.beta.kubernetes.io/c': 'runtime/default' },
      }),
      '',
    );
    assert.equal(
      baseline(bareSpec({ appArmorProfile: { type: 'Unconfined' } })),
      'forbidden AppArmor profile (container "c" must not set AppArmor profile type to "Unconfined")',
    );
    assert.equal(
      baseline(bareSpec(undefined, { appArmorProfile: { type: 'Unconfined' } }), {
        annotations: { 'container.apparmor.security.beta.kubernetes.io/c': 'unconfined' },
      }),
      'forbidden AppArmor profiles (pod and annotation must not set AppArmor profile type to "Unconfined", "container.apparmor.security.beta.kubernetes.io/c=\\"unconfined\\"")',
    );
  });

  it('SELinux: container types allowed, other types, user and role forbidden', () => {
    assert.equal(
      baseline(
        bareSpec(
          { seLinuxOptions: { type: 'container_t', level: 's0:c123,c456' } },
          { seLinuxOptions: { type: 'container_init_t' } },
        ),
      ),
      '',
    );
    assert.equal(baseline(bareSpec({ seLinuxOptions: { type: 'container_kvm_t' } })), '');
    assert.equal(
      baseline(
        bareSpec(
          { seLinuxOptions: { type: 'spc_t' } },
          { seLinuxOptions: { type: 'unconfined_t' } },
        ),
      ),
      'seLinuxOptions (pod and container "c" set forbidden securityContext.seLinuxOptions: types "spc_t", "unconfined_t")',
    );
    assert.equal(
      baseline(bareSpec({ seLinuxOptions: { type: 'spc_t', user: 'root', role: 'sysadm_r' } })),
      'seLinuxOptions (container "c" set forbidden securityContext.seLinuxOptions: type "spc_t"; user may not be set; role may not be set)',
    );
    assert.equal(
      baseline(bareSpec(undefined, { seLinuxOptions: { user: 'root' } })),
      'seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: user may not be set)',
    );
    // container_engine_t joined the allowed types in v1.31.
    assert.equal(baseline(bareSpec({ seLinuxOptions: { type: 'container_engine_t' } })), '');
    assert.equal(
      baseline(bareSpec({ seLinuxOptions: { type: 'container_engine_t' } }), {}, v1(30)),
      'seLinuxOptions (container "c" set forbidden securityContext.seLinuxOptions: type "container_engine_t")',
    );
  });

  it('/proc Mount Type: Default allowed, Unmasked forbidden unless in a user namespace', () => {
    assert.equal(baseline(bareSpec({ procMount: 'Default' })), '');
    assert.equal(
      baseline(bareSpec({ procMount: 'Unmasked' })),
      'procMount (container "c" must not set securityContext.procMount to "Unmasked")',
    );
    assert.equal(baseline({ ...bareSpec({ procMount: 'Unmasked' }), hostUsers: false }), '');
  });

  it('Seccomp: Unconfined forbidden, RuntimeDefault/Localhost/undefined allowed', () => {
    assert.equal(
      baseline(
        bareSpec(
          { seccompProfile: { type: 'Localhost', localhostProfile: 'p' } },
          { seccompProfile: { type: 'RuntimeDefault' } },
        ),
      ),
      '',
    );
    assert.equal(
      baseline(
        bareSpec(
          { seccompProfile: { type: 'Unconfined' } },
          { seccompProfile: { type: 'Unconfined' } },
        ),
      ),
      'seccompProfile (pod and container "c" must not set securityContext.seccompProfile.type to "Unconfined")',
    );
  });

  it('Sysctls: the safe set only', () => {
    const sysctls = (...names: string[]) =>
      bareSpec(undefined, { sysctls: names.map((name) => ({ name, value: '1' })) });
    assert.equal(
      baseline(
        sysctls(
          'kernel.shm_rmid_forced',
          'net.ipv4.ip_local_port_range',
          'net.ipv4.ip_unprivileged_port_start',
          'net.ipv4.tcp_syncookies',
          'net.ipv4.ping_group_range',
          'net.ipv4.ip_local_reserved_ports',
          'net.ipv4.tcp_keepalive_time',
          'net.ipv4.tcp_fin_timeout',
          'net.ipv4.tcp_keepalive_intvl',
          'net.ipv4.tcp_keepalive_probes',
          'net.ipv4.tcp_rmem',
          'net.ipv4.tcp_wmem',
        ),
      ),
      '',
    );
    assert.equal(
      baseline(sysctls('kernel.msgmax', 'net.core.somaxconn')),
      'forbidden sysctls (kernel.msgmax, net.core.somaxconn)',
    );
  });

  it('Probes and lifecycle hooks: host must be unset (v1.34+)', () => {
    const spec: PodSpecLike = {
      containers: [
        { name: 'b', livenessProbe: { httpGet: { host: '10.0.0.1', port: 80 } } } as never,
        {
          name: 'a',
          lifecycle: { preStop: { tcpSocket: { host: 'evil', port: 1 } } },
          readinessProbe: { httpGet: { host: '', port: 80 } },
        } as never,
        { name: 'ok', startupProbe: { httpGet: { port: 80 } } } as never,
      ],
    };
    assert.equal(
      baseline(spec),
      'probe or lifecycle host (containers "a", "b" use probe or lifecycle hosts "10.0.0.1", "evil")',
    );
    assert.equal(baseline(spec, {}, v1(33)), '');
  });

  it('reports every failing control in check-ID order', () => {
    assert.equal(
      baseline({
        hostPID: true,
        securityContext: { sysctls: [{ name: 'kernel.msgmax' }] },
        containers: [
          {
            name: 'c',
            securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN'] } },
          },
        ],
        volumes: [{ name: 'h', hostPath: { path: '/' } }],
      }),
      'non-default capabilities (container "c" must not include "SYS_ADMIN" in securityContext.capabilities.add), ' +
        'host namespaces (hostPID), hostPath volumes (volume "h"), ' +
        'privileged (container "c" must not set securityContext.privileged=true), forbidden sysctls (kernel.msgmax)',
    );
  });
});

describe('restricted', () => {
  it('allows the restricted example pod', () => {
    assert.equal(restricted(restrictedSpec()), '');
  });

  it("a bare pod gets kube's four violations", () => {
    assert.equal(
      restricted(bareSpec()),
      'allowPrivilegeEscalation != false (container "c" must set securityContext.allowPrivilegeEscalation=false), ' +
        'unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"]), ' +
        'runAsNonRoot != true (pod or container "c" must set securityContext.runAsNonRoot=true), ' +
        'seccompProfile (pod or container "c" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    );
  });

  it('Volume Types: the allowed sources pass, others name their type', () => {
    const ok = [
      'configMap',
      'csi',
      'downwardAPI',
      'emptyDir',
      'ephemeral',
      'persistentVolumeClaim',
      'projected',
      'secret',
    ];
    assert.equal(
      restricted(restrictedSpec({ volumes: ok.map((t) => ({ name: t, [t]: {} })) })),
      '',
    );
    assert.equal(
      restricted(restrictedSpec({ volumes: [{ name: 'h', hostPath: { path: '/' } }] })),
      'restricted volume types (volume "h" uses restricted volume type "hostPath")',
    );
    assert.equal(
      restricted(
        restrictedSpec({
          volumes: [{ name: 'a', nfs: {} }, { name: 'b', gitRepo: {} }, { name: 'c' }],
        }),
      ),
      'restricted volume types (volumes "a", "b", "c" use restricted volume types "gitRepo", "nfs", "unknown")',
    );
  });

  it('Privilege Escalation: must be false', () => {
    assert.equal(
      restricted(
        restrictedSpec(
          {},
          { securityContext: { allowPrivilegeEscalation: true, capabilities: { drop: ['ALL'] } } },
        ),
      ),
      'allowPrivilegeEscalation != false (container "c" must set securityContext.allowPrivilegeEscalation=false)',
    );
  });

  it('Running as Non-root: pod-level true covers containers; false anywhere is forbidden', () => {
    const sc = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
    assert.equal(
      restricted(
        restrictedSpec(
          { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } },
          { securityContext: { ...sc, runAsNonRoot: true } },
        ),
      ),
      '',
    );
    assert.equal(
      restricted(restrictedSpec({}, { securityContext: { ...sc, runAsNonRoot: false } })),
      'runAsNonRoot != true (container "c" must not set securityContext.runAsNonRoot=false)',
    );
    assert.equal(
      restricted(
        restrictedSpec({
          securityContext: { runAsNonRoot: false, seccompProfile: { type: 'RuntimeDefault' } },
        }),
      ),
      'runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false)',
    );
  });

  it('Running as Non-root user: runAsUser 0 forbidden (v1.23+)', () => {
    const spec = restrictedSpec({
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 0,
        seccompProfile: { type: 'RuntimeDefault' },
      },
    });
    assert.equal(restricted(spec), 'runAsUser=0 (pod must not set runAsUser=0)');
    assert.equal(restricted(spec, {}, v1(22)), '');
    assert.equal(restricted({ ...spec, hostUsers: false }), '');
    assert.equal(
      restricted({ ...spec, hostUsers: false }, {}, v1(33)),
      'runAsUser=0 (pod must not set runAsUser=0)',
    );
  });

  it('Seccomp: RuntimeDefault or Localhost required on pod or every container', () => {
    const sc = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
    assert.equal(
      restricted(
        restrictedSpec(
          { securityContext: { runAsNonRoot: true } },
          {
            securityContext: {
              ...sc,
              seccompProfile: { type: 'Localhost', localhostProfile: 'p' },
            },
          },
        ),
      ),
      '',
    );
    assert.equal(
      restricted(
        restrictedSpec({}, { securityContext: { ...sc, seccompProfile: { type: 'Unconfined' } } }),
      ),
      'seccompProfile (container "c" must not set securityContext.seccompProfile.type to "Unconfined")',
    );
  });

  it('Capabilities: drop ALL, add only NET_BIND_SERVICE', () => {
    assert.equal(
      restricted(
        restrictedSpec(
          {},
          {
            securityContext: {
              allowPrivilegeEscalation: false,
              capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
            },
          },
        ),
      ),
      '',
    );
    assert.equal(
      restricted(
        restrictedSpec(
          {},
          {
            securityContext: {
              allowPrivilegeEscalation: false,
              capabilities: { drop: ['NET_RAW'], add: ['SYS_ADMIN', 'CHOWN'] },
            },
          },
        ),
      ),
      'unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"]; ' +
        'container "c" must not include "CHOWN", "SYS_ADMIN" in securityContext.capabilities.add)',
    );
  });

  it('includes the baseline controls', () => {
    assert.equal(
      restricted(restrictedSpec({ hostNetwork: true })),
      'host namespaces (hostNetwork)',
    );
  });
});

describe('versions', () => {
  it('capabilities: restricted drop ALL applies from v1.22, baseline add-limits before', () => {
    const spec = restrictedSpec(
      {},
      {
        securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['SYS_ADMIN'] } },
      },
    );
    assert.equal(
      restricted(spec, {}, v1(21)),
      'non-default capabilities (container "c" must not include "SYS_ADMIN" in securityContext.capabilities.add)',
    );
    assert.equal(
      restricted(spec, {}, v1(22)),
      'unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"]; container "c" must not include "SYS_ADMIN" in securityContext.capabilities.add)',
    );
  });

  it('seccomp: annotations checked before v1.19, fields from v1.19', () => {
    const meta = { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' } };
    const spec = bareSpec({ seccompProfile: { type: 'Unconfined' } });
    assert.equal(
      baseline(spec, meta, v1(18)),
      'seccompProfile (forbidden annotation seccomp.security.alpha.kubernetes.io/pod="unconfined")',
    );
    assert.equal(
      baseline(spec, meta, v1(19)),
      'seccompProfile (container "c" must not set securityContext.seccompProfile.type to "Unconfined")',
    );
  });

  it('sysctls: the safe set grows at v1.27, v1.29 and v1.32', () => {
    const spec = (name: string) => bareSpec(undefined, { sysctls: [{ name }] });
    assert.equal(
      baseline(spec('net.ipv4.ip_local_reserved_ports'), {}, v1(26)),
      'forbidden sysctls (net.ipv4.ip_local_reserved_ports)',
    );
    assert.equal(baseline(spec('net.ipv4.ip_local_reserved_ports'), {}, v1(27)), '');
    assert.equal(
      baseline(spec('net.ipv4.tcp_fin_timeout'), {}, v1(28)),
      'forbidden sysctls (net.ipv4.tcp_fin_timeout)',
    );
    assert.equal(baseline(spec('net.ipv4.tcp_fin_timeout'), {}, v1(29)), '');
    assert.equal(
      baseline(spec('net.ipv4.tcp_rmem'), {}, v1(31)),
      'forbidden sysctls (net.ipv4.tcp_rmem)',
    );
    assert.equal(baseline(spec('net.ipv4.tcp_rmem'), {}, v1(32)), '');
  });

  it('Windows pods are relaxed from privilege escalation, capabilities and seccomp from v1.25', () => {
    const spec: PodSpecLike = {
      os: { name: 'windows' },
      securityContext: { runAsNonRoot: true },
      containers: [{ name: 'c' }],
    };
    assert.equal(restricted(spec, {}, v1(25)), '');
    assert.match(restricted(spec, {}, v1(24)), /^allowPrivilegeEscalation != false/);
  });

  it('runAsUser is not checked before v1.23 and allowPrivilegeEscalation not before v1.8', () => {
    const spec = restrictedSpec(
      { securityContext: { runAsNonRoot: true, runAsUser: 0 } },
      { securityContext: {} },
    );
    assert.equal(restricted(spec, {}, v1(7)), '');
    assert.equal(
      restricted(spec, {}, v1(8)),
      'allowPrivilegeEscalation != false (container "c" must set securityContext.allowPrivilegeEscalation=false)',
    );
  });
});

describe('message quoting', () => {
  it('quotes names as Go %q does', async () => {
    const { goQuote } = await import('./format.js');
    assert.equal(goQuote('a"b\\c'), '"a\\"b\\\\c"');
    assert.equal(goQuote('x\u001by\u0007\u000b\n\u007f'), '"x\\x1by\\a\\v\\n\\x7f"');
    assert.equal(goQuote('ünï'), '"ünï"');
  });
});
