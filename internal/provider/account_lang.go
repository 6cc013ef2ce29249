package provider

import (
	"context"

	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
)

// SetLang records the language the account chose on the pages: its notifications (SMS, e-mail, inbox) are
// written in it from then on.
func (s *Service) SetLang(ctx context.Context, by Actor, lang i18n.Lang) error {
	if !i18n.Valid(lang) {
		return problem.Invalidf("account.lang_invalid", "lang")
	}
	return s.st.Update(ctx, func(tx *store.Tx) error { return tx.SetAccountLang(ctx, by.ID, string(lang)) })
}
