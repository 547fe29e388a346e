// Command stancegraph serves and loads the stancegraph knowledge graph.
//
//	stancegraph serve [--addr :8080] [--data ./data | --memory] [--no-seed]
//	stancegraph import [--dry-run] [--batch N] [--endpoint URL --token T] FILE|DIR...
//	stancegraph seed  [--file F] [--dry-run] [--data ./data | --memory]
//	stancegraph export --format graphml|gexf|csv|json|yaml|ndjson|cypher [--targets --topics --from --to] [--out F]
//	stancegraph gen [--actors --proposals --positions --seed --hot] [--format F] [--out DIR|FILE]
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	m := NewMain()
	err := m.Run(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "stancegraph:", err)
		os.Exit(1)
	}
}
