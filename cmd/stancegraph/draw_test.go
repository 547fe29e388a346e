package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExportCommand_Drawing(t *testing.T) {
	data := t.TempDir()
	mustRun(t, "seed", "--data", data)

	dot := mustRun(t, "export", "--data", data, "--format", "dot", "--center", "trusted-partner-designation", "--depth", "2")
	if !strings.HasPrefix(dot, `digraph "neighbourhood"`) || !strings.Contains(dot, `"anthropic"`) {
		t.Errorf("dot: %.200s", dot)
	}
	out := filepath.Join(t.TempDir(), "map.svg")
	mustRun(t, "export", "--data", data, "--format", "svg", "--center", "trusted-partner-designation", "--drawing", "stance", "--out", out)
	svg, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<svg", "Anthropic", "Amazon Web Services", "Supporters (2)"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("stance map SVG lacks %q", want)
		}
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--format", "svg"}, "give --center ID"},
		{[]string{"--format", "svg", "--center", "OpenAI"}, "not a slug"},
		{[]string{"--format", "svg", "--center", "openai", "--depth", "3"}, "depth must be between 1 and 2"},
		{[]string{"--format", "dot", "--center", "no-such-entity"}, `no entity with id "no-such-entity"`},
	} {
		_, _, err := runMain(t, nil, append([]string{"export", "--data", data}, c.args...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("export %v: %v, want %q", c.args, err, c.want)
		}
	}
}
