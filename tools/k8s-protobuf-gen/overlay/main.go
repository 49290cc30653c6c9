// Command overlay writes the Go-side facts the .proto files do not carry.
//
// The Kubernetes protobuf messages are generated from Go structs, and the JSON
// that kube-apiserver speaks is what encoding/json makes of those structs. To turn
// protobuf into exactly that JSON (and back into the bytes Go would write) the
// TypeScript codec needs, per message field: the JSON name, whether the Go field
// is a pointer (proto presence) or a value (always written, zero when absent),
// omitempty, and whether the struct is embedded inline. It also needs which
// messages have hand-written JSON forms (Time, Quantity, IntOrString, ...) and the
// scheme's apiVersion/kind -> message table. This program reads them from the Go
// types by reflection and prints one JSON document.
//
// Usage: overlay <descriptor.json>  (writes JSON to stdout)
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"

	gogoproto "github.com/gogo/protobuf/proto"
	admissionv1 "k8s.io/api/admission/v1"
	admissionv1beta1 "k8s.io/api/admission/v1beta1"
	apidiscoveryv2 "k8s.io/api/apidiscovery/v2"
	apidiscoveryv2beta1 "k8s.io/api/apidiscovery/v2beta1"
	imagepolicyv1alpha1 "k8s.io/api/imagepolicy/v1alpha1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apiextensionsv1beta1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1beta1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1beta1 "k8s.io/apimachinery/pkg/apis/meta/v1beta1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	clientscheme "k8s.io/client-go/kubernetes/scheme"
	apiregistrationv1 "k8s.io/kube-aggregator/pkg/apis/apiregistration/v1"
	apiregistrationv1beta1 "k8s.io/kube-aggregator/pkg/apis/apiregistration/v1beta1"
)

// Field flags, kept as a bit set so the committed file stays small.
const (
	flagOmitEmpty = 1
	flagPointer   = 2
	flagInline    = 4
)

// specials maps Go types with their own MarshalJSON to the codec's name for
// that JSON form. The generator refuses any other json.Marshaler so a new one in
// a future Kubernetes release cannot slip through as a plain struct.
var specials = map[string]string{
	"k8s.io/apimachinery/pkg/apis/meta/v1.Time":                                                  "time",
	"k8s.io/apimachinery/pkg/apis/meta/v1.MicroTime":                                             "microTime",
	"k8s.io/apimachinery/pkg/apis/meta/v1.Duration":                                              "duration",
	"k8s.io/apimachinery/pkg/apis/meta/v1.FieldsV1":                                              "rawJson",
	"k8s.io/apimachinery/pkg/apis/meta/v1.GroupVersion":                                          "groupVersion",
	"k8s.io/apimachinery/pkg/runtime.RawExtension":                                               "rawJson",
	"k8s.io/apimachinery/pkg/runtime.Unknown":                                                    "unknown",
	"k8s.io/apimachinery/pkg/api/resource.Quantity":                                              "quantity",
	"k8s.io/apimachinery/pkg/api/resource.QuantityValue":                                         "quantity",
	"k8s.io/apimachinery/pkg/util/intstr.IntOrString":                                            "intOrString",
	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1.JSON":                              "rawJson",
	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1beta1.JSON":                         "rawJson",
	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1.JSONSchemaPropsOrBool":             "schemaOrBool",
	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1beta1.JSONSchemaPropsOrBool":        "schemaOrBool",
	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1.JSONSchemaPropsOrArray":            "schemaOrArray",
	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1beta1.JSONSchemaPropsOrArray":       "schemaOrArray",
	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1.JSONSchemaPropsOrStringArray":      "schemaOrStringArray",
	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1beta1.JSONSchemaPropsOrStringArray": "schemaOrStringArray",
}

type message struct {
	// Go is "struct", "slice" (a named slice type such as meta/v1 Verbs, JSON is a
	// plain array of the message's single repeated field) or a special name.
	Go string `json:"go"`
	// Fields in Go declaration order (the order encoding/json writes them):
	// [protoFieldNumber, jsonName, flags]. jsonName is "" for inline structs.
	Fields [][3]any `json:"fields,omitempty"`
}

type overlay struct {
	// Kinds maps apiVersion -> kind -> full proto message name.
	Kinds    map[string]map[string]string `json:"kinds"`
	Messages map[string]message           `json:"messages"`
}

var jsonMarshaler = reflect.TypeOf((*json.Marshaler)(nil)).Elem()

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: overlay <descriptor.json>")
		os.Exit(2)
	}
	names, err := messageNames(os.Args[1])
	if err != nil {
		fail(err)
	}
	out := overlay{Kinds: map[string]map[string]string{}, Messages: map[string]message{}}
	for _, name := range names {
		t := gogoproto.MessageType(name)
		if t == nil {
			fail(fmt.Errorf("no Go type registered for %s (import its package)", name))
		}
		m, err := describe(t.Elem())
		if err != nil {
			fail(fmt.Errorf("%s: %w", name, err))
		}
		out.Messages[name] = m
	}
	for gvk, t := range schemeTypes() {
		msg, ok := reflect.New(t).Interface().(gogoproto.Message)
		if !ok {
			continue
		}
		name := gogoproto.MessageName(msg)
		if _, known := out.Messages[name]; !known {
			continue
		}
		apiVersion := gvk.GroupVersion().String()
		if out.Kinds[apiVersion] == nil {
			out.Kinds[apiVersion] = map[string]string{}
		}
		out.Kinds[apiVersion][gvk.Kind] = name
	}
	// encoding/json sorts map keys, so the output is deterministic.
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		fail(err)
	}
}

// schemeTypes gathers every served kind: client-go's scheme (all of k8s.io/api
// plus the meta/v1 kinds each group version registers), CRDs and APIServices.
func schemeTypes() map[schema.GroupVersionKind]reflect.Type {
	s := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		clientscheme.AddToScheme,
		// Groups client-go's scheme leaves out (webhook payloads, discovery).
		admissionv1.AddToScheme, admissionv1beta1.AddToScheme,
		apidiscoveryv2.AddToScheme, apidiscoveryv2beta1.AddToScheme,
		imagepolicyv1alpha1.AddToScheme,
		apiextensionsv1.AddToScheme, apiextensionsv1beta1.AddToScheme,
		apiregistrationv1.AddToScheme, apiregistrationv1beta1.AddToScheme,
		metav1beta1.AddMetaToScheme, metav1.AddMetaToScheme,
	} {
		if err := add(s); err != nil {
			fail(err)
		}
	}
	// meta.k8s.io/v1 kinds (PartialObjectMetadata, Status, options...).
	metav1.AddToGroupVersion(s, schema.GroupVersion{Group: "meta.k8s.io", Version: "v1"})
	result := map[schema.GroupVersionKind]reflect.Type{}
	for gvk, t := range s.AllKnownTypes() {
		if gvk.Version == runtime.APIVersionInternal {
			continue
		}
		result[gvk] = t
	}
	return result
}

func describe(t reflect.Type) (message, error) {
	if special, ok := specials[t.PkgPath()+"."+t.Name()]; ok {
		return message{Go: special}, nil
	}
	if t.Implements(jsonMarshaler) || reflect.PointerTo(t).Implements(jsonMarshaler) {
		return message{}, fmt.Errorf("%s has its own MarshalJSON: teach the codec its JSON form", t)
	}
	switch t.Kind() {
	case reflect.Slice:
		return message{Go: "slice"}, nil
	case reflect.Struct:
	default:
		return message{}, fmt.Errorf("unexpected Go kind %s", t.Kind())
	}
	m := message{Go: "struct"}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		protoTag := f.Tag.Get("protobuf")
		jsonName, omitEmpty := parseJSONTag(f)
		if protoTag == "" {
			// Only TypeMeta is expected here: it travels in the envelope, not the message.
			if f.Anonymous && f.Type == reflect.TypeOf(metav1.TypeMeta{}) {
				continue
			}
			if jsonName == "-" || !f.IsExported() {
				continue
			}
			return message{}, fmt.Errorf("field %s has JSON but no protobuf number", f.Name)
		}
		num, err := strconv.Atoi(strings.Split(protoTag, ",")[1])
		if err != nil {
			return message{}, fmt.Errorf("field %s: bad protobuf tag %q", f.Name, protoTag)
		}
		flags := 0
		if omitEmpty {
			flags |= flagOmitEmpty
		}
		if f.Type.Kind() == reflect.Pointer {
			flags |= flagPointer
		}
		if f.Anonymous && jsonName == "" {
			flags |= flagInline
		} else if jsonName == "" {
			jsonName = f.Name
		}
		m.Fields = append(m.Fields, [3]any{num, jsonName, flags})
	}
	return m, nil
}

func parseJSONTag(f reflect.StructField) (name string, omitEmpty bool) {
	parts := strings.Split(f.Tag.Get("json"), ",")
	for _, opt := range parts[1:] {
		if opt == "omitempty" {
			omitEmpty = true
		}
	}
	return parts[0], omitEmpty
}

// messageNames lists the full names of all messages in a protobufjs JSON descriptor.
func messageNames(path string) ([]string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	type node struct {
		Fields map[string]any  `json:"fields"`
		Nested map[string]node `json:"nested"`
	}
	var root node
	if err := json.Unmarshal(raw, &root); err != nil {
		return nil, err
	}
	var names []string
	var walk func(prefix string, n node)
	walk = func(prefix string, n node) {
		if n.Fields != nil {
			names = append(names, prefix)
		}
		for k, child := range n.Nested {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			walk(p, child)
		}
	}
	walk("", root)
	sort.Strings(names)
	return names, nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "overlay:", err)
	os.Exit(1)
}
