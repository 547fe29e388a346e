package stancegraph

import "io"

// Kind is the type of an entity: one of a closed set, each stored as a Neo4j
// label next to :Entity.
type Kind string

const (
	KindCompany          Kind = "COMPANY"
	KindAgency           Kind = "AGENCY"
	KindTradeAssociation Kind = "TRADE_ASSOCIATION"
	KindPerson           Kind = "PERSON"
	KindGovernment       Kind = "GOVERNMENT"
	KindProgram          Kind = "PROGRAM"
	KindPolicyProposal   Kind = "POLICY_PROPOSAL"
	KindSource           Kind = "SOURCE"
)

// Kinds lists every kind.
var Kinds = enumValues[Kind]{KindCompany, KindAgency, KindTradeAssociation, KindPerson, KindGovernment, KindProgram, KindPolicyProposal, KindSource}

// ActorKinds are the kinds that can take positions.
var ActorKinds = []Kind{KindCompany, KindAgency, KindTradeAssociation, KindPerson, KindGovernment}

// OrganisationKinds are the actor kinds a person can be affiliated with.
var OrganisationKinds = []Kind{KindCompany, KindAgency, KindTradeAssociation, KindGovernment}

// StanceableKinds are the kinds positions can be taken on.
var StanceableKinds = []Kind{KindPolicyProposal, KindProgram}

var labels = map[Kind]string{
	KindCompany: "Company", KindAgency: "Agency", KindTradeAssociation: "TradeAssociation",
	KindPerson: "Person", KindGovernment: "Government", KindProgram: "Program",
	KindPolicyProposal: "PolicyProposal", KindSource: "Source",
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return Kinds.has(k) }

// Label is the Neo4j label of the kind, and the name of its GraphQL type.
func (k Kind) Label() string { return labels[k] }

// KindOfLabel returns the kind whose label is l.
func KindOfLabel(l string) (Kind, bool) {
	for k, v := range labels {
		if v == l {
			return k, true
		}
	}
	return "", false
}

// IsActor reports whether entities of this kind can take positions.
func (k Kind) IsActor() bool { return kindIn(k, ActorKinds) }

// IsStanceable reports whether positions can be taken on entities of this kind.
func (k Kind) IsStanceable() bool { return kindIn(k, StanceableKinds) }

func kindIn(k Kind, ks []Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

func (k Kind) String() string                  { return string(k) }
func (k Kind) MarshalGQL(w io.Writer)          { writeQuoted(w, string(k)) }
func (k *Kind) UnmarshalGQL(v any) (err error) { *k, err = Kinds.parse("kind", v); return err }
func (k Kind) MarshalText() ([]byte, error)    { return []byte(k), nil }

// UnmarshalText takes any text: decoding a data file does not stop at a
// bad value, Validate reports it with the file's other problems.
func (k *Kind) UnmarshalText(b []byte) error { *k = Kind(b); return nil }

// Stance is the position an actor takes on a proposal or program.
type Stance string

const (
	Supports Stance = "SUPPORTS"
	Opposes  Stance = "OPPOSES"
)

// Stances lists every stance.
var Stances = enumValues[Stance]{Supports, Opposes}

// Valid reports whether s is a known stance.
func (s Stance) Valid() bool { return Stances.has(s) }

// Opposite returns the other stance.
func (s Stance) Opposite() Stance {
	if s == Supports {
		return Opposes
	}
	return Supports
}

func (s Stance) String() string                  { return string(s) }
func (s Stance) MarshalGQL(w io.Writer)          { writeQuoted(w, string(s)) }
func (s *Stance) UnmarshalGQL(v any) (err error) { *s, err = Stances.parse("stance", v); return err }
func (s Stance) MarshalText() ([]byte, error)    { return []byte(s), nil }

// UnmarshalText takes any text; see Kind.UnmarshalText.
func (s *Stance) UnmarshalText(b []byte) error { *s = Stance(b); return nil }

// SourceKind classifies a source document.
type SourceKind string

const (
	NewsArticle           SourceKind = "NEWS_ARTICLE"
	PublicComment         SourceKind = "PUBLIC_COMMENT"
	ExecutiveOrder        SourceKind = "EXECUTIVE_ORDER"
	RequestForInformation SourceKind = "REQUEST_FOR_INFORMATION"
	OtherSource           SourceKind = "OTHER"
)

// SourceKinds lists every source kind.
var SourceKinds = enumValues[SourceKind]{NewsArticle, PublicComment, ExecutiveOrder, RequestForInformation, OtherSource}

// Valid reports whether k is a known source kind.
func (k SourceKind) Valid() bool { return SourceKinds.has(k) }

func (k SourceKind) String() string         { return string(k) }
func (k SourceKind) MarshalGQL(w io.Writer) { writeQuoted(w, string(k)) }
func (k *SourceKind) UnmarshalGQL(v any) (err error) {
	*k, err = SourceKinds.parse("source kind", v)
	return err
}
func (k SourceKind) MarshalText() ([]byte, error) { return []byte(k), nil }

// UnmarshalText takes any text; see Kind.UnmarshalText.
func (k *SourceKind) UnmarshalText(b []byte) error { *k = SourceKind(b); return nil }
