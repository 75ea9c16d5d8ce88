// Command pki creates the certificates knap needs next to a kube-apiserver
// and prints the APIService objects that register knap with it.
//
//	go run ./hack/pki local --dir DIR --kube-server URL
//	    every certificate, key and kubeconfig of the local control plane
//	    (hack/local-up.sh); kept across runs, replaced when stale.
//	go run ./hack/pki apiservices --ca-file FILE --port PORT
//	    one APIService per group/version knap serves, with FILE as caBundle.
//	go run ./hack/pki deploy [--dir DIR] | kubectl apply -f -
//	    for a real cluster: the Secret knap-apiserver-cert (a serving
//	    certificate for knap-apiserver.knap-system.svc from a CA kept in DIR)
//	    and the APIService objects trusting that CA.
package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/knap-dev/knap/pkg/apiserver"
	"github.com/knap-dev/knap/pkg/pki"
)

const (
	namespace = "knap-system"
	service   = "knap-apiserver"
	// serviceAccountUser is the user name of knap-apiserver's ServiceAccount:
	// a client certificate with it gets the RBAC that artifacts/deploy binds
	// to the ServiceAccount, so the local plane runs with exactly those rights.
	serviceAccountUser = "system:serviceaccount:" + namespace + ":" + service
)

func main() {
	if len(os.Args) < 2 {
		fail(errors.New("usage: pki local|apiservices|deploy [flags]"))
	}
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "local":
		err = local(args)
	case "apiservices":
		err = printAPIServices(args)
	case "deploy":
		err = deploy(args)
	default:
		err = fmt.Errorf("unknown command %q: want local, apiservices or deploy", cmd)
	}
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "pki:", err)
	os.Exit(1)
}

// serviceHosts are the names a knap-apiserver Service answers to in-cluster;
// the aggregator checks the serving certificate against <svc>.<ns>.svc.
func serviceHosts() []string {
	return []string{service, service + "." + namespace, service + "." + namespace + ".svc", service + "." + namespace + ".svc.cluster.local"}
}

func local(args []string) error {
	fs := flag.NewFlagSet("local", flag.ExitOnError)
	dir := fs.String("dir", "", "directory for the certificates, keys and kubeconfigs")
	kubeServer := fs.String("kube-server", "https://127.0.0.1:6443", "URL of the kube-apiserver the kubeconfigs point at")
	node := fs.String("node-name", "", "name of the local node: its kubelet gets the client certificate the Node authorizer expects")
	_ = fs.Parse(args)
	if *dir == "" {
		return errors.New("--dir is required")
	}
	f := func(name string) string { return filepath.Join(*dir, name) }
	loopback := []net.IP{net.ParseIP("127.0.0.1")}

	// The cluster CA signs the kube-apiserver's serving certificate and
	// every client certificate it accepts.
	ca, err := pki.EnsureCA(f("ca.crt"), f("ca.key"), "knap-local-ca")
	if err != nil {
		return err
	}
	// The front-proxy CA signs only the aggregator's client certificate,
	// which knap trusts to assert the user in request headers.
	frontProxy, err := pki.EnsureCA(f("front-proxy-ca.crt"), f("front-proxy-ca.key"), "knap-local-front-proxy-ca")
	if err != nil {
		return err
	}
	// knap's serving CA is the APIService caBundle, as in a real deployment.
	knapCA, err := pki.EnsureCA(f("knap-ca.crt"), f("knap-ca.key"), "knap-apiserver-ca")
	if err != nil {
		return err
	}
	kubeHosts := []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"}
	clients := []struct {
		name, user string
		groups     []string
	}{
		{"admin", "knap-admin", []string{"system:masters"}},
		{"knap-apiserver", serviceAccountUser, nil},
		// knap-controller as its ServiceAccount, so the local plane proves
		// artifacts/deploy/50-controller.yaml grants enough.
		{"knap-controller", "system:serviceaccount:" + namespace + ":knap-controller", nil},
		{"knap-gateway", "system:serviceaccount:" + namespace + ":knap-gateway", nil},
		{"kube-controller-manager", "system:kube-controller-manager", nil},
		{"kube-scheduler", "system:kube-scheduler", nil},
		{"kube-proxy", "system:kube-proxy", nil},
		// The kube-apiserver's identity towards kubelets (logs, exec).
		{"kube-apiserver-kubelet-client", "kube-apiserver-kubelet-client", []string{"system:masters"}},
	}
	if *node != "" {
		clients = append(clients, struct {
			name, user string
			groups     []string
		}{"kubelet", "system:node:" + *node, []string{"system:nodes"}})
	}
	err = errors.Join(
		ca.EnsureServing(f("kube-apiserver.crt"), f("kube-apiserver.key"), "kube-apiserver", kubeHosts, append(loopback, net.ParseIP("10.0.0.1"))),
		frontProxy.EnsureClient(f("front-proxy-client.crt"), f("front-proxy-client.key"), "front-proxy-client"),
		ca.EnsureServing(f("kube-controller-manager-serving.crt"), f("kube-controller-manager-serving.key"), "kube-controller-manager", []string{"localhost"}, loopback),
		knapCA.EnsureServing(f("knap-serving.crt"), f("knap-serving.key"), service, append(serviceHosts(), "localhost"), loopback),
		pki.EnsureKeyPair(f("service-account.key"), f("service-account.pub")),
	)
	if err != nil {
		return err
	}
	for _, c := range clients {
		if err := ca.EnsureClient(f(c.name+".crt"), f(c.name+".key"), c.user, c.groups...); err != nil {
			return err
		}
		if err := pki.WriteKubeconfig(f(c.name+".kubeconfig"), *kubeServer, ca.CertFile, f(c.name+".crt"), f(c.name+".key"), "default"); err != nil {
			return err
		}
	}
	return nil
}

func printAPIServices(args []string) error {
	fs := flag.NewFlagSet("apiservices", flag.ExitOnError)
	caFile := fs.String("ca-file", "", "PEM CA bundle that signed knap-apiserver's serving certificate")
	port := fs.Int("port", 443, "port of the knap-apiserver Service")
	_ = fs.Parse(args)
	caPEM, err := os.ReadFile(*caFile)
	if err != nil {
		return err
	}
	return printYAML(apiServices(caPEM, *port)...)
}

func deploy(args []string) error {
	fs := flag.NewFlagSet("deploy", flag.ExitOnError)
	dir := fs.String("dir", "_output/deploy-pki", "directory that keeps the CA, so a second run issues from the same CA")
	_ = fs.Parse(args)
	f := func(name string) string { return filepath.Join(*dir, name) }
	ca, err := pki.EnsureCA(f("ca.crt"), f("ca.key"), "knap-apiserver-ca")
	if err != nil {
		return err
	}
	if err := ca.EnsureServing(f("tls.crt"), f("tls.key"), service, serviceHosts(), nil); err != nil {
		return err
	}
	data := map[string]any{}
	for key, file := range map[string]string{"tls.crt": f("tls.crt"), "tls.key": f("tls.key"), "ca.crt": ca.CertFile} {
		b, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		data[key] = b // []byte marshals as base64, as Secret data wants
	}
	secret := map[string]any{
		"apiVersion": "v1",
		"kind":       "Secret",
		"metadata":   map[string]any{"name": "knap-apiserver-cert", "namespace": namespace, "labels": partOf()},
		"type":       "kubernetes.io/tls",
		"data":       data,
	}
	caPEM, err := ca.PEM()
	if err != nil {
		return err
	}
	return printYAML(append([]any{secret}, apiServices(caPEM, 443)...)...)
}

// apiServices registers every group/version knap serves, pointing the
// aggregator at the knap-apiserver Service. Priorities follow what the
// kube-apiserver gives CRD groups, so kubectl resolves names as it would
// for Knative's CRDs.
func apiServices(caPEM []byte, port int) []any {
	var out []any
	rank := map[string]int{}
	for _, gv := range apiserver.GroupVersions() {
		out = append(out, map[string]any{
			"apiVersion": "apiregistration.k8s.io/v1",
			"kind":       "APIService",
			"metadata":   map[string]any{"name": gv.Version + "." + gv.Group, "labels": partOf()},
			"spec": map[string]any{
				"group":                gv.Group,
				"version":              gv.Version,
				"groupPriorityMinimum": 1000,
				"versionPriority":      100 - 10*rank[gv.Group],
				"caBundle":             caPEM,
				"service":              map[string]any{"namespace": namespace, "name": service, "port": port},
			},
		})
		rank[gv.Group]++
	}
	return out
}

func partOf() map[string]string { return map[string]string{"app.kubernetes.io/part-of": "knap"} }

func printYAML(objs ...any) error {
	var docs []string
	for _, o := range objs {
		b, err := yaml.Marshal(o)
		if err != nil {
			return err
		}
		docs = append(docs, string(b))
	}
	_, err := fmt.Print(strings.Join(docs, "---\n"))
	return err
}
