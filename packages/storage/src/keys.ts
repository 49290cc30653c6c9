// Everything the plane writes lives under /registry/ so the watch-cache's one prefix watch
// sees every revision bump (DESIGN §4), leader-election keys included.
export const LEADER_ELECTION_PREFIX = '/registry/splitplane/leases/';

export function leaderElectionKey(name: string): string {
  return `${LEADER_ELECTION_PREFIX}${name}`;
}
