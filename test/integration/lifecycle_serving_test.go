package integration

import (
	"testing"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
)

func TestRouteLifecycle(t *testing.T) {
	testLifecycle[servingv1.Route](t, lifecycle[*servingv1.Route, *servingv1.RouteList]{
		client: func(ns string) kindClient[*servingv1.Route, *servingv1.RouteList] {
			return server.client.ServingV1().Routes(ns)
		},
		manifest: "apiVersion: serving.knative.dev/v1\nkind: Route\nmetadata: {name: r}\nspec:\n  traffic: [{configurationName: c, percent: 100}]\n",
		status:   func(r *servingv1.Route) *duckv1.Status { return &r.Status.Status },
		count:    func(l *servingv1.RouteList) int { return len(l.Items) },
		invalid: map[string]string{
			"apiVersion: serving.knative.dev/v1\nkind: Route\nmetadata: {name: r}\nspec:\n  traffic: [{configurationName: c, percent: 50}]\n": "spec.traffic",
		},
	})
}
