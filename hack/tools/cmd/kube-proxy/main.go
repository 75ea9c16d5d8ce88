// Command kube-proxy is Kubernetes' Service proxy from k8s.io/kubernetes at
// the version pinned in hack/tools/go.mod; the local node runs it in
// nftables mode so ClusterIPs reach pods.
package main

import (
	"os"

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/kubernetes/cmd/kube-proxy/app"
)

func main() {
	os.Exit(cli.Run(app.NewProxyCommand()))
}
