package main

import (
	"reflect"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/kube-openapi/pkg/util"
	"k8s.io/kube-openapi/pkg/validation/spec"
)

// gvkExtension is the vendor extension kubectl reads to map a kind to its
// definition.
const gvkExtension = "x-kubernetes-group-version-kind"

type gvk struct {
	Group   string `json:"group"`
	Kind    string `json:"kind"`
	Version string `json:"version"`
}

// namer turns Go type names ("k8s.io/api/apps/v1.Deployment") into kube's
// published definition names ("io.k8s.api.apps.v1.Deployment") and attaches
// the group/version/kinds a type is served as.
type namer struct {
	kinds map[string][]gvk
}

func newNamer(s *runtime.Scheme) *namer {
	n := &namer{kinds: map[string][]gvk{}}
	for k, t := range s.AllKnownTypes() {
		if k.Version == runtime.APIVersionInternal {
			continue
		}
		name := goTypeName(t)
		entry := gvk{Group: k.Group, Kind: k.Kind, Version: k.Version}
		if !containsGVK(n.kinds[name], entry) {
			n.kinds[name] = append(n.kinds[name], entry)
		}
	}
	// Order as kube does: group, then version, then kind. Map iteration above
	// is random, so this also makes the output deterministic.
	for _, list := range n.kinds {
		sort.Slice(list, func(i, j int) bool {
			if list[i].Group != list[j].Group {
				return list[i].Group < list[j].Group
			}
			if list[i].Version != list[j].Version {
				return list[i].Version < list[j].Version
			}
			return list[i].Kind < list[j].Kind
		})
	}
	return n
}

func containsGVK(list []gvk, g gvk) bool {
	for _, existing := range list {
		if existing == g {
			return true
		}
	}
	return false
}

// goTypeName is the key openapi-gen uses for a type: import path, a dot, the
// type name.
func goTypeName(t reflect.Type) string {
	return t.PkgPath() + "." + t.Name()
}

// definitionName implements common.Config.GetDefinitionName.
func (n *namer) definitionName(goName string) (string, spec.Extensions) {
	friendly := util.ToRESTFriendlyName(strings.TrimPrefix(goName, "vendor/"))
	kinds, ok := n.kinds[goName]
	if !ok {
		return friendly, nil
	}
	list := make([]interface{}, 0, len(kinds))
	for _, k := range kinds {
		list = append(list, map[string]interface{}{"group": k.Group, "kind": k.Kind, "version": k.Version})
	}
	return friendly, spec.Extensions{gvkExtension: list}
}
