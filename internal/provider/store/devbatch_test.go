package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// Messages recorded at the same time go in shared INSERTs; each is stored exactly once, to its own recipient,
// and each recorder returns only once its message can be read.
func TestConcurrentDevMessagesStoredOnceEach(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newStore(t, db)
		ctx := context.Background()
		const n = 150 // more than one INSERT's rows
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Go(func() {
				to := fmt.Sprintf("138%08d", i)
				err := s.RecordDevMessage(ctx, store.DevMessage{Channel: "sms", To: to, Body: "code " + to, CreatedAt: now})
				if err == nil {
					msgs, rerr := s.DevMessages(ctx, to, 5)
					if rerr != nil || len(msgs) != 1 || msgs[0].Body != "code "+to {
						err = fmt.Errorf("%s after recording: %+v %v", to, msgs, rerr)
					}
				}
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		all, err := s.DevMessages(ctx, "", 2*n)
		if err != nil || len(all) != n {
			t.Fatalf("%d messages stored, want %d (%v)", len(all), n, err)
		}
	})
}
