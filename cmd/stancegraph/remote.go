package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/dataset"
	"github.com/stancegraph/stancegraph/graph"
)

// remote writes to a running server through its GraphQL API: lookups with
// nodes(ids), writes with importGraph, each request all or nothing.
type remote struct {
	url    string
	token  string
	client *http.Client
	// maxBody bounds one request body: larger batches are split.
	maxBody int
}

var _ dataset.Target = (*remote)(nil)

func newRemote(endpoint, token string) (*remote, error) {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--endpoint %q is not an http(s) URL", endpoint)
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/query"
	}
	return &remote{url: u.String(), token: token, client: http.DefaultClient, maxBody: 768 << 10}, nil
}

// lookupBatch is the most ids the API's nodes(ids) takes.
const lookupBatch = 500

func (c *remote) Entities(ctx context.Context, ids []string) ([]*stancegraph.Entity, error) {
	out := make([]*stancegraph.Entity, 0, len(ids))
	for start := 0; start < len(ids); start += lookupBatch {
		batch := ids[start:min(start+lookupBatch, len(ids))]
		var data struct {
			Nodes []*struct {
				Typename string `json:"__typename"`
				ID       string `json:"id"`
			} `json:"nodes"`
		}
		if err := c.do(ctx, `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, map[string]any{"ids": batch}, &data); err != nil {
			return nil, err
		}
		for _, n := range data.Nodes {
			var e *stancegraph.Entity
			if n != nil {
				if k, ok := stancegraph.KindOfLabel(n.Typename); ok {
					e = &stancegraph.Entity{ID: n.ID, Kind: k}
				}
			}
			out = append(out, e)
		}
	}
	if len(out) != len(ids) {
		return nil, stancegraph.Errorf(stancegraph.EINTERNAL, "the server answered %d nodes for %d ids", len(out), len(ids))
	}
	return out, nil
}

// graphInput is the GraphInput of the API.
type graphInput struct {
	Entities  []*stancegraph.Entity   `json:"entities"`
	Relations []*stancegraph.Relation `json:"relations"`
	Positions []positionInput         `json:"positions"`
}

type positionInput struct {
	Actor    string             `json:"actor"`
	Target   string             `json:"target"`
	Stance   stancegraph.Stance `json:"stance"`
	Strength int                `json:"strength"`
	Quote    string             `json:"quote"`
	Source   string             `json:"source"`
	StatedAt stancegraph.Date   `json:"statedAt"`
}

const importMutation = `mutation($g: GraphInput!) { importGraph(input: $g) {
  entities { created updated unchanged } relations { created updated unchanged } positions { created updated unchanged } } }`

func (c *remote) Import(ctx context.Context, g *stancegraph.Graph) (stancegraph.ImportResult, error) {
	in := graphInput{Entities: g.Entities, Relations: g.Relations, Positions: make([]positionInput, len(g.Positions))}
	for i, p := range g.Positions {
		in.Positions[i] = positionInput{p.ActorID, p.TargetID, p.Stance, max(p.Strength, 1), p.Quote, p.SourceID, p.StatedAt}
	}
	body, err := json.Marshal(in)
	if err != nil {
		return stancegraph.ImportResult{}, err
	}
	n := len(g.Entities) + len(g.Relations) + len(g.Positions)
	if (len(body) > c.maxBody || n > graph.MaxImportBatch) && n > 1 {
		// Too large for one request: two halves, in order.
		a, b := split(g)
		ra, err := c.Import(ctx, a)
		if err != nil {
			return ra, err
		}
		rb, err := c.Import(ctx, b)
		for _, p := range []struct{ s, r *stancegraph.Counts }{{&rb.Entities, &ra.Entities}, {&rb.Relations, &ra.Relations}, {&rb.Positions, &ra.Positions}} {
			p.s.Created += p.r.Created
			p.s.Updated += p.r.Updated
			p.s.Unchanged += p.r.Unchanged
		}
		return rb, err
	}
	var data struct {
		ImportGraph stancegraph.ImportResult `json:"importGraph"`
	}
	if err := c.do(ctx, importMutation, map[string]json.RawMessage{"g": body}, &data); err != nil {
		return stancegraph.ImportResult{}, err
	}
	return data.ImportGraph, nil
}

// split halves a graph, entities first.
func split(g *stancegraph.Graph) (*stancegraph.Graph, *stancegraph.Graph) {
	type entry struct {
		e *stancegraph.Entity
		r *stancegraph.Relation
		p *stancegraph.Position
	}
	var all []entry
	for _, e := range g.Entities {
		all = append(all, entry{e: e})
	}
	for _, r := range g.Relations {
		all = append(all, entry{r: r})
	}
	for _, p := range g.Positions {
		all = append(all, entry{p: p})
	}
	halves := [2]*stancegraph.Graph{{}, {}}
	for i, x := range all {
		h := halves[i*2/len(all)]
		switch {
		case x.e != nil:
			h.Entities = append(h.Entities, x.e)
		case x.r != nil:
			h.Relations = append(h.Relations, x.r)
		default:
			h.Positions = append(h.Positions, x.p)
		}
	}
	return halves[0], halves[1]
}

// do runs one GraphQL operation and decodes its data into out; a GraphQL
// error becomes a domain error with the code the server gave.
func (c *remote) do(ctx context.Context, query string, vars any, out any) error {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return stancegraph.Errorf(stancegraph.EUNAVAILABLE, "cannot reach %s: %v", c.url, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return stancegraph.Errorf(stancegraph.EUNAVAILABLE, "reading the answer of %s: %v", c.url, err)
	}
	var answer struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message    string `json:"message"`
			Extensions struct {
				Code  string `json:"code"`
				Field string `json:"field"`
			} `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(raw, &answer); err != nil {
		return stancegraph.Errorf(stancegraph.EUNAVAILABLE, "%s answered %s, not GraphQL: %.200s", c.url, resp.Status, strings.TrimSpace(string(raw)))
	}
	if len(answer.Errors) > 0 {
		e := answer.Errors[0]
		code := e.Extensions.Code
		if code == "" {
			code = stancegraph.EINTERNAL
		}
		return &stancegraph.Error{Code: code, Field: e.Extensions.Field, Message: e.Message}
	}
	return json.Unmarshal(answer.Data, out)
}
