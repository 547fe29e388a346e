// Package gen generates synthetic, valid graphs for benchmarks and for
// trying the service at scale. Output depends only on the Config: the same
// config gives the same graph.
package gen

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/stancegraph/stancegraph"
)

// HotTargetID is the proposal that receives Config.HotTarget positions.
const HotTargetID = "proposal-hot"

// ProgramID is the one program every proposal concerns.
const ProgramID = "program-main"

// Config sizes a generated graph.
type Config struct {
	// Actors is the number of actors: companies, trade associations,
	// agencies, people and governments, in fixed proportions.
	Actors int
	// Proposals is the number of policy proposals besides HotTargetID.
	Proposals int
	// Positions is the number of positions in all, the hot ones included;
	// fewer when the actors, targets and sources cannot make that many
	// distinct identities.
	Positions int
	Seed      int64
	// HotTarget, when positive, adds the proposal HotTargetID with exactly
	// this many positions (Positions grows to at least HotTarget).
	HotTarget int
}

// start and span bound the dates of sources and positions.
var start = time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)

const spanDays = 3 * 365

// Generate returns the graph cfg describes. Positions follow a power law:
// a few actors take most of them and a few targets receive most of them.
// Each position's statedAt is its source's publication date.
func Generate(cfg Config) *stancegraph.Graph {
	r := rand.New(rand.NewPCG(uint64(cfg.Seed), 0x5eed5eed))
	g := &stancegraph.Graph{}
	add := func(e *stancegraph.Entity) *stancegraph.Entity {
		g.Entities = append(g.Entities, e)
		return e
	}
	relate := func(typ stancegraph.RelType, from, to string) {
		g.Relations = append(g.Relations, &stancegraph.Relation{Type: typ, From: from, To: to})
	}

	// Actors, by kind in fixed proportions (of 20: 12 companies, 2 trade
	// associations, 2 agencies, 3 people, 1 government).
	var actors, companies, associations, agencies, people, governments []string
	for i := range max(cfg.Actors, 0) {
		var e *stancegraph.Entity
		switch slot := i % 20; {
		case slot < 12:
			e = &stancegraph.Entity{ID: fmt.Sprintf("company-%06d", i), Kind: stancegraph.KindCompany, Name: orgName(r, "Inc"), Country: country(r)}
			companies = append(companies, e.ID)
		case slot < 14:
			e = &stancegraph.Entity{ID: fmt.Sprintf("association-%06d", i), Kind: stancegraph.KindTradeAssociation, Name: orgName(r, "Association")}
			associations = append(associations, e.ID)
		case slot < 16:
			e = &stancegraph.Entity{ID: fmt.Sprintf("agency-%06d", i), Kind: stancegraph.KindAgency, Name: "Office of " + orgName(r, "Affairs"), Country: "US"}
			agencies = append(agencies, e.ID)
		case slot < 19:
			e = &stancegraph.Entity{ID: fmt.Sprintf("person-%06d", i), Kind: stancegraph.KindPerson, Name: personName(r)}
			people = append(people, e.ID)
		default:
			e = &stancegraph.Entity{ID: fmt.Sprintf("government-%06d", i), Kind: stancegraph.KindGovernment, Name: "Government of " + pick(r, places)}
			governments = append(governments, e.ID)
		}
		e.Name = fmt.Sprintf("%s %d", e.Name, i)
		actors = append(actors, add(e).ID)
	}

	// Sources: enough that identities rarely collide; the first is the
	// order that established the program.
	nSources := max(4, cfg.Positions/50)
	sources := make([]*stancegraph.Entity, nSources)
	for i := range sources {
		kind := stancegraph.PublicComment
		switch {
		case i == 0:
			kind = stancegraph.ExecutiveOrder
		case i%10 == 1:
			kind = stancegraph.NewsArticle
		case i%50 == 2:
			kind = stancegraph.RequestForInformation
		}
		at := stancegraph.Date(start.AddDate(0, 0, r.IntN(spanDays)).Format(time.DateOnly))
		sources[i] = add(&stancegraph.Entity{ID: fmt.Sprintf("source-%06d", i), Kind: stancegraph.KindSource,
			Name: fmt.Sprintf("%s on %s %d", kindTitle[kind], pick(r, topics), i), SourceKind: kind,
			Publisher: pick(r, publishers), PublishedAt: at})
	}

	add(&stancegraph.Entity{ID: ProgramID, Kind: stancegraph.KindProgram, Name: "Synthetic Exports Program"})
	relate(stancegraph.EstablishedBy, ProgramID, sources[0].ID)
	targets := []string{ProgramID}
	for i := range max(cfg.Proposals, 0) {
		id := fmt.Sprintf("proposal-%06d", i)
		t1, t2 := pick(r, topics), pick(r, topics)
		add(&stancegraph.Entity{ID: id, Kind: stancegraph.KindPolicyProposal,
			Name: fmt.Sprintf("%s %s %d", titleWord(t1), pick(r, measures), i), Summary: "A synthetic proposal.",
			Topics: uniqueTopics(t1, t2)})
		relate(stancegraph.Concerns, id, ProgramID)
		targets = append(targets, id)
	}
	if cfg.HotTarget > 0 {
		add(&stancegraph.Entity{ID: HotTargetID, Kind: stancegraph.KindPolicyProposal, Name: "Hot Proposal", Topics: []string{"export-controls"}})
		relate(stancegraph.Concerns, HotTargetID, ProgramID)
	}

	// Structure: memberships, hierarchy, affiliations, administration,
	// proposals put forward.
	for i, c := range companies {
		if len(associations) > 0 && i%3 == 0 {
			relate(stancegraph.MemberOf, c, associations[r.IntN(len(associations))])
		}
	}
	for i, a := range agencies {
		switch {
		case i > 0 && i%4 != 0:
			relate(stancegraph.PartOf, a, agencies[(i/4)*4])
		case len(governments) > 0:
			relate(stancegraph.PartOf, a, governments[r.IntN(len(governments))])
		}
	}
	if len(agencies) > 0 {
		relate(stancegraph.Administers, agencies[0], ProgramID)
	}
	orgs := append(append(append(slicesClone(companies), associations...), agencies...), governments...)
	for _, p := range people {
		if len(orgs) > 0 {
			g.Relations = append(g.Relations, &stancegraph.Relation{Type: stancegraph.AffiliatedWith, From: p,
				To: orgs[r.IntN(len(orgs))], Role: pick(r, roles), Title: pick(r, jobTitles)})
		}
	}
	if len(actors) > 0 {
		for _, t := range targets[1:] {
			if r.IntN(4) == 0 {
				relate(stancegraph.Proposed, actors[r.IntN(len(actors))], t)
			}
		}
	}

	// Positions. Zipf draws pick actors and targets; an identity already
	// used is drawn again, and after a few tries uniformly.
	if len(actors) == 0 {
		return g
	}
	seen := map[string]bool{}
	position := func(actor, target string, src *stancegraph.Entity, stance stancegraph.Stance) bool {
		id := stancegraph.PositionID(actor, target, stance, src.ID)
		if seen[id] {
			return false
		}
		seen[id] = true
		p := &stancegraph.Position{ID: id, ActorID: actor, TargetID: target, Stance: stance,
			Strength: 1 + r.IntN(4)/3, SourceID: src.ID, StatedAt: src.PublishedAt,
			Quote: fmt.Sprintf("%s %s %s, as stated in %s.", actor, stanceVerb[stance], target, src.ID)}
		// Some statements are dated less precisely, or bounded, or
		// conditional, as sources state them. The choice follows the
		// position's index, not the random source, so that adding it kept
		// every other draw of a seed.
		switch n := len(g.Positions); {
		case n%10 == 9:
			p.StatedAt = src.PublishedAt[:7]
		case n%10 == 7:
			p.StatedAtQualifier = stancegraph.OnOrBefore
		case n%50 == 3:
			p.StatedAt, p.StatedAtQualifier = src.PublishedAt[:4], stancegraph.Circa
		}
		if len(g.Positions)%25 == 5 {
			p.Condition = "if the program funds it"
		}
		g.Positions = append(g.Positions, p)
		return true
	}
	stance := func() stancegraph.Stance {
		if r.IntN(3) == 0 {
			return stancegraph.Opposes
		}
		return stancegraph.Supports
	}
	actorZipf := rand.NewZipf(r, 1.1, 2, uint64(len(actors)-1))
	// Hot positions: distinct (actor, stance, source) for one target.
	hot := max(cfg.HotTarget, 0)
	for capacity := len(actors) * 2 * len(sources); len(g.Positions) < min(hot, capacity); {
		a := actors[actorZipf.Uint64()]
		if !position(a, HotTargetID, sources[r.IntN(len(sources))], stance()) {
			position(actors[r.IntN(len(actors))], HotTargetID, sources[r.IntN(len(sources))], stance())
		}
	}
	targetZipf := rand.NewZipf(r, 1.1, 2, uint64(len(targets)-1))
	want := max(cfg.Positions, hot)
	capacity := len(g.Positions) + len(actors)*len(targets)*2*len(sources)
	for misses := 0; len(g.Positions) < min(want, capacity) && misses < 100*want; {
		var a, t string
		if misses%8 == 7 {
			a, t = actors[r.IntN(len(actors))], targets[r.IntN(len(targets))]
		} else {
			a, t = actors[actorZipf.Uint64()], targets[targetZipf.Uint64()]
		}
		if !position(a, t, sources[r.IntN(len(sources))], stance()) {
			misses++
		}
	}
	return g
}

func slicesClone(xs []string) []string { return append([]string(nil), xs...) }

func pick(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }

func orgName(r *rand.Rand, suffix string) string {
	return pick(r, syllables) + pick(r, syllables) + " " + pick(r, orgWords) + " " + suffix
}

func personName(r *rand.Rand) string { return pick(r, firstNames) + " " + pick(r, lastNames) }

func country(r *rand.Rand) string { return pick(r, countries) }

func titleWord(topic string) string {
	b := []byte(topic)
	if len(b) > 0 && b[0] >= 'a' && b[0] <= 'z' {
		b[0] -= 'a' - 'A'
	}
	for i := range b {
		if b[i] == '-' {
			b[i] = ' '
		}
	}
	return string(b)
}

func uniqueTopics(a, b string) []string {
	if a == b {
		return []string{a}
	}
	return []string{a, b}
}

var (
	syllables  = []string{"Ab", "Cor", "Dyn", "El", "Fin", "Gal", "Hex", "Ion", "Jet", "Kin", "Lum", "Mer", "Nov", "Orb", "Pax", "Quo", "Ryn", "Syn", "Tor", "Vex"}
	orgWords   = []string{"Cloud", "Compute", "Data", "Networks", "Robotics", "Semiconductor", "Software", "Systems", "Labs", "Analytics"}
	firstNames = []string{"Ada", "Ben", "Chen", "Dana", "Emil", "Fatima", "Goran", "Hana", "Ines", "Jonas", "Kemi", "Luis"}
	lastNames  = []string{"Almeida", "Brandt", "Okafor", "Ivanova", "Nakamura", "Schwartz", "Taylor", "Weber", "Zhang", "Rossi"}
	places     = []string{"Aurelia", "Borealis", "Caldera", "Dorado", "Estoria", "Fjordland"}
	countries  = []string{"US", "US", "US", "GB", "DE", "FR", "JP", "KR", "IN", "CA"}
	topics     = []string{"export-controls", "financing", "security", "consortia", "standards", "data-centers", "chips", "open-models"}
	measures   = []string{"Designation", "Fund", "Guarantee", "Framework", "Pilot", "Registry", "Waiver", "Package"}
	publishers = []string{"regulations.gov", "Federal Register", "Example News", "The White House"}
	roles      = []string{"staff", "board", "advisor"}
	jobTitles  = []string{"Director of Policy", "General Counsel", "Chief Executive", "Senior Fellow"}
	kindTitle  = map[stancegraph.SourceKind]string{
		stancegraph.PublicComment: "Comment", stancegraph.NewsArticle: "Article", stancegraph.ExecutiveOrder: "Order",
		stancegraph.RequestForInformation: "Request for information",
	}
	stanceVerb = map[stancegraph.Stance]string{stancegraph.Supports: "supports", stancegraph.Opposes: "opposes"}
)
