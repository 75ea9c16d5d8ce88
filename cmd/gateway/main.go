// Command knap-gateway is the HTTP data plane of knap's Serving: it routes
// requests by host to revisions as the Routes' Ingresses say, holds them
// while a revision scales from zero, and reports the concurrency it sees
// to the autoscaler. See package github.com/knap-dev/knap/pkg/gateway.
package main

import (
	"os"

	"github.com/spf13/cobra"
	genericapiserver "k8s.io/apiserver/pkg/server"
	"k8s.io/component-base/cli"

	"github.com/knap-dev/knap/pkg/gateway"
)

func main() {
	opts := gateway.NewOptions()
	cmd := &cobra.Command{
		Use:          "knap-gateway",
		Short:        "Route HTTP requests to Knative revisions served by knap, activating them from zero",
		SilenceUsage: true,
		RunE: func(c *cobra.Command, _ []string) error {
			return gateway.Run(c.Context(), opts)
		},
	}
	opts.AddFlags(cmd.Flags())
	cmd.SetContext(genericapiserver.SetupSignalContext())
	os.Exit(cli.Run(cmd))
}
