package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// neo4jServer is the harness's own Neo4j: the launcher of tools/neo4j, as
// scripts/neo4j.sh runs it, but with its own home and port, so that it
// neither clashes with the test Neo4j (bolt://127.0.0.1:7687, which other
// tests wipe) nor sees its data.
type neo4jServer struct {
	cmd  *exec.Cmd
	home string
	log  string
	URI  string
	done chan struct{}
}

type neo4jConfig struct {
	tool        string // tools/neo4j
	port        int
	heap        string // -Xmx
	pageCacheMB int
}

// jvmFlags are those of scripts/neo4j.sh but the heap: Neo4j 5 on Java 17
// reaches into JDK internals.
var jvmFlags = []string{
	"-XX:+UseG1GC",
	"-XX:-OmitStackTraceInFastThrow",
	"--add-opens=java.base/java.lang=ALL-UNNAMED",
	"--add-opens=java.base/java.nio=ALL-UNNAMED",
	"--add-opens=java.base/java.io=ALL-UNNAMED",
	"--add-opens=java.base/java.util=ALL-UNNAMED",
	"--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
	"--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
	"--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
	"--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
	"--enable-native-access=ALL-UNNAMED",
	"-Dio.netty.tryReflectionSetAccessible=true",
	"-Djdk.attach.allowAttachSelf=true",
	"-Dfile.encoding=UTF-8",
}

// buildLauncher resolves the classpath and compiles the launcher, as
// scripts/neo4j.sh does, when that has not been done yet.
func buildLauncher(ctx context.Context, tool string) (classpath string, err error) {
	cpFile := filepath.Join(tool, "classpath.txt")
	classes := filepath.Join(tool, "target", "classes")
	src := filepath.Join(tool, "src", "main", "java", "stancegraph", "Neo4jLauncher.java")
	if _, err := os.Stat(cpFile); err != nil {
		mvn := exec.CommandContext(ctx, "mvn", "-q", "-B", "dependency:build-classpath", "-Dmdep.outputFile="+cpFile)
		mvn.Dir = tool
		if out, err := mvn.CombinedOutput(); err != nil {
			return "", fmt.Errorf("resolve the Neo4j classpath with maven: %w\n%s", err, out)
		}
	}
	cp, err := os.ReadFile(cpFile)
	if err != nil {
		return "", err
	}
	class := filepath.Join(classes, "stancegraph", "Neo4jLauncher.class")
	if newer(src, class) || newer(cpFile, class) {
		javac := exec.CommandContext(ctx, "javac", "-nowarn", "--release", "17", "-d", classes, "-cp", strings.TrimSpace(string(cp)), src)
		if out, err := javac.CombinedOutput(); err != nil {
			return "", fmt.Errorf("compile the Neo4j launcher: %w\n%s", err, out)
		}
	}
	return classes + ":" + strings.TrimSpace(string(cp)), nil
}

// newer reports whether a is newer than b, or b does not exist.
func newer(a, b string) bool {
	sa, err := os.Stat(a)
	if err != nil {
		return false
	}
	sb, err := os.Stat(b)
	return err != nil || sa.ModTime().After(sb.ModTime())
}

// startNeo4j starts an empty Neo4j on 127.0.0.1:cfg.port with a fresh home
// and waits until Bolt answers.
func startNeo4j(ctx context.Context, cfg neo4jConfig) (*neo4jServer, error) {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(cfg.port))
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		return nil, fmt.Errorf("port %d is taken; choose another with --neo4j-port", cfg.port)
	}
	cp, err := buildLauncher(ctx, cfg.tool)
	if err != nil {
		return nil, err
	}
	home, err := os.MkdirTemp("", "stancegraph-bench-neo4j-")
	if err != nil {
		return nil, err
	}
	logPath := filepath.Join(home, "launcher.log")
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	args := append([]string{"-Xms" + cfg.heap, "-Xmx" + cfg.heap}, jvmFlags...)
	args = append(args, "-cp", cp, "stancegraph.Neo4jLauncher",
		"--home", filepath.Join(home, "home"), "--host", "127.0.0.1", "--port", strconv.Itoa(cfg.port))
	// Not CommandContext: the server is stopped with SIGTERM, so that it
	// shuts down cleanly. Pdeathsig stops it if the harness dies first.
	cmd := exec.Command("java", args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.Env = append(os.Environ(), "NEO4J_PAGECACHE_MB="+strconv.Itoa(cfg.pageCacheMB))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(home)
		return nil, fmt.Errorf("start Neo4j: %w", err)
	}
	s := &neo4jServer{cmd: cmd, home: home, log: logPath, URI: "bolt://" + addr, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(s.done) }()

	deadline := time.Now().Add(3 * time.Minute)
	for {
		b, _ := os.ReadFile(logPath)
		if strings.Contains(string(b), "neo4j-launcher: ready") {
			if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
				c.Close()
				return s, nil
			}
		}
		select {
		case <-s.done:
			os.RemoveAll(home)
			return nil, fmt.Errorf("neo4j exited during start-up:\n%s", tail(string(b), 2000))
		case <-ctx.Done():
			s.stop()
			return nil, ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("neo4j did not answer on %s within 3 minutes:\n%s", addr, tail(string(b), 2000))
		}
	}
}

// Pid returns the JVM's process id.
func (s *neo4jServer) Pid() int { return s.cmd.Process.Pid }

// stop shuts the server down (SIGTERM, SIGKILL after a minute) and
// deletes its home.
func (s *neo4jServer) stop() error {
	if s == nil {
		return nil
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	var err error
	select {
	case <-s.done:
	case <-time.After(time.Minute):
		_ = s.cmd.Process.Kill()
		<-s.done
		err = errors.New("neo4j did not stop within a minute; killed it")
	}
	os.RemoveAll(s.home)
	return err
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}
