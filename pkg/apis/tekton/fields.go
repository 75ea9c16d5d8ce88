package tekton

// Field selectors the run kinds support beyond metadata.name,
// metadata.namespace and status.succeeded ("which runs of this Task?").
const (
	// FieldTaskRunTask selects TaskRuns by spec.taskRef.name.
	FieldTaskRunTask = "spec.taskRef.name"
	// FieldPipelineRunPipeline selects PipelineRuns by spec.pipelineRef.name.
	FieldPipelineRunPipeline = "spec.pipelineRef.name"
)
