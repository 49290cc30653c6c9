import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CelCompiler } from './compiler.js';
import { CelEvaluationError } from './errors.js';

const cel = new CelCompiler();
const ev = (expr: string) => cel.compile(expr).evaluate({});

describe('ip library', () => {
  it('parses and classifies addresses', () => {
    assert.equal(ev('isIP("10.0.0.1")'), true);
    assert.equal(ev('isIP("::ffff:10.0.0.1")'), false);
    assert.equal(ev('isIP("fe80::1%eth0")'), false);
    assert.equal(ev('isIP("300.0.0.1")'), false);
    assert.equal(ev('ip("10.0.0.1").family()'), 4n);
    assert.equal(ev('ip("2001:db8::1").family()'), 6n);
    assert.equal(ev('string(ip("2001:0db8:0:0:0:0:0:1"))'), '2001:db8::1');
    assert.equal(ev('ip("127.0.0.1").isLoopback()'), true);
    assert.equal(ev('ip("::1").isLoopback()'), true);
    assert.equal(ev('ip("0.0.0.0").isUnspecified()'), true);
    assert.equal(ev('ip("169.254.1.1").isLinkLocalUnicast()'), true);
    assert.equal(ev('ip("fe80::1").isLinkLocalUnicast()'), true);
    assert.equal(ev('ip("224.0.0.1").isLinkLocalMulticast()'), true);
    assert.equal(ev('ip("8.8.8.8").isGlobalUnicast()'), true);
    assert.equal(ev('ip("127.0.0.1").isGlobalUnicast()'), false);
    assert.throws(() => ev('ip("nope").family() == 4'), CelEvaluationError);
  });
});

describe('cidr library', () => {
  it('parses and tests containment', () => {
    assert.equal(ev('isCIDR("10.0.0.0/8")'), true);
    assert.equal(ev('isCIDR("10.0.0.0/33")'), false);
    assert.equal(ev('isCIDR("10.0.0.0")'), false);
    assert.equal(ev('cidr("10.0.0.0/8").containsIP("10.1.2.3")'), true);
    assert.equal(ev('cidr("10.0.0.0/8").containsIP(ip("11.1.2.3"))'), false);
    assert.equal(ev('cidr("10.0.0.0/8").containsIP("::1")'), false);
    assert.equal(ev('cidr("2001:db8::/32").containsIP("2001:db8:1::1")'), true);
    assert.equal(ev('cidr("10.0.0.0/8").containsCIDR("10.1.0.0/16")'), true);
    assert.equal(ev('cidr("10.1.0.0/16").containsCIDR(cidr("10.0.0.0/8"))'), false);
    assert.equal(ev('cidr("10.1.2.3/8").prefixLength()'), 8n);
    assert.equal(ev('string(cidr("10.1.2.3/8").masked())'), '10.0.0.0/8');
    assert.equal(ev('string(cidr("10.1.2.3/8").ip())'), '10.1.2.3');
  });
});

describe('format library', () => {
  it('validates named formats', () => {
    assert.equal(ev('format.dns1123Label().validate("my-name").hasValue()'), false);
    assert.equal(ev('format.dns1123Label().validate("My_Name").hasValue()'), true);
    assert.equal(ev('format.dns1123LabelPrefix().validate("web-").hasValue()'), false);
    assert.equal(ev('format.qualifiedName().validate("example.com/x").hasValue()'), false);
    assert.equal(ev('format.labelValue().validate("a b").hasValue()'), true);
    assert.equal(
      ev('format.uuid().validate("123e4567-e89b-12d3-a456-426614174000").hasValue()'),
      false,
    );
    assert.equal(ev('format.named("dns1035Label").value().validate("1abc").hasValue()'), true);
    assert.equal(ev('format.named("nope").hasValue()'), false);
    assert.equal(ev('size(format.dns1123Subdomain().validate("A").value()) > 0'), true);
  });
});

describe('semver, sets and strings.quote', () => {
  it('semver', () => {
    assert.equal(ev('isSemver("1.2.3-rc.1+b5")'), true);
    assert.equal(ev('isSemver("1.2")'), false);
    assert.equal(
      ev('semver("1.2.3").major() + semver("1.2.3").minor() + semver("1.2.3").patch()'),
      6n,
    );
    assert.equal(ev('semver("1.10.0").isGreaterThan(semver("1.9.9"))'), true);
    assert.equal(ev('semver("1.0.0-rc.1").isLessThan(semver("1.0.0"))'), true);
    assert.equal(ev('semver("1.0.0-rc.2").compareTo(semver("1.0.0-rc.10"))'), -1n);
    assert.equal(ev('semver("1.0.0") == semver("1.0.0+build")'), true);
  });

  it('sets', () => {
    assert.equal(ev('sets.contains([1, 2, 3], [3, 1])'), true);
    assert.equal(ev('sets.contains([1, 2], [4])'), false);
    assert.equal(ev('sets.equivalent([1, 2, 2], [2, 1])'), true);
    assert.equal(ev('sets.intersects(["a", "b"], ["c", "b"])'), true);
    assert.equal(ev('sets.intersects(["a"], [])'), false);
  });

  it('strings.quote', () => {
    assert.equal(ev('strings.quote("a\\"b")'), '"a\\"b"');
    assert.equal(ev('"x".upperAscii()'), 'X');
  });
});
