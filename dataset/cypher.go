package dataset

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/stancegraph/stancegraph"
)

// cypherBatch is how many rows one UNWIND statement of the export carries.
const cypherBatch = 500

// WriteCypher writes g as Cypher statements, separated by semicolons, that
// build it in a Neo4j 5 database (cypher-shell -f FILE) in the model of
// the Neo4j backend: nodes :Entity plus the label of their kind, positions
// as SUPPORTS / OPPOSES relationships with id, strength, quote, sourceId,
// statedAt (a stancegraph.Date string), statedAtQualifier, statedStart and
// statedEnd (the day strings of its interval) and condition, relations as
// relationships of their type with their role, title and evidence. The statements MERGE
// by id, so running them twice changes nothing. The derived search
// properties of the Neo4j backend are not written: to serve the graph with
// stancegraph, import the JSON export instead.
func WriteCypher(w io.Writer, g *stancegraph.Graph) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	fmt.Fprintln(bw, "// stancegraph export: run with cypher-shell -f FILE")
	fmt.Fprintln(bw, "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;")

	byKind := map[stancegraph.Kind][]*stancegraph.Entity{}
	for _, e := range g.Entities {
		byKind[e.Kind] = append(byKind[e.Kind], e)
	}
	for _, k := range stancegraph.Kinds {
		for start := 0; start < len(byKind[k]); start += cypherBatch {
			bw.WriteString("UNWIND [")
			for i, e := range byKind[k][start:min(start+cypherBatch, len(byKind[k]))] {
				if i > 0 {
					bw.WriteString(",\n  ")
				}
				writeMap(bw, entityFields(e))
			}
			fmt.Fprintf(bw, "] AS row\nMERGE (n:Entity {id: row.id}) SET n:%s SET n += row;\n", k.Label())
		}
	}

	byType := map[stancegraph.RelType][]*stancegraph.Relation{}
	for _, r := range g.Relations {
		byType[r.Type] = append(byType[r.Type], r)
	}
	for _, t := range stancegraph.RelTypes {
		rs := byType[t]
		for start := 0; start < len(rs); start += cypherBatch {
			bw.WriteString("UNWIND [")
			for i, r := range rs[start:min(start+cypherBatch, len(rs))] {
				if i > 0 {
					bw.WriteString(",\n  ")
				}
				props := []field{}
				for _, f := range []struct{ k, v string }{{"role", r.Role}, {"title", r.Title}, {"sourceId", r.SourceID}, {"quote", r.Quote}} {
					if f.v != "" {
						props = append(props, field{f.k, quoteCypher(f.v)})
					}
				}
				writeMap(bw, []field{{"from", quoteCypher(r.From)}, {"to", quoteCypher(r.To)}, {"props", mapString(statedFields(props, r.Stated()))}})
			}
			fmt.Fprintf(bw, "] AS row\nMATCH (a:Entity {id: row.from}), (b:Entity {id: row.to})\nMERGE (a)-[r:%s]->(b) SET r = row.props;\n", t)
		}
	}

	byStance := map[stancegraph.Stance][]*stancegraph.Position{}
	for _, p := range g.Positions {
		byStance[p.Stance] = append(byStance[p.Stance], p)
	}
	for _, s := range stancegraph.Stances {
		ps := byStance[s]
		for start := 0; start < len(ps); start += cypherBatch {
			bw.WriteString("UNWIND [")
			for i, p := range ps[start:min(start+cypherBatch, len(ps))] {
				if i > 0 {
					bw.WriteString(",\n  ")
				}
				props := []field{{"id", quoteCypher(p.ID)}, {"strength", strconv.Itoa(p.Strength)}, {"quote", quoteCypher(p.Quote)}, {"sourceId", quoteCypher(p.SourceID)}}
				if p.Condition != "" {
					props = append(props, field{"condition", quoteCypher(p.Condition)})
				}
				writeMap(bw, []field{{"actor", quoteCypher(p.ActorID)}, {"target", quoteCypher(p.TargetID)}, {"id", quoteCypher(p.ID)},
					{"props", mapString(statedFields(props, p.Stated()))}})
			}
			fmt.Fprintf(bw, "] AS row\nMATCH (a:Entity {id: row.actor}), (t:Entity {id: row.target})\n"+
				"MERGE (a)-[r:%s {id: row.id}]->(t) SET r += row.props;\n", s)
		}
	}
	return bw.Flush()
}

type field struct{ key, value string }

func entityFields(e *stancegraph.Entity) []field {
	fs := []field{{"id", quoteCypher(e.ID)}, {"kind", quoteCypher(string(e.Kind))}, {"name", quoteCypher(e.Name)}}
	for _, f := range []struct{ k, v string }{
		{"description", e.Description}, {"url", e.URL}, {"country", e.Country}, {"summary", e.Summary},
		{"sourceKind", string(e.SourceKind)}, {"publisher", e.Publisher}, {"author", e.Author},
	} {
		if f.v != "" {
			fs = append(fs, field{f.k, quoteCypher(f.v)})
		}
	}
	for _, l := range []struct {
		k  string
		xs []string
	}{{"aliases", e.Aliases}, {"topics", e.Topics}, {"externalIds", e.ExternalKeys()}} {
		if len(l.xs) > 0 {
			q := make([]string, len(l.xs))
			for i, x := range l.xs {
				q[i] = quoteCypher(x)
			}
			fs = append(fs, field{l.k, "[" + strings.Join(q, ", ") + "]"})
		}
	}
	if e.PublishedAt != "" {
		fs = append(fs, field{"publishedAt", quoteCypher(string(e.PublishedAt))})
		if q := e.PublishedAtQualifier.Or(); q != stancegraph.Exact {
			fs = append(fs, field{"publishedAtQualifier", quoteCypher(string(q))})
		}
	}
	return fs
}

// statedFields adds a relationship's date to fs as the Neo4j backend
// stores it: the value, its qualifier unless EXACT, and the day strings of
// its interval.
func statedFields(fs []field, d stancegraph.PartialDate) []field {
	if d.Value == "" {
		return fs
	}
	lo, hi := d.Interval()
	fs = append(fs, field{"statedAt", quoteCypher(string(d.Value))}, field{"statedStart", quoteCypher(lo)}, field{"statedEnd", quoteCypher(hi)})
	if q := d.Qualifier.Or(); q != stancegraph.Exact {
		fs = append(fs, field{"statedAtQualifier", quoteCypher(string(q))})
	}
	return fs
}

func mapString(fs []field) string {
	var b strings.Builder
	w := bufio.NewWriter(&b)
	writeMap(w, fs)
	_ = w.Flush()
	return b.String()
}

func writeMap(w *bufio.Writer, fs []field) {
	w.WriteByte('{')
	for i, f := range fs {
		if i > 0 {
			w.WriteString(", ")
		}
		w.WriteString(f.key)
		w.WriteString(": ")
		w.WriteString(f.value)
	}
	w.WriteByte('}')
}

// quoteCypher returns s as a Cypher string literal.
func quoteCypher(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case '\'':
			b.WriteString(`\'`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 || r == 0x7f || r == 0x2028 || r == 0x2029 {
				fmt.Fprintf(&b, `\u%04X`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('\'')
	return b.String()
}
