// Reads the Go-made fixture pairs in test-fixtures/ (see
// tools/k8s-protobuf-gen/fixtures): <name>.pb from Go's protobuf serializer and
// <name>.json from encoding/json of Go's decode of the same bytes.
import { readdirSync, readFileSync } from 'node:fs';

export const FIXTURE_DIR = new URL('../test-fixtures/', import.meta.url);

export interface Fixture {
  name: string;
  pb: Uint8Array;
  json: Record<string, unknown>;
}

export function fixtureBytes(file: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(file, FIXTURE_DIR)));
}

export function fixture(name: string): Fixture {
  return {
    name,
    pb: fixtureBytes(`${name}.pb`),
    json: JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURE_DIR), 'utf8')) as Record<
      string,
      unknown
    >,
  };
}

export function allFixtures(): Fixture[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.pb'))
    .sort()
    .map((f) => fixture(f.slice(0, -'.pb'.length)));
}
