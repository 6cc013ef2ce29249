package sqldb

import "testing"

func TestPoolSize(t *testing.T) {
	tests := []struct {
		url, want string
		size      int
		bad       bool
	}{
		{"postgres://u@h/db", "postgres://u@h/db", DefaultPoolSize(), false},
		{"postgres://u@h/db?sslmode=disable&pool_max_conns=12", "postgres://u@h/db?sslmode=disable", 12, false},
		{"postgres://u@h/db?pool_max_conns=0", "", 0, true},
		{"postgres://u@h/db?pool_max_conns=many", "", 0, true},
	}
	for _, tt := range tests {
		got, size, err := poolSize(tt.url)
		if (err != nil) != tt.bad || got != tt.want || size != tt.size {
			t.Errorf("poolSize(%q) = %q, %d, %v; want %q, %d, error %v", tt.url, got, size, err, tt.want, tt.size, tt.bad)
		}
	}
}
