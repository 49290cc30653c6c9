// Writes a protobufjs Root as a compact JSON descriptor, shared by the descriptor generators.
// Options and comments are dropped: the runtime needs only names, numbers and types, and
// options would bloat the committed file. Keys of `nested` and `fields` are names (PodDNSConfig
// has a field called "options"), so those maps are walked without filtering.
import { writeFileSync } from 'node:fs';

function strip(node) {
  if (node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map(strip);
  const outNode = {};
  for (const key of Object.keys(node)) {
    if (key === 'options' || key === 'comment') continue;
    outNode[key] = key === 'nested' || key === 'fields' ? stripNames(node[key]) : strip(node[key]);
  }
  return outNode;
}

function stripNames(names) {
  const outNames = {};
  for (const name of Object.keys(names)) outNames[name] = strip(names[name]);
  return outNames;
}

export function writeDescriptor(root, out) {
  writeFileSync(out, `${JSON.stringify(strip(root.toJSON({ keepComments: false })))}\n`);
}
