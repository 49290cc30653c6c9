// Audit annotations admission added to a write (kube's AddAuditAnnotation). The gateway has
// no audit log yet, so this one place logs them with the request's audit ID; an audit
// backend will take them from here.
import { logger } from '../logger.js';
import type { ResourceRequest } from './resource-request.js';

export function recordAuditAnnotations(
  r: ResourceRequest,
  annotations: Record<string, string> | undefined,
  object?: Uint8Array,
): void {
  if (!annotations || Object.keys(annotations).length === 0) return;
  const { info } = r.ctx;
  // A create names its object only in the response, as kube's audit objectRef takes it.
  const name = info.name || (object ? nameOf(object) : '');
  logger().info(
    {
      auditID: r.ctx.auditId,
      verb: info.verb,
      resource: r.def.plural,
      ...(info.subresource ? { subresource: info.subresource } : {}),
      ...(info.namespace ? { namespace: info.namespace } : {}),
      ...(name ? { name } : {}),
      annotations,
    },
    'audit annotations',
  );
}

function nameOf(object: Uint8Array): string {
  try {
    const parsed = JSON.parse(Buffer.from(object).toString('utf8')) as {
      metadata?: { name?: unknown };
    };
    return typeof parsed.metadata?.name === 'string' ? parsed.metadata.name : '';
  } catch {
    return '';
  }
}
