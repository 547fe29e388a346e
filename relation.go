package stancegraph

import "io"

// RelType is the type of a structural relationship between two entities.
// Positions (SUPPORTS / OPPOSES) are not relations: they carry evidence and
// have their own type, Position.
type RelType string

const (
	Proposed       RelType = "PROPOSED"
	PartOf         RelType = "PART_OF"
	Administers    RelType = "ADMINISTERS"
	Concerns       RelType = "CONCERNS"
	AffiliatedWith RelType = "AFFILIATED_WITH"
	MemberOf       RelType = "MEMBER_OF"
	Published      RelType = "PUBLISHED"
	EstablishedBy  RelType = "ESTABLISHED_BY"
)

// RelTypes lists every relationship type.
var RelTypes = enumValues[RelType]{Proposed, PartOf, Administers, Concerns, AffiliatedWith, MemberOf, Published, EstablishedBy}

// relEnds says which kinds each relationship type may connect.
var relEnds = map[RelType]struct{ from, to []Kind }{
	Proposed:       {ActorKinds, []Kind{KindPolicyProposal}},
	PartOf:         {[]Kind{KindAgency}, []Kind{KindAgency, KindGovernment}},
	Administers:    {[]Kind{KindAgency}, []Kind{KindProgram}},
	Concerns:       {[]Kind{KindPolicyProposal}, []Kind{KindProgram}},
	AffiliatedWith: {[]Kind{KindPerson}, OrganisationKinds},
	MemberOf:       {[]Kind{KindCompany}, []Kind{KindTradeAssociation}},
	Published:      {ActorKinds, []Kind{KindSource}},
	EstablishedBy:  {[]Kind{KindProgram}, []Kind{KindSource}},
}

// Valid reports whether t is a known relationship type.
func (t RelType) Valid() bool { return RelTypes.has(t) }

func (t RelType) String() string         { return string(t) }
func (t RelType) MarshalGQL(w io.Writer) { writeQuoted(w, string(t)) }
func (t *RelType) UnmarshalGQL(v any) (err error) {
	*t, err = RelTypes.parse("relation type", v)
	return err
}
func (t RelType) MarshalText() ([]byte, error) { return []byte(t), nil }

// UnmarshalText takes any text; see Kind.UnmarshalText.
func (t *RelType) UnmarshalText(b []byte) error { *t = RelType(b); return nil }

// Relation is a typed, directed relationship. There is at most one relation
// of a type between two entities; Role and Title describe an affiliation.
type Relation struct {
	Type  RelType `json:"type" yaml:"type"`
	From  string  `json:"from" yaml:"from"`
	To    string  `json:"to" yaml:"to"`
	Role  string  `json:"role,omitempty" yaml:"role,omitempty"`
	Title string  `json:"title,omitempty" yaml:"title,omitempty"`
}

// Key identifies the relation: one per (type, from, to).
func (r *Relation) Key() string { return string(r.Type) + "|" + r.From + "|" + r.To }

// Validate checks the relation on its own, without looking at its ends.
func (r *Relation) Validate() error {
	if !r.Type.Valid() {
		return RelTypes.Invalid("type", "relation type", r.Type)
	}
	if err := ValidateID("from", r.From); err != nil {
		return err
	}
	if err := ValidateID("to", r.To); err != nil {
		return err
	}
	if r.From == r.To {
		return FieldErrorf("to", "a %s relation cannot point from %q to itself", r.Type, r.From)
	}
	if r.Role != "" && r.Type != AffiliatedWith || r.Title != "" && r.Type != AffiliatedWith {
		return FieldErrorf("role", "role and title belong to AFFILIATED_WITH relations only")
	}
	if err := checkText("role", r.Role, maxShortText); err != nil {
		return err
	}
	return checkText("title", r.Title, maxShortText)
}

// CheckEnds checks that the relation may connect from and to, given their
// kinds. A nil end does not exist.
func (r *Relation) CheckEnds(from, to *Entity) error {
	if from == nil {
		return Errorf(ENOTFOUND, "%s relation: entity %q not found", r.Type, r.From)
	}
	if to == nil {
		return Errorf(ENOTFOUND, "%s relation: entity %q not found", r.Type, r.To)
	}
	ends := relEnds[r.Type]
	if !kindIn(from.Kind, ends.from) {
		return Errorf(EINVALID, "%s relation cannot start at %s %q (allowed: %v)", r.Type, from.Kind, from.ID, ends.from)
	}
	if !kindIn(to.Kind, ends.to) {
		return Errorf(EINVALID, "%s relation cannot end at %s %q (allowed: %v)", r.Type, to.Kind, to.ID, ends.to)
	}
	return nil
}
