package config

import (
	"math"
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// NetworkConfigName is the ConfigMap of Knative's networking settings
// (config-network). knap reads only the keys it implements; the others
// (ingress and certificate classes, TLS, templates) are ignored.
const NetworkConfigName = "config-network"

// Network is config-network.
type Network struct {
	// RolloutDuration is how long moving a Route's traffic to a
	// configuration's new latest revision takes when the Route does not say
	// (annotation serving.knative.dev/rollout-duration). 0: at once.
	// Whole seconds.
	RolloutDuration time.Duration
}

func defaultNetwork() *Network { return &Network{} }

// asSeconds parses a whole, non-negative number of seconds, as Knative
// reads rollout-duration (an integer, not a duration such as "60s").
func asSeconds(key string, target *time.Duration) parser {
	return func(data map[string]string) error {
		raw, ok := data[key]
		if !ok {
			return nil
		}
		v, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return &KeyError{Key: key, Value: raw, Reason: numReason(err, "a whole number of seconds (such as 120)")}
		}
		if v < 0 {
			return &KeyError{Key: key, Value: raw, Reason: "must be non-negative"}
		}
		if v > math.MaxInt64/int64(time.Second) {
			return &KeyError{Key: key, Value: raw, Reason: "a whole number of seconds (such as 120) out of range"}
		}
		*target = time.Duration(v) * time.Second
		return nil
	}
}

// NewNetworkFromMap parses config-network's data, with Knative's rules:
// its legacy key rolloutDuration is read too, and rollout-duration wins
// over it.
func NewNetworkFromMap(data map[string]string) (*Network, error) {
	n := defaultNetwork()
	if err := parse(data,
		asSeconds("rolloutDuration", &n.RolloutDuration),
		asSeconds("rollout-duration", &n.RolloutDuration),
	); err != nil {
		return nil, err
	}
	return n, nil
}

// NewNetworkFromConfigMap parses config-network.
func NewNetworkFromConfigMap(cm *corev1.ConfigMap) (*Network, error) {
	return NewNetworkFromMap(cm.Data)
}
