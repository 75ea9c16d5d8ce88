// Command kubectl is kubectl built from k8s.io/kubectl at the version pinned
// in hack/tools/go.mod, so tests run the same client everywhere. Build it with
// hack/tools/build.sh, which also sets the version ldflags.
package main

import (
	"k8s.io/component-base/cli"
	"k8s.io/kubectl/pkg/cmd"
	"k8s.io/kubectl/pkg/cmd/util"
)

func main() {
	command := cmd.NewDefaultKubectlCommand()
	if err := cli.RunNoErrOutput(command); err != nil {
		util.CheckErr(err)
	}
}
