// Package model holds the Go side of the GraphQL types that are not domain
// types: the concrete GraphQL types over stancegraph.Entity, one per kind,
// and the generated inputs, payloads and connections.
package model

import "github.com/stancegraph/stancegraph"

// Node is any GraphQL Node: one of the entity types below or a
// *stancegraph.Position.
type Node interface{}

// Actor is a Company, Agency, TradeAssociation, Person or Government.
type Actor interface {
	IsActor()
	GetEntity() *stancegraph.Entity
}

// Stanceable is a Program or PolicyProposal.
type Stanceable interface {
	IsStanceable()
	GetEntity() *stancegraph.Entity
}

// entity holds what every entity type exposes; empty optional text is null.
type entity struct{ *stancegraph.Entity }

func (e entity) GetEntity() *stancegraph.Entity { return e.Entity }
func (e entity) Description() *string           { return null(e.Entity.Description) }
func (e entity) URL() *string                   { return null(e.Entity.URL) }
func (e entity) Country() *string               { return null(e.Entity.Country) }
func (e entity) Aliases() []string              { return nonNil(e.Entity.Aliases) }
func (e entity) ExternalIDs() []stancegraph.ExternalID {
	return nonNil(e.Entity.ExternalIDs)
}

type (
	Company          struct{ entity }
	Agency           struct{ entity }
	TradeAssociation struct{ entity }
	Person           struct{ entity }
	Government       struct{ entity }
	Program          struct{ entity }
	PolicyProposal   struct{ entity }
	Source           struct{ entity }
)

func (Company) IsActor()             {}
func (Agency) IsActor()              {}
func (TradeAssociation) IsActor()    {}
func (Person) IsActor()              {}
func (Government) IsActor()          {}
func (Program) IsStanceable()        {}
func (PolicyProposal) IsStanceable() {}

func (p PolicyProposal) Title() string        { return p.Name }
func (p PolicyProposal) Summary() *string     { return null(p.Entity.Summary) }
func (p PolicyProposal) Topics() []string     { return nonNil(p.Entity.Topics) }
func (s Source) Title() string                { return s.Name }
func (s Source) Kind() stancegraph.SourceKind { return s.SourceKind }
func (s Source) Publisher() *string           { return null(s.Entity.Publisher) }
func (s Source) Author() *string              { return null(s.Entity.Author) }

// PublishedAt is null when the date is unknown.
func (s Source) PublishedAt() *stancegraph.Date {
	if s.Entity.PublishedAt == "" {
		return nil
	}
	d := s.Entity.PublishedAt
	return &d
}

// PublishedAtDetail is null when the date is unknown.
func (s Source) PublishedAtDetail() *stancegraph.PartialDate {
	if s.Entity.PublishedAt == "" {
		return nil
	}
	d := s.Entity.Published()
	return &d
}

// Wrap returns the GraphQL type of an entity, or nil for nil.
func Wrap(e *stancegraph.Entity) Node {
	if e == nil {
		return nil
	}
	base := entity{e}
	switch e.Kind {
	case stancegraph.KindCompany:
		return &Company{base}
	case stancegraph.KindAgency:
		return &Agency{base}
	case stancegraph.KindTradeAssociation:
		return &TradeAssociation{base}
	case stancegraph.KindPerson:
		return &Person{base}
	case stancegraph.KindGovernment:
		return &Government{base}
	case stancegraph.KindProgram:
		return &Program{base}
	case stancegraph.KindPolicyProposal:
		return &PolicyProposal{base}
	default:
		return &Source{base}
	}
}

// AsActor returns the entity as an Actor, or nil if it is not one.
func AsActor(e *stancegraph.Entity) Actor {
	a, _ := Wrap(e).(Actor)
	return a
}

// AsStanceable returns the entity as a Stanceable, or nil if it is not one.
func AsStanceable(e *stancegraph.Entity) Stanceable {
	s, _ := Wrap(e).(Stanceable)
	return s
}

func null(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
