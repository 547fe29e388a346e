package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stancegraph/stancegraph/store/memstore"
)

// TestHelperServe is not a test: TestShutdown_SIGTERM runs the test binary
// as `stancegraph serve` through it, so that a real signal reaches a real
// process.
func TestHelperServe(t *testing.T) {
	args := os.Getenv("STANCEGRAPH_HELPER_SERVE")
	if args == "" {
		t.Skip("helper process")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	if err := NewMain().Run(ctx, strings.Fields(args)); err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// TestShutdown_SIGTERM sends SIGTERM while a request is in flight: the
// request completes, the process exits 0, and the store was closed cleanly
// (another process can open it at once).
func TestShutdown_SIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperServe$")
	cmd.Env = append(os.Environ(), "STANCEGRAPH_HELPER_SERVE=serve --addr 127.0.0.1:0 --data "+dir, "STANCEGRAPH_WRITE_TOKEN=t")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill() }()
	addrc := make(chan string, 1)
	var logs strings.Builder
	logDone := make(chan struct{})
	go func() {
		defer close(logDone)
		listening := regexp.MustCompile(`"msg":"listening","addr":"([^"]+)"`)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			logs.WriteString(sc.Text() + "\n")
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				addrc <- m[1]
			}
		}
	}()
	var addr string
	select {
	case addr = <-addrc:
	case <-time.After(60 * time.Second):
		t.Fatal("the server did not start")
	}

	// An in-flight request: headers and half the body now, the rest after
	// the signal.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"query":"{ actor(id: \"openai\") { name } }"}`
	fmt.Fprintf(conn, "POST /query HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", addr, len(body), body[:10])
	time.Sleep(200 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	fmt.Fprint(conn, body[10:])
	_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	resp, err := bufio.NewReader(conn).ReadString(0)
	if !strings.HasPrefix(resp, "HTTP/1.1 200") || !strings.Contains(resp, `"name":"OpenAI"`) {
		t.Fatalf("in-flight request: %v\n%s", err, resp)
	}

	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		<-logDone
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, logs.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not exit after SIGTERM")
	}
	if !strings.Contains(logs.String(), "shutting down") {
		t.Errorf("no shutdown in the logs:\n%s", logs.String())
	}
	s, err := memstore.Open(filepath.Join(dir, "stancegraph.db"))
	if err != nil {
		t.Fatalf("reopen the store after shutdown: %v", err)
	}
	_ = s.Close()
}
