// MutatingAdmissionWebhook: matching webhooks are called one after another, each seeing the
// previous one's patches. reinvocationPolicy IfNeeded: when a webhook changes the object, the
// IfNeeded webhooks called before it are called once more (a single extra round, as kube).
// kube also reinvokes after in-tree plugins change the object; the chain seam has no such
// round yet, so only webhook-made changes trigger it here.
import { isDeepStrictEqual } from 'node:util';
import { newInternalError } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import type { AdmissionAttributes, AdmissionContext, Operation, Plugin } from '../chain/plugin.js';
import { callWebhook, recordResponse } from './call.js';
import { WebhookCallError, denialError } from './errors.js';
import { invocationFor, listWebhooks, type Invocation, type ListedWebhook } from './invocations.js';
import { resolveOptions, type ResolvedOptions, type WebhookPluginOptions } from './options.js';
import { applyWebhookPatch } from './patch.js';
import { toVersion } from './review.js';

/** Which webhooks ran, and which must run again. */
class ReinvocationState {
  readonly previouslyInvoked = new Set<string>();
  readonly toReinvoke = new Set<string>();

  changed(): void {
    for (const key of this.previouslyInvoked) this.toReinvoke.add(key);
    this.previouslyInvoked.clear();
  }
}

export class MutatingWebhookPlugin implements Plugin {
  readonly name = 'MutatingAdmissionWebhook';
  private readonly o: ResolvedOptions;

  constructor(options: WebhookPluginOptions) {
    this.o = resolveOptions(options);
  }

  /**
   * Every operation: the registry skips phases by a chain description refreshed every few
   * seconds, and a new configuration must take effect as soon as the informer has it.
   */
  handles(_operation: Operation): boolean {
    return true;
  }

  async admit(attributes: AdmissionAttributes, context: AdmissionContext): Promise<void> {
    const webhooks = listWebhooks(this.o.configurations);
    const state = new ReinvocationState();
    await this.round(0, webhooks, attributes, context, state);
    if (state.toReinvoke.size > 0) await this.round(1, webhooks, attributes, context, state);
  }

  private async round(
    round: number,
    webhooks: readonly ListedWebhook[],
    attributes: AdmissionAttributes,
    context: AdmissionContext,
    state: ReinvocationState,
  ): Promise<void> {
    for (const [index, listed] of webhooks.entries()) {
      // Matched against the object as earlier webhooks left it, as kube does; a webhook not
      // called in the first round is never called in the second.
      if (round > 0 && !state.toReinvoke.has(listed.key)) continue;
      const inv = await invocationFor(listed, attributes, this.o);
      if (!inv) continue;
      let changed = false;
      try {
        changed = await this.callOne(inv, attributes, context);
      } catch (err) {
        if (!(err instanceof WebhookCallError)) throw err;
        if (inv.webhook.failurePolicy !== 'Ignore') throw newInternalError(err);
        context.auditAnnotations[
          `failed-open.mutation.webhook.admission.k8s.io/round_${round}_index_${index}`
        ] = inv.webhook.name;
      }
      context.auditAnnotations[`mutation.webhook.admission.k8s.io/round_${round}_index_${index}`] =
        JSON.stringify({
          configuration: inv.configurationName,
          webhook: inv.webhook.name,
          mutated: changed,
        });
      if (changed) state.changed();
      if (inv.webhook.reinvocationPolicy === 'IfNeeded') state.previouslyInvoked.add(inv.key);
    }
  }

  /** Calls one webhook and applies its patch; true when the object changed. */
  private async callOne(
    inv: Invocation,
    attributes: AdmissionAttributes,
    context: AdmissionContext,
  ): Promise<boolean> {
    const response = await callWebhook(inv, attributes, attributes.object, {
      resolver: this.o.resolver,
      mutating: true,
      converter: this.o.converter,
    });
    recordResponse(inv.webhook.name, response, context);
    if (!response.allowed) throw denialError(inv.webhook.name, response.status);
    if (!response.patch || !response.patchType) return false;
    const sent = toVersion(this.o.converter, attributes.object, inv.kind);
    const patched = applyWebhookPatch(inv.webhook.name, sent, response.patch, response.patchType);
    if (!patched || isDeepStrictEqual(patched, sent)) return false;
    replaceInPlace(attributes, toVersion(this.o.converter, patched, attributes.kind)!);
    return true;
  }
}

/** Mutating plugins change attributes.object in place: keep the reference, swap its content. */
function replaceInPlace(attributes: AdmissionAttributes, next: KubeObject): void {
  const target = attributes.object;
  if (!target) {
    attributes.object = next;
    return;
  }
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(target, next);
}
