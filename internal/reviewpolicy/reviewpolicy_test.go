package reviewpolicy

import (
	"errors"
	"testing"

	"github.com/beian/beian/internal/problem"
)

func TestHolderSet(t *testing.T) {
	tests := []struct {
		name      string
		in        Policy
		want      Policy // in force afterwards
		wantField string // "" when accepted
	}{
		{"empty mode is manual", Policy{AfterWorkdays: 3}, Policy{Mode: Manual, AfterWorkdays: 3}, ""},
		{"automatic at once", Policy{Mode: Automatic}, Policy{Mode: Automatic}, ""},
		{"automatic at the limit", Policy{Mode: Automatic, AfterWorkdays: 20}, Policy{Mode: Automatic, AfterWorkdays: 20}, ""},
		{"unknown mode", Policy{Mode: "sometimes"}, Policy{Mode: Manual, AfterWorkdays: 1}, "mode"},
		{"negative days", Policy{Mode: Automatic, AfterWorkdays: -1}, Policy{Mode: Manual, AfterWorkdays: 1}, "after_workdays"},
		{"past the limit", Policy{Mode: Automatic, AfterWorkdays: 21}, Policy{Mode: Manual, AfterWorkdays: 1}, "after_workdays"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := NewHolder("x.policy_invalid", 20, Policy{AfterWorkdays: 1})
			err := h.Set(tt.in)
			if tt.wantField == "" && err != nil {
				t.Fatalf("Set(%+v) = %v", tt.in, err)
			}
			if tt.wantField != "" {
				var pe *problem.Error
				if !errors.As(err, &pe) || pe.Code != "x.policy_invalid" || pe.Field != tt.wantField {
					t.Fatalf("Set(%+v) = %v, want x.policy_invalid on %s", tt.in, err, tt.wantField)
				}
			}
			if got := h.Get(); got != tt.want {
				t.Errorf("in force %+v, want %+v", got, tt.want)
			}
		})
	}
}
