package flows_test

// Native fuzz targets for the flows.knative.dev write path. The harness and
// its invariants are pkg/registry/resource/fuzzing's; here are the targets,
// their stored objects and seeds. The flows in artifacts/examples/eventing
// seed them too.

import (
	"testing"

	"github.com/knap-dev/knap/pkg/apis/flows"
	"github.com/knap-dev/knap/pkg/apis/flows/install"
	flowsv1 "github.com/knap-dev/knap/pkg/apis/flows/v1"
	"github.com/knap-dev/knap/pkg/registry/flows/parallel"
	"github.com/knap-dev/knap/pkg/registry/flows/sequence"
	"github.com/knap-dev/knap/pkg/registry/resource/fuzzing"
)

var examples = []string{"../../../artifacts/examples/eventing/*.yaml"}

func FuzzSequence(f *testing.F) {
	fuzzing.Fuzz(f, fuzzing.Target[*flows.Sequence]{
		Kind:     sequence.Kind(),
		Install:  install.Install,
		GVK:      flowsv1.SchemeGroupVersion.WithKind("Sequence"),
		Examples: examples,
		Stored:   "apiVersion: flows.knative.dev/v1\nkind: Sequence\nmetadata: {name: stored, namespace: default}\nspec: {steps: [{uri: 'http://a.example.com'}]}\n",
		Seeds: []string{
			`{"apiVersion":"flows.knative.dev/v1","kind":"Sequence","metadata":{"name":"s"},"spec":{"channelTemplate":{"apiVersion":"messaging.knative.dev/v1alpha1","kind":"KafkaChannel","spec":{"numPartitions":3}},"steps":[{"ref":{"apiVersion":"v1","kind":"Service","name":"a","namespace":"default"},"uri":"/x","delivery":{"retry":2,"timeout":"PT5S","deadLetterSink":{"uri":"http://dls.example.com"}}}],"reply":{"uri":"http://r.example.com"}}}`,
			`{"apiVersion":"flows.knative.dev/v1","kind":"Sequence","metadata":{"name":"Bad_Name"},"spec":{"channelTemplate":{"spec":[1]},"steps":[{},{"uri":"rel"}],"reply":{"ref":{"name":"x","namespace":"other"}}}}`,
			"apiVersion: flows.knative.dev/v1\nkind: Sequence\nmetadata: {name: empty}\nspec: {steps: []}\n",
		},
	})
}

func FuzzParallel(f *testing.F) {
	fuzzing.Fuzz(f, fuzzing.Target[*flows.Parallel]{
		Kind:     parallel.Kind(),
		Install:  install.Install,
		GVK:      flowsv1.SchemeGroupVersion.WithKind("Parallel"),
		Examples: examples,
		Stored:   "apiVersion: flows.knative.dev/v1\nkind: Parallel\nmetadata: {name: stored, namespace: default}\nspec: {branches: [{subscriber: {uri: 'http://a.example.com'}}]}\n",
		Seeds: []string{
			"apiVersion: flows.knative.dev/v1\nkind: Parallel\nmetadata: {name: p}\nspec:\n  branches:\n  - filter: {ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: even}}\n    subscriber: {ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: handler}}\n    reply: {uri: 'http://reply.example.com'}\n    delivery: {retry: 1, backoffPolicy: linear, backoffDelay: PT1S}\n  reply: {ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: display}}\n",
			`{"apiVersion":"flows.knative.dev/v1","kind":"Parallel","metadata":{"name":"p2","namespace":"default"},"spec":{"channelTemplate":{"apiVersion":"messaging.knative.dev/v1","kind":"InMemoryChannel","spec":{}},"branches":[{"subscriber":{"uri":"http://s.example.com"}}]}}`,
			`{"apiVersion":"flows.knative.dev/v1","kind":"Parallel","metadata":{"name":"bad"},"spec":{"channelTemplate":{"kind":"X"},"branches":[{"filter":{},"subscriber":{},"delivery":{"retry":-1,"format":"xml","retryAfterMax":"PT1S"}}],"reply":{"uri":"/r"}}}`,
			`{"apiVersion":"flows.knative.dev/v1","kind":"Parallel","metadata":{"name":"none"},"spec":{}}`,
		},
	})
}
