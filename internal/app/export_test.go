package app

import (
	"context"

	"github.com/beian/beian/internal/compliance"
	"github.com/beian/beian/internal/mps"
)

// RemoteICPLookup is the police platform's ICP look-up of a provider whose simulator answers at base.
func RemoteICPLookup(base string) func(ctx context.Context, domain string) (mps.ICPRecord, error) {
	return remoteICP{compliance.HTTPRegistry{BaseURL: base}}.LookupICP
}

// PolicePublicURL is where browsers reach the police platform of c.
func PolicePublicURL(c Config) string { return c.policePublicURL() }
