// Resolves --enable-admission-plugins / --disable-admission-plugins into a chain. No
// built-in plugin exists yet; naming one is an error rather than a silent no-op.
import type { Plugin } from './plugin.js';
import { AdmissionChain } from './chain.js';

export class UnknownPluginError extends Error {
  constructor(name: string) {
    super(
      `admission plugin "${name}" is not available yet (built-in plugins arrive with issue #5)`,
    );
    this.name = 'UnknownPluginError';
  }
}

/** Registered plugin factories, in kube's plugin order. Filled by issue #5. */
const registry: Array<[string, () => Plugin]> = [];

export function chainFor(enabled: string[], disabled: string[]): AdmissionChain {
  for (const name of [...enabled, ...disabled]) {
    if (!registry.some(([known]) => known === name)) throw new UnknownPluginError(name);
  }
  const plugins = registry
    .filter(([name]) => enabled.includes(name) && !disabled.includes(name))
    .map(([, factory]) => factory());
  return new AdmissionChain(plugins);
}
