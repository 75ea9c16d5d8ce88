package config

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// DomainConfigName is the ConfigMap of the domains Routes live under
// (Knative's config-domain). Each key is a domain; its value is empty (the
// domain for every Route no other entry claims) or YAML with a label
// selector, `selector: {app: nonprofit}`, that Routes' labels must match.
const DomainConfigName = "config-domain"

const (
	// DefaultDomain is the domain of Routes no entry claims when no entry
	// has an empty selector.
	DefaultDomain = "example.com"
	// ClusterLocalDomain is the domain of Routes reachable only inside
	// the cluster: those labelled VisibilityLabelKey=VisibilityClusterLocal,
	// or those an entry for this domain selects.
	ClusterLocalDomain = "svc." + ClusterDomain
	// ClusterDomain is the cluster's DNS domain.
	ClusterDomain = "cluster.local"
	// VisibilityLabelKey and VisibilityClusterLocal mark a Route (or a
	// Service, whose Route inherits its labels) cluster-local.
	VisibilityLabelKey     = "networking.knative.dev/visibility"
	VisibilityClusterLocal = "cluster-local"
	// DomainTypeWildcard is the only domain type Knative knows; entries
	// with an empty selector always have it.
	DomainTypeWildcard = "wildcard"
)

// Domain is config-domain: domain → which Routes it serves.
type Domain struct {
	Domains map[string]DomainConfig
}

// DomainConfig is one config-domain entry.
type DomainConfig struct {
	// Selector: a Route whose labels hold every key with the same value
	// matches. Empty matches every Route.
	Selector map[string]string
	// Type is "wildcard" or empty.
	Type string
}

// matches reports whether labels satisfy the selector.
func (c DomainConfig) matches(labels map[string]string) bool {
	for k, want := range c.Selector {
		if got, ok := labels[k]; !ok || got != want {
			return false
		}
	}
	return true
}

// domainEntry is an entry's YAML, as Knative reads it.
type domainEntry struct {
	Selector map[string]string `json:"selector,omitempty"`
	Type     string            `json:"type"`
}

// NewDomainFromMap parses config-domain's data, with Knative's rules.
func NewDomainFromMap(data map[string]string) (*Domain, error) {
	d := &Domain{Domains: map[string]DomainConfig{}}
	hasDefault := false
	for k, v := range data {
		if k == ExampleKey {
			continue
		}
		var e domainEntry
		if err := yaml.Unmarshal([]byte(v), &e); err != nil {
			return nil, &KeyError{Key: k, Value: v,
				Reason: fmt.Sprintf("want empty or YAML such as 'selector: {app: foo}': %v", err)}
		}
		if len(e.Selector) == 0 {
			hasDefault = true
			e.Selector = nil
			e.Type = DomainTypeWildcard
		}
		d.Domains[k] = DomainConfig{Selector: e.Selector, Type: e.Type}
	}
	if !hasDefault {
		d.Domains[DefaultDomain] = DomainConfig{Type: DomainTypeWildcard}
	}
	return d, nil
}

// NewDomainFromConfigMap parses config-domain.
func NewDomainFromConfigMap(cm *corev1.ConfigMap) (*Domain, error) {
	return NewDomainFromMap(cm.Data)
}

// DomainFor is the domain of a Route with these labels: ClusterLocalDomain
// for a cluster-local Route; otherwise the domain of the matching entry
// with the most selector labels, the alphabetically first on a tie.
func (d *Domain) DomainFor(labels map[string]string) string {
	if labels[VisibilityLabelKey] == VisibilityClusterLocal {
		return ClusterLocalDomain
	}
	domain, specificity := "", -1
	for k, c := range d.Domains {
		if !c.matches(labels) {
			continue
		}
		if s := len(c.Selector); s > specificity || (s == specificity && k < domain) {
			domain, specificity = k, s
		}
	}
	return domain
}

// IsClusterLocal reports whether Routes under domain are reachable only
// inside the cluster: as in Knative, any domain ending in the cluster
// domain (cluster.local).
func IsClusterLocal(domain string) bool { return strings.HasSuffix(domain, ClusterDomain) }
