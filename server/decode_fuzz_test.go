package server

import (
	"encoding/json"
	"net/url"
	"reflect"
	"testing"
)

// FuzzDecodeBody feeds arbitrary bytes to the POST body decoder: it must
// never panic, and what it accepts must survive a JSON round trip.
func FuzzDecodeBody(f *testing.F) {
	for _, seed := range []string{
		`{"query": "{ __typename }"}`,
		`{"query": "query Q($id: ID!) { node(id: $id) { id } }", "operationName": "Q", "variables": {"id": "openai"}}`,
		`{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "abc"}}}`,
		`{"query": null, "variables": null}`,
		`{"query": 1}`, `[]`, `null`, `{"query": "{"} trailing`, "{\"query\": \"\x00\"}",
		`{"variables": {"n": 12345678901234567890}, "query": "{ a }"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		p, rerr := decodeBody(body)
		if rerr != nil {
			if rerr.status != 400 || rerr.msg == "" {
				t.Fatalf("refusal %d %q", rerr.status, rerr.msg)
			}
			return
		}
		if p.Query == "" && p.Extensions["persistedQuery"] == nil {
			t.Fatal("accepted a request without a query")
		}
		again, err := json.Marshal(map[string]any{"query": p.Query, "operationName": p.OperationName, "variables": p.Variables, "extensions": p.Extensions})
		if err != nil {
			t.Fatal(err)
		}
		p2, rerr := decodeBody(again)
		if rerr != nil {
			t.Fatalf("re-encoded body refused: %v", rerr)
		}
		if p2.Query != p.Query || p2.OperationName != p.OperationName || !reflect.DeepEqual(p2.Variables, p.Variables) {
			t.Fatalf("round trip changed the parameters: %+v -> %+v", p, p2)
		}
	})
}

// FuzzDecodeQueryString does the same for GET query strings.
func FuzzDecodeQueryString(f *testing.F) {
	for _, seed := range []string{
		`query=%7B+__typename+%7D`,
		`query=query+Q%28%24id%3A+ID%21%29+%7B+node%28id%3A+%24id%29+%7B+id+%7D+%7D&variables=%7B%22id%22%3A%22x%22%7D&operationName=Q`,
		`variables=%5B%5D&query=x`, `query=%zz`, `extensions=%7B%22persistedQuery%22%3A%7B%7D%7D`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		p, rerr := decodeQueryString(q)
		if rerr != nil {
			if rerr.status != 400 {
				t.Fatalf("refusal %d", rerr.status)
			}
			return
		}
		if p.Query != q.Get("query") || p.OperationName != q.Get("operationName") {
			t.Fatalf("decoded %+v from %q", p, raw)
		}
	})
}

// FuzzNegotiate checks that any Accept header gives one of the two media
// types or a refusal.
func FuzzNegotiate(f *testing.F) {
	for _, seed := range []string{"", "*/*", "application/json", "application/graphql-response+json;q=0.5, application/json", "text/html", "a/b;q=x", ";;,"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, accept string) {
		media, ok := negotiate(accept)
		if ok != (media == mediaJSON || media == mediaGraphQLResponse) {
			t.Fatalf("negotiate(%q) = %q, %v", accept, media, ok)
		}
	})
}
