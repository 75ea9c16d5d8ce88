// Command knap-controller runs knap's reconcilers against a kube-apiserver
// that serves knap's groups through aggregation.
package main

import (
	"os"

	"github.com/spf13/cobra"
	genericapiserver "k8s.io/apiserver/pkg/server"
	"k8s.io/component-base/cli"

	"github.com/knap-dev/knap/pkg/controller/autoscaling/hpa"
	"github.com/knap-dev/knap/pkg/controller/autoscaling/kpa"
	"github.com/knap-dev/knap/pkg/controller/config"
	"github.com/knap-dev/knap/pkg/controller/manager"
	"github.com/knap-dev/knap/pkg/controller/networking/ingress"
	"github.com/knap-dev/knap/pkg/controller/serving/configuration"
	"github.com/knap-dev/knap/pkg/controller/serving/gc"
	"github.com/knap-dev/knap/pkg/controller/serving/revision"
	"github.com/knap-dev/knap/pkg/controller/serving/route"
	"github.com/knap-dev/knap/pkg/controller/serving/service"
)

// controllers are every reconciler knap-controller knows, by name; they
// share one view of the config-* ConfigMaps.
func controllers(cfg *config.SharedStore) map[string]manager.Constructor {
	return map[string]manager.Constructor{
		service.Name:       service.NewController,
		configuration.Name: configuration.NewController,
		revision.Name:      revision.NewController(cfg),
		route.Name:         route.NewController(cfg),
		ingress.Name:       ingress.NewController,
		gc.Name:            gc.NewController(cfg),
		hpa.Name:           hpa.NewController(cfg),
		kpa.Name:           kpa.NewController(cfg),
	}
}

func main() {
	opts := manager.NewOptions()
	controllers := controllers(&config.SharedStore{})
	cmd := &cobra.Command{
		Use:          "knap-controller",
		Short:        "Reconcile Knative Services, Configurations, Revisions and Routes served by knap-apiserver",
		SilenceUsage: true,
		RunE: func(c *cobra.Command, _ []string) error {
			return manager.Run(c.Context(), opts, controllers)
		},
	}
	opts.AddFlags(cmd.Flags(), manager.Known(controllers))
	cmd.SetContext(genericapiserver.SetupSignalContext())
	os.Exit(cli.Run(cmd))
}
