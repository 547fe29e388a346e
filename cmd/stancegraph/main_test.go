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
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// MustServe runs `stancegraph serve` with args until the test ends and
// returns its base URL and its stderr.
func MustServe(t *testing.T, env map[string]string, args ...string) (string, *syncBuffer) {
	t.Helper()
	ready := make(chan string, 1)
	stderr := &syncBuffer{}
	m := &Main{Stdout: io.Discard, Stderr: stderr, Getenv: func(k string) string { return env[k] }, Ready: ready}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	select {
	case addr := <-ready:
		return "http://" + addr, stderr
	case err := <-done:
		t.Fatalf("serve exited: %v\n%s", err, stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not start:\n%s", stderr.String())
	}
	return "", nil
}

func post(t *testing.T, url, token, query string) map[string]any {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	req, _ := http.NewRequest(http.MethodPost, url+"/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestServe_SeededMemoryStore(t *testing.T) {
	url, stderr := MustServe(t, nil, "--memory")

	resp, err := http.Get(url + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(strings.ToLower(string(page)), "graphiql") {
		t.Errorf("GET / = %d, not the GraphiQL playground", resp.StatusCode)
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("GET %s = %d", path, resp.StatusCode)
		}
	}

	out := post(t, url, "", `{ backers(of: "trusted-partner-designation") { actor { id } } }`)
	got, _ := json.Marshal(out["data"])
	if !strings.Contains(string(got), "anthropic") || !strings.Contains(string(got), "amazon-web-services") {
		t.Errorf("backers = %s", got)
	}

	// No token configured: one is generated and printed once.
	log := stderr.String()
	i := strings.Index(log, "Authorization: Bearer ")
	if i < 0 {
		t.Fatalf("no generated token printed:\n%s", log)
	}
	token := strings.Fields(log[i+len("Authorization: Bearer "):])[0]
	const m = `mutation { upsertActor(input: {id: "acme", kind: COMPANY, name: "Acme"}) { change } }`
	if out := post(t, url, "", m); out["errors"] == nil {
		t.Error("mutation without a token succeeded")
	}
	if out := post(t, url, token, m); out["errors"] != nil {
		t.Errorf("mutation with the printed token failed: %v", out["errors"])
	}
}

func TestServe_DataPersistsAndIsLocked(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"STANCEGRAPH_WRITE_TOKEN": "secret-1, secret-2"}
	url, stderr := MustServe(t, env, "--data", dir)
	if out := post(t, url, "secret-2", `mutation { upsertActor(input: {id: "acme", kind: COMPANY, name: "Acme"}) { change } }`); out["errors"] != nil {
		t.Fatalf("upsert: %v", out["errors"])
	}
	if strings.Contains(stderr.String(), "secret-1") {
		t.Error("a configured token was logged")
	}
	if _, err := os.Stat(filepath.Join(dir, "stancegraph.db")); err != nil {
		t.Fatal(err)
	}
	// A second process on the same data directory gets a clear error.
	var out syncBuffer
	m := &Main{Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" }}
	err := m.Run(context.Background(), []string{"seed", "--data", dir, "--dry-run"})
	if err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("second open: err = %v, want a 'store in use' error", err)
	}
}

func TestSeedCommand(t *testing.T) {
	dir := t.TempDir()
	run := func(args ...string) string {
		t.Helper()
		var out syncBuffer
		m := &Main{Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" }}
		if err := m.Run(context.Background(), args); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out.String())
		}
		return out.String()
	}
	if out := run("seed", "--data", dir, "--dry-run"); !strings.Contains(out, "dry run") {
		t.Errorf("dry run output: %s", out)
	}
	first := run("seed", "--data", dir)
	if !strings.Contains(first, "positions:") || strings.Contains(first, "positions: 0 created") {
		t.Errorf("first load: %s", first)
	}
	second := run("seed", "--data", dir)
	for _, line := range strings.Split(strings.TrimSpace(second), "\n") {
		if !strings.Contains(line, ": 0 created, 0 updated") {
			t.Errorf("second load changed something: %s", line)
		}
	}

	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("entities:\n  - id: Bad Id\n    kind: COMPANY\n    name: x\n"), 0o644)
	var out syncBuffer
	m := &Main{Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" }}
	err := m.Run(context.Background(), []string{"seed", "--memory", "--file", bad})
	if err == nil || !strings.Contains(err.Error(), "Bad Id") {
		t.Fatalf("bad file: err = %v, want one naming the bad entry", err)
	}
}

func TestHelp_EveryCommand(t *testing.T) {
	for _, c := range commands {
		for _, flag := range []string{"-h", "--help"} {
			t.Run(c.name+flag, func(t *testing.T) {
				out, errOut, err := runMain(t, nil, c.name, flag)
				if err != nil {
					t.Fatalf("%s %s: %v (want success)\n%s", c.name, flag, err, errOut)
				}
				if !strings.HasPrefix(out, "Usage: stancegraph "+c.name) {
					t.Fatalf("help does not start with the usage line:\n%s", out)
				}
				first := strings.Fields(c.description)[0]
				if len(c.description) < 80 || !strings.Contains(out, first) {
					t.Fatalf("help has no description paragraph:\n%s", out)
				}
			})
		}
	}
	out, _, err := runMain(t, nil, "help", "export")
	if err != nil || !strings.Contains(out, "/export/{format}") {
		t.Fatalf("help export: %v\n%s", err, out)
	}
	out, _, err = runMain(t, nil, "--help")
	for _, c := range commands {
		if err != nil || !strings.Contains(out, "stancegraph "+c.name) {
			t.Fatalf("--help does not list %s: %v\n%s", c.name, err, out)
		}
	}
}

func TestFlags_Anywhere(t *testing.T) {
	file, _ := filepath.Abs("../../seed/examples/ai-exports-program.json")
	dir := t.TempDir()
	out, errOut, err := runMain(t, nil, "import", file, "--data", dir)
	if err != nil {
		t.Fatalf("import FILE --data DIR: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "loaded positions:") {
		t.Fatalf("import output: %s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "stancegraph.db")); err != nil {
		t.Fatalf("--data after the file was not used: %v", err)
	}
	// Flags between files, and a flag that takes no value, after one.
	out, errOut, err = runMain(t, nil, "import", "--memory", file, "--dry-run", file)
	if err != nil || !strings.Contains(out, "dry run") {
		t.Fatalf("import --memory FILE --dry-run FILE: %v\n%s%s", err, out, errOut)
	}
	// "--" ends the flags: what follows is a file, even if it looks like a flag.
	_, _, err = runMain(t, nil, "import", "--memory", "--", "--dry-run")
	if err == nil || !strings.Contains(err.Error(), "--dry-run") {
		t.Fatalf("import -- --dry-run: err = %v, want the file --dry-run not found", err)
	}
	// A bad flag points at the help.
	_, _, err = runMain(t, nil, "export", "--memory", "--bogus")
	if err == nil || !strings.Contains(err.Error(), "stancegraph export -h") {
		t.Fatalf("bad flag: err = %v", err)
	}
}

func TestVersion(t *testing.T) {
	out, _, err := runMain(t, nil, "version")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "stancegraph ") || !strings.Contains(out, "go1.") {
		t.Fatalf("version output: %q", out)
	}
}

// serveMain runs serve until the test ends and returns its URL, stdout and
// stderr.
func serveMain(t *testing.T, env map[string]string, args ...string) (string, *syncBuffer, *syncBuffer) {
	t.Helper()
	ready := make(chan string, 1)
	var stdout, stderr syncBuffer
	m := &Main{Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return env[k] }, Ready: ready}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, append([]string{"serve"}, args...)) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	select {
	case addr := <-ready:
		return "http://" + addr, &stdout, &stderr
	case err := <-done:
		t.Fatalf("serve exited: %v\n%s", err, stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not start:\n%s", stderr.String())
	}
	return "", nil, nil
}

func TestServe_PlaygroundLineAddrEnvAndLogFormat(t *testing.T) {
	env := map[string]string{"STANCEGRAPH_ADDR": "127.0.0.1:0", "STANCEGRAPH_WRITE_TOKEN": "w"}
	url, stdout, stderr := serveMain(t, env, "--memory")
	first, _, _ := strings.Cut(stdout.String(), "\n")
	if first != "playground: "+url+"/" {
		t.Fatalf("first line %q, want %q", first, "playground: "+url+"/")
	}
	// Not a terminal: JSON logs.
	for _, line := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		if !json.Valid([]byte(line)) {
			t.Fatalf("log line is not JSON: %q", line)
		}
	}

	_, _, stderr = serveMain(t, env, "--memory", "--log-format", "text")
	if !strings.Contains(stderr.String(), "level=INFO msg=\"store open\"") {
		t.Fatalf("--log-format text: %s", stderr.String())
	}
	if _, _, err := runMain(t, env, "serve", "--memory", "--log-format", "xml"); err == nil {
		t.Fatal("--log-format xml accepted")
	}
}

func TestExport_WhileServing(t *testing.T) {
	dir := t.TempDir()
	url, _, _ := serveMain(t, map[string]string{"STANCEGRAPH_WRITE_TOKEN": "w"}, "--addr", "127.0.0.1:0", "--data", dir)
	_, _, err := runMain(t, nil, "export", "--format", "graphml", "--data", dir, "--targets", "trusted-partner-designation")
	if err == nil {
		t.Fatal("export opened a store a server holds")
	}
	msg := err.Error()
	for _, want := range []string{"store in use", url + "/export/graphml?targets=trusted-partner-designation"} {
		if !strings.Contains(msg, want) {
			t.Fatalf("error %q does not contain %q", msg, want)
		}
	}
	// The hint works: the server exports.
	resp, err := http.Get(url + "/export/graphml?targets=trusted-partner-designation")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte("<graphml")) {
		t.Fatalf("GET /export/graphml = %d %.100s", resp.StatusCode, body)
	}
}
