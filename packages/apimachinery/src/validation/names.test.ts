import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isCIdentifier,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isEnvVarName,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
  nameIsDNSSubdomain,
} from './index.js';

const valid = (fn: (v: string) => string[], values: string[]) =>
  values.forEach((v) => assert.deepEqual(fn(v), [], `${fn.name}(${JSON.stringify(v)})`));
const bad = (fn: (v: string) => string[], values: string[]) =>
  values.forEach((v) => assert.notDeepEqual(fn(v), [], `${fn.name}(${JSON.stringify(v)})`));

describe('names', () => {
  it('DNS-1123 subdomain, with kube message', () => {
    valid(isDNS1123Subdomain, ['a', 'ab', 'a-b', 'a.b', '0', 'a.b.c', '1.2.3.4', 'a'.repeat(253)]);
    bad(isDNS1123Subdomain, ['', 'A', 'a_b', '-a', 'a-', 'a..b', '.a', 'a.', 'a'.repeat(254)]);
    assert.deepEqual(isDNS1123Subdomain('Web'), [
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must " +
        "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is " +
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
    assert.deepEqual(isDNS1123Subdomain('a'.repeat(254)), ['must be no more than 253 characters']);
  });

  it('DNS-1123 label', () => {
    valid(isDNS1123Label, ['a', '0', 'a-1', 'a'.repeat(63)]);
    bad(isDNS1123Label, ['', 'A', '-', 'a_b', 'a'.repeat(64)]);
    assert.deepEqual(isDNS1123Label('a.b'), ['must not contain dots']);
    assert.deepEqual(isDNS1123Label('A'), [
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and " +
        "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is " +
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
  });

  it('DNS-1035 label', () => {
    valid(isDNS1035Label, ['a', 'a-1', 'abc']);
    bad(isDNS1035Label, ['1a', '', 'a-', 'A']);
    assert.match(isDNS1035Label('1a')[0]!, /^a DNS-1035 label must consist of/);
  });

  it('qualified names', () => {
    valid(isQualifiedName, [
      'simple',
      'now-with-dashes',
      '1-starts-with-num',
      'example.com/Name',
      'a/b',
      'A_b.C',
    ]);
    bad(isQualifiedName, [
      '',
      '/',
      'a/',
      '/b',
      'a/b/c',
      '-a',
      'a-',
      'Example.com/x',
      `x/${'a'.repeat(64)}`,
    ]);
    assert.deepEqual(isQualifiedName('/b'), ['prefix part must be non-empty']);
    assert.deepEqual(isQualifiedName('a/b/c'), [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an " +
        "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is " +
        "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. " +
        "'example.com/MyName')",
    ]);
    assert.equal(isQualifiedName('a/').length, 2, 'empty name also fails the regex, as in kube');
  });

  it('label values', () => {
    valid(isValidLabelValue, ['', 'a', 'A', 'a-b_c.d', '1', 'a'.repeat(63)]);
    bad(isValidLabelValue, ['-a', 'a-', 'a b', 'a/b', 'a'.repeat(64)]);
  });

  it('ports', () => {
    assert.deepEqual(isValidPortNum(0), ['must be between 1 and 65535, inclusive']);
    assert.deepEqual(isValidPortNum(65535), []);
    valid(isValidPortName, ['http', 'h-2', 'a1']);
    assert.deepEqual(isValidPortName('1234'), ['must contain at least one letter (a-z)']);
    assert.deepEqual(isValidPortName('a--b'), [
      'must contain consecutive hyphens'.replace('must', 'must not'),
    ]);
    assert.deepEqual(isValidPortName('-a'), ['must not begin or end with a hyphen']);
    assert.deepEqual(isValidPortName('abcdefghijklmnop'), ['must be no more than 15 characters']);
    assert.deepEqual(isValidPortName('A'), [
      'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'must contain at least one letter (a-z)',
    ]);
  });

  it('identifiers', () => {
    valid(isCIdentifier, ['a', '_a', 'A_1']);
    bad(isCIdentifier, ['1a', 'a-b', '']);
    valid(isEnvVarName, ['A', 'my.env-name', '_x']);
    assert.deepEqual(isEnvVarName('..'), ["must not be '..'"]);
    assert.equal(isEnvVarName('1A').length, 1);
  });

  it('generateName prefixes may end in a dash', () => {
    assert.deepEqual(nameIsDNSSubdomain('web-', true), []);
    assert.notDeepEqual(nameIsDNSSubdomain('web-', false), []);
  });
});

describe('more names', () => {
  it('config map keys, header names, IPs and CIDRs', async () => {
    const { isConfigMapKey, isHTTPHeaderName, isValidIP, isValidCIDR } = await import('./index.js');
    valid(isConfigMapKey, ['a', 'key.name', 'KEY_NAME', '.dot']);
    assert.deepEqual(isConfigMapKey('..a'), ["must not start with '..'"]);
    assert.equal(isConfigMapKey('a/b').length, 1);
    valid(isHTTPHeaderName, ['X-Header-Name']);
    assert.match(
      isHTTPHeaderName('a b')[0]!,
      /^a valid HTTP header must consist of alphanumeric characters or '-'/,
    );
    valid(isValidIP, ['10.9.8.7', '2001:db8::ffff', '010.1.1.1']);
    assert.deepEqual(isValidIP('1.2.3'), [
      'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ]);
    valid(isValidCIDR, ['10.0.0.0/8', '2001:db8::/64']);
    bad(isValidCIDR, ['10.0.0.0', '10.0.0.0/33', 'x/8']);
  });
});
