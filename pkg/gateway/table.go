package gateway

import (
	"cmp"
	"net"
	"net/http"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/types"
	"k8s.io/klog/v2"

	networkingv1alpha1 "github.com/knap-dev/knap/pkg/apis/networking/v1alpha1"
)

// table is the gateway's routing table: every Ingress's rules by host. It
// is built whole from the Ingresses and never changed afterwards, so
// requests read it without a lock (router swaps in a new one).
type table struct {
	hosts map[string][]*pathRule
	// revisions are the revisions some split sends traffic to.
	revisions map[types.NamespacedName]bool
}

// pathRule is one HTTPIngressPath of a host.
type pathRule struct {
	// ingress is the Ingress's namespace/name, for logs.
	ingress types.NamespacedName
	prefix  string
	// headers must all be present with exactly these values (keys
	// canonical).
	headers  map[string]string
	backends []backend
	picker   splitPicker
}

// backend is one split: a revision and the headers to add toward it.
type backend struct {
	revision types.NamespacedName
	// appendHeaders are the path's then the split's AppendHeaders (the
	// split's win), keys canonical.
	appendHeaders [][2]string
}

// normalizeHost is a request's Host as the table keys it: without port or
// trailing dot, lower case.
func normalizeHost(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return strings.ToLower(strings.TrimSuffix(host, "."))
}

// route returns the first path of host that r matches; known says whether
// any Ingress serves host at all.
func (t *table) route(host string, r *http.Request) (rule *pathRule, known bool) {
	paths, known := t.hosts[host]
	for _, p := range paths {
		if p.matches(r) {
			return p, true
		}
	}
	return nil, known
}

func (p *pathRule) matches(r *http.Request) bool {
	if !strings.HasPrefix(r.URL.Path, p.prefix) {
		return false
	}
	for k, v := range p.headers {
		if r.Header.Get(k) != v {
			return false
		}
	}
	return true
}

// pick chooses the backend of the next request.
func (p *pathRule) pick() *backend { return &p.backends[p.picker.pick()] }

// buildTable builds the table of ings. A host claimed by two Ingresses
// goes to the older one (then the first by namespace/name), as a
// conflict Knative would reject. previous, if not nil, lends its split
// positions to paths whose cycle did not change.
func buildTable(ings []*networkingv1alpha1.Ingress, previous *table) *table {
	ings = slices.Clone(ings)
	slices.SortFunc(ings, func(a, b *networkingv1alpha1.Ingress) int {
		if c := a.CreationTimestamp.Time.Compare(b.CreationTimestamp.Time); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Name, b.Name))
	})
	t := &table{hosts: map[string][]*pathRule{}, revisions: map[types.NamespacedName]bool{}}
	owner := map[string]types.NamespacedName{}
	for _, ing := range ings {
		key := types.NamespacedName{Namespace: ing.Namespace, Name: ing.Name}
		for _, rule := range ing.Spec.Rules {
			if rule.HTTP == nil {
				continue
			}
			if len(rule.Hosts) == 0 {
				// Routes always name hosts; a catch-all would let one
				// namespace take every unknown host of the cluster.
				klog.InfoS("Ignoring an Ingress rule without hosts", "ingress", key)
				continue
			}
			for _, host := range rule.Hosts {
				host = normalizeHost(host)
				if o, claimed := owner[host]; claimed && o != key {
					klog.V(2).InfoS("Host already served by an older Ingress", "host", host, "ingress", key, "servedBy", o)
					continue
				}
				owner[host] = key
				for _, path := range rule.HTTP.Paths {
					p := newPathRule(key, path)
					if p == nil {
						continue
					}
					if previous != nil {
						if old := previous.hosts[host]; len(old) > len(t.hosts[host]) {
							p.picker.continues(old[len(t.hosts[host])].picker)
						}
					}
					t.hosts[host] = append(t.hosts[host], p)
					for _, b := range p.backends {
						t.revisions[b.revision] = true
					}
				}
			}
		}
	}
	return t
}

// newPathRule compiles one path; nil when it has no splits.
func newPathRule(ing types.NamespacedName, path networkingv1alpha1.HTTPIngressPath) *pathRule {
	if len(path.Splits) == 0 {
		return nil
	}
	if path.RewriteHost != "" {
		klog.V(2).InfoS("Ignoring rewriteHost: knap-gateway routes by the Ingress's own splits", "ingress", ing, "rewriteHost", path.RewriteHost)
	}
	p := &pathRule{ingress: ing, prefix: path.Path}
	if len(path.Headers) > 0 {
		p.headers = make(map[string]string, len(path.Headers))
		for k, m := range path.Headers {
			p.headers[http.CanonicalHeaderKey(k)] = m.Exact
		}
	}
	weights := make([]int, len(path.Splits))
	for i, s := range path.Splits {
		ns := cmp.Or(s.ServiceNamespace, ing.Namespace)
		p.backends = append(p.backends, backend{
			revision:      types.NamespacedName{Namespace: ns, Name: s.ServiceName},
			appendHeaders: mergeHeaders(path.AppendHeaders, s.AppendHeaders),
		})
		weights[i] = int(s.Percent)
	}
	p.picker = newSplitPicker(weights)
	return p
}

// mergeHeaders lists base's headers then over's, over's winning, sorted
// by key for a stable order.
func mergeHeaders(base, over map[string]string) [][2]string {
	merged := make(map[string]string, len(base)+len(over))
	for k, v := range base {
		merged[http.CanonicalHeaderKey(k)] = v
	}
	for k, v := range over {
		merged[http.CanonicalHeaderKey(k)] = v
	}
	out := make([][2]string, 0, len(merged))
	for k, v := range merged {
		out = append(out, [2]string{k, v})
	}
	slices.SortFunc(out, func(a, b [2]string) int { return cmp.Compare(a[0], b[0]) })
	return out
}
