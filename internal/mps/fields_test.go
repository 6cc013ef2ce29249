package mps

import (
	"slices"
	"testing"

	"github.com/beian/beian/internal/clock"
)

// A note may name every field of a record's form but those holding no data of it, and nothing else: each field
// the note fields list passes a decision's check, one the form lacks does not.
func TestNoteFields(t *testing.T) {
	cases := []struct {
		kind             string
		some, notNotable []string
	}{
		{KindSubject, []string{"nature", "office_phone", "principal.residence", "materials.id_front",
			"materials.legal_id_handheld"}, nil},
		{KindWebsite, []string{"name", "ips", "interactive_kinds", "principal.mobile", "materials.domain_certificate",
			"materials.principal_id_handheld"}, []string{"subject_id", "principal_same_as_subject", "notice_read"}},
	}
	sim := &Simulator{clk: clock.System{}}
	for _, c := range cases {
		form, notes := FormFields(c.kind), NoteFields(c.kind)
		for _, f := range c.some {
			if !slices.Contains(notes, f) {
				t.Errorf("%s: %s takes no note: %v", c.kind, f, notes)
			}
		}
		if got := slices.DeleteFunc(slices.Clone(form), func(f string) bool { return slices.Contains(c.notNotable, f) }); !slices.Equal(got, notes) {
			t.Errorf("%s: the form's fields %v, the note fields %v", c.kind, form, notes)
		}
		for _, f := range notes {
			if err := sim.checkDecision(c.kind, Decision{Action: ActReturn, Notes: []Note{{Field: f, Text: "x"}}}); err != nil {
				t.Errorf("%s: a note on %s refused: %v", c.kind, f, err)
			}
		}
		for _, f := range append([]string{"materials", "principal", "materials.x"}, c.notNotable...) {
			if err := sim.checkDecision(c.kind, Decision{Action: ActReturn, Notes: []Note{{Field: f, Text: "x"}}}); !hasCode(err, "mps.note_field_unknown", "notes[0].field") {
				t.Errorf("%s: a note on %s: %v", c.kind, f, err)
			}
		}
	}
	if FormFields("user") != nil || NoteFields("user") != nil {
		t.Error("fields for a kind of record that has no form")
	}
}
