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
	// RoutesAnnotation on a Configuration lists the Routes that send it
	// traffic, comma-separated.
	RoutesAnnotation = GroupName + "/routes"
	// RolloutDurationAnnotation asks for a gradual rollout of new revisions.
	RolloutDurationAnnotation = GroupName + "/rollout-duration"
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
