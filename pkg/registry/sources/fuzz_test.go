package sources_test

// Native fuzz targets for the sources.knative.dev write path. The harness
// and its invariants are pkg/registry/resource/fuzzing's; here are the
// targets, their stored objects and seeds. Documents are JSON without
// apiVersion and kind, which the request's kind fills in, or full YAML
// manifests; the sources in artifacts/examples/eventing seed them too.

import (
	"testing"

	"github.com/knap-dev/knap/pkg/apis/sources"
	"github.com/knap-dev/knap/pkg/apis/sources/install"
	sourcesv1 "github.com/knap-dev/knap/pkg/apis/sources/v1"
	"github.com/knap-dev/knap/pkg/registry/resource/fuzzing"
	"github.com/knap-dev/knap/pkg/registry/sources/apiserversource"
	"github.com/knap-dev/knap/pkg/registry/sources/containersource"
	"github.com/knap-dev/knap/pkg/registry/sources/pingsource"
	"github.com/knap-dev/knap/pkg/registry/sources/sinkbinding"
)

var examples = []string{"../../../artifacts/examples/eventing/*.yaml"}

const sink = `{"ref":{"apiVersion":"serving.knative.dev/v1","kind":"Service","name":"display"}}`

var pingSourceTarget = fuzzing.Target[*sources.PingSource]{
	Kind:     pingsource.Kind(),
	Install:  install.Install,
	GVK:      sourcesv1.SchemeGroupVersion.WithKind("PingSource"),
	Stored:   `{"metadata":{"name":"stored","namespace":"default"},"spec":{"schedule":"0 * * * *","sink":` + sink + `}}`,
	Examples: examples,
	Seeds: []string{
		`{"metadata":{"name":"p"},"spec":{"timezone":"Asia/Tokyo","dataBase64":"eyJhIjoxfQ==","contentType":"application/json","sink":{"uri":"http://example.com"}}}`,
		`{"metadata":{"name":"p"},"spec":{"schedule":"@every 1m","timezone":"Mars/Base","data":"[1]","dataBase64":"!","contentType":"application/json"}}`,
		`{"metadata":{"name":"p"},"spec":{"schedule":"TZ=UTC","sink":{"ref":{"kind":"Service","namespace":"other"}},"ceOverrides":{"extensions":{"Bad":"x"}}}}`,
	},
}

func FuzzPingSource(f *testing.F) { fuzzing.Fuzz(f, pingSourceTarget) }

func FuzzApiServerSource(f *testing.F) {
	fuzzing.Fuzz(f, fuzzing.Target[*sources.ApiServerSource]{
		Kind:     apiserversource.Kind(),
		Install:  install.Install,
		GVK:      sourcesv1.SchemeGroupVersion.WithKind("ApiServerSource"),
		Stored:   `{"metadata":{"name":"stored","namespace":"default"},"spec":{"resources":[{"apiVersion":"v1","kind":"Event"}],"sink":` + sink + `}}`,
		Examples: examples,
		Seeds: []string{
			`{"metadata":{"name":"a"},"spec":{"mode":"Resource","serviceAccountName":"watcher","resources":[{"apiVersion":"apps/v1","kind":"Deployment","selector":{"matchLabels":{"app":"x"}}}],"owner":{"apiVersion":"apps/v1","kind":"ReplicaSet"},"namespaceSelector":{"matchLabels":{"env":"dev"}},"sink":` + sink + `}}`,
			`{"metadata":{"name":"a"},"spec":{"mode":"Ref","resources":[{"apiVersion":"a/b/c","kind":" "}],"owner":{"apiVersion":"x/y/z"},"filters":[{"exact":{"type":"t"}}],"sink":{}}}`,
		},
	})
}

func FuzzSinkBinding(f *testing.F) {
	fuzzing.Fuzz(f, fuzzing.Target[*sources.SinkBinding]{
		Kind:     sinkbinding.Kind(),
		Install:  install.Install,
		GVK:      sourcesv1.SchemeGroupVersion.WithKind("SinkBinding"),
		Stored:   `{"metadata":{"name":"stored","namespace":"default"},"spec":{"subject":{"apiVersion":"apps/v1","kind":"Deployment","name":"app"},"sink":` + sink + `}}`,
		Examples: examples,
		Seeds: []string{
			`{"metadata":{"name":"b"},"spec":{"subject":{"apiVersion":"batch/v1","kind":"Job","selector":{"matchLabels":{"app":"x"}}},"sink":{"uri":"https://example.com"}}}`,
			`{"metadata":{"name":"b"},"spec":{"subject":{"apiVersion":"a/b/c","kind":"Bad-Kind","namespace":"other","name":"x.y","selector":{}},"sink":{"uri":"/rel"}}}`,
			`{"metadata":{"name":"b"},"spec":{"subject":{"selector":{"matchExpressions":[{"key":"a","operator":"Like"}]}}}}`,
		},
	})
}

func FuzzContainerSource(f *testing.F) {
	fuzzing.Fuzz(f, fuzzing.Target[*sources.ContainerSource]{
		Kind:     containersource.Kind(),
		Install:  install.Install,
		GVK:      sourcesv1.SchemeGroupVersion.WithKind("ContainerSource"),
		Stored:   `{"metadata":{"name":"stored","namespace":"default"},"spec":{"template":{"spec":{"containers":[{"image":"busybox"}]}},"sink":` + sink + `}}`,
		Examples: examples,
		Seeds: []string{
			`{"metadata":{"generateName":"c-"},"spec":{"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"x","image":"nginx","args":["--sink=$(K_SINK)"]},{"image":"busybox"}]}},"sink":` + sink + `}}`,
			`{"metadata":{"name":"c"},"spec":{"template":{"spec":{"containers":[{"name":"x"}]}},"sink":{"CACerts":"nope"}}}`,
			`{"metadata":{"name":"c"},"spec":{"template":{"spec":{}}}}`,
		},
	})
}

// TestExample: the example manifest the smoke test applies is valid.
func TestExample(t *testing.T) {
	if n := fuzzing.ExamplesAccepted(t, pingSourceTarget); n != 1 {
		t.Errorf("found %d PingSources in the examples, want the one the smoke test applies", n)
	}
}
