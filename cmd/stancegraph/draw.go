package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/explore"
)

// drawingFlags choose the drawing of `export --format svg|dot`: the same
// as GET /export/svg and /export/dot and the explore pages.
type drawingFlags struct {
	center  *string
	depth   *int
	drawing *string
}

func (d *drawingFlags) register(fs *flag.FlagSet) {
	d.center = fs.String("center", "", "svg, dot: the entity to draw (an id such as trusted-partner-designation)")
	d.depth = fs.Int("depth", 1, fmt.Sprintf("svg, dot: how many steps of the neighbourhood to draw (1 to %d)", explore.MaxDepth))
	d.drawing = fs.String("drawing", "neighbourhood", "svg, dot: neighbourhood, or stance for the stance map")
}

// exportDrawing writes the drawing dr asks for, in format (svg or dot), to
// out or stdout.
func (m *Main) exportDrawing(ctx context.Context, sf *storeFlags, dr drawingFlags, format, out string) error {
	if *dr.center == "" {
		return errors.New("export: --format " + format + " draws one entity: give --center ID")
	}
	if err := stancegraph.ValidateID("center", *dr.center); err != nil {
		return errors.New(stancegraph.ErrorMessage(err))
	}
	s, _, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	d, err := explore.Draw(ctx, s, *dr.drawing, *dr.center, *dr.depth)
	if err != nil {
		return errors.New(stancegraph.ErrorMessage(err))
	}
	body := d.DOT
	if format == "svg" {
		if body, err = explore.SVG(ctx, d); err != nil {
			return errors.New(stancegraph.ErrorMessage(err))
		}
	}
	if out == "" {
		_, err := m.Stdout.Write(body)
		return err
	}
	if err := os.WriteFile(out, body, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(m.Stderr, "drew %s of %s to %s\n", *dr.drawing, *dr.center, out)
	return nil
}
