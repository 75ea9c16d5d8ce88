// Package standalone lets knap-apiserver run with no kube-apiserver: it owns a
// CA, serves with a certificate from it, accepts only client certificates from
// it and authorizes a single admin identity.
package standalone

import (
	"net"
	"path/filepath"

	"github.com/knap-dev/knap/pkg/pki"
)

// AdminUser is the only identity a standalone server authorizes.
const AdminUser = "knap-admin"

// PKI is the set of files a standalone server keeps in its data directory.
type PKI struct {
	Dir string
}

func (p PKI) CAFile() string          { return filepath.Join(p.Dir, "ca.crt") }
func (p PKI) caKeyFile() string       { return filepath.Join(p.Dir, "ca.key") }
func (p PKI) ServingCertFile() string { return filepath.Join(p.Dir, "serving.crt") }
func (p PKI) ServingKeyFile() string  { return filepath.Join(p.Dir, "serving.key") }
func (p PKI) AdminCertFile() string   { return filepath.Join(p.Dir, "admin.crt") }
func (p PKI) AdminKeyFile() string    { return filepath.Join(p.Dir, "admin.key") }

// Ensure creates whatever part of the PKI is missing or stale and keeps what
// is right, so clients holding an earlier kubeconfig keep working.
func (p PKI) Ensure(hosts []string, ips []net.IP) error {
	ca, err := pki.EnsureCA(p.CAFile(), p.caKeyFile(), "knap-standalone-ca")
	if err != nil {
		return err
	}
	if err := ca.EnsureServing(p.ServingCertFile(), p.ServingKeyFile(), "knap-apiserver", hosts, ips); err != nil {
		return err
	}
	return ca.EnsureClient(p.AdminCertFile(), p.AdminKeyFile(), AdminUser)
}

// WriteKubeconfig writes a kubeconfig for the admin identity.
func (p PKI) WriteKubeconfig(path, serverURL string) error {
	return pki.WriteKubeconfig(path, serverURL, p.CAFile(), p.AdminCertFile(), p.AdminKeyFile(), "default")
}
