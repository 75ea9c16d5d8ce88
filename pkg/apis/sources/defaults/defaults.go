// Package defaults applies Knative Eventing's defaults to the internal
// sources.knative.dev types.
//
// The registry strategies call these from PrepareForCreate and
// PrepareForUpdate (old is nil on create, the stored object on update), as
// Knative's defaulting webhook does on every write; they are not scheme
// defaulters. The values are those of Knative Eventing with config-features
// and config-ping-defaults as shipped. No source records its creator or last
// modifier, so user is unused.
package defaults

import (
	"fmt"

	"github.com/knap-dev/knap/pkg/apis/sources"
)

// PingSource gives a PingSource without a schedule one that fires every minute.
func PingSource(p, old *sources.PingSource, user string) {
	if p.Spec.Schedule == "" {
		p.Spec.Schedule = sources.DefaultSchedule
	}
}

// ApiServerSource sends references to the watched objects unless told
// otherwise, and watches with the namespace's default service account.
func ApiServerSource(a, old *sources.ApiServerSource, user string) {
	if a.Spec.Mode == "" {
		a.Spec.Mode = sources.ReferenceMode
	}
	if a.Spec.ServiceAccountName == "" {
		a.Spec.ServiceAccountName = sources.DefaultServiceAccountName
	}
}

// SinkBinding puts the subject and the sink's reference, when they name no
// namespace, in the binding's own.
func SinkBinding(b, old *sources.SinkBinding, user string) {
	if b.Spec.Subject.Namespace == "" {
		b.Spec.Subject.Namespace = b.Namespace
	}
	b.Spec.Sink.DefaultNamespace(b.Namespace)
}

// ContainerSource names each unnamed container after the source and its
// index, "<source>-<i>".
func ContainerSource(c, old *sources.ContainerSource, user string) {
	containers := c.Spec.Template.Spec.Containers
	for i := range containers {
		if containers[i].Name == "" {
			containers[i].Name = fmt.Sprintf("%s-%d", c.Name, i)
		}
	}
}
