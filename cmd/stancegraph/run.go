package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/graph"
	"github.com/stancegraph/stancegraph/live"
	"github.com/stancegraph/stancegraph/seed"
	"github.com/stancegraph/stancegraph/server"
	"github.com/stancegraph/stancegraph/store/memstore"
	"github.com/stancegraph/stancegraph/store/neo4jstore"
)

// Main is the program, with its outside world made explicit for tests.
type Main struct {
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string

	// Ready, if set, receives the address the server listens on.
	Ready chan<- string
}

// NewMain returns a Main wired to the process's stdio and environment.
func NewMain() *Main {
	return &Main{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
}

// Run runs the command named by args[0].
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, usage())
		return errors.New("no command given")
	}
	err := m.run(ctx, args)
	if errors.Is(err, errHelp) {
		return nil
	}
	return err
}

func (m *Main) run(ctx context.Context, args []string) error {
	switch args[0] {
	case "serve":
		return m.serve(ctx, args[1:])
	case "import", "seed":
		return m.importCmd(ctx, args[0], args[1:])
	case "export":
		return m.export(ctx, args[1:])
	case "gen":
		return m.genCmd(ctx, args[1:])
	case "version", "--version":
		return m.version(args[1:])
	case "help", "-h", "--help":
		if len(args) > 1 && lookupCommand(args[1]) != nil {
			return m.run(ctx, []string{args[1], "-h"})
		}
		fmt.Fprint(m.Stdout, usage())
		return nil
	default:
		fmt.Fprint(m.Stderr, usage())
		return fmt.Errorf("unknown command %q", args[0])
	}
}

// storeFlags are the flags that choose the store: Neo4j when a URI is
// given (flag or NEO4J_URI), else the embedded store.
type storeFlags struct {
	data   string
	memory bool
	neo4j  neo4jstore.Config
	wait   time.Duration
}

func (f *storeFlags) register(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&f.data, "data", "./data", "directory of the embedded store")
	fs.BoolVar(&f.memory, "memory", false, "use an ephemeral in-memory store (nothing is written to disk)")
	fs.StringVar(&f.neo4j.URI, "neo4j-uri", getenv("NEO4J_URI"), "use Neo4j at this URI (bolt://, neo4j://, +s schemes) instead of the embedded store [$NEO4J_URI]")
	fs.StringVar(&f.neo4j.Username, "neo4j-username", getenv("NEO4J_USERNAME"), "Neo4j user; empty for no auth [$NEO4J_USERNAME]")
	fs.StringVar(&f.neo4j.Password, "neo4j-password", getenv("NEO4J_PASSWORD"), "Neo4j password [$NEO4J_PASSWORD]")
	fs.StringVar(&f.neo4j.Database, "neo4j-database", getenv("NEO4J_DATABASE"), "Neo4j database; empty for the server's default [$NEO4J_DATABASE]")
	fs.DurationVar(&f.wait, "neo4j-wait", 60*time.Second, "how long to wait for Neo4j to answer at start")
}

// openNeo4j connects to Neo4j, retrying while it is unavailable (starting
// up, say) for at most wait.
func openNeo4j(ctx context.Context, cfg neo4jstore.Config, wait time.Duration) (*neo4jstore.Store, error) {
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	for delay := 250 * time.Millisecond; ; delay = min(2*delay, 5*time.Second) {
		s, err := neo4jstore.Open(ctx, cfg)
		if err == nil || stancegraph.ErrorCode(err) != stancegraph.EUNAVAILABLE {
			return s, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(delay):
		}
	}
}

// backend names the store the flags choose, for logs.
func (f *storeFlags) backend() string {
	if f.neo4j.URI != "" {
		return "neo4j"
	}
	return "embedded"
}

func (f *storeFlags) open(ctx context.Context) (stancegraph.Store, string, error) {
	if f.neo4j.URI != "" {
		s, err := openNeo4j(ctx, f.neo4j, f.wait)
		if err != nil {
			return nil, "", errors.New(stancegraph.ErrorMessage(err))
		}
		return s, redactURI(f.neo4j.URI), nil
	}
	if f.memory {
		return memstore.OpenMemory(), "memory", nil
	}
	if err := os.MkdirAll(f.data, 0o755); err != nil {
		return nil, "", fmt.Errorf("create data directory: %w", err)
	}
	path := filepath.Join(f.data, "stancegraph.db")
	s, err := memstore.Open(path)
	if err != nil {
		return nil, "", errors.New(stancegraph.ErrorMessage(err))
	}
	return s, path, nil
}

// logger returns the logger of a log format: "text" (human-readable),
// "json", or "auto": text on a terminal, JSON otherwise.
func (m *Main) logger(format string) (*slog.Logger, error) {
	switch format {
	case "auto", "":
		if isTerminal(m.Stderr) {
			format = "text"
		} else {
			format = "json"
		}
	case "text", "json":
	default:
		return nil, fmt.Errorf("--log-format must be auto, text or json, not %q", format)
	}
	if format == "text" {
		return slog.New(slog.NewTextHandler(m.Stderr, nil)), nil
	}
	return slog.New(slog.NewJSONHandler(m.Stderr, nil)), nil
}

func (m *Main) serve(ctx context.Context, args []string) error {
	fs := newFlagSet("serve")
	defaultAddr := m.Getenv("STANCEGRAPH_ADDR")
	if defaultAddr == "" {
		defaultAddr = ":8080"
	}
	addr := fs.String("addr", defaultAddr, "address to listen on [$STANCEGRAPH_ADDR]")
	noSeed := fs.Bool("no-seed", false, "do not load the bundled seed into an empty store")
	logFormat := fs.String("log-format", "auto", "log format: text, json, or auto (text on a terminal, else JSON)")
	var hf httpFlags
	hf.register(fs)
	var sf storeFlags
	sf.register(fs, m.Getenv)
	rest, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("serve: unexpected arguments %q", rest)
	}
	log, err := m.logger(*logFormat)
	if err != nil {
		return err
	}
	// Listen first: a taken port fails at once, and the address is known
	// for the first line. Connections wait in the backlog until Serve.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	defer ln.Close()
	base := "http://" + displayAddr(ln.Addr())
	fmt.Fprintf(m.Stdout, "playground: %s/\n", base)

	s, where, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	log.Info("store open", "backend", sf.backend(), "at", where)
	if sf.backend() == "embedded" {
		// Loading the file leaves garbage of about the store's own size
		// (decoded records, grown index slices) that the runtime would
		// return to the system only slowly: return it now.
		debug.FreeOSMemory()
	}
	if sf.backend() == "embedded" && !sf.memory {
		// export, which cannot open the store meanwhile, names this server.
		marker := filepath.Join(sf.data, serverFile)
		if err := os.WriteFile(marker, []byte(base+"\n"), 0o644); err == nil {
			defer os.Remove(marker)
		}
	}

	if !*noSeed {
		if err := m.seedIfEmpty(ctx, log, s); err != nil {
			return err
		}
	}

	tokens := splitTokens(m.Getenv("STANCEGRAPH_WRITE_TOKEN"))
	if len(tokens) == 0 {
		t := newToken()
		tokens = []string{t}
		fmt.Fprintf(m.Stderr, "No STANCEGRAPH_WRITE_TOKEN set; mutations need this generated token (shown once):\n  Authorization: Bearer %s\n", t)
	}

	hub := live.New(s, live.Options{PollInterval: hf.pollInterval, MaxSubscribers: hf.maxSubscriptions, Logger: log})
	cfg := hf.config(tokens, splitTokens(m.Getenv("STANCEGRAPH_READ_TOKEN")), log)
	cfg.GraphQL.Live = hub
	srv := server.NewHTTPServer(s, cfg)
	// Shutdown waits for open requests, SSE subscriptions among them:
	// end the subscriptions so that it need not.
	srv.RegisterOnShutdown(hub.Close)
	log.Info("listening", "addr", ln.Addr().String(), "playground", base+"/")
	if m.Ready != nil {
		m.Ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests")
	shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return srv.Shutdown(shutCtx)
}

// seedIfEmpty loads the bundled seed into a store that has no entities.
func (m *Main) seedIfEmpty(ctx context.Context, log *slog.Logger, s stancegraph.Store) error {
	_, n, err := s.FindEntities(ctx, stancegraph.EntityFilter{Limit: 1})
	if err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	g, err := seed.Bundled()
	if err != nil {
		return err
	}
	res, err := seed.Load(ctx, s, g, false)
	if err != nil {
		return fmt.Errorf("load bundled seed: %w", err)
	}
	log.Info("loaded bundled seed", "entities", res.Entities.Created, "relations", res.Relations.Created, "positions", res.Positions.Created)
	return nil
}

// serverFile, in the data directory, holds the URL of the server that
// holds the embedded store there.
const serverFile = "serve.url"

// redactURI drops credentials from a URI before it is logged.
func redactURI(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URI)"
	}
	u.User = nil
	return u.String()
}

func splitTokens(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

func newToken() string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func displayAddr(a net.Addr) string {
	if ta, ok := a.(*net.TCPAddr); ok && ta.IP.IsUnspecified() {
		return fmt.Sprintf("localhost:%d", ta.Port)
	}
	return a.String()
}

// httpFlags are serve's limits and HTTP settings.
type httpFlags struct {
	maxDepth, maxComplexity, maxTokens int
	maxBody                            int64
	timeout                            time.Duration
	corsOrigins                        string
	noIntrospection                    bool
	maxExports                         int
	pollInterval                       time.Duration
	maxSubscriptions, maxConnSubs      int
}

func (f *httpFlags) register(fs *flag.FlagSet) {
	fs.IntVar(&f.maxDepth, "max-depth", server.DefaultMaxDepth, "deepest selection nesting a query may have")
	fs.IntVar(&f.maxComplexity, "max-complexity", server.DefaultMaxComplexity, "highest cost a query may have (about the number of values it can return)")
	fs.IntVar(&f.maxTokens, "max-tokens", server.DefaultMaxTokens, "most tokens the parser reads from one query")
	fs.Int64Var(&f.maxBody, "max-body", server.DefaultMaxBodyBytes, "largest request body, in bytes")
	fs.DurationVar(&f.timeout, "timeout", server.DefaultRequestTimeout, "longest time one operation may run, store calls included")
	fs.StringVar(&f.corsOrigins, "cors-origins", "", `comma-separated origins (https://app.example.org) whose pages may call the API; "*" for any`)
	fs.BoolVar(&f.noIntrospection, "no-introspection", false, "turn schema introspection off")
	fs.IntVar(&f.maxExports, "max-exports", server.DefaultMaxExports, "most /export downloads running at once; past it the server answers 429 with Retry-After")
	fs.DurationVar(&f.pollInterval, "poll-interval", live.DefaultPollInterval, "how often subscriptions look for changes written by other servers and loaders (Neo4j)")
	fs.IntVar(&f.maxSubscriptions, "max-subscriptions", live.DefaultMaxSubscribers, "most subscriptions the server holds open")
	fs.IntVar(&f.maxConnSubs, "max-connection-subscriptions", graph.DefaultMaxSubscriptionsPerConnection, "most subscriptions one WebSocket connection holds open")
}

func (f *httpFlags) config(writeTokens, readTokens []string, log *slog.Logger) server.Config {
	return server.Config{
		GraphQL: server.Options{
			WriteTokens:          writeTokens,
			ReadTokens:           readTokens,
			MaxBodyBytes:         f.maxBody,
			MaxDepth:             f.maxDepth,
			MaxComplexity:        f.maxComplexity,
			MaxTokens:            f.maxTokens,
			Timeout:              f.timeout,
			DisableIntrospection: f.noIntrospection,

			MaxSubscriptionsPerConnection: f.maxConnSubs,
		},
		CORSOrigins: splitTokens(f.corsOrigins),
		MaxExports:  f.maxExports,
		Logger:      log,
	}
}
