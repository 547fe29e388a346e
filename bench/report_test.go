package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stancegraph/stancegraph/gen"
)

func TestWriteSection_KeepsTheRestOfTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	if err := writeSection(path, "first run\n"); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	// Others append their sections after ours; notes go after the markers.
	edited := string(b) + "\nmy notes\n\n## Someone else's section\n\nfigures\n"
	if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeSection(path, "second run\n"); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(path)
	got := string(b)
	for _, want := range []string{sectionHeading, "second run", "my notes", "## Someone else's section", "figures"} {
		if !strings.Contains(got, want) {
			t.Errorf("the file lost %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "first run") || strings.Count(got, sectionHeading) != 1 {
		t.Errorf("the old figures or a second heading remain:\n%s", got)
	}
}

func TestFigureArgs_DropsOutputFlags(t *testing.T) {
	got := figureArgs([]string{"--sizes", "10k", "--out", "x.md", "--json=r.json", "-profile", "p", "--duration", "2s"})
	want := []string{"--sizes", "10k", "--duration", "2s"}
	if !slices.Equal(got, want) {
		t.Errorf("figureArgs = %q, want %q", got, want)
	}
}

func TestPickInputs_Deterministic(t *testing.T) {
	cfg := sizes["10k"].Cfg
	a, b := pickInputs(gen.Generate(cfg)), pickInputs(gen.Generate(cfg))
	if !slices.Equal(a.targets, b.targets) || !slices.Equal(a.actors, b.actors) || !slices.Equal(a.pairs, b.pairs) {
		t.Error("the same graph gave different inputs")
	}
	if len(a.targets) != variants || len(a.actors) != variants || len(a.pairs) != variants {
		t.Errorf("inputs: %d targets, %d actors, %d pairs; want %d each", len(a.targets), len(a.actors), len(a.pairs), variants)
	}
}
