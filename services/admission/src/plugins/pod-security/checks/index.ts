export { hostProcessCheck } from './host-process.js';
export { hostNamespacesCheck } from './host-namespaces.js';
export { privilegedCheck } from './privileged.js';
export { capabilitiesBaselineCheck } from './capabilities-baseline.js';
export { hostPathVolumesCheck } from './host-path-volumes.js';
export { hostPortsCheck } from './host-ports.js';
export { hostProbesCheck } from './host-probes.js';
export { appArmorCheck } from './app-armor.js';
export { seLinuxCheckDef } from './se-linux.js';
export { procMountCheck } from './proc-mount.js';
export {
  seccompBaselineCheck,
  SECCOMP_POD_ANNOTATION,
  SECCOMP_CONTAINER_ANNOTATION_PREFIX,
} from './seccomp-baseline.js';
export { sysctlsCheck } from './sysctls.js';
export { restrictedVolumesCheck } from './restricted-volumes.js';
export { allowPrivilegeEscalationCheck } from './allow-privilege-escalation.js';
export { runAsNonRootCheck } from './run-as-non-root.js';
export { runAsUserCheck } from './run-as-user.js';
export { seccompRestrictedCheck } from './seccomp-restricted.js';
export { capabilitiesRestrictedCheck } from './capabilities-restricted.js';
