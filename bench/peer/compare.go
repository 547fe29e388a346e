// Command peer compares stancegraph with the library users would pick
// instead, @neo4j/graphql 7 + @apollo/server 5 (server.mjs here), over the
// same Neo4j data. See README.md.
//
//	go run ./bench/peer load --neo4j bolt://127.0.0.1:7694 [--size 100k]
//	go run ./bench/peer run --stancegraph http://127.0.0.1:8094/query --peer http://127.0.0.1:4094/ \
//	    [--size 100k] [--warmup 3s] [--duration 10s] [--concurrency 1,8] [--ops twoLevel,...]
//
// load generates the harness's graph (gen, the sizes of `go run ./bench`)
// and imports it with neo4jstore into an empty Neo4j, where it stays. run
// generates the same graph again only to choose the inputs, checks that both
// servers give the same answers to every input, then measures each op on
// each server at each concurrency for a fixed time after a warm-up.
package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/bench/internal/loadgen"
	"github.com/stancegraph/stancegraph/gen"
	"github.com/stancegraph/stancegraph/store/neo4jstore"
)

// sizes are those of the bench harness (bench/workload.go).
var sizes = map[string]gen.Config{
	"10k":  {Actors: 500, Proposals: 200, Positions: 10_000, Seed: 7},
	"100k": {Actors: 5_000, Proposals: 2_000, Positions: 100_000, Seed: 7},
}

func main() {
	log.SetFlags(log.Ltime)
	log.SetPrefix("peer: ")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(os.Args) < 2 {
		log.Fatal("usage: peer load|run [flags]")
	}
	var err error
	switch os.Args[1] {
	case "load":
		err = load(ctx, os.Args[2:])
	case "run":
		err = run(ctx, os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q (load, run)", os.Args[1])
	}
	if err != nil {
		log.Fatal(err)
	}
}

func graphOf(name string) (*stancegraph.Graph, error) {
	cfg, ok := sizes[name]
	if !ok {
		return nil, fmt.Errorf("unknown size %q (10k, 100k)", name)
	}
	return gen.Generate(cfg), nil
}

// load imports the graph into an empty Neo4j, as the harness does:
// entities and relations, then the positions in transactions of batch.
func load(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	uri := fs.String("neo4j", "", "Bolt URI of the Neo4j to load (it must hold no entities)")
	size := fs.String("size", "100k", "graph: 10k or 100k positions")
	batch := fs.Int("batch", 100_000, "positions per import transaction")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *uri == "" {
		return errors.New("give --neo4j bolt://127.0.0.1:PORT")
	}
	g, err := graphOf(*size)
	if err != nil {
		return err
	}
	s, err := neo4jstore.Open(ctx, neo4jstore.Config{URI: *uri})
	if err != nil {
		return err
	}
	defer s.Close()
	some, err := s.Entities(ctx, []string{g.Entities[0].ID})
	if err != nil {
		return err
	}
	if slices.ContainsFunc(some, func(e *stancegraph.Entity) bool { return e != nil }) {
		return fmt.Errorf("%s already holds %s; load only into an empty database", *uri, g.Entities[0].ID)
	}
	start := time.Now()
	if _, err := s.Import(ctx, &stancegraph.Graph{Entities: g.Entities, Relations: g.Relations}); err != nil {
		return err
	}
	for i := 0; i < len(g.Positions); i += *batch {
		chunk := g.Positions[i:min(i+*batch, len(g.Positions))]
		if _, err := s.Import(ctx, &stancegraph.Graph{Positions: chunk}); err != nil {
			return err
		}
	}
	log.Printf("loaded %s: %d entities, %d relations, %d positions in %s", *size,
		len(g.Entities), len(g.Relations), len(g.Positions), time.Since(start).Round(time.Millisecond))
	return nil
}

// The inputs are chosen by the rule of the harness (bench/workload.go,
// pickInputs): among the candidates, those whose degree is nearest the
// wanted one, then by id.
const (
	targetDegree = 30 // SUPPORTS positions of a target
	actorDegree  = 20 // positions of an actor
	variants     = 32 // distinct inputs per op
)

var filterFrom = []string{"2020-01-01", "2024-01-01", "2025-06-01"}

type inputs struct{ targets, actors []string }

func pickInputs(g *stancegraph.Graph) inputs {
	supports, positions := map[string]int{}, map[string]int{}
	for _, p := range g.Positions {
		if p.Stance == stancegraph.Supports {
			supports[p.TargetID]++
		}
		positions[p.ActorID]++
	}
	nearest := func(deg map[string]int, want int) []string {
		ids := make([]string, 0, len(deg))
		for id := range deg {
			ids = append(ids, id)
		}
		dist := func(id string) int { d := deg[id] - want; return max(d, -d) }
		slices.SortFunc(ids, func(a, b string) int { return cmp.Or(cmp.Compare(dist(a), dist(b)), cmp.Compare(a, b)) })
		return ids[:min(variants, len(ids))]
	}
	return inputs{targets: nearest(supports, targetDegree), actors: nearest(positions, actorDegree)}
}

// side is one server's form of an op: its query, the variables of input
// i, and the answer reduced to comparable lines.
type side struct {
	Query  string
	Vars   func(i int) map[string]any
	Reduce func(data json.RawMessage) ([]string, error)
}

type op struct {
	Name     string
	SG, Peer side
}

const sgFiltered = `query Filtered($from: Date!) { positions(first: 20, orderBy: [{statedAt: DESC}],
	where: {stance: {eq: OPPOSES}, actor: {kind: {in: [COMPANY]}}, statedAt: {gte: $from}}) {
	pageInfo { hasNextPage endCursor } edges { cursor node { id strength statedAt actor { id } target { id } } } } }`

// The peer's connections sort by the date's sort key, then the id: the
// order of stancegraph's position listings.
const peerAsc = `sort: [{edge: {sk: ASC}}, {edge: {id: ASC}}]`

func ops(in inputs) []*op {
	target := func(i int) map[string]any { return map[string]any{"id": in.targets[i%len(in.targets)]} }
	actor := func(i int) map[string]any { return map[string]any{"id": in.actors[i%len(in.actors)]} }
	from := func(i int) map[string]any { return map[string]any{"from": filterFrom[i%len(filterFrom)]} }
	return []*op{
		{
			Name: "twoLevel",
			SG: side{
				Query: `query TwoLevel($id: ID!) { proposal(id: $id) { id positions(stance: SUPPORTS, first: 50) {
					edges { node { id actor { id name positions(first: 10) { edges { node { id stance statedAt target { id } } } } } } } } } }`,
				Vars:   target,
				Reduce: reduceSGTwoLevel,
			},
			Peer: side{
				Query: `query TwoLevel($id: ID!) { entities(where: {id: {eq: $id}}) { id
					supportersConnection(first: 50, ` + peerAsc + `) { edges { properties { id } node { id name
						supportsConnection(first: 10, ` + peerAsc + `) { edges { properties { id statedAt sk } node { id } } }
						opposesConnection(first: 10, ` + peerAsc + `) { edges { properties { id statedAt sk } node { id } } } } } } } }`,
				Vars:   target,
				Reduce: reducePeerTwoLevel,
			},
		},
		{
			Name: "actorPositions",
			SG: side{
				Query: `query ActorPositions($id: ID!) { actor(id: $id) { id name
					positions(first: 20) { totalCount pageInfo { hasNextPage endCursor }
					edges { cursor node { id stance quote statedAt target { id } source { id } } } } } }`,
				Vars:   actor,
				Reduce: reduceSGActor,
			},
			Peer: side{
				Query: `query ActorPositions($id: ID!) { entities(where: {id: {eq: $id}}) { id name
					supportsConnection(first: 20, ` + peerAsc + `) { totalCount pageInfo { hasNextPage endCursor }
						edges { cursor properties { id quote statedAt sourceId sk } node { id } } }
					opposesConnection(first: 20, ` + peerAsc + `) { totalCount pageInfo { hasNextPage endCursor }
						edges { cursor properties { id quote statedAt sourceId sk } node { id } } } } }`,
				Vars:   actor,
				Reduce: reducePeerActor,
			},
		},
		{
			Name: "backers",
			SG: side{
				Query: `query Backers($id: ID!) { backers(of: $id) { actor { id name }
					positions { id quote statedAt source { id } } } }`,
				Vars:   target,
				Reduce: reduceSGBackers,
			},
			Peer: side{
				Query: `query Backers($id: ID!) { entities(where: {id: {eq: $id}}) {
					supportersConnection { edges { properties { id quote statedAt sourceId } node { id name } } } } }`,
				Vars:   target,
				Reduce: reducePeerBackers,
			},
		},
		{
			Name: "filtered",
			SG: side{
				Query:  sgFiltered,
				Vars:   from,
				Reduce: reduceSGFiltered,
			},
			Peer: side{
				Query: `query Filtered($from: String!) { companyOppositions(from: $from, first: 20) {
					id strength statedAt actor target } }`,
				Vars:   from,
				Reduce: reducePeerFiltered,
			},
		},
		{
			// filtered again, the peer's statement hinted to the index
			// stancegraph's plan reads.
			Name: "filteredIndexed",
			SG: side{
				Query:  sgFiltered,
				Vars:   from,
				Reduce: reduceSGFiltered,
			},
			Peer: side{
				Query: `query Filtered($from: String!) { companyOppositions: companyOppositionsIndexed(from: $from, first: 20) {
					id strength statedAt actor target } }`,
				Vars:   from,
				Reduce: reducePeerFiltered,
			},
		},
	}
}

// decode unmarshals data into v.
func decode[T any](data json.RawMessage) (T, error) {
	var v T
	err := json.Unmarshal(data, &v)
	return v, err
}

type ref struct {
	ID string `json:"id"`
}

type sgPos struct {
	ID       string `json:"id"`
	Stance   string `json:"stance"`
	Quote    string `json:"quote"`
	StatedAt string `json:"statedAt"`
	Strength int    `json:"strength"`
	Target   ref    `json:"target"`
	Source   ref    `json:"source"`
	Actor    ref    `json:"actor"`
}

type sgActor struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Positions struct {
		TotalCount int `json:"totalCount"`
		Edges      []struct {
			Node sgPos `json:"node"`
		} `json:"edges"`
	} `json:"positions"`
}

type peerProps struct {
	ID       string `json:"id"`
	Quote    string `json:"quote"`
	StatedAt string `json:"statedAt"`
	SourceID string `json:"sourceId"`
	SK       string `json:"sk"`
}

type peerConn struct {
	TotalCount int `json:"totalCount"`
	Edges      []struct {
		Properties peerProps `json:"properties"`
		Node       ref       `json:"node"`
	} `json:"edges"`
}

type peerEntity struct {
	ID                   string `json:"id"`
	Name                 string `json:"name"`
	SupportsConnection   peerConn
	OpposesConnection    peerConn
	SupportersConnection struct {
		Edges []struct {
			Properties peerProps  `json:"properties"`
			Node       peerEntity `json:"node"`
		} `json:"edges"`
	}
}

// peerPositions merges an actor's SUPPORTS and OPPOSES pages into the
// first n of both, in stancegraph's order: one relationship field of the
// peer has one relationship type.
func peerPositions(e *peerEntity, n int) []string {
	type row struct{ sk, line string }
	var rows []row
	for _, c := range []struct {
		stance string
		conn   *peerConn
	}{{"SUPPORTS", &e.SupportsConnection}, {"OPPOSES", &e.OpposesConnection}} {
		for _, ed := range c.conn.Edges {
			p := ed.Properties
			rows = append(rows, row{p.SK + "\x00" + p.ID, strings.Join([]string{p.ID, c.stance, p.Quote, p.StatedAt, ed.Node.ID, p.SourceID}, "|")})
		}
	}
	slices.SortFunc(rows, func(a, b row) int { return cmp.Compare(a.sk, b.sk) })
	var out []string
	for _, r := range rows[:min(n, len(rows))] {
		out = append(out, r.line)
	}
	return out
}

func sgPositions(a *sgActor, withSource bool) []string {
	var out []string
	for _, e := range a.Positions.Edges {
		p := e.Node
		src := ""
		if withSource {
			src = p.Source.ID
		}
		out = append(out, strings.Join([]string{p.ID, p.Stance, p.Quote, p.StatedAt, p.Target.ID, src}, "|"))
	}
	return out
}

func reduceSGTwoLevel(data json.RawMessage) ([]string, error) {
	v, err := decode[struct {
		Proposal struct {
			Positions struct {
				Edges []struct {
					Node struct {
						ID    string  `json:"id"`
						Actor sgActor `json:"actor"`
					} `json:"node"`
				} `json:"edges"`
			} `json:"positions"`
		} `json:"proposal"`
	}](data)
	var out []string
	for _, e := range v.Proposal.Positions.Edges {
		out = append(out, e.Node.ID+" by "+e.Node.Actor.ID+": "+strings.Join(sgPositions(&e.Node.Actor, false), "; "))
	}
	return out, err
}

func reducePeerTwoLevel(data json.RawMessage) ([]string, error) {
	v, err := decode[struct{ Entities []peerEntity }](data)
	var out []string
	for _, t := range v.Entities {
		for _, e := range t.SupportersConnection.Edges {
			out = append(out, e.Properties.ID+" by "+e.Node.ID+": "+strings.Join(peerPositions(&e.Node, 10), "; "))
		}
	}
	return out, err
}

func reduceSGActor(data json.RawMessage) ([]string, error) {
	v, err := decode[struct{ Actor sgActor }](data)
	return append([]string{fmt.Sprintf("%s total %d", v.Actor.ID, v.Actor.Positions.TotalCount)}, sgPositions(&v.Actor, true)...), err
}

func reducePeerActor(data json.RawMessage) ([]string, error) {
	v, err := decode[struct{ Entities []peerEntity }](data)
	if err != nil || len(v.Entities) != 1 {
		return nil, cmp.Or(err, fmt.Errorf("%d entities", len(v.Entities)))
	}
	e := &v.Entities[0]
	total := e.SupportsConnection.TotalCount + e.OpposesConnection.TotalCount
	return append([]string{fmt.Sprintf("%s total %d", e.ID, total)}, peerPositions(e, 20)...), nil
}

// The backers' answers are compared as sets of (actor, position): the two
// order their groups differently.
func reduceSGBackers(data json.RawMessage) ([]string, error) {
	v, err := decode[struct {
		Backers []struct {
			Actor     ref     `json:"actor"`
			Positions []sgPos `json:"positions"`
		} `json:"backers"`
	}](data)
	var out []string
	for _, b := range v.Backers {
		for _, p := range b.Positions {
			out = append(out, strings.Join([]string{b.Actor.ID, p.ID, p.Quote, p.StatedAt, p.Source.ID}, "|"))
		}
	}
	slices.Sort(out)
	return out, err
}

func reducePeerBackers(data json.RawMessage) ([]string, error) {
	v, err := decode[struct{ Entities []peerEntity }](data)
	var out []string
	for _, t := range v.Entities {
		for _, e := range t.SupportersConnection.Edges {
			p := e.Properties
			out = append(out, strings.Join([]string{e.Node.ID, p.ID, p.Quote, p.StatedAt, p.SourceID}, "|"))
		}
	}
	slices.Sort(out)
	return out, err
}

func filteredLine(id string, strength int, statedAt, actor, target string) string {
	return fmt.Sprintf("%s|%d|%s|%s|%s", id, strength, statedAt, actor, target)
}

func reduceSGFiltered(data json.RawMessage) ([]string, error) {
	v, err := decode[struct {
		Positions struct {
			Edges []struct {
				Node sgPos `json:"node"`
			} `json:"edges"`
		} `json:"positions"`
	}](data)
	var out []string
	for _, e := range v.Positions.Edges {
		p := e.Node
		out = append(out, filteredLine(p.ID, p.Strength, p.StatedAt, p.Actor.ID, p.Target.ID))
	}
	return out, err
}

func reducePeerFiltered(data json.RawMessage) ([]string, error) {
	v, err := decode[struct {
		CompanyOppositions []struct {
			ID, StatedAt, Actor, Target string
			Strength                    int
		}
	}](data)
	var out []string
	for _, p := range v.CompanyOppositions {
		out = append(out, filteredLine(p.ID, p.Strength, p.StatedAt, p.Actor, p.Target))
	}
	return out, err
}

// client posts GraphQL requests to one server.
type client struct {
	url  string
	http *http.Client
}

// post sends body and returns the answer's data; GraphQL errors are errors.
func (c *client) post(ctx context.Context, body []byte) (json.RawMessage, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, err
	}
	var out struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("HTTP %d: %.200s", resp.StatusCode, b)
	}
	if len(out.Errors) > 0 {
		return nil, fmt.Errorf("HTTP %d: %s", resp.StatusCode, out.Errors[0].Message)
	}
	return out.Data, nil
}

func body(query string, vars map[string]any) []byte {
	b, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		panic(err) // plain values
	}
	return b
}

// result is one cell: an op on a server at a concurrency.
type result struct {
	reqs, errs int
	firstErr   string
	rps        float64
	p50, p95   time.Duration
}

// measure runs c workers back to back on the op's bodies: warmup, not
// counted, then duration.
func measure(ctx context.Context, cl *client, bodies [][]byte, c int, warmup, duration time.Duration) result {
	res := loadgen.Run(ctx, c, warmup, duration, func(ctx context.Context, _, k int) (int, error) {
		data, err := cl.post(ctx, bodies[k%len(bodies)])
		return len(data), err
	}, nil)
	all := res.Latencies()
	r := result{reqs: len(all), errs: res.Errors, firstErr: res.FirstError, rps: float64(len(all)) / res.Elapsed.Seconds()}
	if len(all) > 0 {
		p := loadgen.Percentiles(all, 0.50, 0.95)
		r.p50, r.p95 = p[0], p[1]
	}
	return r
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	sgURL := fs.String("stancegraph", "http://127.0.0.1:8094/query", "stancegraph's GraphQL endpoint")
	peerURL := fs.String("peer", "http://127.0.0.1:4094/", "the peer's GraphQL endpoint")
	size := fs.String("size", "100k", "the graph loaded (10k or 100k): the inputs are chosen from it")
	warmup := fs.Duration("warmup", 3*time.Second, "unmeasured warm-up of each cell")
	duration := fs.Duration("duration", 10*time.Second, "measured time of each cell")
	concList := fs.String("concurrency", "1,8", "concurrency levels")
	only := fs.String("ops", "", "only these ops (default: all)")
	check := fs.Int("check", variants, "inputs per op whose answers are compared")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var conc []int
	for _, s := range strings.Split(*concList, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("bad concurrency %q", s)
		}
		conc = append(conc, n)
	}
	g, err := graphOf(*size)
	if err != nil {
		return err
	}
	in := pickInputs(g)
	g = nil
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: time.Minute}
	servers := []struct {
		name string
		cl   *client
		side func(*op) side
	}{
		{"stancegraph", &client{*sgURL, hc}, func(o *op) side { return o.SG }},
		{"peer", &client{*peerURL, hc}, func(o *op) side { return o.Peer }},
	}
	var chosen []*op
	for _, o := range ops(in) {
		if *only == "" || slices.Contains(strings.Split(*only, ","), o.Name) {
			chosen = append(chosen, o)
		}
	}

	// Equal answers first: every input of every op on both servers.
	mismatches := 0
	for _, o := range chosen {
		same, nonEmpty := 0, 0
		for i := range min(*check, variants) {
			var got [2][]string
			for j, s := range servers {
				sd := s.side(o)
				data, err := s.cl.post(ctx, body(sd.Query, sd.Vars(i)))
				if err != nil {
					return fmt.Errorf("%s %s #%d: %w", s.name, o.Name, i, err)
				}
				if got[j], err = sd.Reduce(data); err != nil {
					return fmt.Errorf("%s %s #%d: read the answer: %w", s.name, o.Name, i, err)
				}
			}
			if len(got[0]) > 1 {
				nonEmpty++
			}
			if slices.Equal(got[0], got[1]) {
				same++
				continue
			}
			mismatches++
			log.Printf("MISMATCH %s #%d %v:\n  stancegraph %q\n  peer        %q", o.Name, i, o.SG.Vars(i),
				got[0][:min(3, len(got[0]))], got[1][:min(3, len(got[1]))])
		}
		fmt.Printf("check %-15s %d/%d inputs give equal answers (%d with more than one line)\n", o.Name, same, min(*check, variants), nonEmpty)
		if i := 0; len(o.SG.Vars(i)) > 0 {
			sd := o.SG
			data, _ := servers[0].cl.post(ctx, body(sd.Query, sd.Vars(i)))
			lines, _ := sd.Reduce(data)
			fmt.Printf("      e.g. %v: %d lines, first %q\n", sd.Vars(i), len(lines), first(lines))
		}
	}
	if mismatches > 0 {
		log.Printf("%d answers differ; the figures below compare different work", mismatches)
	}

	fmt.Printf("\nload average before: %s; warm-up %s, %s per cell\n", loadgen.LoadAvg(), *warmup, *duration)
	type key struct {
		op, server string
		c          int
	}
	res := map[key]result{}
	for _, o := range chosen {
		for _, s := range servers {
			sd := s.side(o)
			bodies := make([][]byte, variants)
			for i := range bodies {
				bodies[i] = body(sd.Query, sd.Vars(i))
			}
			for _, c := range conc {
				r := measure(ctx, s.cl, bodies, c, *warmup, *duration)
				res[key{o.Name, s.name, c}] = r
				msg := fmt.Sprintf("%-15s %-11s c=%d %8.1f req/s  p50 %-10s p95 %-10s", o.Name, s.name, c, r.rps,
					r.p50.Round(10*time.Microsecond), r.p95.Round(10*time.Microsecond))
				if r.errs > 0 {
					msg += fmt.Sprintf("  %d errors, first: %.200s", r.errs, r.firstErr)
				}
				fmt.Println(msg)
				if err := ctx.Err(); err != nil {
					return err
				}
			}
		}
	}
	fmt.Printf("load average after: %s\n\n", loadgen.LoadAvg())
	lo, hi := conc[0], conc[len(conc)-1]
	fmt.Printf("| op | stancegraph req/s c=%d | peer req/s c=%d | ratio | stancegraph p50 c=%d | peer p50 c=%d | ratio (peer/sg) |\n", hi, hi, lo, lo)
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|")
	for _, o := range chosen {
		sh, ph := res[key{o.Name, "stancegraph", hi}], res[key{o.Name, "peer", hi}]
		sl, pl := res[key{o.Name, "stancegraph", lo}], res[key{o.Name, "peer", lo}]
		fmt.Printf("| %s | %.0f | %.0f | %.2fx | %s | %s | %.2fx |\n", o.Name, sh.rps, ph.rps, sh.rps/ph.rps,
			ms(sl.p50), ms(pl.p50), float64(pl.p50)/float64(sl.p50))
	}
	return nil
}

func first(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return xs[0]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }
