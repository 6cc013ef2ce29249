package store

import (
	"strconv"
	"strings"
)

func itoa(n int) string { return strconv.Itoa(n) }

// replaceN replaces the "$N" marker with the n-th placeholder.
func replaceN(cond string, n int) string { return strings.Replace(cond, "$N", "$"+itoa(n), 1) }
