// Command kube-apiserver is the Kubernetes API server from k8s.io/kubernetes
// at the version pinned in hack/tools/go.mod. hack/local-up.sh and the e2e
// tests run knap behind it, registered by APIService.
package main

import (
	"os"
	_ "time/tzdata" // CronJob time zones

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	os.Exit(cli.Run(app.NewAPIServerCommand()))
}
