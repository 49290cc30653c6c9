// kube's ordering of API versions (apimachinery version.CompareKubeAwareVersionStrings):
// GA before beta before alpha, higher numbers first, anything unparsable last by name.
// The first version of a group is its preferred version.

const KUBE_VERSION = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

interface Parsed {
  major: number;
  stage: number; // 2 GA, 1 beta, 0 alpha
  minor: number;
}

function parse(v: string): Parsed | undefined {
  const m = KUBE_VERSION.exec(v);
  if (!m) return undefined;
  const stage = m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0;
  return { major: Number(m[1]), stage, minor: m[3] === undefined ? 0 : Number(m[3]) };
}

/** Negative when `a` is preferred over `b`. */
export function compareVersions(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  if (pa && pb) {
    if (pa.stage !== pb.stage) return pb.stage - pa.stage;
    if (pa.major !== pb.major) return pb.major - pa.major;
    return pb.minor - pa.minor;
  }
  if (pa) return -1;
  if (pb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortVersions(versions: Iterable<string>): string[] {
  return [...new Set(versions)].sort(compareVersions);
}
