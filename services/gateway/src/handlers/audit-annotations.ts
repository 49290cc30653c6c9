// Audit annotations admission added to a write (kube's AddAuditAnnotation). The gateway has
// no audit log yet, so this one place logs them with the request's audit ID; an audit
// backend will take them from here.
import { logger } from '../logger.js';
import type { ResourceRequest } from './resource-request.js';

export function recordAuditAnnotations(
  r: ResourceRequest,
  annotations: Record<string, string> | undefined,
): void {
  if (!annotations || Object.keys(annotations).length === 0) return;
  const { info } = r.ctx;
  logger().info(
    {
      auditID: r.ctx.auditId,
      verb: info.verb,
      resource: r.def.plural,
      ...(info.subresource ? { subresource: info.subresource } : {}),
      ...(info.namespace ? { namespace: info.namespace } : {}),
      ...(info.name ? { name: info.name } : {}),
      annotations,
    },
    'audit annotations',
  );
}
