package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// buildServer builds the project's binary into dir, for the embedded
// server the harness runs as a child process.
func buildServer(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "stancegraph")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/stancegraph")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build the server: %w", err)
	}
	return bin, nil
}

// child is a `stancegraph serve` process over an embedded store's data
// directory: the server measured apart from the load generator.
type child struct {
	cmd       *exec.Cmd
	url, base string
}

// startChild serves a store with the binary bin on a loopback port, with
// extra environment env, and waits until it answers /readyz. store names
// it as serve's flags do: --data DIR for the embedded store, --neo4j-uri
// URI for Neo4j.
func startChild(ctx context.Context, bin string, store []string, env []string) (*child, error) {
	cmd := exec.Command(bin, append(append([]string{"serve"}, store...), "--addr", "127.0.0.1:0", "--no-seed")...)
	cmd.Env = append(os.Environ(), append([]string{"STANCEGRAPH_WRITE_TOKEN=" + writeToken}, env...)...)
	// Request logs are written as in production, then dropped.
	cmd.Stderr = nil
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &child{cmd: cmd}
	// The first line is "playground: http://127.0.0.1:PORT/".
	line, err := bufio.NewReader(out).ReadString('\n')
	base, ok := strings.CutPrefix(strings.TrimSpace(line), "playground: ")
	if err != nil || !ok {
		c.stop()
		return nil, fmt.Errorf("server's first line %q: %v", line, err)
	}
	base = strings.TrimSuffix(base, "/")
	c.url = base + "/query"
	c.base = base
	for {
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return c, nil
			}
		}
		if ctx.Err() != nil || cmd.ProcessState != nil {
			c.stop()
			return nil, fmt.Errorf("server not ready: %v", ctx.Err())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (c *child) pid() int { return c.cmd.Process.Pid }

// stop ends the server with SIGINT, as an operator would, and waits.
func (c *child) stop() {
	if c == nil {
		return
	}
	_ = c.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = c.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = c.cmd.Process.Kill()
		<-done
	}
}

// statements reads the child's count of Cypher statements sent to Neo4j
// from its /metrics (stancegraph_store_statements_total); -1 if it cannot.
func (c *child) statements() int64 {
	resp, err := http.Get(c.base + "/metrics")
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "stancegraph_store_statements_total "); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				return -1
			}
			return int64(f)
		}
	}
	return -1
}
