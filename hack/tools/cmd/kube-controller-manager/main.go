// Command kube-controller-manager is Kubernetes' controller manager from
// k8s.io/kubernetes at the version pinned in hack/tools/go.mod. The local
// control plane runs its namespace and garbage-collector controllers, which
// also clean up knap's aggregated resources when a namespace or owner goes.
package main

import (
	"os"
	_ "time/tzdata" // CronJob time zones

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/kubernetes/cmd/kube-controller-manager/app"
)

func main() {
	os.Exit(cli.Run(app.NewControllerManagerCommand()))
}
