package eventing_test

// Native fuzz targets for the eventing.knative.dev write path. The harness
// and its invariants are pkg/registry/resource/fuzzing's; here are the
// targets, their stored objects and seeds. The kinds' documents in
// artifacts/examples/eventing seed them too.

import (
	"testing"

	"github.com/knap-dev/knap/pkg/apis/eventing"
	"github.com/knap-dev/knap/pkg/apis/eventing/install"
	eventingv1 "github.com/knap-dev/knap/pkg/apis/eventing/v1"
	eventingv1beta2 "github.com/knap-dev/knap/pkg/apis/eventing/v1beta2"
	"github.com/knap-dev/knap/pkg/registry/eventing/broker"
	"github.com/knap-dev/knap/pkg/registry/eventing/eventtype"
	"github.com/knap-dev/knap/pkg/registry/eventing/trigger"
	"github.com/knap-dev/knap/pkg/registry/resource/fuzzing"
)

var examples = []string{"../../../artifacts/examples/eventing/*.yaml"}

const brokerDoc = `{"apiVersion":"eventing.knative.dev/v1","kind":"Broker","metadata":{"name":"default","namespace":"default"}}`

var brokerTarget = fuzzing.Target[*eventing.Broker]{
	Kind:     broker.Kind(),
	Install:  install.Install,
	GVK:      eventingv1.SchemeGroupVersion.WithKind("Broker"),
	Stored:   brokerDoc,
	Examples: examples,
	Seeds: []string{
		`{"kind":"Broker","metadata":{"name":"b","annotations":{"eventing.knative.dev/broker.class":"Kafka"}},"spec":{"config":{"apiVersion":"v1","kind":"ConfigMap","name":"c","namespace":"knative-eventing"},"delivery":{"retry":2,"timeout":"PT1S","deadLetterSink":{"uri":"http://dls.default.svc"}}}}`,
		`{"kind":"Broker","metadata":{"name":"b","annotations":{"eventing.knative.dev/broker.class":""}},"spec":{"config":{"kind":"ConfigMap"},"delivery":{"retry":-1,"backoffPolicy":"random","backoffDelay":"1s","deadLetterSink":{}}}}`,
	},
}

var triggerTarget = fuzzing.Target[*eventing.Trigger]{
	Kind:     trigger.Kind(),
	Install:  install.Install,
	GVK:      eventingv1.SchemeGroupVersion.WithKind("Trigger"),
	Stored:   `{"kind":"Trigger","metadata":{"name":"t","namespace":"default"},"spec":{"broker":"default","subscriber":{"uri":"http://example.com"}}}`,
	Examples: examples,
	Seeds: []string{
		`{"kind":"Trigger","metadata":{"name":"t","annotations":{"knative.dev/dependency":"{\"kind\":\"PingSource\",\"name\":\"p\",\"apiVersion\":\"sources.knative.dev/v1\"}"}},"spec":{"brokerRef":{"apiVersion":"eventing.knative.dev/v1","kind":"Broker","name":"default"},"filters":[{"not":{"cesql":"type = 'a'"}},{"all":[{"exact":{"type":"x"}},{"any":[{"suffix":{"subject":".jpg"}}]}]}],"subscriber":{"ref":{"apiVersion":"v1","kind":"Service","name":"s"}}}}`,
		`{"kind":"Trigger","metadata":{"name":"t","annotations":{"eventing.knative.dev/injection":"wut","knative.dev/dependency":"{}"}},"spec":{"broker":"b","brokerRef":{"kind":"Broker","name":"b","namespace":"other"},"filter":{"attributes":{"Bad":""}},"filters":[{"exact":{"a":"b","c":""},"cesql":"type ="},{"prefix":{"type":""}},{"cesql":"(("}],"subscriber":{"uri":"/rel"},"delivery":{"retryAfterMax":"PT1S"}}}`,
	},
}

var eventTypeTarget = fuzzing.Target[*eventing.EventType]{
	Kind:     eventtype.Kind(),
	Install:  install.Install,
	GVK:      eventingv1beta2.SchemeGroupVersion.WithKind("EventType"),
	Stored:   `{"kind":"EventType","metadata":{"name":"e","namespace":"default"},"spec":{"type":"dev.example","source":"https://example.com","reference":{"apiVersion":"eventing.knative.dev/v1","kind":"Broker","name":"default"}}}`,
	Examples: examples,
	Seeds: []string{
		"kind: EventType\nmetadata:\n  name: e2\nspec:\n  type: t\n  schema: \"\"\n  schemaData: '{}'\n  broker: default\n  description: d\n",
		`{"kind":"EventType","metadata":{"name":"E"},"spec":{"source":"http://[::1","schema":"%zz"}}`,
	},
}

func FuzzBroker(f *testing.F)    { fuzzing.Fuzz(f, brokerTarget) }
func FuzzTrigger(f *testing.F)   { fuzzing.Fuzz(f, triggerTarget) }
func FuzzEventType(f *testing.F) { fuzzing.Fuzz(f, eventTypeTarget) }

// TestExamples checks that the example manifests are accepted on create.
func TestExamples(t *testing.T) {
	n := fuzzing.ExamplesAccepted(t, brokerTarget) +
		fuzzing.ExamplesAccepted(t, triggerTarget) +
		fuzzing.ExamplesAccepted(t, eventTypeTarget)
	if n < 3 {
		t.Errorf("found %d example documents, want a Broker and two Triggers", n)
	}
}
