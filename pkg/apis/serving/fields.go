package serving

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
)
