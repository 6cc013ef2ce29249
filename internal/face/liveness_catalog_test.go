package face

import (
	"testing"

	"github.com/beian/beian/internal/i18n"
)

// Every liveness code and action has a message (the catalog test checks the other languages against zh-CN).
func TestLivenessCatalog(t *testing.T) {
	keys := []string{"liveness.challenge_used", "liveness.expired", "liveness.too_few_frames", "liveness.too_many_frames",
		"liveness.replayed", "liveness.timing", "liveness.frame_too_large", "liveness.no_face", "liveness.multiple_faces",
		"liveness.still", "liveness.face_changed", "liveness.action_missing", "liveness.wrong_order",
		"liveness.challenge_unknown", "liveness.curtain_mode", "liveness.frames_unreadable", "liveness.comparison_by_eye"}
	for _, a := range Actions {
		keys = append(keys, "liveness.action."+string(a))
	}
	for _, k := range keys {
		if !i18n.Has(k) {
			t.Errorf("no message for %s", k)
		}
	}
}
