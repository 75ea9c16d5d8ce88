// Package clients builds the two clientsets a knap component uses from
// one kubeconfig: core Kubernetes, and knap's groups, which the same
// kube-apiserver serves through aggregation.
package clients

import (
	"fmt"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/knap-dev/knap/pkg/generated/clientset/versioned"
)

// New loads kubeconfig (in-cluster config when empty) and returns both
// clientsets, identified by userAgent; qps and burst of 0 keep
// client-go's defaults.
func New(kubeconfig, userAgent string, qps float32, burst int) (kubernetes.Interface, versioned.Interface, error) {
	loaded, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return nil, nil, fmt.Errorf("loading the kubeconfig: %w", err)
	}
	config := rest.CopyConfig(loaded)
	config.UserAgent = userAgent
	if qps > 0 {
		config.QPS, config.Burst = qps, burst
	}
	kube, err := kubernetes.NewForConfig(config)
	if err != nil {
		return nil, nil, err
	}
	knap, err := versioned.NewForConfig(config)
	if err != nil {
		return nil, nil, err
	}
	return kube, knap, nil
}
