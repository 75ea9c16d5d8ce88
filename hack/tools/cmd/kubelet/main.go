// Command kubelet is Kubernetes' node agent from k8s.io/kubernetes at the
// version pinned in hack/tools/go.mod. hack/local-up.sh runs it against a
// containerd under _output/local/ so pods really run on this machine.
package main

import (
	"context"
	"os"

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/kubernetes/cmd/kubelet/app"
)

func main() {
	os.Exit(cli.Run(app.NewKubeletCommand(context.Background())))
}
