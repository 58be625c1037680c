package server

import (
	"context"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/extend-compat-proxy/extend-compat-proxy/config"
)

// TestPprofOffByDefaultAndAdminOnly: /debug/pprof/ is absent unless
// admin.pprof is set, and even then answers on the admin listener only.
func TestPprofOffByDefaultAndAdminOnly(t *testing.T) {
	if config.Default().Admin.Pprof {
		t.Fatal("admin.pprof is on by default")
	}
	isPprof := func(code int, body string) bool {
		return code == 200 && strings.Contains(body, "Types of profiles available")
	}
	for _, on := range []bool{false, true} {
		cfg := testConfig()
		cfg.Admin.Pprof = on
		s, err := Open(cfg, zap.NewNop())
		if err != nil {
			t.Fatal(err)
		}
		if got := isPprof(get(t, "http://"+s.Addr("admin")+"/debug/pprof/")); got != on {
			t.Errorf("admin.pprof=%v: admin listener serves pprof = %v", on, got)
		}
		if on {
			if code, body := get(t, "http://"+s.Addr("admin")+"/debug/pprof/goroutine?debug=1"); code != 200 || !strings.Contains(body, "goroutine profile") {
				t.Errorf("goroutine profile: %d %.80s", code, body)
			}
		}
		for _, path := range []string{"/debug/pprof/", "/debug/pprof/goroutine?debug=1", "/debug/pprof/cmdline"} {
			if code, body := get(t, "http://"+s.Addr("proxy")+path); isPprof(code, body) || strings.Contains(body, "goroutine profile") {
				t.Errorf("admin.pprof=%v: client listener serves %s", on, path)
			}
		}
		s.Close(context.Background())
	}
}
