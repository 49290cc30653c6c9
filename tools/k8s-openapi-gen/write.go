package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
)

// writeSortedJSON writes v as indented JSON with every object's keys sorted.
// kube-openapi's types marshal themselves with their own field order, so the
// value is decoded into plain maps first; encoding/json sorts map keys, which
// keeps the committed file stable across runs.
func writeSortedJSON(path string, v interface{}) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	// Keep numbers exactly as written (e.g. int64 bounds) instead of float64.
	dec.UseNumber()
	var generic interface{}
	if err := dec.Decode(&generic); err != nil {
		return fmt.Errorf("re-decoding: %w", err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Descriptions contain "<" and "&"; keep them readable.
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(generic); err != nil {
		return fmt.Errorf("encoding sorted: %w", err)
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
