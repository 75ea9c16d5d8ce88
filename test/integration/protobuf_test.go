package integration

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/metadata"
	"k8s.io/client-go/rest"

	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
	"github.com/knap-dev/knap/pkg/generated/clientset/versioned"
)

// Kubernetes' own controllers ask for protobuf first and JSON second. knap's
// types have no protobuf encoding, so it must answer such clients in JSON:
// the namespace controller's metadata client deletes collections this way,
// and failing it leaves deleted namespaces stuck in Terminating.
func TestProtobufPreferringClients(t *testing.T) {
	c, ns := ctx(t), namespace(t)
	cfg := rest.CopyConfig(server.config)
	cfg.ContentType = "application/json" // bodies: the client cannot encode knap's types as protobuf either
	cfg.AcceptContentTypes = "application/vnd.kubernetes.protobuf,application/json"
	typed := versioned.NewForConfigOrDie(cfg).ServingV1().Services(ns)
	for _, name := range []string{"proto-a", "proto-b"} {
		if _, err := typed.Create(c, newService(name), metav1.CreateOptions{}); err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
	}
	list, err := typed.List(c, metav1.ListOptions{})
	if err != nil || len(list.Items) != 2 {
		t.Fatalf("list: %v (%d items)", err, len(list.Items))
	}
	w, err := typed.Watch(c, metav1.ListOptions{ResourceVersion: list.ResourceVersion})
	if err != nil {
		t.Fatalf("watch: %v", err)
	}
	w.Stop()

	meta := metadata.NewForConfigOrDie(cfg).Resource(servingv1.SchemeGroupVersion.WithResource("services")).Namespace(ns)
	if _, err := meta.List(c, metav1.ListOptions{}); err != nil {
		t.Fatalf("metadata list: %v", err)
	}
	if err := meta.DeleteCollection(c, metav1.DeleteOptions{}, metav1.ListOptions{}); err != nil {
		t.Fatalf("metadata deletecollection: %v", err)
	}
	if list, err := typed.List(c, metav1.ListOptions{}); err != nil || len(list.Items) != 0 {
		t.Fatalf("after deletecollection: %v, %d items left", err, len(list.Items))
	}
}
