import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLongRunning, parseRequestInfo } from './request-info-parser.js';

// [method, url, verb, apiPrefix, group, version, namespace, resource, subresource, name, parts]
type Row = [string, string, string, string, string, string, string, string, string, string, string[]];

// The cases of kube's TestGetAPIRequestInfo, plus watch forms.
const RESOURCE_CASES: Row[] = [
  ['GET', '/api/v1/namespaces', 'list', 'api', '', 'v1', '', 'namespaces', '', '', ['namespaces']],
  ['GET', '/api/v1/namespaces/other', 'get', 'api', '', 'v1', 'other', 'namespaces', '', 'other', ['namespaces', 'other']],
  ['GET', '/api/v1/namespaces/other/pods', 'list', 'api', '', 'v1', 'other', 'pods', '', '', ['pods']],
  ['GET', '/api/v1/namespaces/other/pods/foo', 'get', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],
  ['HEAD', '/api/v1/namespaces/other/pods/foo', 'get', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],
  ['GET', '/api/v1/pods', 'list', 'api', '', 'v1', '', 'pods', '', '', ['pods']],
  ['HEAD', '/api/v1/pods', 'list', 'api', '', 'v1', '', 'pods', '', '', ['pods']],
  ['GET', '/api/v1/namespaces/other/pods/foo', 'get', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],
  ['GET', '/api/v1/namespaces/other/pods', 'list', 'api', '', 'v1', 'other', 'pods', '', '', ['pods']],
  // special verbs
  ['GET', '/api/v1/proxy/namespaces/other/pods/foo', 'proxy', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],
  ['GET', '/api/v1/proxy/namespaces/other/pods/foo/subpath/not/a/subresource', 'proxy', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo', 'subpath', 'not', 'a', 'subresource']],
  ['GET', '/api/v1/watch/pods', 'watch', 'api', '', 'v1', '', 'pods', '', '', ['pods']],
  ['GET', '/api/v1/pods?watch=true', 'watch', 'api', '', 'v1', '', 'pods', '', '', ['pods']],
  ['GET', '/api/v1/pods?watch=false', 'list', 'api', '', 'v1', '', 'pods', '', '', ['pods']],
  ['GET', '/api/v1/pods?watch=1', 'watch', 'api', '', 'v1', '', 'pods', '', '', ['pods']],
  ['GET', '/api/v1/pods?watch=0', 'list', 'api', '', 'v1', '', 'pods', '', '', ['pods']],
  ['GET', '/api/v1/watch/namespaces/other/pods', 'watch', 'api', '', 'v1', 'other', 'pods', '', '', ['pods']],
  ['GET', '/api/v1/namespaces/other/pods?watch=true&fieldSelector=metadata.name%3Dfoo', 'watch', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods']],
  // subresource identification
  ['GET', '/api/v1/namespaces/other/pods/foo/status', 'get', 'api', '', 'v1', 'other', 'pods', 'status', 'foo', ['pods', 'foo', 'status']],
  ['GET', '/api/v1/namespaces/other/pods/foo/proxy/subpath', 'get', 'api', '', 'v1', 'other', 'pods', 'proxy', 'foo', ['pods', 'foo', 'proxy', 'subpath']],
  ['PUT', '/api/v1/namespaces/other/finalize', 'update', 'api', '', 'v1', 'other', 'namespaces', 'finalize', 'other', ['namespaces', 'other', 'finalize']],
  ['PUT', '/api/v1/namespaces/other/status', 'update', 'api', '', 'v1', 'other', 'namespaces', 'status', 'other', ['namespaces', 'other', 'status']],
  // verb identification
  ['PATCH', '/api/v1/namespaces/other/pods/foo', 'patch', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],
  ['DELETE', '/api/v1/namespaces/other/pods/foo', 'delete', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],
  ['POST', '/api/v1/namespaces/other/pods', 'create', 'api', '', 'v1', 'other', 'pods', '', '', ['pods']],
  // deletecollection verb identification
  ['DELETE', '/api/v1/nodes', 'deletecollection', 'api', '', 'v1', '', 'nodes', '', '', ['nodes']],
  ['DELETE', '/api/v1/namespaces', 'deletecollection', 'api', '', 'v1', '', 'namespaces', '', '', ['namespaces']],
  ['DELETE', '/api/v1/namespaces/other/pods', 'deletecollection', 'api', '', 'v1', 'other', 'pods', '', '', ['pods']],
  ['DELETE', '/apis/extensions/v1/namespaces/other/pods', 'deletecollection', 'apis', 'extensions', 'v1', 'other', 'pods', '', '', ['pods']],
  // api group identification
  ['POST', '/apis/extensions/v1/namespaces/other/pods', 'create', 'apis', 'extensions', 'v1', 'other', 'pods', '', '', ['pods']],
  // api version identification
  ['POST', '/apis/extensions/v1beta3/namespaces/other/pods', 'create', 'apis', 'extensions', 'v1beta3', 'other', 'pods', '', '', ['pods']],
  ['GET', '/apis/apps/v1/namespaces/default/deployments/web/scale', 'get', 'apis', 'apps', 'v1', 'default', 'deployments', 'scale', 'web', ['deployments', 'web', 'scale']],
];

test('resource requests parse as kube RequestInfo', () => {
  for (const [method, url, verb, apiPrefix, apiGroup, apiVersion, namespace, resource, subresource, name, parts] of RESOURCE_CASES) {
    const info = parseRequestInfo(method, url);
    assert.deepEqual(
      { isResourceRequest: info.isResourceRequest, verb, apiPrefix, apiGroup, apiVersion, namespace, resource, subresource, name, parts },
      {
        isResourceRequest: true,
        verb: info.verb,
        apiPrefix: info.apiPrefix,
        apiGroup: info.apiGroup,
        apiVersion: info.apiVersion,
        namespace: info.namespace,
        resource: info.resource,
        subresource: info.subresource,
        name: info.name,
        parts: info.parts,
      },
      `${method} ${url}`,
    );
  }
});

test('non-resource paths keep the lower-case method as verb', () => {
  for (const [method, url, verb] of [
    ['GET', '/api', 'get'],
    ['GET', '/apis', 'get'],
    ['GET', '/apis/apps', 'get'],
    ['GET', '/healthz', 'get'],
    ['GET', '/version', 'get'],
    ['POST', '/foo', 'post'],
    ['GET', '/', 'get'],
  ] as const) {
    const info = parseRequestInfo(method, url);
    assert.equal(info.isResourceRequest, false, url);
    assert.equal(info.verb, verb, url);
    assert.equal(info.path, url);
  }
});

test('a special verb without a resource is an error', () => {
  assert.throws(() => parseRequestInfo('GET', '/api/v1/watch'), /unable to determine kind and namespace from url/);
  assert.throws(() => parseRequestInfo('GET', '/api/v1/proxy'), /unable to determine kind and namespace from url/);
});

test('watch and subresources like exec are long-running', () => {
  assert.equal(isLongRunning(parseRequestInfo('GET', '/api/v1/pods?watch=true')), true);
  assert.equal(isLongRunning(parseRequestInfo('GET', '/api/v1/watch/pods')), true);
  assert.equal(isLongRunning(parseRequestInfo('POST', '/api/v1/namespaces/a/pods/b/exec')), true);
  assert.equal(isLongRunning(parseRequestInfo('GET', '/api/v1/namespaces/a/pods/b/log')), true);
  assert.equal(isLongRunning(parseRequestInfo('GET', '/api/v1/pods')), false);
  assert.equal(isLongRunning(parseRequestInfo('GET', '/healthz')), false);
});
