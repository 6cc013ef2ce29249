package store

import "context"

// SetAccountLang records the language an account reads its messages in.
func (t *Tx) SetAccountLang(ctx context.Context, id int64, lang string) error {
	t.applicant = nil
	_, err := t.tx.ExecContext(ctx, `UPDATE accounts SET lang = $1 WHERE id = $2`, lang, id)
	return err
}
