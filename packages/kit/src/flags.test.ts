import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FlagError, type FlagSpec, parseFlags } from './flags.js';

const specs = {
  'etcd-servers': { type: 'list', default: ['http://127.0.0.1:2379'], help: '' },
  'secure-port': { type: 'number', default: 6443, help: '' },
  'anonymous-auth': { type: 'boolean', default: true, help: '' },
  'bind-address': { type: 'string', default: '0.0.0.0', help: '' },
} satisfies Record<string, FlagSpec>;

describe('kube-style flags', () => {
  it('uses defaults when a flag is absent', () => {
    assert.deepEqual(parseFlags(specs, []), {
      'etcd-servers': ['http://127.0.0.1:2379'],
      'secure-port': 6443,
      'anonymous-auth': true,
      'bind-address': '0.0.0.0',
    });
  });

  it('accepts --flag=value and --flag value, comma lists and repetition, and --bool=false', () => {
    const flags = parseFlags(specs, [
      '--etcd-servers=http://a:2379,http://b:2379',
      '--etcd-servers',
      'http://c:2379',
      '--secure-port',
      '7443',
      '--anonymous-auth=false',
      '--bind-address=127.0.0.1',
    ]);
    assert.deepEqual(flags['etcd-servers'], ['http://a:2379', 'http://b:2379', 'http://c:2379']);
    assert.equal(flags['secure-port'], 7443);
    assert.equal(flags['anonymous-auth'], false);
    assert.equal(flags['bind-address'], '127.0.0.1');
  });

  it('refuses unknown flags and non-numeric numbers', () => {
    assert.throws(() => parseFlags(specs, ['--no-such-flag=1']), FlagError);
    assert.throws(
      () => parseFlags(specs, ['--secure-port=https']),
      /invalid value "https" for flag --secure-port/,
    );
  });
});
