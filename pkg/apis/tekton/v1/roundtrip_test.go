package v1_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"k8s.io/apimachinery/pkg/runtime"

	"github.com/knap-dev/knap/pkg/apis/tekton"
	"github.com/knap-dev/knap/pkg/apis/tekton/install"
	tektonv1 "github.com/knap-dev/knap/pkg/apis/tekton/v1"
)

// Upstream-shaped objects survive decode, conversion to the hub and back, and
// encode without losing or renaming a field.
func TestWireRoundTripThroughHub(t *testing.T) {
	scheme := runtime.NewScheme()
	install.Install(scheme)

	cases := []struct {
		name           string
		in             string
		versioned, hub runtime.Object
	}{
		{"Task", `{"apiVersion":"tekton.dev/v1","kind":"Task","metadata":{"name":"t","namespace":"ns"},
			"spec":{"displayName":"T","description":"d",
			"params":[{"name":"s","type":"string","default":"x","enum":["x","y"]},
			          {"name":"a","type":"array","default":["1","2"]},
			          {"name":"o","type":"object","properties":{"k":{"type":"string"}},"default":{"k":"v"}}],
			"steps":[{"name":"build","image":"golang","script":"go build","timeout":"1m0s","onError":"continue",
			          "computeResources":{"limits":{"cpu":"1"}},"workspaces":[{"name":"src","mountPath":"/src"}],
			          "stdoutConfig":{"path":"/tmp/out"},"results":[{"name":"r","type":"string"}],
			          "params":[{"name":"p","value":"v"}],"ref":{"name":"action","resolver":"git","params":[{"name":"url","value":"u"}]},
			          "when":[{"input":"a","operator":"in","values":["a"]}]}],
			"stepTemplate":{"env":[{"name":"E","value":"1"}]},
			"sidecars":[{"name":"db","image":"postgres","restartPolicy":"Always"}],
			"volumes":[{"name":"v","emptyDir":{}}],
			"workspaces":[{"name":"src","description":"d","mountPath":"/w","readOnly":true,"optional":true}],
			"results":[{"name":"digest","type":"string","description":"d","value":"$(steps.build.results.r)"}]}}`,
			&tektonv1.Task{}, &tekton.Task{}},
		{"PipelineRun", `{"apiVersion":"tekton.dev/v1","kind":"PipelineRun","metadata":{"name":"pr","namespace":"ns"},
			"spec":{"pipelineSpec":{"tasks":[{"name":"a","taskRef":{"name":"t","kind":"Task"},
			    "params":[{"name":"p","value":["x","y"]}],"matrix":{"params":[{"name":"m","value":["1","2"]}],"include":[{"name":"i","params":[{"name":"q","value":"z"}]}]},
			    "workspaces":[{"name":"src","workspace":"shared","subPath":"a"}],"retries":2,"timeout":"5m0s","onError":"continue",
			    "when":[{"cel":"'a' == 'a'"}],"runAfter":["b"]},
			  {"name":"b","taskSpec":{"apiVersion":"example.dev/v1","kind":"Wait","spec":{"duration":"1s"},"metadata":{"labels":{"l":"v"}}}}],
			  "finally":[{"name":"f","taskRef":{"resolver":"bundles","params":[{"name":"bundle","value":"b"}]}}],
			  "results":[{"name":"r","value":"$(tasks.a.results.r)"}],
			  "workspaces":[{"name":"shared","optional":true}]},
			"params":[{"name":"o","value":{"k":"v"}}],"status":"Cancelled",
			"timeouts":{"pipeline":"1h0m0s","tasks":"50m0s","finally":"10m0s"},
			"taskRunTemplate":{"serviceAccountName":"sa","podTemplate":{"nodeSelector":{"n":"1"},"hostNetwork":true}},
			"workspaces":[{"name":"shared","volumeClaimTemplate":{"spec":{"accessModes":["ReadWriteOnce"]}}}],
			"taskRunSpecs":[{"pipelineTaskName":"a","serviceAccountName":"sa2","metadata":{"labels":{"x":"y"}},"stepSpecs":[{"name":"s","computeResources":{}}]}]},
			"status":{"conditions":[{"type":"Succeeded","status":"False","reason":"Cancelled","lastTransitionTime":"2024-01-01T00:00:00Z"}],
			"startTime":"2024-01-01T00:00:00Z","results":[{"name":"r","value":["a"]}],
			"childReferences":[{"apiVersion":"tekton.dev/v1","kind":"TaskRun","name":"pr-a","pipelineTaskName":"a"}],
			"skippedTasks":[{"name":"b","reason":"When Expressions evaluated to false","whenExpressions":[{"input":"a","operator":"notin","values":["a"]}]}],
			"spanContext":{"traceparent":"x"}}}`,
			&tektonv1.PipelineRun{}, &tekton.PipelineRun{}},
		{"TaskRun", `{"apiVersion":"tekton.dev/v1","kind":"TaskRun","metadata":{"name":"tr","namespace":"ns"},
			"spec":{"debug":{"breakpoints":{"onFailure":"enabled","beforeSteps":["s"]}},"serviceAccountName":"sa",
			"taskRef":{"name":"t"},"timeout":"1h0m0s","retries":1,
			"workspaces":[{"name":"w","emptyDir":{}},{"name":"c","configMap":{"name":"cm"}},{"name":"s","secret":{"secretName":"s"}}]},
			"status":{"podName":"tr-pod","steps":[{"name":"s","container":"step-s","terminated":{"exitCode":0,"startedAt":null,"finishedAt":null}}],
			"results":[{"name":"r","type":"object","value":{"a":"b"}}],
			"provenance":{"refSource":{"uri":"git+https://x","digest":{"sha1":"abc"},"entryPoint":"task.yaml"}}}}`,
			&tektonv1.TaskRun{}, &tekton.TaskRun{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := json.Unmarshal([]byte(tc.in), tc.versioned); err != nil {
				t.Fatalf("decode: %v", err)
			}
			if err := scheme.Convert(tc.versioned, tc.hub, nil); err != nil {
				t.Fatalf("to hub: %v", err)
			}
			back := tc.versioned.DeepCopyObject()
			reflect.ValueOf(back).Elem().Set(reflect.Zero(reflect.TypeOf(back).Elem()))
			if err := scheme.Convert(tc.hub, back, nil); err != nil {
				t.Fatalf("from hub: %v", err)
			}
			out, err := json.Marshal(back)
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			var want, got any
			if err := json.Unmarshal([]byte(tc.in), &want); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatal(err)
			}
			// Conversion drops TypeMeta; encoding adds creationTimestamp: null and
			// the empty non-omitempty fields upstream also writes (description: "",
			// computeResources: {}); drop them before comparing.
			delete(want.(map[string]any), "apiVersion")
			delete(want.(map[string]any), "kind")
			stripEmpty(got)
			stripEmpty(want)
			if !reflect.DeepEqual(want, got) {
				w, _ := json.MarshalIndent(want, "", " ")
				g, _ := json.MarshalIndent(got, "", " ")
				t.Fatalf("round trip changed the object\nwant %s\ngot  %s", w, g)
			}
		})
	}
}

func stripEmpty(v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if e == nil || e == "" {
				delete(v, k)
				continue
			}
			stripEmpty(e)
			if m, ok := e.(map[string]any); ok && len(m) == 0 && k != "emptyDir" {
				delete(v, k)
			}
		}
	case []any:
		for _, e := range v {
			stripEmpty(e)
		}
	}
}
