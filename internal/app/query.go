package app

import (
	"fmt"
	"strconv"

	"github.com/beian/beian/internal/ratelimit"
)

// queryLimitFromEnv reads BEIAN_QUERY_RATE (requests a second per client, default 10, 0: no limit) and
// BEIAN_QUERY_BURST (default 30) for the public query.
func queryLimitFromEnv(get func(k, def string) string) (rate float64, burst int, errs []error) {
	rate, err := strconv.ParseFloat(get("BEIAN_QUERY_RATE", "10"), 64)
	if err != nil || rate < 0 {
		errs = append(errs, fmt.Errorf("BEIAN_QUERY_RATE must be a number of requests a second, 0 for no limit, not %q",
			get("BEIAN_QUERY_RATE", "")))
	}
	burst, err = strconv.Atoi(get("BEIAN_QUERY_BURST", "30"))
	if err != nil || burst < 1 {
		errs = append(errs, fmt.Errorf("BEIAN_QUERY_BURST must be a whole number of requests, at least 1, not %q",
			get("BEIAN_QUERY_BURST", "")))
	}
	return rate, burst, errs
}

// queryLimiter is the public query's per-client limiter, nil when the configuration sets no limit.
func (c Config) queryLimiter() *ratelimit.Limiter {
	if c.QueryRate <= 0 {
		return nil
	}
	return ratelimit.New(c.QueryRate, max(c.QueryBurst, 1), nil)
}
