// Package standalone lets knap-apiserver run with no kube-apiserver: it owns a
// CA, serves with a certificate from it, accepts only client certificates from
// it and authorizes a single admin identity.
package standalone

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	"k8s.io/client-go/util/keyutil"

	certutil "k8s.io/client-go/util/cert"
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

// Ensure creates whatever part of the PKI is missing and keeps what exists,
// so clients holding an earlier kubeconfig keep working across restarts.
func (p PKI) Ensure(hosts []string, ips []net.IP) error {
	if err := os.MkdirAll(p.Dir, 0o700); err != nil {
		return err
	}
	if !exists(p.CAFile()) || !exists(p.caKeyFile()) {
		key, err := newKey()
		if err != nil {
			return err
		}
		tmpl := &x509.Certificate{
			Subject:               pkix.Name{CommonName: "knap-standalone-ca"},
			KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
			BasicConstraintsValid: true,
			IsCA:                  true,
		}
		if err := writeSigned(p.CAFile(), p.caKeyFile(), tmpl, key, nil, nil); err != nil {
			return err
		}
		// A new CA invalidates certificates signed by an older one.
		for _, f := range []string{p.ServingCertFile(), p.AdminCertFile()} {
			if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
	}
	caCert, caKey, err := p.loadCA()
	if err != nil {
		return err
	}
	if !exists(p.ServingCertFile()) {
		key, err := newKey()
		if err != nil {
			return err
		}
		tmpl := &x509.Certificate{
			Subject:     pkix.Name{CommonName: "knap-apiserver"},
			KeyUsage:    x509.KeyUsageDigitalSignature,
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
			DNSNames:    hosts,
			IPAddresses: ips,
		}
		if err := writeSigned(p.ServingCertFile(), p.ServingKeyFile(), tmpl, key, caCert, caKey); err != nil {
			return err
		}
	}
	if !exists(p.AdminCertFile()) {
		key, err := newKey()
		if err != nil {
			return err
		}
		tmpl := &x509.Certificate{
			Subject:     pkix.Name{CommonName: AdminUser},
			KeyUsage:    x509.KeyUsageDigitalSignature,
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		}
		if err := writeSigned(p.AdminCertFile(), p.AdminKeyFile(), tmpl, key, caCert, caKey); err != nil {
			return err
		}
	}
	return nil
}

// WriteKubeconfig writes a kubeconfig for the admin identity.
func (p PKI) WriteKubeconfig(path, serverURL string) error {
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["knap"] = &clientcmdapi.Cluster{Server: serverURL, CertificateAuthority: p.CAFile()}
	cfg.AuthInfos[AdminUser] = &clientcmdapi.AuthInfo{ClientCertificate: p.AdminCertFile(), ClientKey: p.AdminKeyFile()}
	cfg.Contexts["knap"] = &clientcmdapi.Context{Cluster: "knap", AuthInfo: AdminUser, Namespace: "default"}
	cfg.CurrentContext = "knap"
	return clientcmd.WriteToFile(*cfg, path)
}

func (p PKI) loadCA() (*x509.Certificate, crypto.Signer, error) {
	certs, err := certutil.CertsFromFile(p.CAFile())
	if err != nil {
		return nil, nil, err
	}
	key, err := keyutil.PrivateKeyFromFile(p.caKeyFile())
	if err != nil {
		return nil, nil, err
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, nil, fmt.Errorf("%s does not hold a signing key", p.caKeyFile())
	}
	return certs[0], signer, nil
}

func newKey() (*ecdsa.PrivateKey, error) { return ecdsa.GenerateKey(elliptic.P256(), rand.Reader) }

// writeSigned signs tmpl with the CA (or self-signs when ca is nil) and
// writes the certificate and key as PEM files.
func writeSigned(certFile, keyFile string, tmpl *x509.Certificate, key *ecdsa.PrivateKey, ca *x509.Certificate, caKey crypto.Signer) error {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return err
	}
	tmpl.SerialNumber = serial
	tmpl.NotBefore = time.Now().Add(-time.Hour)
	tmpl.NotAfter = time.Now().Add(10 * 365 * 24 * time.Hour)
	parent, signer := tmpl, crypto.Signer(key)
	if ca != nil {
		parent, signer = ca, caKey
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), signer)
	if err != nil {
		return err
	}
	keyPEM, err := keyutil.MarshalPrivateKeyToPEM(key)
	if err != nil {
		return err
	}
	if err := keyutil.WriteKey(keyFile, keyPEM); err != nil {
		return err
	}
	certPEM, err := certutil.EncodeCertificates(&x509.Certificate{Raw: der})
	if err != nil {
		return err
	}
	return certutil.WriteCert(certFile, certPEM)
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
