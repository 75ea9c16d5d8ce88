// Package integration runs knap-apiserver in-process, standalone, with its
// embedded etcd, and drives it through the generated clientset.
package integration

import (
	"context"
	"fmt"
	"net"
	"os"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/knap-dev/knap/pkg/apiserver"
	"github.com/knap-dev/knap/pkg/generated/clientset/versioned"
)

// server is shared by every test: the generic API server registers process
// globals (metrics, feature gates) that do not allow a second instance.
var server struct {
	config  *rest.Config
	client  versioned.Interface
	dataDir string
}

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "knap-integration-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	defer func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				fmt.Fprintln(os.Stderr, "server stopped with:", err)
			}
		case <-time.After(30 * time.Second):
			fmt.Fprintln(os.Stderr, "server did not stop within 30s")
		}
	}()

	opts := apiserver.NewOptions()
	opts.Standalone = true
	opts.DataDir = dir
	opts.EtcdUnsafeNoFsync = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	opts.Recommended.SecureServing.Listener = ln
	go func() { done <- opts.Run(ctx) }()

	config, err := waitReady(ctx, opts.KubeconfigPath(), done)
	if err != nil {
		fmt.Fprintln(os.Stderr, "knap-apiserver did not become ready:", err)
		return 1
	}
	server.config = config
	server.client = versioned.NewForConfigOrDie(config)
	server.dataDir = dir
	return m.Run()
}

// waitReady waits for the kubeconfig the server writes and for /readyz.
func waitReady(ctx context.Context, kubeconfig string, done <-chan error) (*rest.Config, error) {
	var config *rest.Config
	err := wait.PollUntilContextTimeout(ctx, 100*time.Millisecond, time.Minute, true, func(ctx context.Context) (bool, error) {
		select {
		case err := <-done:
			return false, fmt.Errorf("server exited: %v", err)
		default:
		}
		if config == nil {
			c, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
			if err != nil {
				return false, nil
			}
			c.QPS, c.Burst = 1000, 1000
			config = c
		}
		client, err := rest.HTTPClientFor(config)
		if err != nil {
			return false, err
		}
		resp, err := client.Get(config.Host + "/readyz")
		if err != nil {
			return false, nil
		}
		resp.Body.Close()
		return resp.StatusCode == 200, nil
	})
	return config, err
}
