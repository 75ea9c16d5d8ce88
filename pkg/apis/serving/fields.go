package serving

import duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"

// Field selectors the serving kinds support beyond metadata.name,
// metadata.namespace and status.ready.
const (
	FieldLatestReadyRevisionName   = "status.latestReadyRevisionName"
	FieldLatestCreatedRevisionName = "status.latestCreatedRevisionName"
)

// Labels and annotations Knative puts on serving objects.
const (
	CreatorAnnotation            = GroupName + "/creator"
	UpdaterAnnotation            = GroupName + "/lastModifier"
	ConfigurationLabel           = GroupName + "/configuration"
	ConfigurationGenerationLabel = GroupName + "/configurationGeneration"
	ServiceLabel                 = GroupName + "/service"
	ServiceUIDLabel              = GroupName + "/serviceUID"
	ConfigurationUIDLabel        = GroupName + "/configurationUID"
	RevisionLabel                = GroupName + "/revision"
	RevisionUIDLabel             = GroupName + "/revisionUID"
	RouteLabel                   = GroupName + "/route"
	// RoutesAnnotation on a Configuration or Revision lists the Routes
	// that send it traffic, comma-separated.
	RoutesAnnotation = GroupName + "/routes"
	// RoutingStateLabel on a Revision is one of the RoutingState values
	// below; revision garbage collection only collects reserve ones.
	RoutingStateLabel = GroupName + "/routingState"
	// RoutingStateModifiedAnnotation is when RoutingStateLabel last
	// changed (RFC 3339, UTC): for a reserve Revision, when it was last
	// routed to.
	RoutingStateModifiedAnnotation = GroupName + "/routingStateModified"
	// RevisionPreservedAnnotation "true" keeps a Revision from revision
	// garbage collection.
	RevisionPreservedAnnotation = GroupName + "/no-gc"
	// RolloutDurationAnnotation asks for a gradual rollout of new revisions.
	RolloutDurationAnnotation = GroupName + "/rollout-duration"
)

// Values of RoutingStateLabel.
const (
	// RoutingStatePending: created, and no Route has claimed it yet.
	// Garbage collection treats it as active.
	RoutingStatePending = "pending"
	// RoutingStateActive: at least one Route references it.
	RoutingStateActive = "active"
	// RoutingStateReserve: no Route references it any more; it may be
	// garbage collected.
	RoutingStateReserve = "reserve"
)

// Condition types the serving controllers report, as Knative's do. Each
// kind's top-level condition is duckv1.ConditionReady.
const (
	ServiceConditionConfigurationsReady duckv1.ConditionType = "ConfigurationsReady"
	ServiceConditionRoutesReady         duckv1.ConditionType = "RoutesReady"

	RouteConditionAllTrafficAssigned duckv1.ConditionType = "AllTrafficAssigned"
	RouteConditionIngressReady       duckv1.ConditionType = "IngressReady"

	RevisionConditionResourcesAvailable duckv1.ConditionType = "ResourcesAvailable"
	RevisionConditionContainerHealthy   duckv1.ConditionType = "ContainerHealthy"
	RevisionConditionActive             duckv1.ConditionType = "Active"
)
