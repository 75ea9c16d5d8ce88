package validation

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/utils/ptr"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
)

func TestParseISO8601(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"PT0.2S": 200 * time.Millisecond, "PT1S": time.Second, "P1DT2H": 26 * time.Hour, "PT1M30S": 90 * time.Second,
		"P1W": 7 * 24 * time.Hour, "PT0S": 0, "-PT5S": -5 * time.Second, "PT0,5S": 500 * time.Millisecond,
	} {
		got, err := ParseISO8601(in)
		if err != nil || got != want {
			t.Errorf("ParseISO8601(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "P", "PT", "1s", "PT1", "P1H", "PT1D", "PT1S2", "10s", "P-1D"} {
		if _, err := ParseISO8601(in); err == nil {
			t.Errorf("ParseISO8601(%q) succeeded, want an error", in)
		}
	}
}

// cert is a real self-signed certificate in PEM.
var cert = func() string {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test-ca"}, NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		panic(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}()

func TestValidateDestination(t *testing.T) {
	ref := &duckv1.KReference{APIVersion: "serving.knative.dev/v1", Kind: "Service", Name: "s"}
	path := field.NewPath("spec", "sink")
	for name, tc := range map[string]struct {
		d    duckv1.Destination
		want string // "" means valid; otherwise a field path in the error
	}{
		"ref":                  {duckv1.Destination{Ref: ref}, ""},
		"absolute uri":         {duckv1.Destination{URI: ptr.To("http://example.com/x")}, ""},
		"ref with relative":    {duckv1.Destination{Ref: ref, URI: ptr.To("/path")}, ""},
		"none":                 {duckv1.Destination{}, "spec.sink"},
		"relative without ref": {duckv1.Destination{URI: ptr.To("/path")}, "spec.sink.uri"},
		"no host":              {duckv1.Destination{URI: ptr.To("http:///x")}, "spec.sink.uri"},
		"absolute with ref":    {duckv1.Destination{Ref: ref, URI: ptr.To("http://example.com")}, "spec.sink.uri"},
		"ref without name":     {duckv1.Destination{Ref: &duckv1.KReference{APIVersion: "v1", Kind: "Service"}}, "spec.sink.ref.name"},
		"ref without kind":     {duckv1.Destination{Ref: &duckv1.KReference{APIVersion: "v1", Name: "s"}}, "spec.sink.ref.kind"},
		"ref without version":  {duckv1.Destination{Ref: &duckv1.KReference{Kind: "Service", Name: "s"}}, "spec.sink.ref.apiVersion"},
		"other namespace":      {duckv1.Destination{Ref: &duckv1.KReference{APIVersion: "v1", Kind: "Service", Name: "s", Namespace: "other"}}, "spec.sink.ref.namespace"},
		"group":                {duckv1.Destination{Ref: &duckv1.KReference{APIVersion: "v1", Kind: "Service", Name: "s", Group: "serving.knative.dev"}}, "spec.sink.ref.group"},
		"same namespace":       {duckv1.Destination{Ref: &duckv1.KReference{APIVersion: "v1", Kind: "Service", Name: "s", Namespace: "ns"}}, ""},
		"ca certs":             {duckv1.Destination{Ref: ref, CACerts: ptr.To(cert)}, ""},
		"bad ca certs":         {duckv1.Destination{Ref: ref, CACerts: ptr.To("not pem")}, "spec.sink.CACerts"},
		"not a certificate":    {duckv1.Destination{Ref: ref, CACerts: ptr.To("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")}, "spec.sink.CACerts"},
	} {
		errs := ValidateDestination(&tc.d, "ns", path)
		check(t, name, errs, tc.want)
	}
}

func TestValidateDeliverySpec(t *testing.T) {
	path := field.NewPath("spec", "delivery")
	linear, bogus := duckv1.BackoffPolicyLinear, duckv1.BackoffPolicyType("random")
	binary, xml := duckv1.DeliveryFormatBinary, duckv1.FormatType("xml")
	for name, tc := range map[string]struct {
		d    duckv1.DeliverySpec
		want string
	}{
		"full": {duckv1.DeliverySpec{Retry: ptr.To[int32](3), Timeout: ptr.To("PT10S"), BackoffPolicy: &linear, BackoffDelay: ptr.To("PT0.2S"), Format: &binary,
			DeadLetterSink: &duckv1.Destination{URI: ptr.To("http://dls.example.com")}}, ""},
		"negative retry":    {duckv1.DeliverySpec{Retry: ptr.To[int32](-1)}, "spec.delivery.retry"},
		"zero timeout":      {duckv1.DeliverySpec{Timeout: ptr.To("PT0S")}, "spec.delivery.timeout"},
		"bad timeout":       {duckv1.DeliverySpec{Timeout: ptr.To("10s")}, "spec.delivery.timeout"},
		"bad policy":        {duckv1.DeliverySpec{BackoffPolicy: &bogus}, "spec.delivery.backoffPolicy"},
		"bad delay":         {duckv1.DeliverySpec{BackoffDelay: ptr.To("0.2")}, "spec.delivery.backoffDelay"},
		"bad format":        {duckv1.DeliverySpec{Format: &xml}, "spec.delivery.format"},
		"retry after max":   {duckv1.DeliverySpec{RetryAfterMax: ptr.To("PT1S")}, "spec.delivery.retryAfterMax"},
		"bad dead letter":   {duckv1.DeliverySpec{DeadLetterSink: &duckv1.Destination{URI: ptr.To("/x")}}, "spec.delivery.deadLetterSink.uri"},
		"empty dead letter": {duckv1.DeliverySpec{DeadLetterSink: &duckv1.Destination{}}, "spec.delivery.deadLetterSink"},
	} {
		check(t, name, ValidateDeliverySpec(&tc.d, "ns", path), tc.want)
	}
}

func TestValidateSourceSpec(t *testing.T) {
	path := field.NewPath("spec")
	ok := duckv1.SourceSpec{Sink: duckv1.Destination{URI: ptr.To("http://x.example.com")}, CloudEventOverrides: &duckv1.CloudEventOverrides{Extensions: map[string]string{"team": "a"}}}
	check(t, "ok", ValidateSourceSpec(&ok, "ns", path), "")
	bad := ok
	bad.CloudEventOverrides = &duckv1.CloudEventOverrides{Extensions: map[string]string{"Bad-Name": "a"}}
	check(t, "bad extension", ValidateSourceSpec(&bad, "ns", path), "spec.ceOverrides.extensions[Bad-Name]")
	check(t, "no sink", ValidateSourceSpec(&duckv1.SourceSpec{}, "ns", path), "spec.sink")
}

func check(t *testing.T, name string, errs field.ErrorList, want string) {
	t.Helper()
	if want == "" {
		if len(errs) > 0 {
			t.Errorf("%s: unexpected errors %v", name, errs)
		}
		return
	}
	for _, e := range errs {
		if e.Field == want {
			return
		}
	}
	t.Errorf("%s: want an error on %s, got %v", name, want, errs)
}
