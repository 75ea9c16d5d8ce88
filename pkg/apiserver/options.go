package apiserver

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strconv"

	"github.com/spf13/pflag"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	utilerrors "k8s.io/apimachinery/pkg/util/errors"
	"k8s.io/apiserver/pkg/endpoints/openapi"
	genericapiserver "k8s.io/apiserver/pkg/server"
	genericoptions "k8s.io/apiserver/pkg/server/options"
	"k8s.io/apiserver/pkg/util/compatibility"
	"k8s.io/klog/v2"
	netutils "k8s.io/utils/net"

	"github.com/knap-dev/knap/pkg/apiserver/etcd"
	"github.com/knap-dev/knap/pkg/apiserver/standalone"
)

// etcdPrefix keeps knap's keys apart when it shares an etcd.
const etcdPrefix = "/registry/knap"

// Options configures knap-apiserver.
type Options struct {
	Recommended *genericoptions.RecommendedOptions
	// DataDir holds the embedded etcd and, in standalone mode, the PKI and kubeconfig.
	DataDir string
	// Standalone runs without a kube-apiserver: own CA, client certificates, one admin.
	Standalone bool
	// EtcdUnsafeNoFsync speeds up the embedded etcd for tests; never a flag.
	EtcdUnsafeNoFsync bool

	scheme *runtime.Scheme
	codecs serializer.CodecFactory
}

// NewOptions returns options with knap's defaults.
func NewOptions() *Options {
	scheme := NewScheme()
	codecs := serializer.NewCodecFactory(scheme)
	o := &Options{
		Recommended: genericoptions.NewRecommendedOptions(etcdPrefix, storageCodec(scheme, codecs)),
		DataDir:     "/var/lib/knap-apiserver",
		scheme:      scheme,
		codecs:      codecs,
	}
	// An empty list means: start the embedded etcd.
	o.Recommended.Etcd.StorageConfig.Transport.ServerList = nil
	o.Recommended.SecureServing.BindPort = 8443
	return o
}

// AddFlags registers the command-line flags.
func (o *Options) AddFlags(fs *pflag.FlagSet) {
	o.Recommended.AddFlags(fs)
	fs.StringVar(&o.DataDir, "data-dir", o.DataDir, "Directory for the embedded etcd (used when --etcd-servers is empty) and, with --standalone, the CA, certificates and kubeconfig.")
	fs.BoolVar(&o.Standalone, "standalone", o.Standalone, "Run without a kube-apiserver: create a CA, a serving certificate and an admin client certificate in --data-dir, write <data-dir>/kubeconfig, and authorize only that admin.")
}

// complete settles options that depend on others.
func (o *Options) complete() error {
	if o.DataDir == "" {
		return fmt.Errorf("--data-dir must not be empty")
	}
	if o.Standalone {
		// Standalone mode owns authentication and authorization and has no
		// kube-apiserver to delegate to or to read admission policies from.
		o.Recommended.Authentication = nil
		o.Recommended.Authorization = nil
		o.Recommended.CoreAPI = nil
		o.Recommended.Admission = nil
		o.Recommended.Features.EnablePriorityAndFairness = false
	}
	return nil
}

// KubeconfigPath is where a standalone server writes its admin kubeconfig.
func (o *Options) KubeconfigPath() string { return filepath.Join(o.DataDir, "kubeconfig") }

// Run serves until ctx is cancelled, then shuts down with etcd closed last.
func (o *Options) Run(ctx context.Context) error {
	if err := o.complete(); err != nil {
		return err
	}
	if len(o.Recommended.Etcd.StorageConfig.Transport.ServerList) == 0 {
		e, err := etcd.Start(ctx, etcd.Config{Dir: filepath.Join(o.DataDir, "etcd"), UnsafeNoFsync: o.EtcdUnsafeNoFsync})
		if err != nil {
			return err
		}
		defer e.Close()
		o.Recommended.Etcd.StorageConfig.Transport.ServerList = []string{e.ClientURL}
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		go func() {
			select {
			case err := <-e.Err():
				klog.ErrorS(err, "Embedded etcd failed, shutting down")
				cancel()
			case <-ctx.Done():
			}
		}()
	}

	if errs := o.Recommended.Validate(); len(errs) > 0 {
		return utilerrors.NewAggregate(errs)
	}
	server, err := o.newServer()
	if err != nil {
		return err
	}
	return server.PrepareRun().RunWithContext(ctx)
}

func (o *Options) newServer() (*genericapiserver.GenericAPIServer, error) {
	var pki standalone.PKI
	if o.Standalone {
		pki = standalone.PKI{Dir: filepath.Join(o.DataDir, "pki")}
		if err := pki.Ensure([]string{"localhost"}, []net.IP{netutils.ParseIPSloppy("127.0.0.1")}); err != nil {
			return nil, fmt.Errorf("standalone PKI: %w", err)
		}
		o.Recommended.SecureServing.ServerCert.CertKey.CertFile = pki.ServingCertFile()
		o.Recommended.SecureServing.ServerCert.CertKey.KeyFile = pki.ServingKeyFile()
	} else if err := o.Recommended.SecureServing.MaybeDefaultWithSelfSignedCerts("localhost", nil, []net.IP{netutils.ParseIPSloppy("127.0.0.1")}); err != nil {
		return nil, fmt.Errorf("self-signed serving certificate: %w", err)
	}

	config := genericapiserver.NewRecommendedConfig(o.codecs)
	config.Serializer = withoutProtobuf{o.codecs}
	namer := openapi.NewDefinitionNamer(o.scheme)
	config.OpenAPIConfig = genericapiserver.DefaultOpenAPIConfig(openAPIDefinitions, namer)
	config.OpenAPIConfig.Info.Title = "knap"
	config.OpenAPIConfig.Info.Version = "v1"
	config.OpenAPIConfig.PostProcessSpec = withoutStrategicMergePatchV2
	config.OpenAPIV3Config = genericapiserver.DefaultOpenAPIV3Config(openAPIDefinitions, namer)
	config.OpenAPIV3Config.Info.Title = "knap"
	config.OpenAPIV3Config.Info.Version = "v1"
	config.OpenAPIV3Config.PostProcessSpec = withoutStrategicMergePatchV3
	config.BuildHandlerChainFunc = func(apiHandler http.Handler, c *genericapiserver.Config) http.Handler {
		return genericapiserver.DefaultBuildHandlerChain(refuseStrategicMergePatch(apiHandler, o.codecs), c)
	}
	config.EffectiveVersion = compatibility.DefaultBuildEffectiveVersion()
	if err := o.Recommended.ApplyTo(config); err != nil {
		return nil, err
	}

	if o.Standalone {
		ca, err := pki.ClientCA()
		if err != nil {
			return nil, err
		}
		config.SecureServing.ClientCA = ca
		config.Authentication.Authenticator = standalone.Authenticator(ca)
		config.Authorization.Authorizer = standalone.Authorizer()
		port := config.SecureServing.Listener.Addr().(*net.TCPAddr).Port
		url := "https://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		if err := pki.WriteKubeconfig(o.KubeconfigPath(), url); err != nil {
			return nil, fmt.Errorf("writing kubeconfig: %w", err)
		}
		klog.InfoS("Standalone mode", "kubeconfig", o.KubeconfigPath(), "server", url)
	}

	server, err := config.Complete().New("knap-apiserver", genericapiserver.NewEmptyDelegate())
	if err != nil {
		return nil, err
	}
	if err := InstallAPIs(server, o.scheme, o.codecs, config.RESTOptionsGetter); err != nil {
		return nil, err
	}
	return server, nil
}
