import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SelectorParseError, Selector, fromLabelSelector, parseSelector } from './index.js';

describe('label selector parsing', () => {
  it('accepts the forms kube accepts', () => {
    const ok = [
      '',
      'x=a,y=b,z=c',
      'x!=a,y=b',
      'x=',
      'x= ',
      'x=,z= ',
      'x==a',
      'x in (a)',
      'x in (a,b,c)',
      'x notin (a)',
      'x in ()',
      'x in (,a)',
      'x in (a,)',
      'x>1',
      'x<1',
      '!x',
      'x',
      'x,y',
      '  x = a ,\ty\n',
      'example.com/app in (in, notin)',
      'in=notin',
    ];
    for (const s of ok) assert.doesNotThrow(() => parseSelector(s), s);
  });

  it('rejects malformed selectors with kube wording', () => {
    const cases: Array<[string, string]> = [
      ['x=a b', "found 'b', expected: ',' or 'end of string'"],
      ['x==a==b', "found '==', expected: ',' or 'end of string'"],
      ['!x=a', "found '=', expected: ',' or 'end of string'"],
      ['x=a,', "found '', expected: identifier after ','"],
      [',x', "found ',', expected: !, identifier, or 'end of string'"],
      ['x in a', "unable to parse requirement: found 'a' expected: '('"],
      ['x in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
      ['x notin', "unable to parse requirement: found '' expected: '('"],
      ['x in (a b)', "unable to parse requirement: found 'b', expected: ',' or ')'"],
      ['x = (', "unable to parse requirement: found '(', expected: identifier"],
      ['x a', "unable to parse requirement: found 'a', expected: in, notin, =, ==, !=, gt, lt"],
      [
        'x<a',
        'unable to parse requirement: values[0]: Invalid value: "a": ' +
          "for 'Gt', 'Lt' operators, the value must be an integer",
      ],
    ];
    for (const [input, message] of cases) {
      assert.throws(
        () => parseSelector(input),
        (err: unknown) => {
          assert.ok(err instanceof SelectorParseError, input);
          assert.equal(err.message, message, input);
          return true;
        },
      );
    }
  });

  it('validates keys and values', () => {
    // '|' is no operator, so "a||y" is one (invalid) value, as in kube.
    assert.throws(
      () => parseSelector('x=a||y=b'),
      /unable to parse requirement: values\[0\]\[x\]: Invalid value: "a\|\|y"/,
    );
    assert.throws(() => parseSelector('x<-1'), /values\[0\]\[x\]: Invalid value: "-1"/);
    assert.throws(() => parseSelector('-x=a'), {
      message:
        'unable to parse requirement: <nil>: Invalid value: "-x": name part must consist of alphanumeric characters, ' +
        "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or " +
        "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    });
    assert.throws(() => parseSelector('x=a_'), {
      message:
        'unable to parse requirement: values[0][x]: Invalid value: "a_": a valid label must be an empty string or ' +
        "consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
        "(e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is " +
        "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    });
    assert.throws(() => parseSelector(`x=${'a'.repeat(64)}`), /must be no more than 63 characters/);
  });

  it('maps to a 400 BadRequest', () => {
    try {
      parseSelector('x in a');
      assert.fail('expected a throw');
    } catch (err) {
      const status = (err as SelectorParseError).toStatusError().status;
      assert.equal(status.code, 400);
      assert.equal(status.reason, 'BadRequest');
    }
  });
});

describe('label selector semantics', () => {
  const labels = { app: 'web', tier: 'front', n: '5' };

  it('matches like kube', () => {
    const table: Array<[string, boolean]> = [
      ['', true],
      ['app=web', true],
      ['app==web', true],
      ['app!=web', false],
      ['app!=db', true],
      ['missing!=x', true],
      ['app in (web,db)', true],
      ['app notin (web)', false],
      ['missing notin (web)', true],
      ['app', true],
      ['!app', false],
      ['!missing', true],
      ['n>4', true],
      ['n>5', false],
      ['n<6', true],
      ['app>1', false],
      ['missing<1', false],
      ['app=web,tier=back', false],
      ['app=web,tier in (front)', true],
    ];
    for (const [sel, want] of table) assert.equal(parseSelector(sel).matches(labels), want, sel);
  });

  it('renders kube canonical strings, sorted by key', () => {
    assert.equal(parseSelector('z=1, a in (c,b,a), !m, k').toString(), 'a in (a,b,c),k,!m,z=1');
    assert.equal(
      parseSelector('x notin (),y>3,w<2,v==q,u!=p').toString(),
      'u!=p,v==q,w<2,x notin (),y>3',
    );
  });

  it('knows empty and exact matches', () => {
    assert.ok(parseSelector('').empty());
    assert.ok(!parseSelector('a').empty());
    const s = parseSelector('a=1,b in (2),c in (3,4),d!=5');
    assert.equal(s.exactMatch('a'), '1');
    assert.equal(s.exactMatch('b'), '2');
    assert.equal(s.exactMatch('c'), undefined);
    assert.equal(s.exactMatch('d'), undefined);
    assert.equal(s.exactMatch('zz'), undefined);
    assert.equal(s.requirementsForKey('c')[0]?.values.join(), '3,4');
  });
});

describe('fromLabelSelector', () => {
  it('converts metav1.LabelSelector', () => {
    const s = fromLabelSelector({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['front', 'edge'] },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    });
    assert.equal(s.toString(), 'app=web,!legacy,tier in (edge,front)');
    assert.ok(s.matches({ app: 'web', tier: 'edge' }));
    assert.ok(!s.matches({ app: 'web', tier: 'edge', legacy: 'y' }));
  });

  it('treats nil as nothing and empty as everything', () => {
    assert.ok(!fromLabelSelector(null).matches({}));
    assert.ok(fromLabelSelector({}).matches({ a: 'b' }));
    assert.ok(fromLabelSelector({}).empty());
  });

  it('rejects bad operators and values', () => {
    assert.throws(
      () => fromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }),
      {
        message: '"Gt" is not a valid label selector operator',
      },
    );
    assert.throws(
      () => fromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }),
      {
        message:
          "values: Invalid value: []{}: for 'in', 'notin' operators, values set can't be empty",
      },
    );
  });

  it('builds from a set', () => {
    assert.equal(Selector.fromSet({ b: '2', a: '1' }).toString(), 'a=1,b=2');
  });
});
