package providerweb

import (
	"testing"

	"github.com/beian/beian/internal/problem"
)

// The service numbers a decision's notes as sent, the empty rows skipped; its errors are aimed at the row's
// input that lacks something, so that the page shows them beside it.
func TestAimNotes(t *testing.T) {
	sent := []noteInput{{N: 0, Field: "subject.name", Message: "请核对"}, {N: 2, Message: "请补充门牌号"}, {N: 3, Field: "subject.name"}}
	err := aimNotes(problem.List{problem.Invalidf("review.note_incomplete", "notes[1]"),
		problem.Invalidf("review.note_incomplete", "notes[2]"), problem.Invalidf("review.notes_required", "notes"),
		problem.Invalidf("review.reason_required", "reason"), problem.Invalidf("review.note_incomplete", "notes[7]")}, sent)
	var got []string
	for _, e := range problem.As(err) {
		got = append(got, e.Field)
	}
	want := []string{"note_field_2", "note_message_3", "note_field_0", "reason", "notes[7]"}
	if len(got) != len(want) {
		t.Fatalf("aimed at %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("error %d aimed at %s, want %s", i, got[i], want[i])
		}
	}
	conflict := problem.New(problem.Conflict, "order.wrong_state", "notes[0]")
	if aimNotes(conflict, sent) != error(conflict) {
		t.Error("an error that is no refused input was changed")
	}
}
