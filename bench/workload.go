package main

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/gen"
)

// size is one graph of the run.
type size struct {
	Name string
	Cfg  gen.Config
}

// sizes are the graphs `make bench` knows, by name. Actors and proposals
// grow with the positions, so the graph keeps its shape and only grows.
var sizes = map[string]size{
	"10k":  {"10k", gen.Config{Actors: 500, Proposals: 200, Positions: 10_000, Seed: 7}},
	"100k": {"100k", gen.Config{Actors: 5_000, Proposals: 2_000, Positions: 100_000, Seed: 7}},
	"1M":   {"1M", gen.Config{Actors: 50_000, Proposals: 20_000, Positions: 1_000_000, Seed: 7}},
}

// Degrees the inputs are chosen near, the same at every size, so that a
// query whose cost follows its answer costs the same on every graph.
const (
	targetDegree = 30 // SUPPORTS positions on a backers target
	actorDegree  = 20 // positions of an actor
	variants     = 32 // distinct inputs per operation
	pageSize     = 20
)

// listCountry is the country filter of the list pages: a third of the
// companies, so that every page asked for is full at every size.
const listCountry = "US"

// op is one operation of the workload: a GraphQL request through the
// server, and the same answer by hand-written Cypher through the driver
// (the Neo4j floor).
type op struct {
	Name string
	// OneHop marks the 1-hop reads the embedded store must serve 10x
	// faster than Neo4j.
	OneHop bool
	Write  bool
	// Weight is the op's share of the mix; 0 keeps it out.
	Weight int
	Query  string
	// Vars returns the variables of variant i; with rev, a write makes a
	// change that differs from every earlier one.
	Vars func(i int, rev int64) map[string]any
	// Cypher answers the same question in one statement; Params returns
	// its parameters.
	Cypher string
	Params func(i int, rev int64) map[string]any
	// Note says what the floor leaves out, if anything.
	Note string
}

// inputs are the ids the operations ask about, drawn from the generated
// graph before it is loaded.
type inputs struct {
	targets   []string    // about targetDegree SUPPORTS positions each
	actors    []string    // about actorDegree positions each
	pairs     [][2]string // actors of degree near actorDegree sharing a target
	coalition [][]string  // sets of four targets
	writes    []*stancegraph.Position
}

// pickInputs chooses the inputs deterministically: among the candidates of
// the right degree, those nearest it, then by id.
func pickInputs(g *stancegraph.Graph) *inputs {
	supports := map[string]int{}
	actorPos := map[string][]*stancegraph.Position{}
	for _, p := range g.Positions {
		if p.Stance == stancegraph.Supports {
			supports[p.TargetID]++
		}
		actorPos[p.ActorID] = append(actorPos[p.ActorID], p)
	}
	nearest := func(deg map[string]int, want, n int) []string {
		ids := make([]string, 0, len(deg))
		for id := range deg {
			ids = append(ids, id)
		}
		dist := func(id string) int { return abs(deg[id] - want) }
		slices.SortFunc(ids, func(a, b string) int { return cmp.Or(cmp.Compare(dist(a), dist(b)), cmp.Compare(a, b)) })
		return ids[:min(n, len(ids))]
	}
	in := &inputs{targets: nearest(supports, targetDegree, variants)}
	actorDeg := make(map[string]int, len(actorPos))
	for id, ps := range actorPos {
		actorDeg[id] = len(ps)
	}
	in.actors = nearest(actorDeg, actorDegree, variants)

	// Pairs: two actors of about actorDegree positions with a target in
	// common, so that alignment has agreements to show and the shortest
	// path has two steps.
	cands := nearest(actorDeg, actorDegree, 400)
	holders := map[string][]string{}
	for _, a := range cands {
		seen := map[string]bool{}
		for _, p := range actorPos[a] {
			if !seen[p.TargetID] {
				seen[p.TargetID] = true
				holders[p.TargetID] = append(holders[p.TargetID], a)
			}
		}
	}
	used := map[string]bool{}
	for _, a := range cands {
		if len(in.pairs) == variants {
			break
		}
		if used[a] {
			continue
		}
	partner:
		for _, p := range actorPos[a] {
			for _, b := range holders[p.TargetID] {
				if b != a && !used[b] {
					in.pairs = append(in.pairs, [2]string{a, b})
					used[a], used[b] = true, true
					break partner
				}
			}
		}
	}
	for i := range variants {
		set := make([]string, 4)
		for j := range set {
			set[j] = in.targets[(i+j)%len(in.targets)]
		}
		in.coalition = append(in.coalition, set)
	}
	for _, a := range in.actors {
		in.writes = append(in.writes, actorPos[a][0])
	}
	return in
}

func abs(x int) int { return max(x, -x) }

// cursor is the cursor the API gives the item at offset.
func cursor(offset int) string {
	return base64.StdEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(offset)))
}

// listOffsets are the pages the list op asks for: the first, the second and
// the fourth, by the cursor of the item before each.
var listOffsets = []int{-1, pageSize - 1, 3*pageSize - 1}

// ops returns the workload over in. The first is the HTTP + GraphQL floor.
func (in *inputs) ops() []*op {
	pick := func(xs []string, i int) string { return xs[i%len(xs)] }
	pair := func(i int) [2]string { return in.pairs[i%len(in.pairs)] }
	write := func(i int) *stancegraph.Position { return in.writes[i%len(in.writes)] }
	quote := func(p *stancegraph.Position, rev int64) string {
		return fmt.Sprintf("%s (bench revision %d)", p.Quote, rev)
	}
	return []*op{
		{
			Name:   "typename",
			Query:  `{ __typename }`,
			Vars:   func(int, int64) map[string]any { return nil },
			Cypher: `RETURN 1`,
			Params: func(int, int64) map[string]any { return nil },
			Note:   "HTTP + GraphQL floor; its Cypher is one driver round trip",
		},
		{
			Name:   "backers",
			OneHop: true,
			Weight: 20,
			Query: `query Backers($of: ID!) { backers(of: $of) { actor { id name } proposed
				positions { id quote statedAt source { id title } } } }`,
			Vars: func(i int, _ int64) map[string]any { return map[string]any{"of": pick(in.targets, i)} },
			Cypher: `MATCH (t:Entity {id: $of})<-[r:SUPPORTS]-(a:Entity)
				MATCH (s:Entity {id: r.sourceId})
				WITH t, a, r, s ORDER BY r.statedAt, r.id
				WITH t, a, collect([r.id, r.quote, r.statedAt, s.id, s.name]) AS ps
				RETURN a.id, a.name, EXISTS { (a)-[:PROPOSED]->(t) }, ps
				ORDER BY size(ps) DESC, a.id`,
			Params: func(i int, _ int64) map[string]any { return map[string]any{"of": pick(in.targets, i)} },
		},
		{
			Name:   "actorPositions",
			OneHop: true,
			Weight: 20,
			Query: `query ActorPositions($id: ID!) { actor(id: $id) { id name
				positions(first: 20) { totalCount pageInfo { hasNextPage endCursor }
				edges { cursor node { id stance quote statedAt target { id } source { id } } } } } }`,
			Vars: func(i int, _ int64) map[string]any { return map[string]any{"id": pick(in.actors, i)} },
			Cypher: `MATCH (a:Entity {id: $id})
				CALL (a) { MATCH (a)-[r:SUPPORTS|OPPOSES]->(t:Entity) RETURN r, t ORDER BY r.statedAt, r.id }
				WITH a, collect([r.id, type(r), r.quote, r.statedAt, t.id, r.sourceId]) AS ps
				RETURN a.id, a.name, size(ps), ps[0..20]`,
			Params: func(i int, _ int64) map[string]any { return map[string]any{"id": pick(in.actors, i)} },
		},
		{
			Name:   "list",
			Weight: 15,
			Query: `query Companies($after: String) { actors(where: {kinds: [COMPANY], country: "` + listCountry + `"},
				orderBy: NAME_ASC, first: 20, after: $after) { totalCount pageInfo { hasNextPage endCursor }
				edges { cursor node { id name country } } } }`,
			Vars: func(i int, _ int64) map[string]any {
				if o := listOffsets[i%len(listOffsets)]; o >= 0 {
					return map[string]any{"after": cursor(o)}
				}
				return map[string]any{}
			},
			Cypher: `CALL () { MATCH (n:Company {country: $country}) RETURN count(n) AS total }
				MATCH (n:Company {country: $country})
				WITH total, n ORDER BY n.nameKey, n.id SKIP $skip LIMIT $limit
				RETURN total, n.id, n.name, n.country`,
			Params: func(i int, _ int64) map[string]any {
				return map[string]any{"country": listCountry, "skip": listOffsets[i%len(listOffsets)] + 1, "limit": pageSize}
			},
		},
		{
			Name:   "alignment",
			Weight: 10,
			Query: `query Alignment($a: ID!, $b: ID!) { alignment(a: $a, b: $b, normalization: JACCARD) {
				sizeA sizeB congruence conflict
				agreements { target { id } stanceA a { id quote } b { id quote } }
				conflicts { target { id } stanceA stanceB } } }`,
			Vars: func(i int, _ int64) map[string]any { p := pair(i); return map[string]any{"a": p[0], "b": p[1]} },
			Cypher: `MATCH (x:Entity) WHERE x.id IN [$a, $b]
				MATCH (x)-[r:SUPPORTS|OPPOSES]->(t:Entity)
				RETURN x.id, t.id, type(r), r.id, r.quote ORDER BY r.statedAt, r.id`,
			Params: func(i int, _ int64) map[string]any { p := pair(i); return map[string]any{"a": p[0], "b": p[1]} },
			Note:   "the floor fetches both actors' positions; the intersection and scores are left to the client",
		},
		{
			Name:   "path",
			Weight: 10,
			Query: `query Path($from: ID!, $to: ID!) { path(from: $from, to: $to, maxHops: 4) {
				length nodes { id } steps { type direction from { id } to { id } positions { id quote } } } }`,
			Vars: func(i int, _ int64) map[string]any { p := pair(i); return map[string]any{"from": p[0], "to": p[1]} },
			Cypher: `MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
				MATCH p = allShortestPaths((a)-[*..4]-(b))
				RETURN [n IN nodes(p) | n.id], [r IN relationships(p) | [type(r), startNode(r).id, r.id, r.quote]]
				LIMIT 10`,
			Params: func(i int, _ int64) map[string]any { p := pair(i); return map[string]any{"from": p[0], "to": p[1]} },
			Note:   "allShortestPaths counts each position as its own edge, the API one edge per (actor, target, stance)",
		},
		{
			Name:   "neighborhood",
			Weight: 10,
			Query: `query Neighborhood($id: ID!) { neighborhood(id: $id, depth: 1, limit: 100) {
				truncated nodes { id kind label depth } edges { id type source target } } }`,
			Vars: func(i int, _ int64) map[string]any { return map[string]any{"id": pick(in.actors, i)} },
			Cypher: `MATCH (c:Entity {id: $id})-[r]-(n:Entity)
				RETURN n.id, n.kind, n.name, type(r), startNode(r).id, endNode(r).id, r.id
				ORDER BY n.id LIMIT 1000`,
			Params: func(i int, _ int64) map[string]any { return map[string]any{"id": pick(in.actors, i)} },
		},
		{
			Name:   "coalitions",
			Weight: 5,
			Query: `query Coalitions($targets: [ID!]) { coalitions(filter: {targets: $targets}, normalization: JACCARD) {
				modularity coalitions { id size members { id } shared { target { id } stance holders { id } } } } }`,
			Vars: func(i int, _ int64) map[string]any {
				return map[string]any{"targets": in.coalition[i%len(in.coalition)]}
			},
			Cypher: `MATCH (a:Entity)-[r:SUPPORTS|OPPOSES]->(t:Entity) WHERE t.id IN $targets
				RETURN a.id, t.id, type(r), r.id`,
			Params: func(i int, _ int64) map[string]any {
				return map[string]any{"targets": in.coalition[i%len(in.coalition)]}
			},
			Note: "the floor fetches the statements; community detection (Louvain, in Go) is not in it",
		},
		{
			Name:   "upsert",
			Write:  true,
			Weight: 10,
			Query: `mutation Record($in: PositionInput!) { recordPosition(input: $in) {
				change position { id quote } } }`,
			Vars: func(i int, rev int64) map[string]any {
				p := write(i)
				return map[string]any{"in": map[string]any{"actor": p.ActorID, "target": p.TargetID,
					"stance": string(p.Stance), "strength": p.Strength, "quote": quote(p, rev),
					"source": p.SourceID, "statedAt": string(p.StatedAt)}}
			},
			// The type is spliced per stance below (see stanceCypher).
			Cypher: `MATCH (a:Entity {id: $actor}), (t:Entity {id: $target}), (s:Entity {id: $source})
				MERGE (a)-[r:STANCE {id: $id}]->(t)
				SET r.strength = $strength, r.quote = $quote, r.sourceId = $source,
					r.statedAt = $statedAt, r.statedStart = $start, r.statedEnd = $end
				RETURN r.id, r.quote`,
			Params: func(i int, rev int64) map[string]any {
				p := write(i)
				start, end := p.Stated().Interval()
				return map[string]any{"actor": p.ActorID, "target": p.TargetID, "source": p.SourceID,
					"id": p.ID, "strength": p.Strength, "quote": quote(p, rev), "statedAt": string(p.StatedAt),
					"start": start, "end": end, "stance": string(p.Stance)}
			},
			Note: "the floor writes without reading first: the API checks the ends and reports the change",
		},
	}
}
