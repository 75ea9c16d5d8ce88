package autoscaler

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"k8s.io/apimachinery/pkg/types"
)

func TestStatsHandler(t *testing.T) {
	var (
		mu        sync.Mutex
		activated []types.NamespacedName
	)
	c, clk := newTestCollector(t, CollectorOptions{OnActivation: func(key types.NamespacedName) {
		mu.Lock()
		defer mu.Unlock()
		activated = append(activated, key)
	}})
	c.Collect(testRevision, defaultWindows)
	srv := httptest.NewServer(StatsHandler(c))
	t.Cleanup(srv.Close)

	post := func(body string) *http.Response {
		t.Helper()
		resp, err := http.Post(srv.URL+StatsPath, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}

	report, err := json.Marshal(Report{Stats: []Stat{
		{Revision: testRevision, PodName: "gateway-a", AverageConcurrentRequests: 2, RequestCount: 5},
		{Revision: testRevision, PodName: "gateway-a", AverageConcurrentRequests: 1, RequestCount: 1, Activation: true},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if resp := post(string(report)); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("POST a Report: %s", resp.Status)
	}
	if got := readLoads(t, c, clk.Now()); got != (loads{3, 3, 6, 6}) {
		t.Errorf("after the Report: %+v, want concurrency 3, rps 6", got)
	}
	mu.Lock()
	if len(activated) != 1 || activated[0] != testRevision {
		t.Errorf("activated %v, want [%v]", activated, testRevision)
	}
	mu.Unlock()

	if resp := post(`{"stats": [`); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("POST a broken Report: %s, want 400", resp.Status)
	}
	if resp := post(`{"stats": [{"revision": {"Namespace": "ns", "Name": "hello-00001"}, "requestCount": "many"}]}`); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("POST a mistyped Report: %s, want 400", resp.Status)
	}
	resp, err := http.Get(srv.URL + StatsPath)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != http.MethodPost {
		t.Errorf("GET: %s, Allow %q; want 405, POST", resp.Status, resp.Header.Get("Allow"))
	}
}
