// Runs the checks of a level:version against a pod, as kube's checkRegistry does: the
// baseline checks then the restricted ones, each sorted by ID, with a restricted check
// replacing the baseline checks it overrides at that version.
import type { LevelVersion, Version } from './api.js';
import type { Check, CheckPod, CheckResult } from './check.js';
import * as checks from './checks/index.js';
import { byteOrder } from './format.js';
import type { PodMetaLike, PodSpecLike } from './pod-types.js';

export const DEFAULT_CHECKS: readonly Check[] = [
  checks.hostProcessCheck,
  checks.hostNamespacesCheck,
  checks.privilegedCheck,
  checks.capabilitiesBaselineCheck,
  checks.hostPathVolumesCheck,
  checks.hostPortsCheck,
  checks.hostProbesCheck,
  checks.appArmorCheck,
  checks.seLinuxCheckDef,
  checks.procMountCheck,
  checks.seccompBaselineCheck,
  checks.sysctlsCheck,
  checks.restrictedVolumesCheck,
  checks.allowPrivilegeEscalationCheck,
  checks.runAsNonRootCheck,
  checks.runAsUserCheck,
  checks.seccompRestrictedCheck,
  checks.capabilitiesRestrictedCheck,
];

export interface AggregateCheckResult {
  allowed: boolean;
  forbiddenReasons: string[];
  forbiddenDetails: string[];
}

/** kube's ForbiddenDetail: `reason (detail), reason (detail)`. */
export function forbiddenDetail(r: AggregateCheckResult): string {
  return r.forbiddenReasons
    .map((reason, i) => (r.forbiddenDetails[i] ? `${reason} (${r.forbiddenDetails[i]})` : reason))
    .join(', ');
}

interface Selected {
  id: string;
  checkPod: CheckPod;
  overrides: readonly string[];
}

function select(check: Check, version: Version): Selected | undefined {
  let chosen;
  for (const v of check.versions) {
    if (version.latest || v.minimumVersion <= version.minor) chosen = v;
  }
  return chosen && { id: check.id, checkPod: chosen.checkPod, overrides: chosen.overrides ?? [] };
}

export class Evaluator {
  constructor(private readonly checks: readonly Check[] = DEFAULT_CHECKS) {}

  /** The checks that apply at a level:version, in evaluation order. */
  checksFor(lv: LevelVersion): Selected[] {
    if (lv.level === 'privileged') return [];
    const pick = (level: Check['level']) =>
      this.checks
        .filter((c) => c.level === level)
        .map((c) => select(c, lv.version))
        .filter((s): s is Selected => s !== undefined)
        .sort((a, b) => byteOrder(a.id, b.id));
    const baseline = pick('baseline');
    if (lv.level === 'baseline') return baseline;
    const restricted = pick('restricted');
    const overridden = new Set(restricted.flatMap((s) => s.overrides));
    return [...baseline.filter((s) => !overridden.has(s.id)), ...restricted];
  }

  evaluatePod(lv: LevelVersion, meta: PodMetaLike, spec: PodSpecLike): CheckResult[] {
    return this.checksFor(lv).map((s) => s.checkPod(meta, spec));
  }

  evaluate(lv: LevelVersion, meta: PodMetaLike, spec: PodSpecLike): AggregateCheckResult {
    const out: AggregateCheckResult = { allowed: true, forbiddenReasons: [], forbiddenDetails: [] };
    for (const r of this.evaluatePod(lv, meta, spec)) {
      if (r.allowed) continue;
      out.allowed = false;
      out.forbiddenReasons.push(r.forbiddenReason ?? '');
      out.forbiddenDetails.push(r.forbiddenDetail ?? '');
    }
    return out;
  }
}
