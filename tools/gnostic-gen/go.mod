module github.com/splitplane/splitplane/tools/gnostic-gen

go 1.23.0

require (
	github.com/google/gnostic-models v0.6.8
	google.golang.org/protobuf v1.35.1
)

require (
	github.com/golang/protobuf v1.5.2 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
