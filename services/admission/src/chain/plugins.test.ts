import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '@splitplane/kit';
import type { Plugin } from './plugin.js';
import type { PluginDeps, PluginFactory } from './plugin-deps.js';
import { UnavailableHub } from '../hub/unavailable-hub.js';
import {
  ALL_ORDERED_PLUGINS,
  AdmissionPluginConfigError,
  DEFAULT_ON_PLUGINS,
  chainFor,
  selectPlugins,
} from './plugins.js';

const plugin =
  (name: string): PluginFactory =>
  () =>
    ({ name, handles: () => true, validate: async () => undefined }) satisfies Plugin;

const implemented: Partial<Record<string, PluginFactory>> = {
  ValidatingAdmissionWebhook: plugin('ValidatingAdmissionWebhook'),
  NamespaceLifecycle: plugin('NamespaceLifecycle'),
  AlwaysDeny: plugin('AlwaysDeny'),
  LimitRanger: plugin('LimitRanger'),
};

function errorsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AdmissionPluginConfigError);
    return err.errors;
  }
  assert.fail('expected an AdmissionPluginConfigError');
}

describe('selectPlugins', () => {
  it('runs the default-on plugins we implement, in kube order, and reports the rest', () => {
    const { names, skipped } = selectPlugins([], [], implemented);
    assert.deepEqual(names, ['NamespaceLifecycle', 'LimitRanger', 'ValidatingAdmissionWebhook']);
    assert.ok(skipped.includes('ServiceAccount'));
    assert.ok(!skipped.includes('AlwaysDeny'));
    for (const name of skipped) assert.ok(DEFAULT_ON_PLUGINS.has(name));
  });

  it('adds enabled plugins and removes disabled ones, whatever the flag order', () => {
    const { names } = selectPlugins(['AlwaysDeny'], ['LimitRanger'], implemented);
    assert.deepEqual(names, ['NamespaceLifecycle', 'ValidatingAdmissionWebhook', 'AlwaysDeny']);
  });

  it('disabling a default-on plugin we lack is fine and silences it', () => {
    const { skipped } = selectPlugins([], ['ServiceAccount'], implemented);
    assert.ok(!skipped.includes('ServiceAccount'));
  });

  it('refuses names kube does not know with kube messages', () => {
    assert.deepEqual(
      errorsOf(() => selectPlugins(['Nope'], ['AlsoNope'], implemented)),
      [
        'enable-admission-plugins plugin "Nope" is unknown',
        'disable-admission-plugins plugin "AlsoNope" is unknown',
      ],
    );
  });

  it('refuses a plugin both enabled and disabled', () => {
    assert.deepEqual(
      errorsOf(() => selectPlugins(['LimitRanger'], ['LimitRanger'], implemented)),
      ['[LimitRanger] in enable-admission-plugins and disable-admission-plugins overlapped'],
    );
  });

  it('refuses an explicitly enabled plugin kube has but splitplane lacks, by name', () => {
    const errors = errorsOf(() => selectPlugins(['AlwaysPullImages'], [], implemented));
    assert.equal(errors.length, 1);
    assert.match(
      errors[0]!,
      /"AlwaysPullImages" is a Kubernetes admission plugin splitplane does not implement/,
    );
  });

  it('knows every default-on plugin', () => {
    for (const name of DEFAULT_ON_PLUGINS) assert.ok(ALL_ORDERED_PLUGINS.includes(name), name);
  });
});

describe('chainFor', () => {
  it('builds each selected plugin from its factory with the deps', () => {
    const seen: PluginDeps[] = [];
    const deps: PluginDeps = {
      hub: new UnavailableHub(),
      registry: undefined,
      authz: undefined,
      log: createLogger('test'),
      pluginConfig: () => undefined,
    };
    const chain = chainFor([], ['NamespaceLifecycle'], deps, {
      ...implemented,
      LimitRanger: (d) => {
        seen.push(d);
        return plugin('LimitRanger')(d);
      },
    });
    assert.deepEqual(
      chain.plugins.map((p) => p.name),
      ['LimitRanger', 'ValidatingAdmissionWebhook'],
    );
    assert.equal(seen[0], deps);
  });
});
