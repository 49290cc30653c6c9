import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CelCompiler } from './compiler.js';
import { CelCompileError, CelEvaluationError } from './errors.js';
import { Quantity } from './lib/quantity-value.js';

const cel = new CelCompiler();
const ev = (expr: string, activation = {}) => cel.compile(expr).evaluate(activation);

describe('CEL compiler', () => {
  it('evaluates against bindings with JSON numbers as int', () => {
    const object = { spec: { replicas: 3 }, metadata: { name: 'x', labels: { a: 'b' } } };
    assert.equal(ev('object.spec.replicas <= 5', { object }), true);
    assert.equal(ev('object.spec.replicas + 1', { object }), 4n);
    assert.equal(
      ev('has(object.metadata.labels) && "a" in object.metadata.labels', { object }),
      true,
    );
    assert.equal(ev('has(object.spec.template)', { object }), false);
    assert.equal(ev('oldObject == null', { object }), true);
    assert.equal(ev('object.?spec.?paused.orValue(false)', { object }), false);
  });

  it('caches compiled programs', () => {
    assert.equal(cel.compile('1 + 1 == 2'), cel.compile('1 + 1 == 2'));
  });

  it('rejects bad syntax and undeclared variables at compile time', () => {
    assert.throws(() => cel.compile('object.'), CelCompileError);
    assert.throws(() => cel.compile('foo == 1'), CelCompileError);
    assert.throws(() => cel.compile('x'.repeat(6000)), CelCompileError);
  });

  it('reports runtime errors as CelEvaluationError', () => {
    assert.throws(
      () => ev('object.spec.missing == 1', { object: { spec: {} } }),
      CelEvaluationError,
    );
    assert.throws(() => ev('quantity("nope").sign() == 0'), CelEvaluationError);
  });

  it('reports an evaluation over the time budget', () => {
    const slow = new CelCompiler({ timeoutMs: 0 });
    const list = Array.from({ length: 300 }, (_, i) => i);
    assert.throws(
      () =>
        slow
          .compile('object.l.all(a, object.l.all(b, a + b >= 0))')
          .evaluate({ object: { l: list } }),
      /time budget/,
    );
  });
});

describe('strings library', () => {
  it('covers the strings extension', () => {
    assert.equal(ev('"ABC".lowerAscii()'), 'abc');
    assert.equal(ev('"abc".upperAscii()'), 'ABC');
    assert.deepEqual(ev('"a,b,c".split(",")'), ['a', 'b', 'c']);
    assert.equal(ev('["a", "b"].join("-")'), 'a-b');
    assert.equal(ev('"a b c".replace(" ", "_")'), 'a_b_c');
    assert.equal(ev('"a b c".replace(" ", "_", 1)'), 'a_b c');
    assert.equal(ev('"hello".substring(1, 3)'), 'el');
    assert.equal(ev('"  x ".trim()'), 'x');
    assert.equal(ev('"hello".indexOf("l")'), 2n);
    assert.equal(ev('"hello".lastIndexOf("l")'), 3n);
    assert.equal(ev('"hello".charAt(1)'), 'e');
    assert.equal(ev('"abc".reverse()'), 'cba');
  });

  it('formats', () => {
    assert.equal(ev('"%s has %d replicas".format(["web", 3])'), 'web has 3 replicas');
    assert.equal(ev('"%.2f %x %%".format([1.5, 255])'), '1.50 ff %');
    assert.throws(() => ev('"%d".format(["x"])'), CelEvaluationError);
  });
});

describe('lists library', () => {
  it('isSorted, sum, min, max, indexOf, lastIndexOf', () => {
    assert.equal(ev('[1, 2, 3].isSorted()'), true);
    assert.equal(ev('["b", "a"].isSorted()'), false);
    assert.equal(ev('[1, 2, 3].sum()'), 6n);
    assert.equal(ev('[1.5, 2.5].sum()'), 4);
    assert.equal(ev('[3, 1, 2].min()'), 1n);
    assert.equal(ev('[3, 1, 2].max()'), 3n);
    assert.equal(ev('[1, 2, 1].indexOf(1)'), 0n);
    assert.equal(ev('[1, 2, 1].lastIndexOf(1)'), 2n);
    assert.equal(ev('[1, 2, 1].indexOf(5)'), -1n);
    assert.deepEqual(ev('[1, 2, 3, 4].slice(1, 3)'), [2n, 3n]);
    assert.throws(() => ev('[].min()'), CelEvaluationError);
  });
});

describe('regex library', () => {
  it('find and findAll', () => {
    assert.equal(ev('"abc 123".find("[0-9]+")'), '123');
    assert.equal(ev('"abc".find("[0-9]+")'), '');
    assert.deepEqual(ev('"123 abc 456".findAll("[0-9]+")'), ['123', '456']);
    assert.deepEqual(ev('"1 2 3".findAll("[0-9]", 2)'), ['1', '2']);
    assert.equal(ev('"image:v1".matches("^[a-z]+:v[0-9]+$")'), true);
  });
});

describe('quantity library', () => {
  it('parses kube quantities exactly', () => {
    assert.equal(Quantity.parse('1Gi').compareTo(Quantity.parse('1024Mi')), 0n);
    assert.equal(Quantity.parse('500m').asApproximateFloat(), 0.5);
    assert.equal(Quantity.parse('1e3').asInteger(), 1000n);
    assert.equal(Quantity.parse('1.5k').asInteger(), 1500n);
    assert.equal(Quantity.tryParse('1.5.5'), undefined);
    assert.equal(Quantity.tryParse('Gi'), undefined);
  });

  it('exposes the CEL functions', () => {
    assert.equal(ev('isQuantity("100m")'), true);
    assert.equal(ev('isQuantity("100mm")'), false);
    assert.equal(ev('quantity("1Gi").isGreaterThan(quantity("1000Mi"))'), true);
    assert.equal(ev('quantity("1").isLessThan(quantity("1001m"))'), true);
    assert.equal(ev('quantity("2").compareTo(quantity("2000m"))'), 0n);
    assert.equal(ev('quantity("1Gi") == quantity("1024Mi")'), true);
    assert.equal(ev('quantity("1").add(quantity("500m")).asApproximateFloat()'), 1.5);
    assert.equal(ev('quantity("1").add(2).asInteger()'), 3n);
    assert.equal(ev('quantity("1").sub(quantity("2")).sign()'), -1n);
    assert.equal(ev('quantity("1").sub(1).sign()'), 0n);
    assert.equal(ev('quantity("1.5").isInteger()'), false);
    assert.throws(() => ev('quantity("1.5").asInteger() == 1'), CelEvaluationError);
    assert.equal(
      ev('quantity(object.spec.limits.memory).isLessThan(quantity("2Gi"))', {
        object: { spec: { limits: { memory: '512Mi' } } },
      }),
      true,
    );
  });
});

describe('url library', () => {
  it('parses and exposes the parts', () => {
    assert.equal(ev('isURL("https://example.com:8080/a%20b?x=1&x=2")'), true);
    assert.equal(ev('isURL("not a url")'), false);
    assert.equal(ev('isURL("/just/a/path")'), true);
    assert.equal(ev('url("https://example.com:8080/p").getScheme()'), 'https');
    assert.equal(ev('url("https://example.com:8080/p").getHost()'), 'example.com:8080');
    assert.equal(ev('url("https://example.com:8080/p").getHostname()'), 'example.com');
    assert.equal(ev('url("https://example.com:8080/p").getPort()'), '8080');
    assert.equal(ev('url("https://[::1]:80/").getHostname()'), '::1');
    assert.equal(ev('url("https://[::1]/").getPort()'), '');
    assert.equal(ev('url("https://e.com/a%20b").getEscapedPath()'), '/a%20b');
    assert.deepEqual(ev('url("https://e.com/?x=1&x=2&y=z").getQuery()'), {
      x: ['1', '2'],
      y: ['z'],
    });
    assert.throws(() => ev('url("nope").getHost() == ""'), CelEvaluationError);
  });
});
