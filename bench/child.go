package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
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
	cmd *exec.Cmd
	url string
}

// startChild serves the store in data with the binary bin on a loopback
// port, with extra environment env, and waits until it answers /readyz.
func startChild(ctx context.Context, bin, data string, env []string) (*child, error) {
	cmd := exec.Command(bin, "serve", "--data", data, "--addr", "127.0.0.1:0", "--no-seed")
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
