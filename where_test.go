package stancegraph_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stancegraph/stancegraph"
)

func ptr[T any](v T) *T { return &v }

func TestPositionWhere_Cond(t *testing.T) {
	many := make([]string, stancegraph.MaxInList+1)
	for i := range many {
		many[i] = "x"
	}
	wide := &stancegraph.PositionWhere{}
	// Two tests each: the 65th test is the first of entry 32.
	for range 40 {
		wide.AND = append(wide.AND, &stancegraph.PositionWhere{Strength: &stancegraph.IntFilter{Eq: ptr(1)}, Quote: &stancegraph.StringFilter{Eq: ptr("q")}})
	}
	for _, tc := range []struct {
		name  string
		where *stancegraph.PositionWhere
		field string // "" for OK
	}{
		{"Nil", nil, ""},
		{"ThroughRelations", &stancegraph.PositionWhere{Actor: &stancegraph.ActorWhere{Country: &stancegraph.StringFilter{Eq: ptr("US")}},
			Source: &stancegraph.SourceWhere{Kind: &stancegraph.SourceKindFilter{Eq: ptr(stancegraph.PublicComment)}}}, ""},
		{"ErrInTooLong", &stancegraph.PositionWhere{ID: &stancegraph.StringFilter{In: many}}, "where.id.in"},
		{"ErrTooManyTests", wide, "where.AND[32].strength"},
		{"ErrBadDate", &stancegraph.PositionWhere{StatedAt: &stancegraph.DateFilter{Gte: ptr(stancegraph.Date("2025-02-30"))}}, "where.statedAt.gte"},
		{"ErrBadStance", &stancegraph.PositionWhere{Stance: &stancegraph.StanceFilter{In: []stancegraph.Stance{"MAYBE"}}}, "where.stance.in"},
		{"ErrNotAnActorKind", &stancegraph.PositionWhere{OR: []*stancegraph.PositionWhere{{Actor: &stancegraph.ActorWhere{Kinds: []stancegraph.Kind{stancegraph.KindSource}}}}}, "where.OR[0].actor.kinds.in"},
		{"ErrNotATargetKind", &stancegraph.PositionWhere{Target: &stancegraph.TargetWhere{Kind: &stancegraph.KindFilter{Eq: ptr(stancegraph.KindCompany)}}}, "where.target.kind.eq"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.where.Cond("where")
			if got := stancegraph.ErrorField(err); got != tc.field || (tc.field != "" && stancegraph.ErrorCode(err) != stancegraph.EINVALID) {
				t.Errorf("err = %v (field %q), want field %q", err, got, tc.field)
			}
		})
	}
}

func TestPositionOrder(t *testing.T) {
	desc := stancegraph.Desc
	got, err := stancegraph.PositionOrder(nil, "orderBy")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, []stancegraph.SortKey{{Field: stancegraph.FieldStatedAt}, {Field: stancegraph.FieldID}}); diff != "" {
		t.Errorf("default order (-got +want):\n%s", diff)
	}
	got, err = stancegraph.PositionOrder([]*stancegraph.PositionSort{{Strength: &desc}}, "orderBy")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, []stancegraph.SortKey{{Field: stancegraph.FieldStrength, Desc: true}, {Field: stancegraph.FieldID, Desc: true}}); diff != "" {
		t.Errorf("strength order (-got +want):\n%s", diff)
	}
	for _, bad := range [][]*stancegraph.PositionSort{
		{{}},
		{{Strength: &desc, StatedAt: &desc}},
		{{Strength: &desc}, {Strength: &desc}, {Strength: &desc}, {Strength: &desc}, {Strength: &desc}},
		{nil},
	} {
		if _, err := stancegraph.PositionOrder(bad, "orderBy"); stancegraph.ErrorField(err) != "orderBy" {
			t.Errorf("PositionOrder(%v) = %v, want INVALID naming orderBy", bad, err)
		}
	}
}

func TestCheckPage(t *testing.T) {
	pg, err := stancegraph.CheckPage(stancegraph.PageArgs{}, "o", 1)
	if err != nil || pg.Limit != stancegraph.DefaultPageSize || pg.Backward {
		t.Errorf("default page = %+v, %v", pg, err)
	}
	pg, err = stancegraph.CheckPage(stancegraph.PageArgs{Last: ptr(3)}, "o", 1)
	if err != nil || pg.Limit != 3 || !pg.Backward {
		t.Errorf("last: 3 = %+v, %v", pg, err)
	}
	for _, tc := range []struct {
		args  stancegraph.PageArgs
		field string
	}{
		{stancegraph.PageArgs{First: ptr(1), Last: ptr(1)}, "last"},
		{stancegraph.PageArgs{First: ptr(stancegraph.MaxPageSize + 1)}, "first"},
		{stancegraph.PageArgs{Last: ptr(-1)}, "last"},
		{stancegraph.PageArgs{Before: ptr("%%%")}, "before"},
	} {
		if _, err := stancegraph.CheckPage(tc.args, "o", 1); stancegraph.ErrorField(err) != tc.field {
			t.Errorf("CheckPage(%+v) = %v, want INVALID naming %s", tc.args, err, tc.field)
		}
	}
}
