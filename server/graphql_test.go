package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/seed"
	"github.com/stancegraph/stancegraph/server"
	"github.com/stancegraph/stancegraph/store/memstore"
)

const (
	readToken = "test-read-token"
	token     = "test-write-token"
)

// httpResult is a raw HTTP answer of the GraphQL endpoint.
type httpResult struct {
	Status      int
	ContentType string
	Header      http.Header
	Body        map[string]json.RawMessage
	Errors      []gqlError
}

func (r httpResult) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	return r.Errors[0].Extensions.Code
}

// do sends one request to h and decodes the answer.
func do(t testing.TB, h http.Handler, req *http.Request) httpResult {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := httpResult{Status: rec.Code, ContentType: rec.Header().Get("Content-Type"), Header: rec.Header()}
	if err := json.Unmarshal(rec.Body.Bytes(), &res.Body); err != nil {
		t.Fatalf("%s %s: body is not JSON (%d): %q", req.Method, req.URL, rec.Code, rec.Body.String())
	}
	if e, ok := res.Body["errors"]; ok {
		if err := json.Unmarshal(e, &res.Errors); err != nil {
			t.Fatal(err)
		}
	}
	return res
}

func postJSON(body string, headers ...string) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return req
}

func query(q string, headers ...string) *http.Request {
	b, _ := json.Marshal(map[string]string{"query": q})
	return postJSON(string(b), headers...)
}

func newHandler(t *testing.T, o server.Options) http.Handler {
	t.Helper()
	s := memstore.OpenMemory()
	t.Cleanup(func() { s.Close() })
	if o.WriteTokens == nil {
		o.WriteTokens = []string{token}
	}
	return server.NewGraphQL(s, o)
}

// seededHandler is the endpoint over an in-memory store with the bundled seed.
func seededHandler(tb testing.TB) http.Handler {
	tb.Helper()
	s := memstore.OpenMemory()
	tb.Cleanup(func() { s.Close() })
	g, err := seed.Bundled()
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := seed.Load(context.Background(), s, g, false); err != nil {
		tb.Fatal(err)
	}
	return server.NewGraphQL(s, server.Options{WriteTokens: []string{token}})
}

func TestHTTP_StatusAndMediaType(t *testing.T) {
	h := newHandler(t, server.Options{})
	const gqlResp = "application/graphql-response+json"
	for _, tc := range []struct {
		name      string
		req       *http.Request
		status    int
		media     string
		code      string
		wantsData bool
	}{
		{"OK/NoAccept", query(`{ __typename }`), 200, "application/json", "", true},
		{"OK/GraphQLResponse", query(`{ __typename }`, "Accept", gqlResp), 200, gqlResp, "", true},
		{"OK/Preferred", query(`{ __typename }`, "Accept", "application/json;q=0.9, "+gqlResp), 200, gqlResp, "", true},
		{"OK/QValues", query(`{ __typename }`, "Accept", gqlResp+";q=0.5, application/json"), 200, "application/json", "", true},
		{"NotAcceptable", query(`{ __typename }`, "Accept", "text/html"), 406, "application/json", server.CodeBadRequest, false},
		{"ParseError/JSON", query(`{`), 200, "application/json", "GRAPHQL_PARSE_FAILED", false},
		{"ParseError/GraphQLResponse", query(`{`, "Accept", gqlResp), 400, gqlResp, "GRAPHQL_PARSE_FAILED", false},
		{"ValidationError/GraphQLResponse", query(`{ nope }`, "Accept", gqlResp), 400, gqlResp, "GRAPHQL_VALIDATION_FAILED", false},
		{"Unauthenticated/GraphQLResponse", query(`mutation { deleteNode(id: "x") }`, "Accept", gqlResp), 401, gqlResp, "UNAUTHENTICATED", false},
		{"Forbidden/GraphQLResponse", query(`mutation { deleteNode(id: "x") }`, "Accept", gqlResp, "Authorization", "Bearer wrong"), 403, gqlResp, "FORBIDDEN", false},
		{"Unauthenticated/JSON", query(`mutation { deleteNode(id: "x") }`), 200, "application/json", "UNAUTHENTICATED", false},
		{"FieldError", query(`mutation { deleteNode(id: "x") }`, "Authorization", "bearer "+token), 200, "application/json", "NOT_FOUND", true},
		{"BadJSON", postJSON(`{"query": `), 400, "application/json", server.CodeBadRequest, false},
		{"NotAnObject", postJSON(`["{ __typename }"]`), 400, "application/json", server.CodeBadRequest, false},
		{"TrailingData", postJSON(`{"query": "{ __typename }"} {}`), 400, "application/json", server.CodeBadRequest, false},
		{"EmptyBody", postJSON(``), 400, "application/json", server.CodeBadRequest, false},
		{"MissingQuery", postJSON(`{"qeury": "{ __typename }"}`), 400, "application/json", server.CodeBadRequest, false},
		{"QueryNotString", postJSON(`{"query": 1}`), 400, "application/json", server.CodeBadRequest, false},
		{"VariablesNotObject", postJSON(`{"query": "{ __typename }", "variables": [1]}`), 400, "application/json", server.CodeBadRequest, false},
		{"OperationNameNotString", postJSON(`{"query": "{ __typename }", "operationName": {}}`), 400, "application/json", server.CodeBadRequest, false},
		{"NullParams", postJSON(`{"query": "{ __typename }", "operationName": null, "variables": null, "extensions": null}`), 200, "application/json", "", true},
		{"VariableCoercion/GraphQLResponse", postJSON(`{"query": "query($id: ID!) { node(id: $id) { id } }", "variables": {"id": []}}`, "Accept", gqlResp), 400, gqlResp, "GRAPHQL_VALIDATION_FAILED", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := do(t, h, tc.req)
			if res.Status != tc.status || !strings.HasPrefix(res.ContentType, tc.media) || res.code() != tc.code {
				t.Fatalf("got %d %s %q %+v, want %d %s %q", res.Status, res.ContentType, res.code(), res.Errors, tc.status, tc.media, tc.code)
			}
			if _, ok := res.Body["data"]; ok != tc.wantsData {
				t.Errorf("data entry present: %v, want %v", ok, tc.wantsData)
			}
		})
	}
}

func TestHTTP_UnsupportedMediaType(t *testing.T) {
	h := newHandler(t, server.Options{})
	for _, ct := range []string{"", "text/plain", "application/json; charset=latin1", "application/graphql"} {
		req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(`{"query":"{ __typename }"}`))
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		if res := do(t, h, req); res.Status != http.StatusUnsupportedMediaType || res.code() != server.CodeBadRequest {
			t.Errorf("Content-Type %q: %d %q, want 415 %s", ct, res.Status, res.code(), server.CodeBadRequest)
		}
	}
}

func TestHTTP_GET(t *testing.T) {
	h := newHandler(t, server.Options{})
	get := func(params url.Values) httpResult {
		return do(t, h, httptest.NewRequest(http.MethodGet, "/query?"+params.Encode(), nil))
	}
	if res := get(url.Values{"query": {`query Q($id: ID!) { node(id: $id) { id } }`}, "variables": {`{"id": "x"}`}, "operationName": {"Q"}}); res.Status != 200 || res.code() != "" {
		t.Errorf("GET query: %d %+v", res.Status, res.Errors)
	}
	res := get(url.Values{"query": {`mutation { deleteNode(id: "x") }`}})
	if res.Status != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "POST" {
		t.Errorf("GET mutation: %d Allow %q, want 405 Allow POST", res.Status, res.Header.Get("Allow"))
	}
	if res := get(url.Values{"query": {`{ __typename }`}, "variables": {`[]`}}); res.Status != 400 {
		t.Errorf("GET with variables not an object: %d, want 400", res.Status)
	}
	if res := get(url.Values{}); res.Status != 400 || res.code() != server.CodeBadRequest {
		t.Errorf("GET without a query: %d %q, want 400", res.Status, res.code())
	}
}

func TestHTTP_BodyLimit(t *testing.T) {
	h := newHandler(t, server.Options{MaxBodyBytes: 1000})
	big := `{"query": "{ __typename }", "extensions": {"pad": "` + strings.Repeat("x", 2000) + `"}}`
	if res := do(t, h, postJSON(big)); res.Status != http.StatusRequestEntityTooLarge || res.code() != server.CodeBodyTooLarge {
		t.Errorf("declared length over the limit: %d %q", res.Status, res.code())
	}
	// Without a declared length the limit applies while reading.
	req := postJSON("")
	req.Body = io.NopCloser(strings.NewReader(big))
	req.ContentLength = -1
	if res := do(t, h, req); res.Status != http.StatusRequestEntityTooLarge || res.code() != server.CodeBodyTooLarge {
		t.Errorf("chunked body over the limit: %d %q", res.Status, res.code())
	}
}

func TestAuth_ReadToken(t *testing.T) {
	h := newHandler(t, server.Options{ReadTokens: []string{readToken, "other-read-token"}})
	for _, tc := range []struct {
		name, query, auth string
		status            int
		code              string
	}{
		{"NoToken", `{ __typename }`, "", 401, "UNAUTHENTICATED"},
		{"WrongToken", `{ __typename }`, "Bearer nope", 403, "FORBIDDEN"},
		{"NotBearer", `{ __typename }`, "Basic " + readToken, 403, "FORBIDDEN"},
		{"ReadToken", `{ __typename }`, "Bearer " + readToken, 200, ""},
		{"SecondReadToken", `{ __typename }`, "Bearer other-read-token", 200, ""},
		{"WriteTokenReads", `{ __typename }`, "Bearer " + token, 200, ""},
		{"ReadTokenCannotWrite", `mutation { deleteNode(id: "x") }`, "Bearer " + readToken, 200, "FORBIDDEN"},
		{"WriteTokenWrites", `mutation { deleteNode(id: "x") }`, "Bearer " + token, 200, "NOT_FOUND"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := query(tc.query)
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			res := do(t, h, req)
			if res.Status != tc.status || res.code() != tc.code {
				t.Fatalf("got %d %q, want %d %q", res.Status, res.code(), tc.status, tc.code)
			}
			if tc.status == 401 && res.Header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
}

func TestAuth_SeveralWriteTokens(t *testing.T) {
	h := newHandler(t, server.Options{WriteTokens: []string{"first-token", "second-token"}})
	for _, tok := range []string{"first-token", "second-token"} {
		if res := do(t, h, query(`mutation { deleteNode(id: "x") }`, "Authorization", "Bearer "+tok)); res.code() != "NOT_FOUND" {
			t.Errorf("token %s: %q, want NOT_FOUND (the mutation ran)", tok, res.code())
		}
	}
	for _, tok := range []string{"first-toke", "first-token2", "second-token first-token", ""} {
		if res := do(t, h, query(`mutation { deleteNode(id: "x") }`, "Authorization", "Bearer "+tok)); res.code() != "FORBIDDEN" {
			t.Errorf("token %q: %q, want FORBIDDEN", tok, res.code())
		}
	}
}

func TestLimits(t *testing.T) {
	h := newHandler(t, server.Options{MaxDepth: 5, MaxComplexity: 1000, MaxTokens: 200})
	nested := func(levels int) string {
		// node { ... on Agency { parent { ... parent { id } } } }
		q := "id"
		for range levels - 1 {
			q = "parent { ... on Agency { " + q + " } }"
		}
		return `{ node(id: "a") { ... on Agency { ` + q + ` } } }`
	}
	for _, tc := range []struct {
		name, query, code string
	}{
		{"DepthAtLimit", nested(4), ""},
		{"DepthOverLimit", nested(5), server.CodeDepthLimit},
		{"DepthThroughFragments", `fragment F on Agency { parent { ...G } } fragment G on Actor { ... on Agency { parent { ...H } } } fragment H on Actor { ... on Agency { parent { id } } }
			{ node(id: "a") { ... on Agency { parent { ...F } } } }`, server.CodeDepthLimit},
		{"IntrospectionNotCounted", `{ __schema { types { fields { type { ofType { ofType { name } } } } } } }`, ""},
		{"ComplexityScalesWithFirst", `{ actors(first: 100) { edges { node { id name } } } }`, ""},
		{"ComplexityOverLimit", `{ actors(first: 500) { edges { node { id name } } } }`, server.CodeComplexityLimit},
		{"TokenLimit", `{ ` + strings.Repeat("__typename ", 250) + `}`, server.CodeTokenLimit},
		{"PageSize", `{ actors(first: 501) { totalCount } }`, "INVALID"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := do(t, h, query(tc.query))
			if res.code() != tc.code {
				t.Fatalf("got %q %+v, want %q", res.code(), res.Errors, tc.code)
			}
		})
	}
	// Costs follow `first` given in variables.
	const q = `query($n: Int) { actors(first: $n) { edges { node { positions(first: $n) { totalCount } } } } }`
	for n, code := range map[int]string{5: "", 40: server.CodeComplexityLimit} {
		body, _ := json.Marshal(map[string]any{"query": q, "variables": map[string]int{"n": n}})
		if res := do(t, h, postJSON(string(body))); res.code() != code {
			t.Errorf("first: $n = %d: %+v, want %q", n, res.Errors, code)
		}
	}
}

// blockingStore blocks every entity listing until its context ends, as a
// store that hangs would.
type blockingStore struct{ stancegraph.Store }

func (s *blockingStore) FindEntities(ctx context.Context, f stancegraph.EntityFilter) ([]*stancegraph.Entity, int, error) {
	<-ctx.Done()
	return nil, 0, stancegraph.ContextError(ctx.Err(), "the listing")
}

func TestLimits_Timeout(t *testing.T) {
	s := memstore.OpenMemory()
	defer s.Close()
	h := server.NewGraphQL(&blockingStore{Store: s}, server.Options{Timeout: 50 * time.Millisecond})
	start := time.Now()
	res := do(t, h, query(`{ actors { totalCount } }`))
	if res.code() != "TIMEOUT" {
		t.Fatalf("got %+v, want TIMEOUT", res.Errors)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("took %v; the timeout is 50ms", d)
	}
}

func TestHTTP_APQ(t *testing.T) {
	h := newHandler(t, server.Options{})
	const q = `{ __typename }`
	sum := sha256.Sum256([]byte(q))
	hash := hex.EncodeToString(sum[:])
	ext := `"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "` + hash + `"}}`
	if res := do(t, h, postJSON(`{`+ext+`}`)); res.code() != "PERSISTED_QUERY_NOT_FOUND" {
		t.Fatalf("unknown hash: %+v", res.Errors)
	}
	if res := do(t, h, postJSON(`{"query": "`+q+`", `+ext+`}`)); res.code() != "" {
		t.Fatalf("register: %+v", res.Errors)
	}
	res := do(t, h, postJSON(`{`+ext+`}`))
	if res.code() != "" || !bytes.Contains(res.Body["data"], []byte("Query")) {
		t.Fatalf("by hash: %+v %s", res.Errors, res.Body["data"])
	}
}

type gqlError struct {
	Message    string `json:"message"`
	Extensions struct {
		Code  string `json:"code"`
		Field string `json:"field"`
	} `json:"extensions"`
}
