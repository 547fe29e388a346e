package ingest_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestStores_LeaveChecksToIngest fails when a store sequences the checks
// of an import itself, or judges a single write with the checks ingest
// wraps: stores call ingest.Prepare (imports) and the single-write checks
// of write.go, and only execute.
func TestStores_LeaveChecksToIngest(t *testing.T) {
	forbidden := map[string]map[string]bool{
		"github.com/stancegraph/stancegraph/ingest": {
			"Check": true, "CheckEntries": true, "MergeExternalIDs": true, "CheckHierarchy": true, "ProblemsError": true,
		},
		"github.com/stancegraph/stancegraph": {
			"CheckPartOf": true, "CheckExternalIDs": true, "NewHierarchy": true,
		},
	}
	files, err := filepath.Glob("../store/*/*.go")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") || strings.Contains(path, "storetest") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		names := map[string]map[string]bool{} // local package name -> forbidden functions
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if fns := forbidden[p]; fns != nil {
				name := p[strings.LastIndex(p, "/")+1:]
				if imp.Name != nil {
					name = imp.Name.Name
				}
				names[name] = fns
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && names[id.Name][sel.Sel.Name] {
				t.Errorf("%s uses %s.%s: a store calls ingest.Prepare or the single-write checks instead", path, id.Name, sel.Sel.Name)
			}
			return true
		})
	}
	if checked < 10 {
		t.Fatalf("checked %d store files; the glob no longer finds the stores", checked)
	}
}
