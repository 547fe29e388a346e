package storetest

import "github.com/stancegraph/stancegraph"

// Fixture returns a fresh copy of the small graph the conformance suite
// writes into every store:
//
//	                        united-states-government (GOVERNMENT)
//	                                   ^ PART_OF
//	                        department-of-commerce (AGENCY, "DOC")
//	                                   ^ PART_OF
//	              international-trade-administration (AGENCY, "ITA")
//	                 ^ PART_OF               | ADMINISTERS
//	     ita-advocacy-center (AGENCY)        v
//	                        american-ai-exports-program (PROGRAM) --ESTABLISHED_BY--> eo-14320 (SOURCE)
//	                          ^ CONCERNS         ^ CONCERNS          ^ CONCERNS
//	      trusted-partner-designation   us-anchored-ai-consortia   full-stack-export-packages
//	        ^ PROPOSED by openai          ^ PROPOSED by business-software-alliance
//
//	openai, anthropic, amazon-web-services (COMPANY, US) --MEMBER_OF--> business-software-alliance (TRADE_ASSOCIATION)
//	mistral-ai (COMPANY, FR) belongs to no association
//	benjamin-schwartz (PERSON) --AFFILIATED_WITH {role: staff, title: Director of Policy}--> business-software-alliance
//	openai, business-software-alliance, amazon-web-services --PUBLISHED--> their comments;
//	international-trade-administration --PUBLISHED--> ita-rfi
//
// Sources: eo-14320 (EXECUTIVE_ORDER, 2025-07-23), ita-rfi
// (REQUEST_FOR_INFORMATION, 2025-10-28), openai-comment, bsa-comment,
// aws-comment (PUBLIC_COMMENT, 2025-11-20/25/28) and news-article
// (NEWS_ARTICLE, 2025-12-05).
//
// Positions (actor stance target [source, statedAt, strength]):
//
//	openai              SUPPORTS trusted-partner-designation [openai-comment 2025-11-20 2]
//	openai              SUPPORTS trusted-partner-designation [news-article   2025-12-05 1]
//	openai              SUPPORTS american-ai-exports-program [openai-comment 2025-11-20 1]
//	amazon-web-services SUPPORTS trusted-partner-designation [aws-comment    2025-11-28 1]
//	amazon-web-services OPPOSES  us-anchored-ai-consortia    [aws-comment    2025-11-28 2]
//	business-software-alliance SUPPORTS us-anchored-ai-consortia [bsa-comment 2025-11-25 1]
//	anthropic           OPPOSES  full-stack-export-packages  [news-article   2025-12-05 1]
//	mistral-ai          OPPOSES  trusted-partner-designation [news-article   2025-12-05 1]
//	benjamin-schwartz   SUPPORTS american-ai-exports-program [news-article   2025-12-05 1]
//
// Position ids are left empty; stores derive them (stancegraph.PositionID).
func Fixture() *stancegraph.Graph {
	company := func(id, name, country string, aliases ...string) *stancegraph.Entity {
		return &stancegraph.Entity{ID: id, Kind: stancegraph.KindCompany, Name: name, Country: country, Aliases: aliases}
	}
	agency := func(id, name string, aliases ...string) *stancegraph.Entity {
		return &stancegraph.Entity{ID: id, Kind: stancegraph.KindAgency, Name: name, Country: "US", Aliases: aliases}
	}
	proposal := func(id, name, summary string, topics ...string) *stancegraph.Entity {
		return &stancegraph.Entity{ID: id, Kind: stancegraph.KindPolicyProposal, Name: name, Summary: summary, Topics: topics}
	}
	source := func(id, name string, kind stancegraph.SourceKind, publisher string, at stancegraph.Date) *stancegraph.Entity {
		return &stancegraph.Entity{ID: id, Kind: stancegraph.KindSource, Name: name, SourceKind: kind,
			Publisher: publisher, PublishedAt: at, URL: "https://example.org/" + id}
	}
	rel := func(typ stancegraph.RelType, from, to string) *stancegraph.Relation {
		return &stancegraph.Relation{Type: typ, From: from, To: to}
	}
	pos := func(actor string, stance stancegraph.Stance, target, src string, at stancegraph.Date, strength int, quote string) *stancegraph.Position {
		return &stancegraph.Position{ActorID: actor, TargetID: target, Stance: stance, SourceID: src, StatedAt: at, Strength: strength, Quote: quote}
	}
	return &stancegraph.Graph{
		Entities: []*stancegraph.Entity{
			company("openai", "OpenAI", "US", "Open AI"),
			company("anthropic", "Anthropic", "US"),
			company("amazon-web-services", "Amazon Web Services", "US", "AWS"),
			company("mistral-ai", "Mistral AI", "FR"),
			{ID: "business-software-alliance", Kind: stancegraph.KindTradeAssociation, Name: "Business Software Alliance",
				Aliases: []string{"BSA", "BSA | The Software Alliance"}, Country: "US", URL: "https://www.bsa.org"},
			{ID: "united-states-government", Kind: stancegraph.KindGovernment, Name: "United States Government", Country: "US"},
			agency("department-of-commerce", "Department of Commerce", "DOC"),
			agency("international-trade-administration", "International Trade Administration", "ITA"),
			agency("ita-advocacy-center", "ITA Advocacy Center"),
			{ID: "benjamin-schwartz", Kind: stancegraph.KindPerson, Name: "Benjamin Schwartz", Country: "US"},
			{ID: "american-ai-exports-program", Kind: stancegraph.KindProgram, Name: "American AI Exports Program",
				Description: "Full-stack American AI export packages backed by federal financing."},
			proposal("trusted-partner-designation", "Trusted Partner Designation",
				"Pre-clear trusted partners for AI exports.", "export-controls", "security"),
			proposal("us-anchored-ai-consortia", "US-Anchored AI Consortia",
				"Let consortia led by US firms bid as one.", "consortia"),
			proposal("full-stack-export-packages", "Full-Stack Export Packages",
				"Bundle chips, cloud and models into one offer.", "export-controls", "financing"),
			source("eo-14320", "Promoting the Export of the American AI Technology Stack", stancegraph.ExecutiveOrder, "The White House", "2025-07-23"),
			source("ita-rfi", "ITA Request for Information on the American AI Exports Program", stancegraph.RequestForInformation, "Federal Register", "2025-10-28"),
			source("openai-comment", "OpenAI comment on the AI Exports Program", stancegraph.PublicComment, "regulations.gov", "2025-11-20"),
			source("bsa-comment", "BSA comment on the AI Exports Program", stancegraph.PublicComment, "regulations.gov", "2025-11-25"),
			source("aws-comment", "AWS comment on the AI Exports Program", stancegraph.PublicComment, "regulations.gov", "2025-11-28"),
			source("news-article", "What industry wants from the AI Exports Program", stancegraph.NewsArticle, "Example News", "2025-12-05"),
		},
		Relations: []*stancegraph.Relation{
			rel(stancegraph.MemberOf, "openai", "business-software-alliance"),
			rel(stancegraph.MemberOf, "anthropic", "business-software-alliance"),
			rel(stancegraph.MemberOf, "amazon-web-services", "business-software-alliance"),
			rel(stancegraph.PartOf, "department-of-commerce", "united-states-government"),
			rel(stancegraph.PartOf, "international-trade-administration", "department-of-commerce"),
			rel(stancegraph.PartOf, "ita-advocacy-center", "international-trade-administration"),
			rel(stancegraph.Administers, "international-trade-administration", "american-ai-exports-program"),
			rel(stancegraph.EstablishedBy, "american-ai-exports-program", "eo-14320"),
			rel(stancegraph.Concerns, "trusted-partner-designation", "american-ai-exports-program"),
			rel(stancegraph.Concerns, "us-anchored-ai-consortia", "american-ai-exports-program"),
			rel(stancegraph.Concerns, "full-stack-export-packages", "american-ai-exports-program"),
			rel(stancegraph.Proposed, "openai", "trusted-partner-designation"),
			rel(stancegraph.Proposed, "business-software-alliance", "us-anchored-ai-consortia"),
			{Type: stancegraph.AffiliatedWith, From: "benjamin-schwartz", To: "business-software-alliance", Role: "staff", Title: "Director of Policy"},
			rel(stancegraph.Published, "openai", "openai-comment"),
			rel(stancegraph.Published, "business-software-alliance", "bsa-comment"),
			rel(stancegraph.Published, "amazon-web-services", "aws-comment"),
			rel(stancegraph.Published, "international-trade-administration", "ita-rfi"),
		},
		Positions: []*stancegraph.Position{
			pos("openai", stancegraph.Supports, "trusted-partner-designation", "openai-comment", "2025-11-20", 2,
				"A trusted partner designation would speed exports to allies."),
			pos("openai", stancegraph.Supports, "trusted-partner-designation", "news-article", "2025-12-05", 1,
				"OpenAI backed the designation again in interviews."),
			pos("openai", stancegraph.Supports, "american-ai-exports-program", "openai-comment", "2025-11-20", 1,
				"We welcome the American AI Exports Program."),
			pos("amazon-web-services", stancegraph.Supports, "trusted-partner-designation", "aws-comment", "2025-11-28", 1,
				"AWS supports pre-clearing trusted partners."),
			pos("amazon-web-services", stancegraph.Opposes, "us-anchored-ai-consortia", "aws-comment", "2025-11-28", 2,
				"Mandatory consortia would slow every bid."),
			pos("business-software-alliance", stancegraph.Supports, "us-anchored-ai-consortia", "bsa-comment", "2025-11-25", 1,
				"Consortia let smaller members take part."),
			pos("anthropic", stancegraph.Opposes, "full-stack-export-packages", "news-article", "2025-12-05", 1,
				"Bundled packages risk locking partners in."),
			pos("mistral-ai", stancegraph.Opposes, "trusted-partner-designation", "news-article", "2025-12-05", 1,
				"A designation would shut out European providers."),
			pos("benjamin-schwartz", stancegraph.Supports, "american-ai-exports-program", "news-article", "2025-12-05", 1,
				"The program is the right instrument."),
		},
	}
}
