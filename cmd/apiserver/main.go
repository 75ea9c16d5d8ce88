// Command knap-apiserver serves Knative's APIs natively as an aggregated API server.
package main

import (
	"os"

	"github.com/spf13/cobra"
	genericapiserver "k8s.io/apiserver/pkg/server"
	"k8s.io/component-base/cli"

	"github.com/knap-dev/knap/pkg/apiserver"
)

func main() {
	opts := apiserver.NewOptions()
	cmd := &cobra.Command{
		Use:          "knap-apiserver",
		Short:        "Serve Knative's serving.knative.dev API natively from an aggregated API server",
		SilenceUsage: true,
		RunE: func(c *cobra.Command, _ []string) error {
			return opts.Run(c.Context())
		},
	}
	opts.AddFlags(cmd.Flags())
	cmd.SetContext(genericapiserver.SetupSignalContext())
	os.Exit(cli.Run(cmd))
}
