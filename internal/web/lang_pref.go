package web

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/beian/beian/internal/access"
	"github.com/beian/beian/internal/i18n"
)

// LangKeeper is what Sessions may also do: record the language a signed-in user chose, so that what is sent to
// them later (SMS, e-mail, inbox) is written in it.
type LangKeeper interface {
	KeepLang(ctx context.Context, a access.Actor, l i18n.Lang) error
}

// keepLang records l for the signed-in user of r, when there is one and the sessions can keep it. The page
// still switches when it cannot be recorded.
func (s *Site) keepLang(r *http.Request, l i18n.Lang) {
	k, ok := s.sessions.(LangKeeper)
	c, err := r.Cookie(SessionCookie)
	if !ok || err != nil || c.Value == "" {
		return
	}
	actor, _, err := s.sessions.Authenticate(r.Context(), c.Value)
	if err != nil {
		return
	}
	if err := k.KeepLang(r.Context(), actor, l); err != nil {
		slog.Warn("could not record the chosen language", "account", actor.ID, "err", err)
	}
}
