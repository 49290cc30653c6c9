// Which discovery representation a client asked for. kubectl 1.32 sends
//   application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,
//   application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json
// and expects the chosen media type echoed in Content-Type.
import { newNotAcceptable } from '@splitplane/apimachinery';
import { parseAccept } from '../negotiation/media-type.js';
import type { AggregatedVersion } from './aggregated.js';

export type DiscoveryFormat =
  | { kind: 'aggregated'; version: AggregatedVersion; contentType: string }
  | { kind: 'legacy'; encoding: 'json' | 'yaml'; contentType: string };

const AGGREGATED_GROUP = 'apidiscovery.k8s.io';
const AGGREGATED_AS = 'APIGroupDiscoveryList';

export const aggregatedContentType = (version: AggregatedVersion) =>
  `application/json;g=${AGGREGATED_GROUP};v=${version};as=${AGGREGATED_AS}`;

const LEGACY_JSON: DiscoveryFormat = {
  kind: 'legacy',
  encoding: 'json',
  contentType: 'application/json',
};

/**
 * `aggregatable` is true for /api and /apis, the only paths with an aggregated form.
 * Throws 406 NotAcceptable when nothing the client accepts can be served.
 */
export function negotiateDiscovery(
  accept: string | undefined,
  aggregatable: boolean,
): DiscoveryFormat {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return LEGACY_JSON;
  for (const r of ranges) {
    const anyType = r.type === '*' || (r.type === 'application' && r.subtype === '*');
    if (r.params.as !== undefined || r.params.g !== undefined) {
      const v = r.params.v;
      if (
        aggregatable &&
        r.params.g === AGGREGATED_GROUP &&
        r.params.as === AGGREGATED_AS &&
        (v === 'v2' || v === 'v2beta1') &&
        (anyType || (r.type === 'application' && r.subtype === 'json'))
      ) {
        return { kind: 'aggregated', version: v, contentType: aggregatedContentType(v) };
      }
      continue; // protobuf aggregated discovery, Tables and the like are not offered here
    }
    if (anyType || (r.type === 'application' && r.subtype === 'json')) return LEGACY_JSON;
    if (r.type === 'application' && r.subtype === 'yaml') {
      return { kind: 'legacy', encoding: 'yaml', contentType: 'application/yaml' };
    }
  }
  throw newNotAcceptable(
    'only the following media types are accepted: application/json, application/yaml, ' +
      `${aggregatedContentType('v2')}, ${aggregatedContentType('v2beta1')}`,
  );
}
