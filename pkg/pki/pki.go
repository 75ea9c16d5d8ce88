// Package pki creates the certificates and keys a knap control plane needs:
// certificate authorities, serving and client certificates signed by them,
// and kubeconfigs that use them. Every function "ensures": it keeps a file
// that is still right, so restarts reuse identities clients already trust,
// and replaces one that is missing, unreadable or no longer matches.
package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"slices"
	"time"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	certutil "k8s.io/client-go/util/cert"
	"k8s.io/client-go/util/keyutil"
)

// validity of everything this package issues. These are development and
// bootstrap credentials; a production cluster rotates its own.
const validity = 10 * 365 * 24 * time.Hour

// CA is a certificate authority whose key is on disk next to its certificate.
type CA struct {
	CertFile string
	Cert     *x509.Certificate
	key      crypto.Signer
}

// EnsureCA loads the CA in certFile/keyFile, creating it if either is missing
// or unreadable.
func EnsureCA(certFile, keyFile, commonName string) (*CA, error) {
	if cert, key, err := load(certFile, keyFile); err == nil && cert.IsCA {
		return &CA{CertFile: certFile, Cert: cert, key: key}, nil
	}
	tmpl := &x509.Certificate{
		Subject:               pkix.Name{CommonName: commonName},
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	cert, key, err := issue(certFile, keyFile, tmpl, nil, nil)
	if err != nil {
		return nil, err
	}
	return &CA{CertFile: certFile, Cert: cert, key: key}, nil
}

// PEM returns the CA certificate, e.g. for an APIService caBundle.
func (ca *CA) PEM() ([]byte, error) {
	return certutil.EncodeCertificates(ca.Cert)
}

// EnsureServing makes certFile/keyFile a serving certificate from this CA
// valid for every host and IP given.
func (ca *CA) EnsureServing(certFile, keyFile, commonName string, hosts []string, ips []net.IP) error {
	tmpl := &x509.Certificate{
		Subject:     pkix.Name{CommonName: commonName},
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:    hosts,
		IPAddresses: ips,
	}
	return ca.ensure(certFile, keyFile, tmpl, x509.ExtKeyUsageServerAuth, func(c *x509.Certificate) bool {
		for _, h := range hosts {
			if c.VerifyHostname(h) != nil {
				return false
			}
		}
		for _, ip := range ips {
			if c.VerifyHostname(ip.String()) != nil {
				return false
			}
		}
		return true
	})
}

// EnsureClient makes certFile/keyFile a client certificate from this CA for
// user in groups: Kubernetes reads the user from the common name and the
// groups from the organizations.
func (ca *CA) EnsureClient(certFile, keyFile, user string, groups ...string) error {
	tmpl := &x509.Certificate{
		Subject:     pkix.Name{CommonName: user, Organization: groups},
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	return ca.ensure(certFile, keyFile, tmpl, x509.ExtKeyUsageClientAuth, func(c *x509.Certificate) bool {
		return c.Subject.CommonName == user && slices.Equal(c.Subject.Organization, groups)
	})
}

// ensure keeps an existing certificate that this CA signed for usage and that
// matches, and issues a new one otherwise.
func (ca *CA) ensure(certFile, keyFile string, tmpl *x509.Certificate, usage x509.ExtKeyUsage, matches func(*x509.Certificate) bool) error {
	if cert, _, err := load(certFile, keyFile); err == nil && matches(cert) {
		roots := x509.NewCertPool()
		roots.AddCert(ca.Cert)
		if _, err := cert.Verify(x509.VerifyOptions{Roots: roots, KeyUsages: []x509.ExtKeyUsage{usage}}); err == nil {
			return nil
		}
	}
	_, _, err := issue(certFile, keyFile, tmpl, ca.Cert, ca.key)
	return err
}

// EnsureKeyPair makes keyFile a private key and pubFile its public key, as
// kube-apiserver wants for signing service-account tokens.
func EnsureKeyPair(keyFile, pubFile string) error {
	if key, err := keyutil.PrivateKeyFromFile(keyFile); err == nil {
		if _, err := keyutil.PublicKeysFromFile(pubFile); err == nil {
			return nil
		}
		signer, ok := key.(crypto.Signer)
		if ok {
			return writePublicKey(pubFile, signer.Public())
		}
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	if err := writeKey(keyFile, key); err != nil {
		return err
	}
	return writePublicKey(pubFile, key.Public())
}

// WriteKubeconfig writes a kubeconfig that reaches server, trusting caFile,
// as the client certificate in certFile/keyFile. File paths are kept as
// paths, so a renewed certificate needs no new kubeconfig.
func WriteKubeconfig(path, server, caFile, certFile, keyFile, namespace string) error {
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["knap"] = &clientcmdapi.Cluster{Server: server, CertificateAuthority: caFile}
	cfg.AuthInfos["knap"] = &clientcmdapi.AuthInfo{ClientCertificate: certFile, ClientKey: keyFile}
	cfg.Contexts["knap"] = &clientcmdapi.Context{Cluster: "knap", AuthInfo: "knap", Namespace: namespace}
	cfg.CurrentContext = "knap"
	return clientcmd.WriteToFile(*cfg, path)
}

func load(certFile, keyFile string) (*x509.Certificate, crypto.Signer, error) {
	certs, err := certutil.CertsFromFile(certFile)
	if err != nil {
		return nil, nil, err
	}
	key, err := keyutil.PrivateKeyFromFile(keyFile)
	if err != nil {
		return nil, nil, err
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, nil, fmt.Errorf("%s does not hold a signing key", keyFile)
	}
	if time.Now().After(certs[0].NotAfter) {
		return nil, nil, fmt.Errorf("%s expired on %s", certFile, certs[0].NotAfter)
	}
	return certs[0], signer, nil
}

// issue signs tmpl with a new key by ca (self-signs when ca is nil) and
// writes the certificate and key as PEM files.
func issue(certFile, keyFile string, tmpl *x509.Certificate, ca *x509.Certificate, caKey crypto.Signer) (*x509.Certificate, crypto.Signer, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, nil, err
	}
	tmpl.SerialNumber = serial
	tmpl.NotBefore = time.Now().Add(-time.Hour)
	tmpl.NotAfter = time.Now().Add(validity)
	parent, signer := tmpl, crypto.Signer(key)
	if ca != nil {
		parent, signer = ca, caKey
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), signer)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	if err := writeKey(keyFile, key); err != nil {
		return nil, nil, err
	}
	certPEM, err := certutil.EncodeCertificates(cert)
	if err != nil {
		return nil, nil, err
	}
	if err := certutil.WriteCert(certFile, certPEM); err != nil {
		return nil, nil, err
	}
	return cert, key, nil
}

func writeKey(keyFile string, key crypto.PrivateKey) error {
	if err := os.MkdirAll(filepath.Dir(keyFile), 0o700); err != nil {
		return err
	}
	keyPEM, err := keyutil.MarshalPrivateKeyToPEM(key)
	if err != nil {
		return err
	}
	return keyutil.WriteKey(keyFile, keyPEM)
}

func writePublicKey(pubFile string, pub crypto.PublicKey) error {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return err
	}
	return os.WriteFile(pubFile, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o644)
}
