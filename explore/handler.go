package explore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/stancegraph/stancegraph"
)

// PlaygroundPath is where the explore pages link back to.
const PlaygroundPath = "/"

// pageCSP allows no script, no frame and no load from another host: the
// page is HTML with inline SVG and inline styles.
const pageCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// PageHandler serves GET /explore/{id}: the entity's stance map (for
// actors, proposals and programs) and its neighbourhood drawing, at
// ?depth=1 (the default) or 2. Mount it on a pattern with an {id}
// wildcard. An unknown id is a 404 page, a malformed id or depth a 400.
func PageHandler(s stancegraph.Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		depth, err := depthParam(r, "depth")
		if err == nil {
			err = stancegraph.ValidateID("id", id)
		}
		if err != nil {
			writePageError(w, r, err)
			return
		}
		p, err := buildPage(r.Context(), s, id, depth)
		if err != nil {
			writePageError(w, r, err)
			return
		}
		var buf bytes.Buffer
		if err := pageTemplate.Execute(&buf, p); err != nil {
			writePageError(w, r, err)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Content-Security-Policy", pageCSP)
		h.Set("X-Content-Type-Options", "nosniff")
		_, _ = w.Write(buf.Bytes())
	})
}

// page is what the explore template shows.
type page struct {
	Entity    *stancegraph.Entity
	Kind      string
	Depth     int
	Depths    []int
	StanceMap template.HTML
	Positions []*stancegraph.Position
	// MorePositions counts the positions the list leaves out.
	MorePositions int
	Names         map[string]string
	Nearby        template.HTML
	Playground    string
}

func buildPage(ctx context.Context, s stancegraph.Store, id string, depth int) (*page, error) {
	e, err := entity(ctx, s, id)
	if err != nil {
		return nil, err
	}
	p := &page{Entity: e, Kind: e.Kind.Label(), Depth: depth, Depths: []int{1, 2}, Playground: PlaygroundPath, Names: map[string]string{}}
	if e.Kind.IsActor() || e.Kind.IsStanceable() {
		d, err := StanceMap(ctx, s, id)
		if err != nil {
			return nil, err
		}
		svg, err := SVG(ctx, d)
		if err != nil {
			return nil, err
		}
		// Graphviz escapes every text and attribute it writes, and the DOT
		// admits only explore paths and http(s) URLs as links.
		p.StanceMap = template.HTML(Inline(svg))
		f := stancegraph.PositionFilter{TargetIDs: []string{id}}
		if e.Kind.IsActor() {
			f = stancegraph.PositionFilter{ActorIDs: []string{id}}
		}
		ps, err := s.Positions(ctx, f)
		if err != nil {
			return nil, err
		}
		p.Positions, p.MorePositions = cut(ps, 2*MaxStanceEdges)
		var ids []string
		for _, q := range p.Positions {
			ids = append(ids, q.ActorID, q.TargetID, q.SourceID)
		}
		if len(ids) > 0 {
			es, err := s.Entities(ctx, ids)
			if err != nil {
				return nil, err
			}
			for _, x := range es {
				if x != nil {
					p.Names[x.ID] = displayName(x)
				}
			}
		}
	}
	d, err := Neighbourhood(ctx, s, id, depth)
	if err != nil {
		return nil, err
	}
	svg, err := SVG(ctx, d)
	if err != nil {
		return nil, err
	}
	p.Nearby = template.HTML(Inline(svg))
	return p, nil
}

// ExportHandler serves GET /export/svg and /export/dot (mount it on both):
// ?center=ID&depth=N (1 or 2, default 1) draws the neighbourhood, and
// &drawing=stance the stance map instead, as a file.
func ExportHandler(s stancegraph.Store, format string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		center := q.Get("center")
		depth, err := depthParam(r, "depth")
		if err == nil {
			err = stancegraph.ValidateID("center", center)
		}
		var d *Drawing
		if err == nil {
			d, err = Draw(r.Context(), s, q.Get("drawing"), center, depth)
		}
		var body []byte
		if err == nil {
			body = d.DOT
			if format == "svg" {
				body, err = SVG(r.Context(), d)
			}
		}
		if err != nil {
			writeJSONError(w, err)
			return
		}
		h := w.Header()
		if format == "svg" {
			h.Set("Content-Type", "image/svg+xml")
			h.Set("Content-Security-Policy", pageCSP)
		} else {
			h.Set("Content-Type", "text/vnd.graphviz; charset=utf-8")
		}
		h.Set("Content-Disposition", `attachment; filename="`+FileName(q.Get("drawing"), center, depth)+"."+format+`"`)
		h.Set("X-Content-Type-Options", "nosniff")
		_, _ = w.Write(body)
	})
}

// Drawings are the names of the drawings Draw makes.
var Drawings = []string{"neighbourhood", "stance"}

// Draw makes the drawing called name ("neighbourhood", the default, or
// "stance") of center.
func Draw(ctx context.Context, s stancegraph.Store, name, center string, depth int) (*Drawing, error) {
	switch name {
	case "", "neighbourhood", "neighborhood":
		return Neighbourhood(ctx, s, center, depth)
	case "stance":
		return StanceMap(ctx, s, center)
	}
	return nil, stancegraph.FieldErrorf("drawing", "drawing %q is not one of neighbourhood, stance", name)
}

// FileName is the base name of a drawing's file.
func FileName(drawing, center string, depth int) string {
	if drawing == "stance" {
		return center + "-stance-map"
	}
	return center + "-depth-" + strconv.Itoa(depth)
}

func depthParam(r *http.Request, name string) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 1, nil
	}
	d, err := strconv.Atoi(v)
	if err != nil || d < 1 || d > MaxDepth {
		return 0, stancegraph.FieldErrorf(name, "%s must be between 1 and %d", name, MaxDepth)
	}
	return d, nil
}

// status maps an error code to the HTTP status of a page or file.
func status(err error) int {
	switch stancegraph.ErrorCode(err) {
	case stancegraph.EINVALID:
		return http.StatusBadRequest
	case stancegraph.ENOTFOUND:
		return http.StatusNotFound
	case stancegraph.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	case stancegraph.ETIMEOUT:
		return http.StatusGatewayTimeout
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return http.StatusGatewayTimeout
	}
	if errors.Is(err, context.Canceled) {
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

func writePageError(w http.ResponseWriter, r *http.Request, err error) {
	code := status(err)
	if code == http.StatusInternalServerError {
		slog.ErrorContext(r.Context(), "explore page", "path", r.URL.Path, "error", err)
	}
	title := map[int]string{
		http.StatusBadRequest:          "Not a valid request",
		http.StatusNotFound:            "Nothing with this id",
		http.StatusServiceUnavailable:  "The store is unavailable",
		http.StatusGatewayTimeout:      "This took too long",
		http.StatusInternalServerError: "Something went wrong",
	}[code]
	var buf bytes.Buffer
	_ = errorTemplate.Execute(&buf, map[string]any{
		"Title": title, "Status": code, "Message": stancegraph.ErrorMessage(err),
		"NotFound": code == http.StatusNotFound, "Playground": PlaygroundPath,
	})
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	_, _ = w.Write(buf.Bytes())
}

func writeJSONError(w http.ResponseWriter, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status(err))
	body := map[string]string{"error": stancegraph.ErrorMessage(err), "code": stancegraph.ErrorCode(err)}
	if f := stancegraph.ErrorField(err); f != "" {
		body["field"] = f
	}
	_ = json.NewEncoder(w).Encode(body)
}
