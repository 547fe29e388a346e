// Command stancegraph serves and loads the stancegraph knowledge graph.
//
//	stancegraph serve [--addr :8080] [--data ./data | --memory] [--no-seed]
//	stancegraph seed  [--file F] [--dry-run] [--data ./data | --memory]
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
