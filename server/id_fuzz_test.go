package server_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzNodeID sends arbitrary ids and cursors through every lookup by id: the
// answer is always a GraphQL response, never an internal error, and a node
// found has exactly the id asked for.
func FuzzNodeID(f *testing.F) {
	for _, seed := range []string{
		"openai", "pos-0123", "", "OpenAI", "a--b", "x' OR 1=1 //", "n) DETACH DELETE n //", "\x00", "pos-",
		strings.Repeat("a", 300), "b2Zmc2V0OjE=", "b2Zmc2V0Oi0x", "ü", "../../etc/passwd",
	} {
		f.Add(seed)
	}
	h := seededHandler(f)
	f.Fuzz(func(t *testing.T, id string) {
		body, _ := json.Marshal(map[string]any{
			"query": `query($id: ID!, $after: String) {
				node(id: $id) { id } nodes(ids: [$id]) { id } actor(id: $id) { id } source(id: $id) { id }
				actors(first: 1, after: $after) { totalCount } backers(of: $id) { proposed } }`,
			"variables": map[string]any{"id": id, "after": id},
		})
		res := do(t, h, postJSON(string(body)))
		if res.Status != 200 {
			t.Fatalf("id %q: status %d %+v", id, res.Status, res.Errors)
		}
		for _, e := range res.Errors {
			switch e.Extensions.Code {
			case "INVALID", "NOT_FOUND", "GRAPHQL_VALIDATION_FAILED":
			default:
				t.Fatalf("id %q: error %+v", id, e)
			}
		}
		var data struct {
			Node  *struct{ ID string }
			Nodes []*struct{ ID string }
		}
		if d, ok := res.Body["data"]; ok {
			_ = json.Unmarshal(d, &data)
		}
		if data.Node != nil && data.Node.ID != id {
			t.Fatalf("asked for %q, got node %q", id, data.Node.ID)
		}
	})
}
