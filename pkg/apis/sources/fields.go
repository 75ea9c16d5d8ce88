package sources

import duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"

// Values of ApiServerSourceSpec.EventMode.
const (
	// ReferenceMode sends events that reference the watched object.
	ReferenceMode = "Reference"
	// ResourceMode sends events that carry the whole watched object.
	ResourceMode = "Resource"
)

// DefaultSchedule is the schedule of a PingSource that gives none: every minute.
const DefaultSchedule = "* * * * *"

// DefaultServiceAccountName is the service account an ApiServerSource runs
// as when it names none.
const DefaultServiceAccountName = "default"

// Condition types the sources' controllers report besides Ready, as
// Knative Eventing's do.
const (
	// ConditionSinkProvided is True once the sink has resolved to an address
	// (PingSource, ApiServerSource, SinkBinding).
	ConditionSinkProvided duckv1.ConditionType = "SinkProvided"
	// ConditionDeployed is True once the receive adapter Deployment is
	// available (PingSource, ApiServerSource).
	ConditionDeployed duckv1.ConditionType = "Deployed"
	// ConditionSufficientPermissions is True once an ApiServerSource's
	// service account may get, list and watch what it follows.
	ConditionSufficientPermissions duckv1.ConditionType = "SufficientPermissions"
	// ConditionOIDCIdentityCreated is True once the source's OIDC identity
	// exists, or when OIDC authentication is off.
	ConditionOIDCIdentityCreated duckv1.ConditionType = "OIDCIdentityCreated"
	// ConditionSinkBindingReady is True once a ContainerSource's SinkBinding is Ready.
	ConditionSinkBindingReady duckv1.ConditionType = "SinkBindingReady"
	// ConditionReceiveAdapterReady is True once a ContainerSource's
	// Deployment is available.
	ConditionReceiveAdapterReady duckv1.ConditionType = "ReceiveAdapterReady"
)
