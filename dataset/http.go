package dataset

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/stancegraph/stancegraph"
)

// Handler serves GET /export/{format}?targets=a,b&topics=x&from=D&to=D:
// the graph Export selects, in one of Formats (CSV is the statement CSV),
// as a download. Mount it on a pattern with a {format} wildcard.
func Handler(s stancegraph.Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, err := ParseFormat(r.PathValue("format"))
		if err != nil {
			httpError(w, http.StatusNotFound, err)
			return
		}
		q := r.URL.Query()
		filter := Filter{
			Targets: listParam(q["targets"]),
			Topics:  listParam(q["topics"]),
			From:    stancegraph.Date(q.Get("from")),
			To:      stancegraph.Date(q.Get("to")),
		}
		g, err := Export(r.Context(), s, filter)
		if err != nil {
			status := http.StatusInternalServerError
			switch stancegraph.ErrorCode(err) {
			case stancegraph.EINVALID:
				status = http.StatusBadRequest
			case stancegraph.EUNAVAILABLE:
				status = http.StatusServiceUnavailable
			}
			httpError(w, status, err)
			return
		}
		w.Header().Set("Content-Type", f.ContentType())
		w.Header().Set("Content-Disposition", `attachment; filename="stancegraph`+f.Ext()+`"`)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		// Past the header, a failure can only cut the body short.
		_ = Write(w, f, g)
	})
}

// listParam reads a list given as repeated parameters, comma-separated, or
// both.
func listParam(vs []string) []string {
	var out []string
	for _, v := range vs {
		for _, x := range strings.Split(v, ",") {
			if x = strings.TrimSpace(x); x != "" {
				out = append(out, x)
			}
		}
	}
	return out
}

func httpError(w http.ResponseWriter, status int, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	body := map[string]string{"error": stancegraph.ErrorMessage(err), "code": stancegraph.ErrorCode(err)}
	if f := stancegraph.ErrorField(err); f != "" {
		body["field"] = f
	}
	_ = json.NewEncoder(w).Encode(body)
}
