package defaults

import "github.com/knap-dev/knap/pkg/apis/serving"

// routeSpec defaults the traffic block. ownConfiguration is true for a
// Service, whose traffic targets default to its own Configuration.
func routeSpec(rs *serving.RouteSpec, ownConfiguration bool) {
	if len(rs.Traffic) == 0 && ownConfiguration {
		rs.Traffic = []serving.TrafficTarget{{
			Percent:        ptrTo(int64(100)),
			LatestRevision: ptrTo(true),
		}}
	}
	for i := range rs.Traffic {
		trafficTarget(&rs.Traffic[i])
	}
}

// trafficTarget makes both routing knobs explicit: a target naming no
// revision follows the latest one, and a target without percent gets no
// share of the traffic.
func trafficTarget(tt *serving.TrafficTarget) {
	if tt.LatestRevision == nil {
		tt.LatestRevision = ptrTo(tt.RevisionName == "")
	}
	if tt.Percent == nil {
		tt.Percent = ptrTo(int64(0))
	}
}
