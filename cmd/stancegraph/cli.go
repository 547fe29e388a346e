package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
)

// command is a subcommand: its help, and what runs it.
type command struct {
	name, args, summary string
	// description is the paragraph -h prints above the flags.
	description string
}

// commands lists the subcommands in the order the usage shows them.
var commands = []command{
	{"serve", "[flags]", "run the GraphQL server (playground at /)",
		`Serves the graph over GraphQL at /query (POST, GET, Server-Sent Events and
WebSocket, with subscriptions), the playground at /, the data set at
/export/{format}, health at /healthz and /readyz, and Prometheus metrics at
/metrics. The store is the embedded one in --data unless --neo4j-uri (or
NEO4J_URI) names a Neo4j; an empty store gets the bundled seed. Mutations
need STANCEGRAPH_WRITE_TOKEN (one is generated and printed when it is not
set); STANCEGRAPH_READ_TOKEN makes reads private too. The address comes from
--addr, else STANCEGRAPH_ADDR, else :8080.`},
	{"import", "[flags] FILE|DIR...", "validate files (YAML, JSON, CSV, NDJSON) and load them",
		`Validates the files as one input, reporting every problem with its file and
line, then loads them. Formats: .yaml/.yml/.json (the seed format), .csv
(nodes, relations or positions table), a directory of nodes.csv,
relations.csv and positions.csv, and .ndjson (streamed). Nothing is written
if any problem is found. It is then written into the embedded store in one
transaction; into Neo4j, YAML, JSON and CSV in one transaction and NDJSON in
batches of --batch entries, each all or nothing, so that a file larger than
memory is never held whole; through --endpoint, in batches of --batch
entries, each one importGraph call. --batch 0 forces one transaction. Flags
may come before or after the files.`},
	{"seed", "[flags]", "load the bundled data set (import's alias)",
		`Loads the bundled data set, or --file, into the store as import does: it is
validated whole first and written all or nothing.`},
	{"export", "[flags]", "write the graph as GraphML, GEXF, CSV, JSON, YAML, NDJSON or Cypher",
		`Writes the graph, or the positions the filters select with their ends, in
one format to --out or stdout. It opens the store itself, so it cannot run
on an embedded store a server holds: ask that server's /export/{format}
endpoint instead (same formats and filters as query parameters).`},
	{"gen", "[flags]", "write a deterministic synthetic graph",
		`Writes a synthetic graph of the given size (actors, proposals, sources and
positions with the shape of the real data) in any import format: the same
flags always give the same graph, for benchmarks and load tests.`},
	{"version", "", "print the version and build information",
		`Prints the module version, the VCS revision and time the binary was built
from, and the Go version.`},
}

func lookupCommand(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

// usage is the top-level help.
func usage() string {
	var b strings.Builder
	b.WriteString("stancegraph: a knowledge graph of policy positions, served over GraphQL.\n\nUsage:\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "  stancegraph %-28s %s\n", strings.TrimSpace(c.name+" "+c.args), c.summary)
	}
	b.WriteString("\nRun \"stancegraph <command> -h\" for a command's description and flags.\n")
	return b.String()
}

// errHelp is returned by parse when -h or --help asked for help, which
// it has printed: the command then succeeds.
var errHelp = errors.New("help requested")

// newFlagSet returns the flag set of a subcommand; parse reports its errors.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parse parses args with flags anywhere on the line, before, between or
// after the positional arguments, which it returns; "--" ends the flags.
// -h and --help print the command's help to stdout (errHelp); a bad flag
// is an error that points at the help.
func (m *Main) parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			m.printHelp(fs)
			return nil, errHelp
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %v (see \"stancegraph %s -h\")", fs.Name(), err, fs.Name())
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

func (m *Main) printHelp(fs *flag.FlagSet) {
	c := lookupCommand(fs.Name())
	w := m.Stdout
	if c != nil {
		fmt.Fprintf(w, "Usage: stancegraph %s %s\n\n%s\n", c.name, c.args, c.description)
	}
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprint(w, "\nFlags (anywhere on the line):\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
}

// version runs `version`.
func (m *Main) version(args []string) error {
	fs := newFlagSet("version")
	rest, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("version: unexpected arguments %q", rest)
	}
	fmt.Fprintln(m.Stdout, versionString(debug.ReadBuildInfo()))
	return nil
}

// versionString describes a build: module version, VCS revision (and
// whether the tree was modified), commit time and Go version.
func versionString(bi *debug.BuildInfo, ok bool) string {
	if !ok {
		return "stancegraph (no build information)"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	s := "stancegraph " + v
	settings := map[string]string{}
	for _, kv := range bi.Settings {
		settings[kv.Key] = kv.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if settings["vcs.modified"] == "true" {
			rev += "+modified"
		}
		s += "\n  revision " + rev
		if t := settings["vcs.time"]; t != "" {
			s += " (" + t + ")"
		}
	}
	return s + "\n  " + bi.GoVersion
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
