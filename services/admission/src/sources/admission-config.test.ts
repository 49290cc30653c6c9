import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AdmissionConfigError, readAdmissionConfiguration } from './admission-config.js';

describe('readAdmissionConfiguration', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'admission-config-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads inline configurations and files relative to the configuration file', async () => {
    await writeFile(
      join(dir, 'pod-security.yaml'),
      [
        'apiVersion: pod-security.admission.config.k8s.io/v1',
        'kind: PodSecurityConfiguration',
        'defaults:',
        '  enforce: baseline',
      ].join('\n'),
    );
    const file = join(dir, 'admission.yaml');
    await writeFile(
      file,
      [
        'apiVersion: apiserver.config.k8s.io/v1',
        'kind: AdmissionConfiguration',
        'plugins:',
        '- name: PodSecurity',
        '  path: pod-security.yaml',
        '- name: EventRateLimit',
        '  configuration:',
        '    kind: Configuration',
        '- name: Empty',
      ].join('\n'),
    );
    const configs = await readAdmissionConfiguration(file);
    assert.deepEqual(configs.get('PodSecurity'), {
      apiVersion: 'pod-security.admission.config.k8s.io/v1',
      kind: 'PodSecurityConfiguration',
      defaults: { enforce: 'baseline' },
    });
    assert.deepEqual(configs.get('EventRateLimit'), { kind: 'Configuration' });
    assert.equal(configs.get('Empty'), undefined);
  });

  it('no file, no configuration', async () => {
    assert.equal((await readAdmissionConfiguration('')).size, 0);
  });

  it('refuses other kinds, missing files and unnamed plugins', async () => {
    const write = async (name: string, text: string) => {
      await writeFile(join(dir, name), text);
      return join(dir, name);
    };
    for (const text of [
      'apiVersion: v1\nkind: ConfigMap\n',
      'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- path: x\n',
      'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: A\n  path: missing.yaml\n',
      '{ not yaml',
    ]) {
      await assert.rejects(
        readAdmissionConfiguration(await write('bad.yaml', text)),
        AdmissionConfigError,
      );
    }
    await assert.rejects(
      readAdmissionConfiguration(join(dir, 'absent.yaml')),
      AdmissionConfigError,
    );
  });
});
