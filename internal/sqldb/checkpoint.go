package sqldb

import (
	"database/sql"
	"sync"
	"time"
)

// checkpointer copies the write-ahead log into the database file from a connection of its own, beside the
// writer. SQLite's own automatic checkpoint runs inside the commit that crosses its threshold: its two fsyncs
// (the log, then the database file) hold the one writer, and so every write queued behind it, for milliseconds
// at a time, while the cores that have nothing but writes left to do wait (docs/benchmarks.md, police
// lifecycles). A checkpoint on another connection takes no lock the writer needs.
//
// The writer keeps an automatic checkpoint at a higher threshold (writerCheckpointPages) as a backstop: under
// a steady write load the log keeps growing while a checkpoint beside the writer runs, so it is seldom found
// wholly copied, and only then can a transaction start the log again from its beginning; the writer's own
// checkpoint, between two of its transactions, copies what is left (little, the checkpointer having copied the
// rest) and lets the next one restart the log. The log then stays below about that many pages.
type checkpointer struct {
	db      *sql.DB
	kick    chan struct{}
	stop    chan struct{}
	once    sync.Once
	stopped sync.WaitGroup
}

// checkpointEvery is how long the checkpointer lets commits gather after the first one it is told of: a
// checkpoint copies each page once however many commits changed it since the last, and costs two fsyncs.
const checkpointEvery = 250 * time.Millisecond

// writerCheckpointPages is the writer's automatic checkpoint threshold, in pages of the log (SQLite's default
// is 1000): the backstop above.
const writerCheckpointPages = "8000"

// newCheckpointer opens the checkpointer's connection to the SQLite database at path.
func newCheckpointer(path string) (*checkpointer, error) {
	db, err := sql.Open(cachingSQLite, "file:"+path+"?"+sqlitePragmas+"&_pragma=cache_size(-64)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	c := &checkpointer{db: db, kick: make(chan struct{}, 1), stop: make(chan struct{})}
	c.stopped.Add(1)
	go c.loop()
	return c, nil
}

// committed tells the checkpointer that a transaction was committed; it never waits.
func (c *checkpointer) committed() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

func (c *checkpointer) loop() {
	defer c.stopped.Done()
	for {
		select {
		case <-c.kick:
		case <-c.stop:
			return
		}
		select {
		case <-time.After(checkpointEvery):
		case <-c.stop:
			return
		}
		// PASSIVE copies what no reader still needs and never waits; a failure (the disk) leaves the pages to
		// the next checkpoint or to the writer's.
		c.db.Exec(`PRAGMA wal_checkpoint(PASSIVE)`)
	}
}

func (c *checkpointer) close() error {
	c.once.Do(func() { close(c.stop) })
	c.stopped.Wait()
	return c.db.Close()
}
