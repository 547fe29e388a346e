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
	// Involves: a proposal gives an actor a role (Role: overseer, channel...).
	Involves RelType = "INVOLVES"
	// RespondsTo: a document answers another, e.g. a comment an RFI.
	RespondsTo RelType = "RESPONDS_TO"
	// IssuedUnder: a document is issued per another, e.g. an RFI per an
	// executive order.
	IssuedUnder RelType = "ISSUED_UNDER"
	// Mentions: a document names an entity; the quote is the passage.
	Mentions RelType = "MENTIONS"
)

// RelTypes lists every relationship type.
var RelTypes = enumValues[RelType]{Proposed, PartOf, Administers, Concerns, AffiliatedWith, MemberOf, Published, EstablishedBy, Involves, RespondsTo, IssuedUnder, Mentions}

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
	Involves:       {[]Kind{KindPolicyProposal}, ActorKinds},
	RespondsTo:     {[]Kind{KindSource}, []Kind{KindSource}},
	IssuedUnder:    {[]Kind{KindSource}, []Kind{KindSource}},
	Mentions:       {[]Kind{KindSource}, Kinds},
}

// hasRole reports whether relations of the type may carry a role.
func (t RelType) hasRole() bool { return t == AffiliatedWith || t == Involves }

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
// of a type between two entities. Role describes an affiliation or the part
// a proposal gives an actor (INVOLVES), Title an affiliation.
//
// A relation may carry its evidence like a position: the source document
// that states it, a verbatim quote from it and the date it was stated.
// A quote needs a source. A MENTIONS relation is its own evidence: it needs
// a quote, and its source is the document it starts from.
type Relation struct {
	Type  RelType `json:"type" yaml:"type"`
	From  string  `json:"from" yaml:"from"`
	To    string  `json:"to" yaml:"to"`
	Role  string  `json:"role,omitempty" yaml:"role,omitempty"`
	Title string  `json:"title,omitempty" yaml:"title,omitempty"`

	SourceID          string        `json:"source,omitempty" yaml:"source,omitempty"`
	Quote             string        `json:"quote,omitempty" yaml:"quote,omitempty"`
	StatedAt          Date          `json:"statedAt,omitempty" yaml:"statedAt,omitempty"`
	StatedAtQualifier DateQualifier `json:"statedAtQualifier,omitempty" yaml:"statedAtQualifier,omitempty"`
}

// Stated returns the date the relation was stated, with its qualifier.
func (r *Relation) Stated() PartialDate {
	return PartialDate{Value: r.StatedAt, Qualifier: r.StatedAtQualifier}
}

// Normalize fills in the defaults: a MENTIONS relation cites the document
// it starts from, and an EXACT qualifier is stored as empty.
func (r *Relation) Normalize() {
	if r.Type == Mentions && r.SourceID == "" {
		r.SourceID = r.From
	}
	r.StatedAtQualifier = r.StatedAtQualifier.canonical()
}

// Equal reports whether two relations hold the same data.
func (r *Relation) Equal(o *Relation) bool {
	if r == nil || o == nil {
		return r == o
	}
	a, b := *r, *o
	a.Normalize()
	b.Normalize()
	return a == b
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
	if r.Role != "" && !r.Type.hasRole() {
		return FieldErrorf("role", "role belongs to AFFILIATED_WITH and INVOLVES relations only")
	}
	if r.Title != "" && r.Type != AffiliatedWith {
		return FieldErrorf("title", "title belongs to AFFILIATED_WITH relations only")
	}
	if err := checkText("role", r.Role, maxShortText); err != nil {
		return err
	}
	if err := checkText("title", r.Title, maxShortText); err != nil {
		return err
	}
	if r.SourceID != "" {
		if err := ValidateID("source", r.SourceID); err != nil {
			return err
		}
	}
	if r.Type == Mentions {
		if r.Quote == "" {
			return FieldErrorf("quote", "a MENTIONS relation needs the quote that mentions %q", r.To)
		}
		if r.SourceID != "" && r.SourceID != r.From {
			return FieldErrorf("source", "a MENTIONS relation cites the document it starts from, %q, not %q", r.From, r.SourceID)
		}
	} else if r.Quote != "" && r.SourceID == "" {
		return FieldErrorf("source", "a quote needs the source it is taken from")
	}
	if err := checkText("quote", r.Quote, MaxQuote); err != nil {
		return err
	}
	return r.Stated().Validate("statedAt")
}

// CheckEnds checks that the relation may connect from and to, given their
// kinds, and that its source is a source document. A nil entity does not
// exist; source is ignored when the relation cites none.
func (r *Relation) CheckEnds(from, to, source *Entity) error {
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
	if r.SourceID == "" || r.SourceID == r.From {
		return nil
	}
	if source == nil {
		return &Error{Code: ENOTFOUND, Field: "source", Message: "relation source \"" + r.SourceID + "\" not found"}
	}
	if source.Kind != KindSource {
		return FieldErrorf("source", "%s %q is not a source document", source.Kind, source.ID)
	}
	return nil
}
