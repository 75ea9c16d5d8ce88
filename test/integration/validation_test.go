package integration

import (
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/yaml"

	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
)

// Each of Knative's validation rules, through the API: a 422 naming the
// field, and nothing stored.
func TestRejectedOnCreate(t *testing.T) {
	const container = `containers: [{image: "ghcr.io/knative/helloworld-go:latest"}]`
	cases := []struct {
		name, kind, yaml, path string
	}{
		{"name not DNS-1035", "Service", `metadata: {name: 1abc}
spec: {template: {spec: {` + container + `}}}`, "metadata.name"},
		{"no containers", "Service", `metadata: {name: s}
spec: {template: {spec: {containers: []}}}`, "spec.template.spec.containers"},
		{"missing image", "Service", `metadata: {name: s}
spec: {template: {spec: {containers: [{name: app}]}}}`, "spec.template.spec.containers[0].image"},
		{"percent over 100", "Service", `metadata: {name: s}
spec: {template: {spec: {` + container + `}}, traffic: [{latestRevision: true, percent: 101}]}`, "spec.traffic[0].percent"},
		{"percents not summing to 100", "Service", `metadata: {name: s}
spec: {template: {spec: {` + container + `}}, traffic: [{latestRevision: true, percent: 50}]}`, "spec.traffic"},
		{"duplicate tags", "Service", `metadata: {name: s}
spec: {template: {spec: {` + container + `}}, traffic: [{latestRevision: true, percent: 50, tag: a}, {revisionName: s-1, percent: 50, tag: a}]}`, "spec.traffic[1].tag"},
		{"tag not DNS-1035", "Service", `metadata: {name: s}
spec: {template: {spec: {` + container + `}}, traffic: [{latestRevision: true, percent: 100, tag: Bad_Tag}]}`, "spec.traffic[0].tag"},
		{"configurationName in a Service", "Service", `metadata: {name: s}
spec: {template: {spec: {` + container + `}}, traffic: [{configurationName: s, percent: 100}]}`, "spec.traffic[0].configurationName"},
		{"latestRevision with revisionName", "Service", `metadata: {name: s}
spec: {template: {spec: {` + container + `}}, traffic: [{revisionName: s-1, latestRevision: true, percent: 100}]}`, "spec.traffic[0].latestRevision"},
		{"url in spec", "Service", `metadata: {name: s}
spec: {template: {spec: {` + container + `}}, traffic: [{latestRevision: true, percent: 100, url: "http://x"}]}`, "spec.traffic[0].url"},
		{"template name without parent prefix", "Service", `metadata: {name: s}
spec: {template: {metadata: {name: other-1}, spec: {` + container + `}}}`, "spec.template.metadata.name"},
		{"template name with generateName", "Service", `metadata: {generateName: s-}
spec: {template: {metadata: {name: s-1}, spec: {` + container + `}}}`, "spec.template.metadata.name"},
		{"timeout over 600", "Service", `metadata: {name: s}
spec: {template: {spec: {timeoutSeconds: 601, ` + container + `}}}`, "spec.template.spec.timeoutSeconds"},
		{"containerConcurrency over 1000", "Service", `metadata: {name: s}
spec: {template: {spec: {containerConcurrency: 1001, ` + container + `}}}`, "spec.template.spec.containerConcurrency"},
		{"two ports", "Service", `metadata: {name: s}
spec: {template: {spec: {containers: [{image: "a/b:1", ports: [{containerPort: 8080}, {containerPort: 8081}]}]}}}`, "spec.template.spec.containers[0].ports"},
		{"reserved port", "Service", `metadata: {name: s}
spec: {template: {spec: {containers: [{image: "a/b:1", ports: [{containerPort: 8012}]}]}}}`, "spec.template.spec.containers[0].ports[0].containerPort"},
		{"reserved env", "Service", `metadata: {name: s}
spec: {template: {spec: {containers: [{image: "a/b:1", env: [{name: K_SERVICE, value: x}]}]}}}`, "spec.template.spec.containers[0].env[0].name"},
		{"reserved container name", "Service", `metadata: {name: s}
spec: {template: {spec: {containers: [{name: queue-proxy, image: "a/b:1"}]}}}`, "spec.template.spec.containers[0].name"},
		{"pod field off by default", "Service", `metadata: {name: s}
spec: {template: {spec: {nodeName: n1, ` + container + `}}}`, "spec.template.spec.nodeName"},
		{"min-scale above max-scale", "Service", `metadata: {name: s}
spec: {template: {metadata: {annotations: {autoscaling.knative.dev/min-scale: "5", autoscaling.knative.dev/max-scale: "2"}}, spec: {` + container + `}}}`, "spec.template.metadata.annotations[autoscaling.knative.dev/max-scale]"},
		{"autoscaling window too short", "Service", `metadata: {name: s}
spec: {template: {metadata: {annotations: {autoscaling.knative.dev/window: "1s"}}, spec: {` + container + `}}}`, "spec.template.metadata.annotations[autoscaling.knative.dev/window]"},
		{"unknown autoscaling class metric", "Service", `metadata: {name: s}
spec: {template: {metadata: {annotations: {autoscaling.knative.dev/metric: memory}}, spec: {` + container + `}}}`, "spec.template.metadata.annotations[autoscaling.knative.dev/metric]"},
		{"autoscaling annotation on the Service", "Service", `metadata: {name: s, annotations: {autoscaling.knative.dev/min-scale: "1"}}
spec: {template: {spec: {` + container + `}}}`, "metadata.annotations"},
		{"autoscaling annotation on the Configuration", "Configuration", `metadata: {name: c, annotations: {autoscaling.knative.dev/target: "10"}}
spec: {template: {spec: {` + container + `}}}`, "metadata.annotations"},
		{"Route without traffic", "Route", `metadata: {name: r}
spec: {}`, "spec.traffic"},
		{"Route target naming both", "Route", `metadata: {name: r}
spec: {traffic: [{revisionName: r-1, configurationName: r, percent: 100}]}`, "spec.traffic[0]"},
		{"Route target naming neither", "Route", `metadata: {name: r}
spec: {traffic: [{percent: 100}]}`, "spec.traffic[0]"},
		{"Revision with a bad timeout", "Revision", `metadata: {name: rev}
spec: {timeoutSeconds: 700, ` + container + `}`, "spec.timeoutSeconds"},
	}
	c, ns := ctx(t), namespace(t)
	v1 := server.client.ServingV1()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			var name string
			switch tc.kind {
			case "Service":
				obj := decode[servingv1.Service](t, tc.yaml)
				name = obj.Name
				_, err = v1.Services(ns).Create(c, obj, metav1.CreateOptions{})
			case "Configuration":
				obj := decode[servingv1.Configuration](t, tc.yaml)
				name = obj.Name
				_, err = v1.Configurations(ns).Create(c, obj, metav1.CreateOptions{})
			case "Route":
				obj := decode[servingv1.Route](t, tc.yaml)
				name = obj.Name
				_, err = v1.Routes(ns).Create(c, obj, metav1.CreateOptions{})
			case "Revision":
				obj := decode[servingv1.Revision](t, tc.yaml)
				name = obj.Name
				_, err = v1.Revisions(ns).Create(c, obj, metav1.CreateOptions{})
			}
			requireInvalid(t, err, tc.path)
			if name != "" {
				if _, err := v1.Services(ns).Get(c, name, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
					t.Errorf("rejected object was stored: %v", err)
				}
			}
		})
	}
}

// Rules that only apply to updates; the stored object must survive intact.
func TestRejectedOnUpdate(t *testing.T) {
	c, ns := ctx(t), namespace(t)
	services := server.client.ServingV1().Services(ns)
	named := newService("named")
	named.Spec.Template.Name = "named-v1"
	stored, err := services.Create(c, named, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}

	changed := stored.DeepCopy()
	changed.Spec.Template.Spec.Containers[0].Image = "example.com/new:2"
	_, err = services.Update(c, changed, metav1.UpdateOptions{})
	requireInvalid(t, err, "spec.template.metadata.name")

	renamed := changed.DeepCopy()
	renamed.Spec.Template.Name = "named-v2"
	updated, err := services.Update(c, renamed, metav1.UpdateOptions{})
	if err != nil {
		t.Fatalf("a changed template under a new name must be accepted: %v", err)
	}

	tooLong := updated.DeepCopy()
	tooLong.Spec.Template.Name = "named-v3"
	tooLong.Spec.Template.Spec.TimeoutSeconds = ptr.To[int64](601)
	_, err = services.Update(c, tooLong, metav1.UpdateOptions{})
	requireInvalid(t, err, "spec.template.spec.timeoutSeconds")

	after, err := services.Get(c, "named", metav1.GetOptions{})
	if err != nil || after.ResourceVersion != updated.ResourceVersion || after.Spec.Template.Name != "named-v2" {
		t.Errorf("rejected updates changed the stored object: %v %+v", err, after)
	}
}

func decode[T any](t *testing.T, doc string) *T {
	t.Helper()
	obj := new(T)
	if err := yaml.UnmarshalStrict([]byte(doc), obj); err != nil {
		t.Fatalf("test YAML: %v", err)
	}
	return obj
}

// A timestamp past year 9999 in UTC would be stored but could not be read
// back, making the object and every list of its kind fail. It is refused
// wherever a client can write one.
func TestUnstorableTimestamps(t *testing.T) {
	c, ns := ctx(t), namespace(t)
	services := server.client.ServingV1().Services(ns)
	late := `"9999-12-31T23:59:59-00:01"`
	body := `{"apiVersion":"serving.knative.dev/v1","kind":"Service","metadata":{"name":"late","managedFields":[{"manager":"m","operation":"Update","apiVersion":"serving.knative.dev/v1","time":` + late + `,"fieldsType":"FieldsV1","fieldsV1":{"f:spec":{}}}]},"spec":{"template":{"spec":{"containers":[{"image":"nginx"}]}}}}`
	var status int
	out, _ := restClient(t).Post().AbsPath("/apis/serving.knative.dev/v1/namespaces", ns, "services").
		SetHeader("Content-Type", "application/json").Body([]byte(body)).Do(c).StatusCode(&status).Raw()
	if status != 422 || !strings.Contains(string(out), "managedFields") {
		t.Errorf("managedFields time past 9999: %d %s", status, out)
	}

	svc, err := services.Create(c, newService("late"), metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	statusBody := `{"status":{"conditions":[{"type":"Ready","status":"True","lastTransitionTime":` + late + `}]}}`
	_, err = services.Patch(c, "late", types.MergePatchType, []byte(statusBody), metav1.PatchOptions{}, "status")
	requireInvalid(t, err, "status.conditions[0].lastTransitionTime")
	if _, err := services.List(c, metav1.ListOptions{}); err != nil {
		t.Errorf("list after refused writes: %v", err)
	}
	if got, err := services.Get(c, "late", metav1.GetOptions{}); err != nil || got.ResourceVersion != svc.ResourceVersion {
		t.Errorf("refused status write changed the object: %v", err)
	}
}
