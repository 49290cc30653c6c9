// GET /version. kubectl here is a dispatcher that picks its own binary from `minor`, and
// clients gate features on it, so it must name a real Kubernetes minor (1.32).
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

export const KUBE_MAJOR = '1';
export const KUBE_MINOR = '32';

export function versionInfo(overrides: Partial<VersionInfo> = {}): VersionInfo {
  return {
    major: KUBE_MAJOR,
    minor: KUBE_MINOR,
    gitVersion: `v${KUBE_MAJOR}.${KUBE_MINOR}.4-splitplane`,
    gitCommit: process.env.SPLITPLANE_GIT_COMMIT ?? 'unknown',
    gitTreeState: 'clean',
    buildDate: process.env.SPLITPLANE_BUILD_DATE ?? '1970-01-01T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'tsc',
    platform: `${process.platform === 'win32' ? 'windows' : process.platform}/${goArch(process.arch)}`,
    ...overrides,
  };
}

/** Handler for GET /version; usable as an express handler. */
export function versionHandler(info: VersionInfo = versionInfo()) {
  const body = JSON.stringify(info, null, 2);
  return (_req: IncomingMessage, res: ServerResponse): void => {
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('Cache-Control', 'no-cache, private');
    res.end(body);
  };
}

function goArch(arch: string): string {
  return arch === 'x64' ? 'amd64' : arch === 'ia32' ? '386' : arch;
}
