import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenFileAuthenticator, TokenFileError, parseCsv, parseTokenFile } from './token-file.js';

test('kube token file: token,user,uid and an optional quoted group list', async () => {
  const tokens = parseTokenFile(
    'tok-1,alice,1001,"dev,ops"\n\ntok-2, bob ,1002\n"tok,3",carol,1003,qa\n',
  );
  const auth = new TokenFileAuthenticator(tokens);
  assert.deepEqual((await auth.authenticateToken('tok-1'))?.user, {
    username: 'alice',
    uid: '1001',
    groups: ['dev', 'ops'],
    extra: {},
  });
  // Go's csv TrimLeadingSpace keeps trailing spaces, as kube does.
  assert.equal((await auth.authenticateToken('tok-2'))?.user.username, 'bob ');
  assert.deepEqual((await auth.authenticateToken('tok-2'))?.user.groups, []);
  assert.equal((await auth.authenticateToken('tok,3'))?.user.username, 'carol');
  assert.equal(await auth.authenticateToken('nope'), null);
});

test('a line with fewer than 3 columns is kube’s error', () => {
  assert.throws(
    () => parseTokenFile('tok,user\n', '/etc/tokens.csv'),
    (err: unknown) =>
      err instanceof TokenFileError &&
      err.message ===
        "token file '/etc/tokens.csv' must have at least 3 columns (token, user name, user uid), found 2",
  );
});

test('csv: doubled quotes, CRLF line ends, unterminated quotes', () => {
  assert.deepEqual(parseCsv('a,"b ""c""",d\r\ne,f,g'), [
    ['a', 'b "c"', 'd'],
    ['e', 'f', 'g'],
  ]);
  assert.throws(() => parseCsv('a,"b\n'), TokenFileError);
});
