package gateway

import (
	"strings"
	"testing"
	"time"
)

func TestOptionsValidate(t *testing.T) {
	if err := NewOptions().Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
	for name, tc := range map[string]struct {
		change func(*Options)
		want   string
	}{
		"negative queue depth": {func(o *Options) { o.QueueDepth = -1 }, "--queue-depth"},
		"negative max timeout": {func(o *Options) { o.MaxTimeout = -time.Second }, "--max-timeout"},
		"no name":              {func(o *Options) { o.Name = "" }, "--name"},
	} {
		o := NewOptions()
		o.Name = "gw"
		tc.change(o)
		if err := o.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error naming %s", name, err, tc.want)
		}
	}
}
