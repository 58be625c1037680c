package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// buildVersion describes the running binary from the build information the Go
// toolchain embeds: the module version (a tag, a pseudo-version, or "(devel)"),
// the VCS commit and whether the tree was modified.
func buildVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown (no build information)"
	}
	return formatVersion(info)
}

func formatVersion(info *debug.BuildInfo) string {
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, at, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = ", modified"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev == "" {
		rev = "unknown"
	}
	if at != "" {
		at = ", " + at
	}
	return fmt.Sprintf("%s (commit %s%s%s, %s)", v, rev, at, dirty, runtime.Version())
}
