package defaults

import (
	"testing"

	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/diff"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/knap-dev/knap/pkg/apis/networking"
)

func split(name string, percent int32) networking.IngressBackendSplit {
	return networking.IngressBackendSplit{
		IngressBackend: networking.IngressBackend{ServiceNamespace: "default", ServiceName: name, ServicePort: intstr.FromInt32(80)},
		Percent:        percent,
	}
}

func rule(vis networking.IngressVisibility, splits ...networking.IngressBackendSplit) networking.IngressRule {
	return networking.IngressRule{
		Hosts:      []string{"hello.default.example.com"},
		Visibility: vis,
		HTTP:       &networking.HTTPIngressRuleValue{Paths: []networking.HTTPIngressPath{{Splits: splits}}},
	}
}

func TestIngress(t *testing.T) {
	tls := []networking.IngressTLS{{SecretName: "cert"}}
	for name, tc := range map[string]struct {
		in, want networking.IngressSpec
	}{
		"empty: HTTP enabled": {
			want: networking.IngressSpec{HTTPOption: networking.HTTPOptionEnabled},
		},
		"redirected HTTP is kept": {
			in:   networking.IngressSpec{HTTPOption: networking.HTTPOptionRedirected},
			want: networking.IngressSpec{HTTPOption: networking.HTTPOptionRedirected},
		},
		"rule visibility defaults to ExternalIP; a lone split takes 100 percent": {
			in:   networking.IngressSpec{Rules: []networking.IngressRule{rule("", split("a", 0))}},
			want: networking.IngressSpec{Rules: []networking.IngressRule{rule(networking.IngressVisibilityExternalIP, split("a", 100))}, HTTPOption: networking.HTTPOptionEnabled},
		},
		"cluster-local visibility is kept": {
			in:   networking.IngressSpec{Rules: []networking.IngressRule{rule(networking.IngressVisibilityClusterLocal, split("a", 100))}},
			want: networking.IngressSpec{Rules: []networking.IngressRule{rule(networking.IngressVisibilityClusterLocal, split("a", 100))}, HTTPOption: networking.HTTPOptionEnabled},
		},
		"a lone split's percent is kept when given": {
			in:   networking.IngressSpec{Rules: []networking.IngressRule{rule(networking.IngressVisibilityExternalIP, split("a", 30))}},
			want: networking.IngressSpec{Rules: []networking.IngressRule{rule(networking.IngressVisibilityExternalIP, split("a", 30))}, HTTPOption: networking.HTTPOptionEnabled},
		},
		"several splits are kept as given": {
			in:   networking.IngressSpec{Rules: []networking.IngressRule{rule(networking.IngressVisibilityExternalIP, split("a", 0), split("b", 0))}},
			want: networking.IngressSpec{Rules: []networking.IngressRule{rule(networking.IngressVisibilityExternalIP, split("a", 0), split("b", 0))}, HTTPOption: networking.HTTPOptionEnabled},
		},
		"rule without http only gets a visibility": {
			in:   networking.IngressSpec{Rules: []networking.IngressRule{{Hosts: []string{"h"}}}},
			want: networking.IngressSpec{Rules: []networking.IngressRule{{Hosts: []string{"h"}, Visibility: networking.IngressVisibilityExternalIP}}, HTTPOption: networking.HTTPOptionEnabled},
		},
		"TLS is not defaulted": {
			in:   networking.IngressSpec{TLS: tls},
			want: networking.IngressSpec{TLS: tls, HTTPOption: networking.HTTPOptionEnabled},
		},
	} {
		t.Run(name, func(t *testing.T) {
			ing := &networking.Ingress{ObjectMeta: metav1.ObjectMeta{Name: "hello", Namespace: "default"}, Spec: tc.in}
			for _, old := range []*networking.Ingress{nil, ing.DeepCopy()} {
				got := ing.DeepCopy()
				Ingress(got, old, "someone")
				if !equality.Semantic.DeepEqual(got.Spec, tc.want) {
					t.Errorf("old=%v: %s", old != nil, diff.Diff(tc.want, got.Spec))
				}
				if !equality.Semantic.DeepEqual(got.ObjectMeta, ing.ObjectMeta) {
					t.Errorf("old=%v: metadata changed: %s", old != nil, diff.Diff(ing.ObjectMeta, got.ObjectMeta))
				}
			}
		})
	}
}

func TestServerlessService(t *testing.T) {
	for name, in := range map[string]*networking.ServerlessService{
		"empty": {},
		"full": {
			ObjectMeta: metav1.ObjectMeta{Name: "s", Namespace: "default"},
			Spec: networking.ServerlessServiceSpec{
				Mode:         networking.SKSOperationModeProxy,
				ObjectRef:    networking.ObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: "d"},
				ProtocolType: networking.ProtocolH2C,
			},
		},
	} {
		t.Run(name, func(t *testing.T) {
			got := in.DeepCopy()
			ServerlessService(got, nil, "someone")
			if !equality.Semantic.DeepEqual(got, in) {
				t.Errorf("ServerlessService has no defaults, but defaulting changed it: %s", diff.Diff(in, got))
			}
		})
	}
}
