package recognise

import (
	"testing"

	"github.com/beian/beian/internal/i18n"
)

// Every code this package reports and every field it names has a message (the catalog test checks the other
// languages against zh-CN).
func TestCatalog(t *testing.T) {
	keys := []string{"recognise.off", "recognise.kind_unknown", "recognise.engine_failed", "recognise.not_found",
		"recognise.low_confidence", "recognise.validity_order", "recognise.recognised"}
	for _, k := range Kinds {
		for _, f := range FieldsOf(k) {
			keys = append(keys, "recognise.field."+f)
		}
	}
	for _, k := range keys {
		if !i18n.Has(k) {
			t.Errorf("no message for %s", k)
		}
	}
}
