package validation_test

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/knap-dev/knap/pkg/apis/networking"
	"github.com/knap-dev/knap/pkg/apis/networking/validation"
)

const ns = "default"

func split(name string, percent int32) networking.IngressBackendSplit {
	return networking.IngressBackendSplit{
		IngressBackend: networking.IngressBackend{ServiceNamespace: ns, ServiceName: name, ServicePort: intstr.FromInt32(80)},
		Percent:        percent,
	}
}

// validIngress is an Ingress as Knative's route reconciler creates it,
// after defaulting: a public and a cluster-local rule, one with a split.
func validIngress() *networking.Ingress {
	return &networking.Ingress{
		ObjectMeta: metav1.ObjectMeta{Name: "hello", Namespace: ns, ResourceVersion: "1"},
		Spec: networking.IngressSpec{
			TLS: []networking.IngressTLS{{Hosts: []string{"hello.default.example.com"}, SecretName: "route-cert", SecretNamespace: ns}},
			Rules: []networking.IngressRule{{
				Hosts:      []string{"hello.default.example.com"},
				Visibility: networking.IngressVisibilityExternalIP,
				HTTP: &networking.HTTPIngressRuleValue{Paths: []networking.HTTPIngressPath{{
					Splits:        []networking.IngressBackendSplit{split("hello-00001", 80), split("hello-00002", 20)},
					AppendHeaders: map[string]string{"Knative-Serving-Namespace": ns},
				}}},
			}, {
				Hosts:      []string{"hello.default.svc.cluster.local"},
				Visibility: networking.IngressVisibilityClusterLocal,
				HTTP: &networking.HTTPIngressRuleValue{Paths: []networking.HTTPIngressPath{{
					Headers: map[string]networking.HeaderMatch{"Knative-Serving-Tag": {Exact: "v1"}},
					Splits:  []networking.IngressBackendSplit{split("hello-00001", 100)},
				}}},
			}},
			HTTPOption: networking.HTTPOptionEnabled,
		},
	}
}

// path0 is the first path of the first rule.
func path0(ing *networking.Ingress) *networking.HTTPIngressPath {
	return &ing.Spec.Rules[0].HTTP.Paths[0]
}

const p0 = "spec.rules[0].http.paths[0]"

func TestValidateIngress(t *testing.T) {
	for name, tc := range map[string]struct {
		mutate func(*networking.Ingress)
		want   []string // field paths of the errors; none means valid
	}{
		"valid":                     {mutate: func(*networking.Ingress) {}},
		"no TLS":                    {mutate: func(ing *networking.Ingress) { ing.Spec.TLS = nil }},
		"rule without hosts":        {mutate: func(ing *networking.Ingress) { ing.Spec.Rules[0].Hosts = nil }},
		"rewrite host":              {mutate: func(ing *networking.Ingress) { path0(ing).RewriteHost = "hello.internal" }},
		"path prefix":               {mutate: func(ing *networking.Ingress) { path0(ing).Path = "/api" }},
		"named service port":        {mutate: func(ing *networking.Ingress) { path0(ing).Splits[0].ServicePort = intstr.FromString("http") }},
		"redirected HTTP":           {mutate: func(ing *networking.Ingress) { ing.Spec.HTTPOption = networking.HTTPOptionRedirected }},
		"http option is not judged": {mutate: func(ing *networking.Ingress) { ing.Spec.HTTPOption = "Sometimes" }},
		"visibility is not judged":  {mutate: func(ing *networking.Ingress) { ing.Spec.Rules[0].Visibility = "Galactic" }},
		"single split without percent": {mutate: func(ing *networking.Ingress) {
			path0(ing).Splits = []networking.IngressBackendSplit{split("hello-00001", 0)}
		}},
		"split with 0 percent next to 100": {mutate: func(ing *networking.Ingress) {
			path0(ing).Splits = []networking.IngressBackendSplit{split("hello-00001", 100), split("hello-00002", 0)}
		}},
		"dotted name": {mutate: func(ing *networking.Ingress) { ing.Name = "hello.example.com" }},

		"invalid name":      {mutate: func(ing *networking.Ingress) { ing.Name = "Hello" }, want: []string{"metadata.name"}},
		"no namespace":      {mutate: func(ing *networking.Ingress) { ing.Namespace = "" }, want: []string{"metadata.namespace", p0 + ".splits[0].serviceNamespace", "spec.rules[1].http.paths[0].splits[0].serviceNamespace"}},
		"empty spec":        {mutate: func(ing *networking.Ingress) { ing.Spec = networking.IngressSpec{} }, want: []string{"spec"}},
		"no rules":          {mutate: func(ing *networking.Ingress) { ing.Spec.Rules = nil }, want: []string{"spec.rules"}},
		"empty rule":        {mutate: func(ing *networking.Ingress) { ing.Spec.Rules[1] = networking.IngressRule{} }, want: []string{"spec.rules[1]"}},
		"rule without http": {mutate: func(ing *networking.Ingress) { ing.Spec.Rules[0].HTTP = nil }, want: []string{"spec.rules[0].http"}},
		"rule without paths": {mutate: func(ing *networking.Ingress) {
			ing.Spec.Rules[0].HTTP.Paths = nil
		}, want: []string{"spec.rules[0].http.paths"}},
		"empty path": {mutate: func(ing *networking.Ingress) {
			ing.Spec.Rules[0].HTTP.Paths = append(ing.Spec.Rules[0].HTTP.Paths, networking.HTTPIngressPath{})
		}, want: []string{"spec.rules[0].http.paths[1]"}},
		"path without splits": {mutate: func(ing *networking.Ingress) { path0(ing).Splits = nil }, want: []string{p0 + ".splits"}},
		"empty split": {mutate: func(ing *networking.Ingress) {
			path0(ing).Splits[1] = networking.IngressBackendSplit{}
		}, want: []string{p0 + ".splits[1]"}},
		"split with only a percent": {mutate: func(ing *networking.Ingress) {
			path0(ing).Splits[1] = networking.IngressBackendSplit{Percent: 20}
		}, want: []string{p0 + ".splits[1]"}},
		"percent above 100": {mutate: func(ing *networking.Ingress) {
			path0(ing).Splits = []networking.IngressBackendSplit{split("hello-00001", 199)}
		}, want: []string{p0 + ".splits[0].percent"}},
		"negative percent": {mutate: func(ing *networking.Ingress) { path0(ing).Splits[1].Percent = -20 }, want: []string{p0 + ".splits[1].percent"}},
		"single split under 100": {mutate: func(ing *networking.Ingress) {
			path0(ing).Splits = []networking.IngressBackendSplit{split("hello-00001", 30)}
		}, want: []string{p0 + ".splits"}},
		"splits summing to 90":  {mutate: func(ing *networking.Ingress) { path0(ing).Splits[1].Percent = 10 }, want: []string{p0 + ".splits"}},
		"splits summing to 110": {mutate: func(ing *networking.Ingress) { path0(ing).Splits[1].Percent = 30 }, want: []string{p0 + ".splits"}},
		"two splits without percents": {mutate: func(ing *networking.Ingress) {
			path0(ing).Splits[0].Percent, path0(ing).Splits[1].Percent = 0, 0
		}, want: []string{p0 + ".splits"}},
		"the first invalid split hides later ones and the total": {mutate: func(ing *networking.Ingress) {
			path0(ing).Splits[0].ServiceName = ""
			path0(ing).Splits[1].ServiceName = ""
			path0(ing).Splits[1].Percent = 90
		}, want: []string{p0 + ".splits[0].serviceName"}},
		"split without service name": {mutate: func(ing *networking.Ingress) { path0(ing).Splits[0].ServiceName = "" }, want: []string{p0 + ".splits[0].serviceName"}},
		"split without service namespace": {mutate: func(ing *networking.Ingress) {
			path0(ing).Splits[0].ServiceNamespace = ""
		}, want: []string{p0 + ".splits[0].serviceNamespace"}},
		"split in another namespace": {mutate: func(ing *networking.Ingress) {
			path0(ing).Splits[0].ServiceNamespace = "kube-system"
		}, want: []string{p0 + ".splits[0].serviceNamespace"}},
		"split without service port": {mutate: func(ing *networking.Ingress) {
			path0(ing).Splits[0].ServicePort = intstr.IntOrString{}
		}, want: []string{p0 + ".splits[0].servicePort"}},
		"split with percent and backend errors": {mutate: func(ing *networking.Ingress) {
			path0(ing).Splits[0].Percent = 101
			path0(ing).Splits[0].ServiceName = ""
		}, want: []string{p0 + ".splits[0].percent", p0 + ".splits[0].serviceName"}},
		"errors in two rules": {mutate: func(ing *networking.Ingress) {
			ing.Spec.Rules[0].HTTP = nil
			ing.Spec.Rules[1].HTTP.Paths[0].Splits[0].Percent = 50
		}, want: []string{"spec.rules[0].http", "spec.rules[1].http.paths[0].splits"}},
		"empty TLS": {mutate: func(ing *networking.Ingress) {
			ing.Spec.TLS = append(ing.Spec.TLS, networking.IngressTLS{})
		}, want: []string{"spec.tls[1]"}},
		"TLS without secret name": {mutate: func(ing *networking.Ingress) { ing.Spec.TLS[0].SecretName = "" }, want: []string{"spec.tls[0].secretName"}},
		"TLS without secret namespace": {mutate: func(ing *networking.Ingress) {
			ing.Spec.TLS[0].SecretNamespace = ""
		}, want: []string{"spec.tls[0].secretNamespace"}},
		"TLS with only hosts": {mutate: func(ing *networking.Ingress) {
			ing.Spec.TLS[0] = networking.IngressTLS{Hosts: []string{"a.example.com"}}
		}, want: []string{"spec.tls[0].secretName", "spec.tls[0].secretNamespace"}},
	} {
		t.Run(name, func(t *testing.T) {
			ing := validIngress()
			tc.mutate(ing)
			expectPaths(t, validation.ValidateIngress(ing), tc.want...)
		})
	}
}

func TestValidateIngressUpdate(t *testing.T) {
	old := validIngress()
	ing := validIngress()
	ing.Spec.Rules = ing.Spec.Rules[:1]
	path0(ing).Splits = []networking.IngressBackendSplit{split("hello-00003", 100)}
	expectPaths(t, validation.ValidateIngressUpdate(ing, old))

	ing = validIngress()
	ing.Spec.Rules = nil
	expectPaths(t, validation.ValidateIngressUpdate(ing, old), "spec.rules")

	ing = validIngress()
	ing.Name = "renamed"
	expectPaths(t, validation.ValidateIngressUpdate(ing, old), "metadata.name")
}

func validSKS() *networking.ServerlessService {
	return &networking.ServerlessService{
		ObjectMeta: metav1.ObjectMeta{Name: "hello-00001", Namespace: ns, ResourceVersion: "1"},
		Spec: networking.ServerlessServiceSpec{
			Mode:          networking.SKSOperationModeServe,
			ObjectRef:     networking.ObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: "hello-00001-deployment"},
			ProtocolType:  networking.ProtocolHTTP1,
			NumActivators: 2,
		},
	}
}

func TestValidateServerlessService(t *testing.T) {
	for name, tc := range map[string]struct {
		mutate func(*networking.ServerlessService)
		want   []string
	}{
		"valid":          {mutate: func(*networking.ServerlessService) {}},
		"proxy":          {mutate: func(s *networking.ServerlessService) { s.Spec.Mode = networking.SKSOperationModeProxy }},
		"h2c":            {mutate: func(s *networking.ServerlessService) { s.Spec.ProtocolType = networking.ProtocolH2C }},
		"all activators": {mutate: func(s *networking.ServerlessService) { s.Spec.NumActivators = 0 }},
		"dotted name":    {mutate: func(s *networking.ServerlessService) { s.Name = "hello.v1" }},
		"known networking annotations": {mutate: func(s *networking.ServerlessService) {
			s.Annotations = map[string]string{
				"networking.knative.dev/ingress.class":               "kourier.ingress.networking.knative.dev",
				"networking.knative.dev/ingress-class":               "kourier.ingress.networking.knative.dev",
				"networking.knative.dev/certificate.class":           "cert-manager.certificate.networking.knative.dev",
				"networking.knative.dev/certificate-class":           "cert-manager.certificate.networking.knative.dev",
				"networking.knative.dev/disableAutoTLS":              "true",
				"networking.knative.dev/disable-auto-tls":            "true",
				"networking.knative.dev/httpOption":                  "redirected",
				"networking.knative.dev/http-protocol":               "redirected",
				"networking.knative.dev/disable-external-domain-tls": "true",
				"serving.knative.dev/revision":                       "hello-00001",
				"example.com/networking.knative.dev":                 "x",
			}
		}},

		"invalid name": {mutate: func(s *networking.ServerlessService) { s.Name = "Hello" }, want: []string{"metadata.name"}},
		"unknown networking annotation": {mutate: func(s *networking.ServerlessService) {
			s.Annotations = map[string]string{"networking.knative.dev/ingress-klass": "x", "networking.knative.dev/disable-auto-tls": "true"}
		}, want: []string{"metadata.annotations[networking.knative.dev/ingress-klass]"}},
		"empty spec":          {mutate: func(s *networking.ServerlessService) { s.Spec = networking.ServerlessServiceSpec{} }, want: []string{"spec"}},
		"no mode":             {mutate: func(s *networking.ServerlessService) { s.Spec.Mode = "" }, want: []string{"spec.mode"}},
		"unknown mode":        {mutate: func(s *networking.ServerlessService) { s.Spec.Mode = "Serving" }, want: []string{"spec.mode"}},
		"negative activators": {mutate: func(s *networking.ServerlessService) { s.Spec.NumActivators = -1 }, want: []string{"spec.numActivators"}},
		"no object ref": {mutate: func(s *networking.ServerlessService) { s.Spec.ObjectRef = networking.ObjectReference{} }, want: []string{
			"spec.objectRef.apiVersion", "spec.objectRef.kind", "spec.objectRef.name",
		}},
		"bad object ref apiVersion": {mutate: func(s *networking.ServerlessService) { s.Spec.ObjectRef.APIVersion = "/v1" }, want: []string{"spec.objectRef.apiVersion"}},
		"bad object ref kind":       {mutate: func(s *networking.ServerlessService) { s.Spec.ObjectRef.Kind = "1Deployment" }, want: []string{"spec.objectRef.kind"}},
		"bad object ref name":       {mutate: func(s *networking.ServerlessService) { s.Spec.ObjectRef.Name = "a.b" }, want: []string{"spec.objectRef.name"}},
		"no protocol":               {mutate: func(s *networking.ServerlessService) { s.Spec.ProtocolType = "" }, want: []string{"spec.ProtocolType"}},
		"unknown protocol":          {mutate: func(s *networking.ServerlessService) { s.Spec.ProtocolType = "grpc" }, want: []string{"spec.ProtocolType"}},
		"only a mode": {mutate: func(s *networking.ServerlessService) {
			s.Spec = networking.ServerlessServiceSpec{Mode: networking.SKSOperationModeProxy}
		}, want: []string{"spec.objectRef.apiVersion", "spec.objectRef.kind", "spec.objectRef.name", "spec.ProtocolType"}},
	} {
		t.Run(name, func(t *testing.T) {
			s := validSKS()
			tc.mutate(s)
			expectPaths(t, validation.ValidateServerlessService(s), tc.want...)
		})
	}
}

func TestValidateServerlessServiceUpdate(t *testing.T) {
	old := validSKS()
	s := validSKS()
	s.Spec.Mode = networking.SKSOperationModeProxy
	s.Spec.NumActivators = 3
	expectPaths(t, validation.ValidateServerlessServiceUpdate(s, old))

	s = validSKS()
	s.Spec.Mode = "Off"
	expectPaths(t, validation.ValidateServerlessServiceUpdate(s, old), "spec.mode")

	s = validSKS()
	s.Name = "renamed"
	expectPaths(t, validation.ValidateServerlessServiceUpdate(s, old), "metadata.name")
}

func TestErrorTypes(t *testing.T) {
	s := validSKS()
	s.Spec.Mode, s.Spec.ProtocolType = "Off", "grpc"
	expectType(t, validation.ValidateServerlessService(s), field.ErrorTypeNotSupported)

	s = validSKS()
	s.Spec.Mode, s.Spec.ProtocolType = "", ""
	s.Spec.ObjectRef.Name = ""
	expectType(t, validation.ValidateServerlessService(s), field.ErrorTypeRequired)

	ing := validIngress()
	path0(ing).Splits[0].ServiceNamespace = "other"
	path0(ing).Splits[0].Percent = 500
	expectType(t, validation.ValidateIngress(ing), field.ErrorTypeInvalid)
}
