package standalone

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"k8s.io/apiserver/pkg/authentication/authenticator"
	"k8s.io/apiserver/pkg/authentication/group"
	"k8s.io/apiserver/pkg/authentication/request/anonymous"
	"k8s.io/apiserver/pkg/authentication/request/union"
	"k8s.io/apiserver/pkg/authentication/request/x509"
	"k8s.io/apiserver/pkg/authentication/user"
	"k8s.io/apiserver/pkg/authorization/authorizer"
	"k8s.io/apiserver/pkg/server/dynamiccertificates"
)

// ClientCA returns the CA that signs the certificates clients must present.
func (p PKI) ClientCA() (dynamiccertificates.CAContentProvider, error) {
	return dynamiccertificates.NewDynamicCAContentFromFile("standalone-client-ca", p.CAFile())
}

// Authenticator accepts client certificates signed by ca, the common name
// being the user. As in Kubernetes, a request without credentials is
// system:anonymous, and one with bad credentials (a certificate from another
// CA, any bearer token) is refused with 401 rather than made anonymous.
func Authenticator(ca dynamiccertificates.CAContentProvider) authenticator.Request {
	known := group.NewAuthenticatedGroupAdder(union.New(
		x509.NewDynamic(ca.VerifyOptions, x509.CommonNameUserConversion),
		authenticator.RequestFunc(refuseTokens),
	))
	return union.NewFailOnError(known, anonymous.NewAuthenticator(nil))
}

func refuseTokens(req *http.Request) (*authenticator.Response, bool, error) {
	if req.Header.Get("Authorization") != "" {
		return nil, false, errors.New("a standalone knap-apiserver accepts only client certificates from its CA")
	}
	return nil, false, nil
}

// Authorizer allows the admin everything. Like Kubernetes' default roles it
// lets anyone read health and version, and authenticated users discovery;
// everything else is refused.
func Authorizer() authorizer.Authorizer { return authorizer.AuthorizerFunc(authorize) }

func authorize(_ context.Context, a authorizer.Attributes) (authorizer.Decision, string, error) {
	u := a.GetUser()
	if u != nil && u.GetName() == AdminUser {
		return authorizer.DecisionAllow, "", nil
	}
	if !a.IsResourceRequest() && a.GetVerb() == "get" {
		path := a.GetPath()
		if isPublicInfo(path) {
			return authorizer.DecisionAllow, "", nil
		}
		if u != nil && slices.Contains(u.GetGroups(), user.AllAuthenticated) && isDiscovery(path) {
			return authorizer.DecisionAllow, "", nil
		}
	}
	return authorizer.DecisionDeny, "a standalone knap-apiserver serves only " + AdminUser, nil
}

func isPublicInfo(path string) bool {
	for _, p := range []string{"/healthz", "/livez", "/readyz"} {
		if path == p || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	return path == "/version" || path == "/version/"
}

func isDiscovery(path string) bool {
	return path == "/api" || path == "/apis" || strings.HasPrefix(path, "/api/") ||
		strings.HasPrefix(path, "/apis/") && strings.Count(strings.Trim(path, "/"), "/") <= 2 ||
		strings.HasPrefix(path, "/openapi/")
}
