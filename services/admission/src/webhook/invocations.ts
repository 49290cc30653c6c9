// The webhooks a request calls, in kube's order (configurations by name, webhooks as listed),
// after rules, selectors and matchConditions.
import { newForbidden } from '@splitplane/apimachinery';
import type { AdmissionAttributes } from '../chain/plugin.js';
import { matchWebhook, type MatchDependencies, type WebhookInvocation } from './match.js';
import type {
  MatchConditionEvaluator,
  WebhookConfiguration,
  WebhookConfigurationSource,
  WebhookSpec,
} from './types.js';

export interface ListedWebhook {
  configurationName: string;
  webhook: WebhookSpec;
  /** Identifies the webhook across reinvocation rounds. */
  key: string;
}

export function listWebhooks(source: WebhookConfigurationSource): ListedWebhook[] {
  const configs = (source.list() as WebhookConfiguration[])
    .map((c) => ({ name: c.metadata?.name ?? '', webhooks: c.webhooks ?? [] }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return configs.flatMap((c) =>
    c.webhooks.map((webhook, i) => ({
      configurationName: c.name,
      webhook,
      key: `${c.name}/${i}/${webhook.name}`,
    })),
  );
}

export interface Invocation extends WebhookInvocation {
  key: string;
}

/** The invocation of one webhook for the request as it stands, or undefined to skip it. */
export async function invocationFor(
  listed: ListedWebhook,
  attributes: AdmissionAttributes,
  deps: MatchDependencies & { matchConditions: MatchConditionEvaluator },
): Promise<Invocation | undefined> {
  const invocation = matchWebhook(listed.configurationName, listed.webhook, attributes, deps);
  if (!invocation) return undefined;
  const conditions = listed.webhook.matchConditions ?? [];
  if (conditions.length > 0) {
    const result = await deps.matchConditions.evaluate(conditions, attributes, {
      resource: invocation.resource,
      subresource: invocation.subresource,
      kind: invocation.kind,
    });
    if ('error' in result) {
      // Ignore skips the webhook; Fail refuses the request with a 403, as kube's matcher.
      if ((listed.webhook.failurePolicy ?? 'Fail') === 'Ignore') return undefined;
      throw newForbidden(
        { group: attributes.resource.group, resource: attributes.resource.resource },
        attributes.name,
        result.error.message,
      );
    }
    if (!result.matches) return undefined;
  }
  return { ...invocation, key: listed.key };
}

export async function invocationsFor(
  webhooks: readonly ListedWebhook[],
  attributes: AdmissionAttributes,
  deps: MatchDependencies & { matchConditions: MatchConditionEvaluator },
): Promise<Invocation[]> {
  const out: Invocation[] = [];
  for (const listed of webhooks) {
    const invocation = await invocationFor(listed, attributes, deps);
    if (invocation) out.push(invocation);
  }
  return out;
}
