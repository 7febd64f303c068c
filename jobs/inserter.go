package jobs

import (
	"database/sql"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/cloudmart/cloudmart/store"
)

// NewInserter returns a client that only inserts jobs and never works them:
// for commands and tests that change the database while the server's queue
// does the work.
func NewInserter(st *store.Store) (*river.Client[*sql.Tx], error) {
	c, err := river.NewClient(st.RiverDriver(), &river.Config{})
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return c, nil
}
