package sqldb

import (
	"reflect"
	"testing"
)

// An IN list's placeholders and arguments line up, whatever the type of its values.
func TestPlaceholdersAndArgs(t *testing.T) {
	if got := Placeholders(3, 3); got != "$3, $4, $5" {
		t.Errorf("Placeholders(3, 3) = %q", got)
	}
	if got := Args([]int64{7, 8}); !reflect.DeepEqual(got, []any{int64(7), int64(8)}) {
		t.Errorf("Args(int64) = %#v", got)
	}
	if got := Args([]string{"a.cn"}); !reflect.DeepEqual(got, []any{"a.cn"}) {
		t.Errorf("Args(string) = %#v", got)
	}
	if got := Args([]string(nil)); len(got) != 0 {
		t.Errorf("Args(nil) = %#v", got)
	}
}
