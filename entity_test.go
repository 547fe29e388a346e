package stancegraph_test

import (
	"strings"
	"testing"

	"github.com/stancegraph/stancegraph"
)

func validCompany() *stancegraph.Entity {
	return &stancegraph.Entity{ID: "openai", Kind: stancegraph.KindCompany, Name: "OpenAI", Country: "US", URL: "https://openai.com"}
}

func TestEntity_Validate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(e *stancegraph.Entity)
		code   string // "" means valid
		field  string
	}{
		{"OK", func(e *stancegraph.Entity) {}, "", ""},
		{"OKSource", func(e *stancegraph.Entity) {
			*e = stancegraph.Entity{ID: "rfi", Kind: stancegraph.KindSource, Name: "RFI", SourceKind: stancegraph.RequestForInformation, PublishedAt: "2025-10-01"}
		}, "", ""},
		{"OKProposal", func(e *stancegraph.Entity) {
			*e = stancegraph.Entity{ID: "p", Kind: stancegraph.KindPolicyProposal, Name: "P", Summary: "s", Topics: []string{"copyright"}}
		}, "", ""},
		{"ErrIDRequired", func(e *stancegraph.Entity) { e.ID = "" }, stancegraph.EINVALID, "id"},
		{"ErrIDUpperCase", func(e *stancegraph.Entity) { e.ID = "OpenAI" }, stancegraph.EINVALID, "id"},
		{"ErrIDDoubleHyphen", func(e *stancegraph.Entity) { e.ID = "open--ai" }, stancegraph.EINVALID, "id"},
		{"ErrIDCypher", func(e *stancegraph.Entity) { e.ID = "x'}) DETACH DELETE n //" }, stancegraph.EINVALID, "id"},
		{"ErrIDTooLong", func(e *stancegraph.Entity) { e.ID = strings.Repeat("a", 129) }, stancegraph.EINVALID, "id"},
		{"ErrKind", func(e *stancegraph.Entity) { e.Kind = "ROBOT" }, stancegraph.EINVALID, "kind"},
		{"ErrNameRequired", func(e *stancegraph.Entity) { e.Name = "  " }, stancegraph.EINVALID, "name"},
		{"ErrNameTooLong", func(e *stancegraph.Entity) { e.Name = strings.Repeat("n", 301) }, stancegraph.EINVALID, "name"},
		{"ErrNameNUL", func(e *stancegraph.Entity) { e.Name = "a\x00b" }, stancegraph.EINVALID, "name"},
		{"ErrNameInvalidUTF8", func(e *stancegraph.Entity) { e.Name = "a\xffb" }, stancegraph.EINVALID, "name"},
		{"ErrURLScheme", func(e *stancegraph.Entity) { e.URL = "javascript:alert(1)" }, stancegraph.EINVALID, "url"},
		{"ErrCountry", func(e *stancegraph.Entity) { e.Country = "USA" }, stancegraph.EINVALID, "country"},
		{"ErrEmptyAlias", func(e *stancegraph.Entity) { e.Aliases = []string{""} }, stancegraph.EINVALID, "aliases"},
		{"ErrTooManyAliases", func(e *stancegraph.Entity) { e.Aliases = make([]string, 33) }, stancegraph.EINVALID, "aliases"},
		{"ErrSourceFieldsOnActor", func(e *stancegraph.Entity) { e.Publisher = "x" }, stancegraph.EINVALID, "sourceKind"},
		{"ErrTopicsOnActor", func(e *stancegraph.Entity) { e.Topics = []string{"x"} }, stancegraph.EINVALID, "summary"},
		{"ErrSourceWithoutKind", func(e *stancegraph.Entity) {
			*e = stancegraph.Entity{ID: "s", Kind: stancegraph.KindSource, Name: "S"}
		}, stancegraph.EINVALID, "sourceKind"},
		{"ErrBadDate", func(e *stancegraph.Entity) {
			*e = stancegraph.Entity{ID: "s", Kind: stancegraph.KindSource, Name: "S", SourceKind: stancegraph.OtherSource, PublishedAt: "2025-02-30"}
		}, stancegraph.EINVALID, "publishedAt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := validCompany()
			tt.mutate(e)
			err := e.Validate()
			if got := stancegraph.ErrorCode(err); got != tt.code {
				t.Fatalf("code = %q, want %q (err: %v)", got, tt.code, err)
			}
			if got := stancegraph.ErrorField(err); got != tt.field {
				t.Errorf("field = %q, want %q", got, tt.field)
			}
		})
	}
}

func validPosition() *stancegraph.Position {
	return &stancegraph.Position{ActorID: "anthropic", TargetID: "trusted-partner-designation", Stance: stancegraph.Supports,
		Quote: "a quote", SourceID: "article", StatedAt: "2025-12-13"}
}

func TestPosition_Validate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *stancegraph.Position)
		field  string // "" means valid
	}{
		{"OK", func(p *stancegraph.Position) {}, ""},
		{"OKStrength2", func(p *stancegraph.Position) { p.Strength = 2 }, ""},
		{"ErrActor", func(p *stancegraph.Position) { p.ActorID = "" }, "actor"},
		{"ErrTarget", func(p *stancegraph.Position) { p.TargetID = "Bad Id" }, "target"},
		{"ErrSource", func(p *stancegraph.Position) { p.SourceID = "" }, "source"},
		{"ErrStance", func(p *stancegraph.Position) { p.Stance = "MAYBE" }, "stance"},
		{"ErrStrength", func(p *stancegraph.Position) { p.Strength = 3 }, "strength"},
		{"ErrQuoteRequired", func(p *stancegraph.Position) { p.Quote = "" }, "quote"},
		{"ErrQuoteTooLong", func(p *stancegraph.Position) { p.Quote = strings.Repeat("q", stancegraph.MaxQuote+1) }, "quote"},
		{"ErrDate", func(p *stancegraph.Position) { p.StatedAt = "13/12/2025" }, "statedAt"},
		{"ErrNoDate", func(p *stancegraph.Position) { p.StatedAt = "" }, "statedAt"},
		{"ErrQualifier", func(p *stancegraph.Position) { p.StatedAtQualifier = "SOMETIME" }, "statedAtQualifier"},
		{"ErrIDMismatch", func(p *stancegraph.Position) { p.ID = "pos-0000000000000000" }, "id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validPosition()
			p.Strength = 1
			tt.mutate(p)
			err := p.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if stancegraph.ErrorCode(err) != stancegraph.EINVALID || stancegraph.ErrorField(err) != tt.field {
				t.Fatalf("err = %v, want INVALID on field %q", err, tt.field)
			}
		})
	}
}

func TestPositionID(t *testing.T) {
	a := stancegraph.PositionID("anthropic", "tpd", stancegraph.Supports, "article")
	if a != stancegraph.PositionID("anthropic", "tpd", stancegraph.Supports, "article") {
		t.Fatal("PositionID is not deterministic")
	}
	for _, other := range []string{
		stancegraph.PositionID("anthropic", "tpd", stancegraph.Opposes, "article"),
		stancegraph.PositionID("anthropic", "tpd", stancegraph.Supports, "comment"),
		stancegraph.PositionID("aws", "tpd", stancegraph.Supports, "article"),
	} {
		if other == a {
			t.Errorf("different identities share id %s", a)
		}
	}
	if !strings.HasPrefix(a, "pos-") || len(a) != 20 {
		t.Errorf("id %q is not pos- and 16 hex digits", a)
	}
}

func TestPosition_CheckEnds(t *testing.T) {
	actor := validCompany()
	target := &stancegraph.Entity{ID: "p", Kind: stancegraph.KindPolicyProposal, Name: "P"}
	source := &stancegraph.Entity{ID: "s", Kind: stancegraph.KindSource, Name: "S", SourceKind: stancegraph.NewsArticle}
	p := validPosition()
	tests := []struct {
		name                  string
		actor, target, source *stancegraph.Entity
		code, field           string
	}{
		{"OK", actor, target, source, "", ""},
		{"ErrActorMissing", nil, target, source, stancegraph.ENOTFOUND, "actor"},
		{"ErrSourceMissing", actor, target, nil, stancegraph.ENOTFOUND, "source"},
		{"ErrActorIsProposal", target, target, source, stancegraph.EINVALID, "actor"},
		{"ErrTargetIsCompany", actor, actor, source, stancegraph.EINVALID, "target"},
		{"ErrSourceIsCompany", actor, target, actor, stancegraph.EINVALID, "source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := p.CheckEnds(tt.actor, tt.target, tt.source)
			if stancegraph.ErrorCode(err) != tt.code || stancegraph.ErrorField(err) != tt.field {
				t.Fatalf("err = %v, want code %q field %q", err, tt.code, tt.field)
			}
		})
	}
}

func TestRelation_ValidateAndCheckEnds(t *testing.T) {
	person := &stancegraph.Entity{ID: "benjamin-schwartz", Kind: stancegraph.KindPerson, Name: "Benjamin Schwartz"}
	company := validCompany()
	agency := &stancegraph.Entity{ID: "ita", Kind: stancegraph.KindAgency, Name: "ITA"}
	government := &stancegraph.Entity{ID: "us", Kind: stancegraph.KindGovernment, Name: "United States"}
	proposal := &stancegraph.Entity{ID: "consortia", Kind: stancegraph.KindPolicyProposal, Name: "Consortia"}
	article := &stancegraph.Entity{ID: "article", Kind: stancegraph.KindSource, Name: "Article", SourceKind: stancegraph.NewsArticle}
	sources := map[string]*stancegraph.Entity{"article": article, "openai": company}
	tests := []struct {
		name     string
		rel      stancegraph.Relation
		from, to *stancegraph.Entity
		code     string
	}{
		{"OKInvolvesWithRole", stancegraph.Relation{Type: stancegraph.Involves, From: "consortia", To: "ita", Role: "overseer", SourceID: "article", Quote: "q"}, proposal, agency, ""},
		{"OKMentionsCitesItsFrom", stancegraph.Relation{Type: stancegraph.Mentions, From: "article", To: "ita", Quote: "the ITA"}, article, agency, ""},
		{"ErrMentionsWithoutQuote", stancegraph.Relation{Type: stancegraph.Mentions, From: "article", To: "ita"}, article, agency, stancegraph.EINVALID},
		{"ErrMentionsOtherSource", stancegraph.Relation{Type: stancegraph.Mentions, From: "article", To: "ita", Quote: "q", SourceID: "other"}, article, agency, stancegraph.EINVALID},
		{"ErrQuoteWithoutSource", stancegraph.Relation{Type: stancegraph.PartOf, From: "ita", To: "us", Quote: "q"}, agency, government, stancegraph.EINVALID},
		{"ErrSourceNotASource", stancegraph.Relation{Type: stancegraph.PartOf, From: "ita", To: "us", SourceID: "openai"}, agency, government, stancegraph.EINVALID},
		{"ErrSourceMissing", stancegraph.Relation{Type: stancegraph.PartOf, From: "ita", To: "us", SourceID: "nothing"}, agency, government, stancegraph.ENOTFOUND},
		{"ErrBadStatedAt", stancegraph.Relation{Type: stancegraph.PartOf, From: "ita", To: "us", SourceID: "article", StatedAt: "2025-13"}, agency, government, stancegraph.EINVALID},
		{"ErrQualifierWithoutDate", stancegraph.Relation{Type: stancegraph.PartOf, From: "ita", To: "us", StatedAtQualifier: stancegraph.Circa}, agency, government, stancegraph.EINVALID},
		{"ErrRespondsToFromAgency", stancegraph.Relation{Type: stancegraph.RespondsTo, From: "ita", To: "article"}, agency, article, stancegraph.EINVALID},
		{"OK", stancegraph.Relation{Type: stancegraph.AffiliatedWith, From: person.ID, To: company.ID, Title: "Head"}, person, company, ""},
		{"ErrType", stancegraph.Relation{Type: "LIKES", From: person.ID, To: company.ID}, person, company, stancegraph.EINVALID},
		{"ErrSelf", stancegraph.Relation{Type: stancegraph.PartOf, From: "ita", To: "ita"}, agency, agency, stancegraph.EINVALID},
		{"ErrRoleOnPartOf", stancegraph.Relation{Type: stancegraph.PartOf, From: "ita", To: "openai", Role: "x"}, agency, company, stancegraph.EINVALID},
		{"ErrWrongFromKind", stancegraph.Relation{Type: stancegraph.MemberOf, From: "ita", To: "openai"}, agency, company, stancegraph.EINVALID},
		{"ErrCompanyPartOfCompany", stancegraph.Relation{Type: stancegraph.PartOf, From: "ita", To: "openai"}, agency, company, stancegraph.EINVALID},
		{"ErrMissingEnd", stancegraph.Relation{Type: stancegraph.AffiliatedWith, From: person.ID, To: "nobody"}, person, nil, stancegraph.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.rel.Validate()
			if err == nil {
				err = tt.rel.CheckEnds(tt.from, tt.to, sources[tt.rel.SourceID])
			}
			if got := stancegraph.ErrorCode(err); got != tt.code {
				t.Fatalf("code = %q, want %q (err: %v)", got, tt.code, err)
			}
		})
	}
}

func TestErrorMessage_HidesInternalDetail(t *testing.T) {
	err := stancegraph.Errorf(stancegraph.EINTERNAL, "dial tcp 10.0.0.1: secret detail")
	if got := stancegraph.ErrorMessage(err); got != "internal error" {
		t.Errorf("message = %q, want %q", got, "internal error")
	}
	if got := stancegraph.ErrorCode(strings.NewReader("").UnreadByte()); got != stancegraph.EINTERNAL {
		t.Errorf("a foreign error has code %q, want INTERNAL", got)
	}
	if got := stancegraph.ErrorMessage(stancegraph.Errorf(stancegraph.ENOTFOUND, "no entity %q", "x")); got != `no entity "x"` {
		t.Errorf("message = %q", got)
	}
}

func TestDate(t *testing.T) {
	for s, ok := range map[string]bool{"2025-12-13": true, "2024-02-29": true, "2025-02-29": false, "2025-1-1": false, "": false, "2025-12-13T00:00:00Z": false,
		"2025": true, "2025-12": true, "2025-13": false, "XXXX-12-13": true, "XXXX-02-29": true, "XXXX": false, "XXXX-12": true, "xxxx-12-13": false, "202": false} {
		if stancegraph.Date(s).Valid() != ok {
			t.Errorf("Date(%q).Valid() = %v, want %v", s, !ok, ok)
		}
	}
}
