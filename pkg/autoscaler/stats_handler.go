package autoscaler

import (
	"encoding/json"
	"net/http"
)

// maxReportBytes bounds a Report: a gateway's stats for thousands of
// revisions fit in it many times over.
const maxReportBytes = 8 << 20

// StatsHandler receives the gateways' Reports (POST, JSON, at StatsPath)
// into c, stamped with c's clock.
func StatsHandler(c *Collector) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "POST a Report", http.StatusMethodNotAllowed)
			return
		}
		var rep Report
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxReportBytes)).Decode(&rep); err != nil {
			http.Error(w, "decoding the Report: "+err.Error(), http.StatusBadRequest)
			return
		}
		now := c.opts.Clock.Now()
		for _, s := range rep.Stats {
			c.Record(now, s)
		}
		w.WriteHeader(http.StatusNoContent)
	})
}
