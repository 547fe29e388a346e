package server

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// wireBytes writes what json.Marshal writes, whether it copies the data
// through it or not: over hand-picked data and random documents whose
// strings hold what JSON and HTML escape.
func TestWireBytes_AsJSONMarshal(t *testing.T) {
	data := []string{
		`{"a":1}`, `{"a":"x<y"}`, `{"a":"x\u003cy"}`, `{"a":"tom & jerry"}`, `{"a":"line\u2028sep"}`, "{\"a\":\"raw\u2028sep\"}",
		`{"a": 1}`, "{\"a\":\n1}", `{"a":"sp ace","b":[1,2,{"c":null}]}`, `{"q":"quote \" and \\ backslash"}`, `[]`, `{}`, `null`,
		`{"a":"é ü 中文 🙂"}`, `{"a":"\t"}`,
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", " ", "<", ">", "&", "\"", "\\", "\n", "\u2028", "\u2029", "é", "🙂", "\x01", "/"}
	for range 500 {
		var v any
		m := map[string]any{}
		for k := range rng.IntN(4) {
			s := ""
			for range rng.IntN(8) {
				s += alphabet[rng.IntN(len(alphabet))]
			}
			m[string(rune('a'+k))] = []any{s, rng.IntN(100), rng.IntN(2) == 0, nil}
		}
		v = m
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(rng.IntN(2) == 0)
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		data = append(data, string(bytes.TrimSpace(buf.Bytes())))
	}
	for _, d := range data {
		for _, resp := range []*graphql.Response{
			{Data: json.RawMessage(d)},
			{Data: json.RawMessage(d), Errors: gqlerror.List{{Message: "x"}}},
			{Data: json.RawMessage(d), Extensions: map[string]any{"k": 1}},
		} {
			want, werr := json.Marshal(wireResponse{Errors: resp.Errors, Data: resp.Data, Extensions: resp.Extensions})
			got, gerr := wireBytes(resp)
			if (werr == nil) != (gerr == nil) || !bytes.Equal(got, want) {
				t.Errorf("data %q:\ngot  %s (%v)\nwant %s (%v)", d, got, gerr, want, werr)
			}
			// writeResponse writes the same body, the plain data in place.
			if werr != nil {
				continue
			}
			rec := httptest.NewRecorder()
			writeResponse(rec, mediaJSON, http.StatusOK, resp)
			if !bytes.Equal(rec.Body.Bytes(), want) {
				t.Errorf("writeResponse, data %q:\ngot  %s\nwant %s", d, rec.Body.Bytes(), want)
			}
			if cl := rec.Header().Get("Content-Length"); cl != "" && cl != strconv.Itoa(len(want)) {
				t.Errorf("writeResponse, data %q: Content-Length %s, body %d bytes", d, cl, len(want))
			}
		}
	}
}
