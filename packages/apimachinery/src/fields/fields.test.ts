import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '../errors/index.js';
import {
  FieldSelector,
  FieldSelectorParseError,
  type SelectableResource,
  escapeValue,
  fieldAttributes,
  parseFieldSelector,
  unescapeValue,
  validateFieldSelector,
} from './index.js';

describe('field selector parsing', () => {
  it('parses =, == and != terms, sorted', () => {
    const s = parseFieldSelector('status.phase!=Running,metadata.name==a,spec.nodeName=n1');
    assert.equal(s.toString(), 'metadata.name=a,spec.nodeName=n1,status.phase!=Running');
    assert.ok(parseFieldSelector('').empty());
    assert.ok(parseFieldSelector(',').empty());
    assert.equal(parseFieldSelector('a=').terms[0]?.value, '');
  });

  it('handles escaping', () => {
    const s = parseFieldSelector('a=x\\,y\\=z\\\\,b=c');
    assert.deepEqual(
      s.terms.map((t) => [t.field, t.value]),
      [
        ['a', 'x,y=z\\'],
        ['b', 'c'],
      ],
    );
    assert.equal(s.toString(), 'a=x\\,y\\=z\\\\,b=c');
    assert.equal(escapeValue('a,b=c\\'), 'a\\,b\\=c\\\\');
    assert.equal(unescapeValue(escapeValue('a,b=c\\')), 'a,b=c\\');
  });

  it('rejects bad syntax with kube messages', () => {
    const cases: Array<[string, string]> = [
      ['a', "invalid selector: 'a'; can't understand 'a'"],
      ['a=b,c', "invalid selector: 'a=b,c'; can't understand 'c'"],
      ['a=b\\c', 'invalid field selector: invalid escape sequence: \\c'],
      ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
      ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
    ];
    for (const [input, message] of cases) {
      assert.throws(
        () => parseFieldSelector(input),
        (err: unknown) => {
          assert.ok(err instanceof FieldSelectorParseError, input);
          assert.equal(err.message, message, input);
          assert.equal(err.toStatusError().code, 400);
          return true;
        },
      );
    }
  });

  it('matches, treating missing fields as empty', () => {
    const fields = { 'metadata.name': 'a', 'status.phase': 'Running' };
    assert.ok(parseFieldSelector('metadata.name=a').matches(fields));
    assert.ok(!parseFieldSelector('metadata.name=b').matches(fields));
    assert.ok(parseFieldSelector('status.phase!=Pending,metadata.name=a').matches(fields));
    assert.ok(parseFieldSelector('spec.nodeName=').matches(fields));
    assert.ok(!parseFieldSelector('spec.nodeName!=').matches(fields));
  });

  it('reports exact matches', () => {
    const s = parseFieldSelector('spec.nodeName=n1,status.phase!=Failed');
    assert.equal(s.requiresExactMatch('spec.nodeName'), 'n1');
    assert.equal(s.requiresExactMatch('status.phase'), undefined);
    assert.equal(FieldSelector.fromSet({ b: '1', a: '2' }).toString(), 'a=2,b=1');
  });
});

const pods: SelectableResource = {
  group: '',
  kind: 'Pod',
  namespaced: true,
  selectableFields: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.podIPs',
    'status.nominatedNodeName',
  ],
};

describe('fieldAttributes', () => {
  it('builds the pod field set like kube', () => {
    const attrs = fieldAttributes(pods, {
      metadata: { name: 'p', namespace: 'ns' },
      spec: { nodeName: 'n1', restartPolicy: 'Always' },
      status: {
        phase: 'Running',
        podIP: '10.0.0.1',
        podIPs: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }],
      },
    });
    assert.deepEqual(attrs, {
      'metadata.name': 'p',
      'metadata.namespace': 'ns',
      'spec.nodeName': 'n1',
      'spec.restartPolicy': 'Always',
      'spec.schedulerName': '',
      'spec.serviceAccountName': '',
      'spec.hostNetwork': 'false',
      'status.phase': 'Running',
      'status.podIP': '10.0.0.1',
      'status.nominatedNodeName': '',
    });
    assert.ok(parseFieldSelector('spec.hostNetwork=false').matches(attrs));
  });

  it('handles events, nodes, jobs, replica sets and secrets', () => {
    const event = {
      group: '',
      kind: 'Event',
      namespaced: true,
      selectableFields: ['source', 'reason', 'reportingComponent'],
    };
    assert.deepEqual(
      fieldAttributes(event, {
        metadata: { name: 'e', namespace: 'd' },
        source: { component: 'kubelet' },
        reason: 'Pulled',
      }),
      {
        'metadata.name': 'e',
        'metadata.namespace': 'd',
        source: 'kubelet',
        reason: 'Pulled',
        reportingComponent: '',
      },
    );
    assert.equal(
      fieldAttributes(event, { metadata: { name: 'e' }, reportingComponent: 'ctrl' }).source,
      'ctrl',
      'falls back to the reporting controller',
    );
    const node = {
      group: '',
      kind: 'Node',
      namespaced: false,
      selectableFields: ['spec.unschedulable'],
    };
    assert.deepEqual(
      fieldAttributes(node, { metadata: { name: 'n' }, spec: { unschedulable: true } }),
      {
        'metadata.name': 'n',
        'spec.unschedulable': 'true',
      },
    );
    assert.equal(fieldAttributes(node, { metadata: { name: 'n' } })['spec.unschedulable'], 'false');
    const job = {
      group: 'batch',
      kind: 'Job',
      namespaced: true,
      selectableFields: ['status.successful'],
    };
    assert.equal(
      fieldAttributes(job, { metadata: {}, status: { succeeded: 3 } })['status.successful'],
      '3',
    );
    assert.equal(fieldAttributes(job, { metadata: {} })['status.successful'], '0');
    const rs = {
      group: 'apps',
      kind: 'ReplicaSet',
      namespaced: true,
      selectableFields: ['status.replicas'],
    };
    assert.equal(fieldAttributes(rs, { metadata: {} })['status.replicas'], '0');
    const secret = { group: '', kind: 'Secret', namespaced: true, selectableFields: ['type'] };
    assert.equal(fieldAttributes(secret, { metadata: {}, type: 'Opaque' }).type, 'Opaque');
  });
});

describe('validateFieldSelector', () => {
  const status = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      assert.ok(err instanceof StatusError);
      return err.status;
    }
    assert.fail('expected a StatusError');
  };

  it('accepts supported labels and rewrites spec.host', () => {
    const s = validateFieldSelector(pods, parseFieldSelector('spec.host=n1,metadata.namespace=d'));
    assert.equal(s.toString(), 'metadata.namespace=d,spec.nodeName=n1');
  });

  it('rejects unsupported labels with kube wording', () => {
    const st = status(() => validateFieldSelector(pods, parseFieldSelector('spec.foo=x')));
    assert.equal(st.code, 400);
    assert.equal(st.reason, 'BadRequest');
    assert.equal(st.message, 'field label not supported: spec.foo');
    const node = {
      group: '',
      kind: 'Node',
      namespaced: false,
      selectableFields: ['spec.unschedulable'],
    };
    assert.equal(
      status(() => validateFieldSelector(node, parseFieldSelector('metadata.namespace=x'))).message,
      'field label not supported: metadata.namespace',
    );
    const cm = { group: '', kind: 'ConfigMap', namespaced: true, selectableFields: [] };
    assert.equal(
      status(() => validateFieldSelector(cm, parseFieldSelector('data.x=y'))).message,
      '"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
    assert.equal(
      status(() => validateFieldSelector(cm, parseFieldSelector('data.x=y'), { custom: true }))
        .message,
      'field label not supported: data.x',
    );
  });
});

describe('field selector hygiene', () => {
  it('never reads inherited properties', () => {
    assert.ok(parseFieldSelector('constructor=').matches({}));
    assert.ok(!parseFieldSelector('constructor!=').matches({}));
  });
});
