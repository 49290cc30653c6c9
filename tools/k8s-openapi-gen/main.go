// Command k8s-openapi-gen writes the OpenAPI definitions of the Kubernetes
// built-in types as one JSON document, for @splitplane/k8s-openapi.
//
// The schemas come from kube-openapi's openapi-gen, which gen.sh runs over
// k8s.io/api and k8s.io/apimachinery first (into internal/generated); this
// program only names them as kube-apiserver does, attaches group/version/kind
// extensions and writes sorted, stable JSON.
package main

import (
	"flag"
	"fmt"
	"os"
	"sort"

	"k8s.io/kube-openapi/pkg/builder"
	"k8s.io/kube-openapi/pkg/builder3"
	"k8s.io/kube-openapi/pkg/common"
	"k8s.io/kube-openapi/pkg/validation/spec"

	"github.com/splitplane/splitplane/tools/k8s-openapi-gen/internal/generated"
)

func main() {
	out := flag.String("out", "", "file to write the definitions document to (required)")
	v3Out := flag.String("v3-out", "", "optional: also write kube-openapi's own v3 components, for cross-checking the TypeScript v2->v3 conversion")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "k8s-openapi-gen: -out is required")
		os.Exit(2)
	}
	if err := run(*out, *v3Out); err != nil {
		fmt.Fprintln(os.Stderr, "k8s-openapi-gen:", err)
		os.Exit(1)
	}
}

func run(out, v3Out string) error {
	scheme, err := newScheme()
	if err != nil {
		return err
	}
	n := newNamer(scheme)
	names := allTypeNames()

	v2, err := builder.BuildOpenAPIDefinitionsForResources(&common.Config{
		GetDefinitions:    generated.GetOpenAPIDefinitions,
		GetDefinitionName: n.definitionName,
	}, names...)
	if err != nil {
		return fmt.Errorf("building v2 definitions: %w", err)
	}
	if err := checkKindsCovered(n, v2.Definitions); err != nil {
		return err
	}

	doc := document{
		Definitions:   v2.Definitions,
		V3Definitions: v3Overrides(n),
	}
	if err := writeSortedJSON(out, doc); err != nil {
		return err
	}

	if v3Out != "" {
		v3, err := builder3.BuildOpenAPIDefinitionsForResources(&common.OpenAPIV3Config{
			GetDefinitions:    generated.GetOpenAPIDefinitions,
			GetDefinitionName: n.definitionName,
		}, names...)
		if err != nil {
			return fmt.Errorf("building v3 definitions: %w", err)
		}
		if err := writeSortedJSON(v3Out, map[string]interface{}{"schemas": v3}); err != nil {
			return err
		}
	}
	return nil
}

// document is the shape of definitions.json.
type document struct {
	// Definitions are swagger 2.0 schemas keyed by kube's definition name,
	// referencing each other as "#/definitions/<name>".
	Definitions spec.Definitions `json:"definitions"`
	// V3Definitions holds the few schemas whose OpenAPI v3 form is not a
	// mechanical rewrite of the v2 one (Quantity, IntOrString: oneOf in v3, a
	// plain string in v2). Everything else is derived from Definitions.
	V3Definitions map[string]spec.Schema `json:"v3Definitions"`
}

// allTypeNames lists every Go type openapi-gen produced a schema for, sorted,
// leaving out the few whose schema points at something with no schema (such as
// meta/v1.InternalEvent, which embeds the runtime.Object interface): those are
// in-process helpers, never served, and kube-apiserver never publishes them
// either.
func allTypeNames() []string {
	defs := generated.GetOpenAPIDefinitions(func(string) spec.Ref { return spec.Ref{} })
	resolvable := map[string]bool{}
	var check func(name string, seen map[string]bool) bool
	check = func(name string, seen map[string]bool) bool {
		if ok, done := resolvable[name]; done {
			return ok
		}
		if seen[name] {
			return true // a cycle; decided by the other members
		}
		def, ok := defs[name]
		if !ok {
			return false
		}
		seen[name] = true
		for _, dep := range def.Dependencies {
			if !check(dep, seen) {
				resolvable[name] = false
				return false
			}
		}
		resolvable[name] = true
		return true
	}
	names := make([]string, 0, len(defs))
	for name := range defs {
		if check(name, map[string]bool{}) {
			names = append(names, name)
		} else {
			fmt.Fprintln(os.Stderr, "k8s-openapi-gen: skipping", name, "(depends on a type without a schema)")
		}
	}
	sort.Strings(names)
	return names
}

// v3Overrides picks the definitions that carry an embedded v2 variant: their
// main schema is the v3 one.
func v3Overrides(n *namer) map[string]spec.Schema {
	ref := func(goName string) spec.Ref {
		name, _ := n.definitionName(goName)
		return spec.MustCreateRef("#/definitions/" + common.EscapeJsonPointer(name))
	}
	overrides := map[string]spec.Schema{}
	for goName, def := range generated.GetOpenAPIDefinitions(ref) {
		if _, ok := def.Schema.Extensions[common.ExtensionV2Schema]; !ok {
			continue
		}
		schema := def.Schema
		ext := spec.Extensions{}
		for k, v := range schema.Extensions {
			if k != common.ExtensionV2Schema {
				ext[k] = v
			}
		}
		if len(ext) == 0 {
			ext = nil
		}
		schema.Extensions = ext
		name, _ := n.definitionName(goName)
		overrides[name] = schema
	}
	return overrides
}

// checkKindsCovered fails when a registered kind has no definition, which
// would mean gen.sh's package list and scheme.go drifted apart.
func checkKindsCovered(n *namer, defs spec.Definitions) error {
	for goName := range n.kinds {
		name, _ := n.definitionName(goName)
		if _, ok := defs[name]; !ok {
			return fmt.Errorf("kind type %s is registered in the scheme but has no definition; add its package to gen.sh", goName)
		}
	}
	return nil
}
