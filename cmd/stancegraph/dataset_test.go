package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runMain runs the command with args and returns its stdout, stderr and
// error.
func runMain(t *testing.T, env map[string]string, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr syncBuffer
	m := &Main{Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return env[k] }}
	err := m.Run(context.Background(), args)
	return stdout.String(), stderr.String(), err
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, err := runMain(t, nil, args...)
	if err != nil {
		t.Fatalf("%v: %v\n%s", args, err, errOut)
	}
	return out
}

func TestImportCommand(t *testing.T) {
	data := t.TempDir()
	examples := filepath.Join("..", "..", "seed", "examples", "csv")
	if out := mustRun(t, "import", "--data", data, "--dry-run", examples); !strings.Contains(out, "valid: 35 entities, 47 relations, 24 positions (dry run") {
		t.Errorf("dry run: %s", out)
	}
	first := mustRun(t, "import", "--data", data, examples)
	if !strings.Contains(first, "loaded positions: 24 created, 0 updated, 0 unchanged") {
		t.Errorf("first import: %s", first)
	}
	// The same data in another format changes nothing.
	second := mustRun(t, "import", "--data", data, filepath.Join("..", "..", "seed", "examples", "ai-exports-program.ndjson"))
	for _, want := range []string{"entities: 0 created, 0 updated, 35 unchanged", "relations: 0 created, 0 updated, 47 unchanged", "positions: 0 created, 0 updated, 24 unchanged"} {
		if !strings.Contains(second, want) {
			t.Errorf("second import lacks %q: %s", want, second)
		}
	}

	bad := filepath.Join(t.TempDir(), "positions.csv")
	os.WriteFile(bad, []byte("actor,target,stance,quote,source,statedAt\nopenai,trusted-partner-designation,SUPPORTS,q,nowhere,2025-12-13\nopenai,trusted-partner-designation,MAYBE,q,industry-calls-for-us-leadership-in-ai,2025-12-13\n"), 0o644)
	_, _, err := runMain(t, nil, "import", "--data", data, bad)
	if err == nil {
		t.Fatal("a bad file imported")
	}
	for _, want := range []string{"2 problem(s); nothing was written", bad + `:2: position openai SUPPORTS trusted-partner-designation (source nowhere): source: position source "nowhere" not found`, bad + ":3:", "stance: \"MAYBE\""} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}

	if _, _, err := runMain(t, nil, "import", "--memory"); err == nil || !strings.Contains(err.Error(), "no file") {
		t.Errorf("import without files: %v", err)
	}
	if _, _, err := runMain(t, nil, "import", "--memory", "missing.yaml"); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("import of a missing file: %v", err)
	}
}

func TestGenCommand(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.ndjson"), filepath.Join(dir, "b.ndjson")
	mustRun(t, "gen", "--actors", "50", "--proposals", "5", "--positions", "400", "--seed", "9", "--out", a)
	mustRun(t, "gen", "--actors", "50", "--proposals", "5", "--positions", "400", "--seed", "9", "--out", b)
	x, _ := os.ReadFile(a)
	y, _ := os.ReadFile(b)
	if !bytes.Equal(x, y) || len(x) == 0 {
		t.Fatal("gen is not deterministic")
	}
	if n := strings.Count(string(x), `"type":"position"`); n != 400 {
		t.Errorf("%d positions generated", n)
	}
	tables := filepath.Join(dir, "tables")
	mustRun(t, "gen", "--actors", "50", "--proposals", "5", "--positions", "400", "--seed", "9", "--format", "csv", "--out", tables)
	for _, f := range []string{"nodes.csv", "relations.csv", "positions.csv"} {
		if _, err := os.Stat(filepath.Join(tables, f)); err != nil {
			t.Error(err)
		}
	}
	// The tables and the NDJSON are the same graph.
	data := t.TempDir()
	mustRun(t, "import", "--data", data, tables)
	if out := mustRun(t, "import", "--data", data, a); !strings.Contains(out, "positions: 0 created, 0 updated, 400 unchanged") {
		t.Errorf("NDJSON after the tables: %s", out)
	}
	if _, _, err := runMain(t, nil, "gen", "--format", "csv"); err == nil {
		t.Error("gen --format csv to stdout succeeded")
	}
}

func TestExportCommand(t *testing.T) {
	data := t.TempDir()
	mustRun(t, "seed", "--data", data)
	out := t.TempDir()
	for _, f := range []string{"graphml", "gexf", "csv", "json", "yaml", "ndjson", "cypher"} {
		path := filepath.Join(out, "g."+f)
		mustRun(t, "export", "--data", data, "--format", f, "--out", path)
		if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
			t.Errorf("export --format %s: %v", f, err)
		}
	}
	stdout := mustRun(t, "export", "--data", data, "--format", "csv", "--targets", "trusted-partner-designation", "--from", "2025-01-01", "--to", "2025-12-31")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "actor,actorName,target") {
		t.Errorf("filtered statements:\n%s", stdout)
	}
	// JSON round trip through the command line.
	other := t.TempDir()
	mustRun(t, "import", "--data", other, filepath.Join(out, "g.json"))
	again := filepath.Join(out, "again.json")
	mustRun(t, "export", "--data", other, "--format", "json", "--out", again)
	x, _ := os.ReadFile(filepath.Join(out, "g.json"))
	y, _ := os.ReadFile(again)
	if !bytes.Equal(x, y) {
		t.Error("export, import, export changed the graph")
	}
	twoMode := mustRun(t, "export", "--data", data, "--format", "graphml", "--two-mode")
	if !strings.Contains(twoMode, `edgedefault="undirected"`) || !strings.Contains(twoMode, `<data key="n_mode">actor</data>`) ||
		!strings.Contains(twoMode, `<edge id="opposes-amazon-web-services-prescriptive-ai-regulation-abroad"`) {
		t.Errorf("two-mode GraphML:\n%.2000s", twoMode)
	}
	mustRun(t, "export", "--data", data, "--format", "graphml", "--two-mode", "--out", filepath.Join(out, "two-mode.graphml"))
	if _, _, err := runMain(t, nil, "export", "--data", data, "--format", "json", "--two-mode"); err == nil || !strings.Contains(err.Error(), "--two-mode needs --format graphml") {
		t.Errorf("--two-mode with json: %v", err)
	}
	if _, _, err := runMain(t, nil, "export", "--data", data, "--format", "pdf"); err == nil || !strings.Contains(err.Error(), "unknown format") {
		t.Errorf("export --format pdf: %v", err)
	}
	if _, _, err := runMain(t, nil, "export", "--data", data, "--from", "13/12/2025"); err == nil {
		t.Error("a bad date was accepted")
	}
}

// The endpoint mode loads through a running server's importGraph, in
// batches, with the write token; the server's export serves the result.
func TestImportCommand_Endpoint(t *testing.T) {
	env := map[string]string{"STANCEGRAPH_WRITE_TOKEN": "tok"}
	url, _ := MustServe(t, env, "--memory", "--no-seed")
	file := filepath.Join(t.TempDir(), "g.ndjson")
	mustRun(t, "gen", "--actors", "100", "--proposals", "10", "--positions", "1500", "--seed", "2", "--out", file)

	_, _, err := runMain(t, nil, "import", "--endpoint", url, "--token", "wrong", file)
	if err == nil || !strings.Contains(err.Error(), "the import was refused (FORBIDDEN)") ||
		!strings.Contains(err.Error(), "nothing was written") || !strings.Contains(err.Error(), "must be a write token of the server at "+url) {
		t.Errorf("wrong token: %v", err)
	}
	if strings.Contains(err.Error(), "again") {
		t.Errorf("wrong token: the error advises running the import again: %v", err)
	}
	stdout, _, err := runMain(t, env, "import", "--endpoint", url, "--batch", "400", file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, "loaded positions: 1500 created") {
		t.Errorf("endpoint import: %s", stdout)
	}
	stdout, _, err = runMain(t, env, "import", "--endpoint", url, file)
	if err != nil || !strings.Contains(stdout, "loaded positions: 0 created, 0 updated, 1500 unchanged") {
		t.Errorf("second endpoint import: %s %v", stdout, err)
	}
	// Validation asks the server about references the file does not hold.
	bad := filepath.Join(t.TempDir(), "positions.csv")
	os.WriteFile(bad, []byte("actor,target,stance,quote,source,statedAt\ncompany-000000,proposal-000001,SUPPORTS,q,source-000001,2025-12-13\nghost,proposal-000001,SUPPORTS,q,source-000001,2025-12-13\n"), 0o644)
	if _, _, err := runMain(t, env, "import", "--endpoint", url, bad); err == nil || !strings.Contains(err.Error(), "1 problem(s)") || !strings.Contains(err.Error(), `"ghost" not found`) {
		t.Errorf("bad file through the endpoint: %v", err)
	}

	resp, err := http.Get(url + "/export/graphml?targets=proposal-000001")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte("<graphml")) || !bytes.Contains(body, []byte(`target="proposal-000001"`)) {
		t.Errorf("GET /export/graphml = %d\n%.300s", resp.StatusCode, body)
	}
}

func TestImportGraphMutation_Bounded(t *testing.T) {
	env := map[string]string{"STANCEGRAPH_WRITE_TOKEN": "tok"}
	url, _ := MustServe(t, env, "--memory", "--no-seed")
	// Over the bound: refused whole.
	entities := make([]map[string]string, 5001)
	for i := range entities {
		entities[i] = map[string]string{"id": "c" + itoa(i), "kind": "COMPANY", "name": "C"}
	}
	body, _ := json.Marshal(map[string]any{
		"query":     `mutation($g: GraphInput!) { importGraph(input: $g) { entities { created } } }`,
		"variables": map[string]any{"g": map[string]any{"entities": entities}},
	})
	req, _ := http.NewRequest(http.MethodPost, url+"/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(got), "more than the 5000") {
		t.Errorf("5001 entries: %s", got)
	}
	// All or nothing: one bad position, nothing written.
	const m = `mutation { importGraph(input: {
		entities: [{id: "acme", kind: COMPANY, name: "Acme"}, {id: "plan", kind: POLICY_PROPOSAL, name: "Plan"}, {id: "doc", kind: SOURCE, name: "Doc", sourceKind: OTHER}]
		positions: [{actor: "acme", target: "plan", stance: SUPPORTS, quote: "q", source: "doc", statedAt: "2025-12-13"},
		            {actor: "acme", target: "plan", stance: OPPOSES, quote: "q", source: "nodoc", statedAt: "2025-12-13"}]
	}) { entities { created } positions { created } } }`
	out := post(t, url, "tok", m)
	got, _ = json.Marshal(out)
	if !strings.Contains(string(got), `"NOT_FOUND"`) {
		t.Errorf("bad import: %s", got)
	}
	if out := post(t, url, "", `{ node(id: "acme") { id } }`); out["data"].(map[string]any)["node"] != nil {
		t.Error("a failed import wrote an entity")
	}
	ok := strings.Replace(m, `source: "nodoc"`, `source: "doc"`, 1)
	out = post(t, url, "tok", ok)
	got, _ = json.Marshal(out["data"])
	if string(got) != `{"importGraph":{"entities":{"created":3},"positions":{"created":2}}}` {
		t.Errorf("import: %s", got)
	}
	if out := post(t, url, "", ok); out["errors"] == nil {
		t.Error("importGraph without a token succeeded")
	}
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

func TestLogProgress(t *testing.T) {
	var b bytes.Buffer
	now := time.Unix(0, 0)
	p := &logProgress{w: &b, interval: 2 * time.Second, now: func() time.Time { return now }}
	p.Phase("writing", 1000)
	now = now.Add(time.Second)
	p.Add(100) // before the interval: quiet
	now = now.Add(time.Second)
	p.Add(100)
	now = now.Add(2 * time.Second)
	p.Add(300)
	p.Phase("quick", 10) // ends "writing" with a line
	p.Add(10)
	p.Done() // too short to log
	want := "writing: 200/1000 entries (20%), 100/s, ETA 8s, 2s elapsed\n" +
		"writing: 500/1000 entries (50%), 125/s, ETA 4s, 4s elapsed\n" +
		"writing: 500/1000 entries (50%), 125/s, ETA 4s, 4s elapsed\n"
	if b.String() != want {
		t.Errorf("log:\n%s\nwant:\n%s", b.String(), want)
	}
}
