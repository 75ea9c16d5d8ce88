// Package e2e runs knap the way a cluster runs it: a real kube-apiserver
// (built from k8s.io/kubernetes by hack/tools) with knap-apiserver registered
// by APIService, brought up by hack/local-up.sh, and driven with real kubectl
// and client-go through the aggregator.
package e2e

import (
	"fmt"
	"os"
	"testing"

	"github.com/knap-dev/knap/test/e2e/framework"
)

// cluster is the control plane every test in this package shares.
var cluster *framework.Cluster

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	var err error
	cluster, err = framework.Up()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: starting the control plane:", err)
		return 1
	}
	code := m.Run()
	if code != 0 {
		cluster.DumpLogs()
	}
	if err := cluster.Down(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: stopping the control plane:", err)
		return 1
	}
	return code
}
