package stancegraph

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Limits on input sizes. Every string and list that enters the graph is
// bounded so that one request cannot grow the store without limit.
const (
	MaxIDLength   = 128
	maxShortText  = 300
	maxLongText   = 5000
	MaxQuote      = 2000
	maxListLength = 32
)

var idPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// ValidateID checks that id is a slug: lower-case letters and digits in
// words joined by single hyphens, at most MaxIDLength bytes.
func ValidateID(field, id string) error {
	if id == "" {
		return FieldErrorf(field, "%s is required", field)
	}
	if len(id) > MaxIDLength {
		return FieldErrorf(field, "%s is longer than %d characters", field, MaxIDLength)
	}
	if !idPattern.MatchString(id) {
		if slug := Slugify(id); slug != "" {
			return FieldErrorf(field, "%s %q is not a slug: ids are lower-case slugs: did you mean %q?", field, id, slug)
		}
		return FieldErrorf(field, "%s %q is not a slug (lower-case letters, digits and single hyphens, e.g. \"business-software-alliance\")", field, id)
	}
	return nil
}

// Slugify returns the id a name or a mistyped id most likely means: lower
// case, with every run of other characters than ASCII letters and digits
// made one hyphen, at most MaxIDLength bytes; "" when nothing is left.
func Slugify(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
			if b.Len() >= MaxIDLength {
				break
			}
			continue
		}
		hyphen = true
	}
	return strings.TrimSuffix(b.String(), "-")
}

func checkText(field, s string, max int) error {
	if !utf8.ValidString(s) {
		return FieldErrorf(field, "%s is not valid UTF-8", field)
	}
	if strings.ContainsRune(s, 0) {
		return FieldErrorf(field, "%s contains a NUL character", field)
	}
	if utf8.RuneCountInString(s) > max {
		return FieldErrorf(field, "%s is longer than %d characters", field, max)
	}
	return nil
}

func checkList(field string, xs []string, max int) error {
	if len(xs) > maxListLength {
		return FieldErrorf(field, "%s has more than %d entries", field, maxListLength)
	}
	for _, x := range xs {
		if strings.TrimSpace(x) == "" {
			return FieldErrorf(field, "%s has an empty entry", field)
		}
		if err := checkText(field, x, max); err != nil {
			return err
		}
	}
	return nil
}

// Entity is a node of the graph: an actor (company, agency, trade
// association, person, government), a program, a policy proposal or a
// source document. The fields that apply depend on Kind.
type Entity struct {
	// ID is a unique, human-readable slug such as "openai".
	ID   string `json:"id" yaml:"id"`
	Kind Kind   `json:"kind" yaml:"kind"`
	// Name is the name of an actor or program, or the title of a proposal
	// or source.
	Name        string   `json:"name" yaml:"name"`
	Aliases     []string `json:"aliases,omitempty" yaml:"aliases,omitempty"`
	Description string   `json:"description,omitempty" yaml:"description,omitempty"`
	URL         string   `json:"url,omitempty" yaml:"url,omitempty"`
	// Country is an ISO 3166-1 alpha-2 code, for actors.
	Country string `json:"country,omitempty" yaml:"country,omitempty"`

	// Summary and Topics describe a policy proposal.
	Summary string   `json:"summary,omitempty" yaml:"summary,omitempty"`
	Topics  []string `json:"topics,omitempty" yaml:"topics,omitempty"`

	// SourceKind, Publisher, PublishedAt and Author describe a source.
	SourceKind  SourceKind `json:"sourceKind,omitempty" yaml:"sourceKind,omitempty"`
	Publisher   string     `json:"publisher,omitempty" yaml:"publisher,omitempty"`
	PublishedAt Date       `json:"publishedAt,omitempty" yaml:"publishedAt,omitempty"`
	// PublishedAtQualifier qualifies PublishedAt; empty is EXACT.
	PublishedAtQualifier DateQualifier `json:"publishedAtQualifier,omitempty" yaml:"publishedAtQualifier,omitempty"`
	Author               string        `json:"author,omitempty" yaml:"author,omitempty"`

	// ExternalIDs name the entity in other registers; on import they merge
	// records that name the same entity (ingest.MergeExternalIDs).
	ExternalIDs []ExternalID `json:"externalIds,omitempty" yaml:"externalIds,omitempty"`
}

// Published returns the publication date with its qualifier.
func (e *Entity) Published() PartialDate {
	return PartialDate{Value: e.PublishedAt, Qualifier: e.PublishedAtQualifier}
}

// Normalize puts the entity in its stored form: an EXACT qualifier is
// stored as empty.
func (e *Entity) Normalize() { e.PublishedAtQualifier = e.PublishedAtQualifier.canonical() }

var countryPattern = regexp.MustCompile(`^[A-Z]{2}$`)

// Validate checks the entity on its own.
func (e *Entity) Validate() error {
	if e == nil {
		return FieldErrorf("entity", "an entity is required")
	}
	if err := ValidateID("id", e.ID); err != nil {
		return err
	}
	if !e.Kind.Valid() {
		return Kinds.Invalid("kind", "kind", e.Kind)
	}
	if strings.TrimSpace(e.Name) == "" {
		return FieldErrorf("name", "name is required")
	}
	for _, c := range []struct {
		field, s string
		max      int
	}{
		{"name", e.Name, maxShortText}, {"description", e.Description, maxLongText},
		{"url", e.URL, maxShortText}, {"summary", e.Summary, maxLongText},
		{"publisher", e.Publisher, maxShortText}, {"author", e.Author, maxShortText},
	} {
		if err := checkText(c.field, c.s, c.max); err != nil {
			return err
		}
	}
	if err := checkList("aliases", e.Aliases, maxShortText); err != nil {
		return err
	}
	if err := checkList("topics", e.Topics, 64); err != nil {
		return err
	}
	if err := checkExternalIDs(e.ExternalIDs); err != nil {
		return err
	}
	if e.URL != "" {
		u, err := url.Parse(e.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return FieldErrorf("url", "url %q is not an http(s) URL", e.URL)
		}
	}
	if e.Country != "" && !countryPattern.MatchString(e.Country) {
		return FieldErrorf("country", "country %q is not an ISO 3166-1 alpha-2 code such as \"US\"", e.Country)
	}
	if e.Kind == KindSource {
		if e.SourceKind == "" {
			return FieldErrorf("sourceKind", "a source needs a sourceKind (valid: %s)", SourceKinds)
		}
		if !e.SourceKind.Valid() {
			return SourceKinds.Invalid("sourceKind", "source kind", e.SourceKind)
		}
	} else if e.SourceKind != "" || e.Publisher != "" || e.PublishedAt != "" || e.PublishedAtQualifier != "" || e.Author != "" {
		return FieldErrorf("sourceKind", "sourceKind, publisher, publishedAt and author belong to sources only")
	}
	if err := e.Published().Validate("publishedAt"); err != nil {
		return err
	}
	if e.Kind != KindPolicyProposal && (e.Summary != "" || len(e.Topics) > 0) {
		return FieldErrorf("summary", "summary and topics belong to policy proposals only")
	}
	return nil
}

// Equal reports whether two entities hold the same data.
func (e *Entity) Equal(o *Entity) bool {
	if e == nil || o == nil {
		return e == o
	}
	return e.ID == o.ID && e.Kind == o.Kind && e.Name == o.Name && equalStrings(e.Aliases, o.Aliases) &&
		e.Description == o.Description && e.URL == o.URL && e.Country == o.Country &&
		e.Summary == o.Summary && equalStrings(e.Topics, o.Topics) && e.SourceKind == o.SourceKind &&
		e.Publisher == o.Publisher && e.PublishedAt == o.PublishedAt &&
		e.PublishedAtQualifier.canonical() == o.PublishedAtQualifier.canonical() && e.Author == o.Author &&
		slices.Equal(e.ExternalIDs, o.ExternalIDs)
}

// Clone returns a deep copy.
func (e *Entity) Clone() *Entity {
	c := new(Entity)
	e.CloneInto(c)
	return c
}

// CloneInto makes c a deep copy of e, as Clone does, in memory the caller
// provides.
func (e *Entity) CloneInto(c *Entity) {
	*c = *e
	c.Aliases = append([]string(nil), e.Aliases...)
	c.Topics = append([]string(nil), e.Topics...)
	c.ExternalIDs = append([]ExternalID(nil), e.ExternalIDs...)
	if len(c.ExternalIDs) == 0 {
		c.ExternalIDs = nil
	}
	if len(c.Aliases) == 0 {
		c.Aliases = nil
	}
	if len(c.Topics) == 0 {
		c.Topics = nil
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
