import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { messageNameForKind, messagePlan } from './schema.js';

const overlay = JSON.parse(
  readFileSync(new URL('../generated/go-json.json', import.meta.url), 'utf8'),
) as {
  kinds: Record<string, Record<string, string>>;
  messages: Record<string, { go: string; fields?: [number, string, number][] }>;
};

test('every Go field of every message has a protobuf field in the descriptor', () => {
  const missing: string[] = [];
  for (const [name, goMessage] of Object.entries(overlay.messages)) {
    const plan = messagePlan(name);
    assert.ok(plan, `no plan for ${name}`);
    for (const [num, jsonName] of goMessage.fields ?? []) {
      if (plan.indexByNumber[num] === undefined) missing.push(`${name}.${jsonName} (${num})`);
    }
  }
  assert.deepStrictEqual(missing, []);
});

test('every kind in the table has a message', () => {
  for (const [apiVersion, kinds] of Object.entries(overlay.kinds)) {
    for (const kind of Object.keys(kinds)) {
      const name = messageNameForKind(apiVersion, kind);
      assert.ok(name && messagePlan(name), `${apiVersion} ${kind}`);
    }
  }
});
