import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeWatchEvent,
  encodeWatchEvent,
  encodeWatchEventFrame,
  frameMessage,
  splitFrames,
} from './index.js';
import { fixture, fixtureBytes } from './test-fixtures.js';

const goFrame = fixtureBytes('watch-event-pod.frame');
const pod = fixture('pod').json;

test('a Go watch frame decodes to the event type and object', () => {
  const { messages, rest } = splitFrames(goFrame);
  assert.equal(messages.length, 1);
  assert.equal(rest.length, 0);
  const event = decodeWatchEvent(messages[0]!);
  assert.equal(event.type, 'ADDED');
  assert.deepStrictEqual(event.object, pod);
});

test('encodeWatchEventFrame matches the bytes kube-apiserver writes', () => {
  assert.deepStrictEqual(Buffer.from(encodeWatchEventFrame('ADDED', pod)), Buffer.from(goFrame));
});

test('frames are a 4-byte big-endian length and the message', () => {
  const framed = frameMessage(Uint8Array.of(1, 2, 3));
  assert.deepStrictEqual([...framed], [0, 0, 0, 3, 1, 2, 3]);
});

test('splitFrames keeps a partial frame for the next chunk', () => {
  const one = encodeWatchEvent('MODIFIED', pod);
  const stream = Buffer.concat([frameMessage(one), frameMessage(one)]);
  const first = splitFrames(stream.subarray(0, stream.length - 5));
  assert.equal(first.messages.length, 1);
  const second = splitFrames(Buffer.concat([first.rest, stream.subarray(stream.length - 5)]));
  assert.equal(second.messages.length, 1);
  assert.equal(second.rest.length, 0);
  assert.equal(decodeWatchEvent(second.messages[0]!).type, 'MODIFIED');
});
