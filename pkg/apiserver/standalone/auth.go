package standalone

import (
	"context"

	"k8s.io/apiserver/pkg/authentication/authenticator"
	"k8s.io/apiserver/pkg/authentication/request/x509"
	"k8s.io/apiserver/pkg/authorization/authorizer"
	"k8s.io/apiserver/pkg/server/dynamiccertificates"
)

// ClientCA returns the CA that signs the certificates clients must present.
func (p PKI) ClientCA() (dynamiccertificates.CAContentProvider, error) {
	return dynamiccertificates.NewDynamicCAContentFromFile("standalone-client-ca", p.CAFile())
}

// Authenticator accepts client certificates signed by ca; the certificate's
// common name is the user. Requests without one are anonymous and refused.
func Authenticator(ca dynamiccertificates.CAContentProvider) authenticator.Request {
	return x509.NewDynamic(ca.VerifyOptions, x509.CommonNameUserConversion)
}

// Authorizer allows the admin identity everything and everyone else nothing.
func Authorizer() authorizer.Authorizer { return authorizer.AuthorizerFunc(adminOnly) }

func adminOnly(_ context.Context, a authorizer.Attributes) (authorizer.Decision, string, error) {
	if a.GetUser() != nil && a.GetUser().GetName() == AdminUser {
		return authorizer.DecisionAllow, "", nil
	}
	return authorizer.DecisionDeny, "a standalone knap-apiserver serves only " + AdminUser, nil
}
