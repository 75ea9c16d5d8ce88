package messaging_test

// Native fuzz targets for the messaging.knative.dev write path. Each input is
// a request body, decoded strictly (JSON or YAML) as the target kind of
// messaging.knative.dev/v1; inputs the server would answer 400 are skipped.
// The object is converted to the internal version and goes through create
// (status cleared, Default with no old object, Validate) and update over a
// fixed valid stored object (Default with it as old, ValidateUpdate).
// Invariants: no panic; defaulting again changes nothing; every error names
// a field under metadata or spec.

import (
	"regexp"
	"testing"

	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apimachinery/pkg/util/validation/field"

	messaginginstall "github.com/knap-dev/knap/pkg/apis/messaging/install"
	messagingv1 "github.com/knap-dev/knap/pkg/apis/messaging/v1"
	"github.com/knap-dev/knap/pkg/registry/messaging/channel"
	"github.com/knap-dev/knap/pkg/registry/messaging/inmemorychannel"
	"github.com/knap-dev/knap/pkg/registry/messaging/subscription"
	"github.com/knap-dev/knap/pkg/registry/resource"
)

const (
	requestNamespace = "default"
	user             = "alice@example.com"
)

var errorRoot = regexp.MustCompile(`^(metadata|spec)([.\[]|$)`)

func FuzzChannel(f *testing.F) {
	fuzzKind(f, "Channel", channel.Kind(), storedChannel, channelSeeds)
}

func FuzzInMemoryChannel(f *testing.F) {
	fuzzKind(f, "InMemoryChannel", inmemorychannel.Kind(), storedInMemoryChannel, inMemoryChannelSeeds)
}

func FuzzSubscription(f *testing.F) {
	fuzzKind(f, "Subscription", subscription.Kind(), storedSubscription, subscriptionSeeds)
}

func fuzzKind[T resource.Object](f *testing.F, kind string, k resource.Kind[T], stored string, seeds []string) {
	scheme := runtime.NewScheme()
	messaginginstall.Install(scheme)
	decoder := serializer.NewCodecFactory(scheme, serializer.EnableStrict).UniversalDeserializer()
	gvk := messagingv1.SchemeGroupVersion.WithKind(kind)

	// decode returns the internal object of a request body, or false when
	// the server would refuse the body itself.
	decode := func(data []byte) (T, bool) {
		var none T
		obj, got, err := decoder.Decode(data, nil, nil)
		if err != nil || got == nil || *got != gvk {
			return none, false
		}
		internal := k.New()
		if err := scheme.Convert(obj, internal, nil); err != nil {
			return none, false
		}
		internal.SetNamespace(requestNamespace)
		return internal, true
	}

	old, ok := decode([]byte(stored))
	if !ok {
		f.Fatalf("stored %s does not decode", kind)
	}
	var none T
	k.Default(old, none, user)
	old.SetResourceVersion("42")
	if errs := k.Validate(old); len(errs) > 0 {
		f.Fatalf("stored %s is invalid: %v", kind, errs)
	}
	f.Add([]byte(stored))
	for _, s := range seeds {
		f.Add([]byte(s))
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		obj, ok := decode(data)
		if !ok {
			t.Skip()
		}
		// Create.
		created := obj.DeepCopyObject().(T)
		k.ClearStatus(created)
		created.SetGeneration(1)
		k.Default(created, none, user)
		checkIdempotent(t, k, created, none)
		checkErrors(t, "create", k.Validate(created))

		// Update of the stored object.
		updated := obj.DeepCopyObject().(T)
		updated.SetName(old.GetName())
		updated.SetResourceVersion(old.GetResourceVersion())
		k.CopyStatus(updated, old)
		before := old.DeepCopyObject()
		k.Default(updated, old, user)
		checkIdempotent(t, k, updated, old)
		checkErrors(t, "update", k.ValidateUpdate(updated, old))
		if !equality.Semantic.DeepEqual(before, old) {
			t.Fatalf("defaulting or validating an update changed the stored object")
		}
	})
}

func checkIdempotent[T resource.Object](t *testing.T, k resource.Kind[T], obj, old T) {
	t.Helper()
	again := obj.DeepCopyObject().(T)
	k.Default(again, old, user)
	if !equality.Semantic.DeepEqual(obj, again) {
		t.Fatalf("defaulting twice changed the object:\nonce:  %+v\ntwice: %+v", obj, again)
	}
}

func checkErrors(t *testing.T, op string, errs field.ErrorList) {
	t.Helper()
	for _, e := range errs {
		if e == nil || !errorRoot.MatchString(e.Field) {
			t.Fatalf("%s: error outside metadata and spec: %v", op, e)
		}
	}
}

// Stored objects of the update path, and seeds: valid and invalid documents.
const (
	storedChannel = `{"apiVersion":"messaging.knative.dev/v1","kind":"Channel","metadata":{"name":"events"},` +
		`"spec":{"delivery":{"retry":3,"deadLetterSink":{"ref":{"apiVersion":"serving.knative.dev/v1","kind":"Service","name":"dlq"}}}}}`
	storedInMemoryChannel = `{"apiVersion":"messaging.knative.dev/v1","kind":"InMemoryChannel","metadata":{"name":"events"},` +
		`"spec":{"subscribers":[{"uid":"u1","generation":1,"subscriberUri":"http://a.default.svc"}]}}`
	storedSubscription = `{"apiVersion":"messaging.knative.dev/v1","kind":"Subscription","metadata":{"name":"sub"},"spec":{` +
		`"channel":{"apiVersion":"messaging.knative.dev/v1","kind":"Channel","name":"events"},` +
		`"subscriber":{"ref":{"apiVersion":"serving.knative.dev/v1","kind":"Service","name":"display"}},"reply":{"uri":"http://r.example.com"}}}`
)

var channelSeeds = []string{
	"apiVersion: messaging.knative.dev/v1\nkind: Channel\nmetadata:\n  name: kafka\nspec:\n  channelTemplate:\n" +
		"    apiVersion: messaging.knative.dev/v1beta1\n    kind: KafkaChannel\n    spec:\n      numPartitions: 3\n      replicationFactor: 1\n",
	`{"apiVersion":"messaging.knative.dev/v1","kind":"Channel","metadata":{"name":"t"},"spec":{"channelTemplate":{"apiVersion":"v","kind":"K","spec":[1]}}}`,
	`{"apiVersion":"messaging.knative.dev/v1","kind":"Channel","metadata":{"name":"s"},"spec":{"subscribers":[{"subscriberUri":"http://x"}],"delivery":{"retry":-1,"timeout":"P0D"}}}`,
}

var inMemoryChannelSeeds = []string{
	"apiVersion: messaging.knative.dev/v1\nkind: InMemoryChannel\nmetadata:\n  name: imc\n  annotations:\n" +
		"    eventing.knative.dev/scope: namespace\nspec:\n  delivery:\n    backoffPolicy: linear\n    backoffDelay: PT1S\n    timeout: PT10S\n",
	`{"apiVersion":"messaging.knative.dev/v1","kind":"InMemoryChannel","metadata":{"name":"b","annotations":{"eventing.knative.dev/scope":"x"}},` +
		`"spec":{"subscribers":[{},{"replyUri":"http://[::1"}],"delivery":{"backoffPolicy":"random","retryAfterMax":"PT1S"}}}`,
}

var subscriptionSeeds = []string{
	"apiVersion: messaging.knative.dev/v1\nkind: Subscription\nmetadata:\n  name: s\nspec:\n  channel:\n    apiVersion: messaging.knative.dev/v1\n" +
		"    kind: InMemoryChannel\n    name: imc\n  subscriber:\n    uri: https://fn.example.com\n  delivery:\n    deadLetterSink:\n      uri: http://dlq.example.com\n",
	`{"apiVersion":"messaging.knative.dev/v1","kind":"Subscription","metadata":{"name":"bad"},"spec":{"channel":{"kind":"Channel","namespace":"other"},` +
		`"subscriber":{},"reply":{"uri":"/rel","ref":{"kind":"Service","name":"x","namespace":"y"}},"delivery":{"backoffDelay":"soon"}}}`,
	`{"apiVersion":"messaging.knative.dev/v1","kind":"Subscription","metadata":{"name":"e"}}`,
}
