// Command check compares our protobuf encoding of /openapi/v2 with what gnostic itself
// compiles from the JSON document (the way kube-apiserver produces its protobuf form).
//
// Usage: go run ./check <openapi-v2.json> <openapi-v2.pb>
package main

import (
	"fmt"
	"os"

	openapi_v2 "github.com/google/gnostic-models/openapiv2"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: check <openapi-v2.json> <openapi-v2.pb>")
		os.Exit(2)
	}
	jsonBytes, err := os.ReadFile(os.Args[1])
	must(err)
	pbBytes, err := os.ReadFile(os.Args[2])
	must(err)

	want, err := openapi_v2.ParseDocument(jsonBytes)
	must(err)
	got := &openapi_v2.Document{}
	must(proto.Unmarshal(pbBytes, got))

	if proto.Equal(want, got) {
		fmt.Printf("OK: %d paths, %d definitions, protobuf equal to gnostic's compile of the JSON\n",
			len(got.GetPaths().GetPath()), len(got.GetDefinitions().GetAdditionalProperties()))
		return
	}
	diffs := 0
	diff(want.ProtoReflect(), got.ProtoReflect(), "", &diffs)
	fmt.Printf("NOT EQUAL (%d differences shown)\n", diffs)
	os.Exit(1)
}

const maxDiffs = 20

// diff prints the first differing leaves between two messages of the same type.
func diff(a, b protoreflect.Message, path string, n *int) {
	fields := a.Descriptor().Fields()
	for i := 0; i < fields.Len() && *n < maxDiffs; i++ {
		f := fields.Get(i)
		p := path + "." + string(f.Name())
		va, vb := a.Get(f), b.Get(f)
		switch {
		case f.IsList():
			la, lb := va.List(), vb.List()
			if la.Len() != lb.Len() {
				report(n, p, fmt.Sprintf("len %d", la.Len()), fmt.Sprintf("len %d", lb.Len()))
			}
			for j := 0; j < la.Len() && j < lb.Len() && *n < maxDiffs; j++ {
				elem := fmt.Sprintf("%s[%d]", p, j)
				if f.Message() != nil {
					if name := la.Get(j).Message().Descriptor().Fields().ByName("name"); name != nil {
						elem = fmt.Sprintf("%s[%q]", p, la.Get(j).Message().Get(name).String())
					}
					diff(la.Get(j).Message(), lb.Get(j).Message(), elem, n)
				} else if !la.Get(j).Equal(lb.Get(j)) {
					report(n, elem, la.Get(j).String(), lb.Get(j).String())
				}
			}
		case f.Message() != nil:
			if a.Has(f) != b.Has(f) {
				report(n, p, presence(a.Has(f), va), presence(b.Has(f), vb))
			} else if a.Has(f) {
				diff(va.Message(), vb.Message(), p, n)
			}
		default:
			if !va.Equal(vb) {
				report(n, p, fmt.Sprintf("%q", va.String()), fmt.Sprintf("%q", vb.String()))
			}
		}
	}
}

func presence(has bool, v protoreflect.Value) string {
	if !has {
		return "<unset>"
	}
	return prototext.Format(v.Message().Interface())
}

func report(n *int, path, want, got string) {
	*n++
	fmt.Printf("%s:\n  gnostic: %s\n  ours:    %s\n", path, want, got)
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
