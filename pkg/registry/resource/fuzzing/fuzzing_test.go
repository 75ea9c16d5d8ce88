package fuzzing

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/knap-dev/knap/pkg/apis/flows"
	"github.com/knap-dev/knap/pkg/apis/flows/install"
	flowsv1 "github.com/knap-dev/knap/pkg/apis/flows/v1"
	"github.com/knap-dev/knap/pkg/registry/flows/sequence"
)

// The harness over a real kind (flows.knative.dev Sequence), with one of its
// functions broken at a time: each invariant must catch its breakage.

const (
	storedSequence = "apiVersion: flows.knative.dev/v1\nkind: Sequence\nmetadata: {name: stored}\nspec: {steps: [{uri: 'http://a.example.com'}]}\n"
	validSequence  = `{"metadata":{"name":"s","generateName":"g-"},"spec":{"steps":[{"uri":"http://b.example.com"}]}}`
)

func sequenceTarget() Target[*flows.Sequence] {
	return Target[*flows.Sequence]{
		Kind:    sequence.Kind(),
		Install: install.Install,
		GVK:     flowsv1.SchemeGroupVersion.WithKind("Sequence"),
		Stored:  storedSequence,
	}
}

func mustHarness(t *testing.T, tg Target[*flows.Sequence]) *harness[*flows.Sequence] {
	t.Helper()
	h, err := newHarness(tg)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// afterDefault breaks a kind by running extra after its defaults.
func afterDefault(extra func(o, old *flows.Sequence, user string)) func(*Target[*flows.Sequence]) {
	return func(tg *Target[*flows.Sequence]) {
		def := tg.Kind.Default
		tg.Kind.Default = func(o, old *flows.Sequence, user string) {
			def(o, old, user)
			extra(o, old, user)
		}
	}
}

func TestHarnessAcceptsAWorkingKind(t *testing.T) {
	h := mustHarness(t, sequenceTarget())
	for _, body := range []string{
		validSequence,
		storedSequence,
		`{"metadata":{"name":"Bad_Name"},"spec":{"steps":[{}]}}`,
		// Refused by the decoder: not a Sequence, not strict, not JSON.
		`{"apiVersion":"flows.knative.dev/v1","kind":"Parallel","metadata":{"name":"p"}}`,
		`{"metadata":{"name":"s"},"spec":{"steps":[]},"unknown":1}`,
		`{"metadata":`,
	} {
		if err := h.check([]byte(body)); err != nil {
			t.Errorf("%s: %v", body, err)
		}
	}
	obj, errs, err := h.create([]byte(validSequence))
	if err != nil || len(errs) != 0 {
		t.Fatalf("create: %v %v", err, errs)
	}
	if obj.Name != "s" || obj.Namespace != requestNamespace || obj.Generation != 1 || obj.UID != createUID {
		t.Errorf("create prepared %+v", obj.ObjectMeta)
	}
	if h.stored.ResourceVersion != storedVersion || h.stored.Namespace != requestNamespace {
		t.Errorf("stored object %+v", h.stored.ObjectMeta)
	}
}

func TestHarnessCatches(t *testing.T) {
	for _, tc := range []struct {
		name      string
		body      string
		breakKind func(*Target[*flows.Sequence])
		want      string
	}{{
		name: "defaulting that is not idempotent",
		breakKind: afterDefault(func(o, old *flows.Sequence, user string) {
			if o.Annotations == nil {
				o.Annotations = map[string]string{}
			}
			o.Annotations["count"] += "x"
		}),
		want: "defaulting the defaulted Sequence again changed it",
	}, {
		name: "defaulting that writes the old object",
		breakKind: afterDefault(func(o, old *flows.Sequence, user string) {
			if old != nil && old.Name == "stored" {
				old.Spec.Steps = nil
			}
		}),
		want: "modified the stored Sequence",
	}, {
		name: "validation that writes the object",
		breakKind: func(tg *Target[*flows.Sequence]) {
			tg.Kind.Validate = func(o *flows.Sequence) field.ErrorList {
				o.Spec.Steps = append(o.Spec.Steps, flows.SequenceStep{})
				return nil
			}
		},
		want: "validation modified the Sequence",
	}, {
		name: "validation that is not deterministic",
		breakKind: func(tg *Target[*flows.Sequence]) {
			n := 0
			tg.Kind.Validate = func(o *flows.Sequence) field.ErrorList {
				n++
				if n%2 == 0 {
					return field.ErrorList{field.Invalid(field.NewPath("spec"), n, "even")}
				}
				return nil
			}
		},
		want: "not deterministic",
	}, {
		name: "an error on status",
		breakKind: func(tg *Target[*flows.Sequence]) {
			tg.Kind.Validate = func(o *flows.Sequence) field.ErrorList {
				return field.ErrorList{field.Required(field.NewPath("status", "address"), "")}
			}
		},
		want: "outside metadata and spec",
	}, {
		name: "an error of no known type",
		breakKind: func(tg *Target[*flows.Sequence]) {
			tg.Kind.Validate = func(o *flows.Sequence) field.ErrorList {
				return field.ErrorList{{Type: "Bad", Field: "spec.steps"}}
			}
		},
		want: "unknown type",
	}, {
		name: "an object accepted on create that its own update refuses",
		breakKind: func(tg *Target[*flows.Sequence]) {
			tg.Kind.ValidateUpdate = func(o, old *flows.Sequence) field.ErrorList {
				return field.ErrorList{field.Forbidden(field.NewPath("spec"), "never")}
			}
		},
		want: "refused when written back unchanged",
	}, {
		name: "update defaults that change an unchanged object",
		breakKind: afterDefault(func(o, old *flows.Sequence, user string) {
			if old != nil {
				o.Spec.Reply = nil
				o.Labels = map[string]string{"updated-by": user}
			}
		}),
		want: "changes when written back unchanged",
	}, {
		name: "an accepted object that does not round-trip",
		body: `{"metadata":{"name":"s"},"spec":{"steps":[{"uri":"http://b.example.com"}],"channelTemplate":{"apiVersion":"messaging.knative.dev/v1","kind":"InMemoryChannel","spec":{"a":1}}}}`,
		breakKind: afterDefault(func(o, old *flows.Sequence, user string) {
			if o.Spec.ChannelTemplate != nil {
				// Not compact: encoding compacts it.
				o.Spec.ChannelTemplate.Spec.Raw = []byte(`{"a": 1}`)
			}
		}),
		want: "changes through JSON",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			// The stored object is the working kind's.
			tg := sequenceTarget()
			broken := *mustHarness(t, tg)
			tc.breakKind(&tg)
			broken.tg = tg
			var err error
			if broken.strategy, err = strategyOf(tg.Kind, broken.scheme); err != nil {
				t.Fatal(err)
			}
			body := tc.body
			if body == "" {
				body = validSequence
			}
			err = broken.check([]byte(body))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error with %q", err, tc.want)
			}
		})
	}
}

func TestHarnessRefusesABadTarget(t *testing.T) {
	invalid := sequenceTarget()
	invalid.Stored = "apiVersion: flows.knative.dev/v1\nkind: Sequence\nmetadata: {name: stored}\nspec: {steps: []}\n"
	noExamples := sequenceTarget()
	noExamples.Examples = []string{"testdata/no-such-dir/*.yaml"}
	otherKind := sequenceTarget()
	otherKind.GVK = flowsv1.SchemeGroupVersion.WithKind("Widget")
	for name, tg := range map[string]Target[*flows.Sequence]{
		"an invalid stored object": invalid, "examples that are not there": noExamples, "an unknown kind": otherKind,
	} {
		if _, err := newHarness(tg); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestExampleDocs(t *testing.T) {
	tg := sequenceTarget()
	tg.Examples = []string{"../../../../artifacts/examples/eventing/*.yaml"}
	h := mustHarness(t, tg)
	if len(h.examples) != 1 || !strings.Contains(h.examples[0], "kind: Sequence") {
		t.Fatalf("examples: %q", h.examples)
	}
	if n := ExamplesAccepted(t, tg); n != 1 {
		t.Errorf("ExamplesAccepted counted %d", n)
	}
	if got := len(h.seeds()); got != 2 {
		t.Errorf("%d seeds, want the stored object and the example", got)
	}
}
