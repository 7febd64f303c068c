package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/cloudmart/cloudmart/delivery/ecs"
)

// The simulated compute service's servers: Store implements ecs.SimStorage.
// Each change is its own transaction, as a call to a real cloud would be,
// never part of a use case's.

var _ ecs.SimStorage = (*Store)(nil)

// AddSimServer saves a new server unless its client token or address is
// taken already; then it saves nothing and returns false. The unique indexes
// decide, so concurrent creates never share an address.
func (s *Store) AddSimServer(ctx context.Context, r ecs.SimServer) (bool, error) {
	meta := r.Metadata
	if meta == nil {
		meta = map[string]string{}
	}
	b, err := json.Marshal(meta)
	if err != nil {
		return false, err
	}
	var added bool
	err = s.Write(ctx, func(tx *Tx) error {
		res, err := tx.q.ExecContext(ctx, `
			INSERT INTO sim_servers (id, client_token, name, image_ref, flavor, region, network, key_name, metadata,
				status, fault, fail_boot, address, created_at, ready_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
			ON CONFLICT DO NOTHING`,
			r.ID, nullable(r.ClientToken), r.Name, r.ImageRef, r.Flavor, r.Region, r.Network, r.KeyName, string(b),
			r.Status, r.Fault, r.FailBoot, nullable(r.Address), r.CreatedAt.UTC(), r.ReadyAt.UTC(), r.UpdatedAt.UTC())
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		added = n == 1
		return err
	})
	return added, err
}

// SimServer returns the server with the id.
//
// Errors: ecs.ErrNotFound.
func (q *queries) SimServer(ctx context.Context, id string) (ecs.SimServer, error) {
	return q.simServer(ctx, `WHERE id = $1`, id)
}

// SimServerByToken returns the server created with the client token.
//
// Errors: ecs.ErrNotFound.
func (q *queries) SimServerByToken(ctx context.Context, token string) (ecs.SimServer, error) {
	return q.simServer(ctx, `WHERE client_token = $1`, token)
}

func (q *queries) simServer(ctx context.Context, where, key string) (ecs.SimServer, error) {
	rs, err := list(ctx, q.q, scanSimServer, `
		SELECT id, COALESCE(client_token, ''), name, image_ref, flavor, region, network, key_name, metadata,
			status, fault, fail_boot, COALESCE(address, ''), created_at, ready_at, updated_at
		FROM sim_servers `+where, key)
	if err != nil {
		return ecs.SimServer{}, err
	}
	if len(rs) == 0 {
		return ecs.SimServer{}, fmt.Errorf("%w: %s", ecs.ErrNotFound, key)
	}
	return rs[0], nil
}

func scanSimServer(s scanner) (r ecs.SimServer, err error) {
	var meta string
	err = s.Scan(&r.ID, &r.ClientToken, &r.Name, &r.ImageRef, &r.Flavor, &r.Region, &r.Network, &r.KeyName, &meta,
		&r.Status, &r.Fault, &r.FailBoot, &r.Address, &r.CreatedAt, &r.ReadyAt, &r.UpdatedAt)
	if err == nil {
		err = json.Unmarshal([]byte(meta), &r.Metadata)
	}
	return r, err
}

// SimAddresses lists the addresses that servers hold.
func (q *queries) SimAddresses(ctx context.Context) ([]string, error) {
	return list(ctx, q.q, func(s scanner) (a string, err error) { return a, s.Scan(&a) },
		`SELECT address FROM sim_servers WHERE address IS NOT NULL`)
}

// SetSimStatus moves the server from the status from to the status to, with
// the fault, releasing its address when to is DELETED. It returns false,
// changing nothing, when the server is not in from or does not exist.
func (s *Store) SetSimStatus(ctx context.Context, id string, from, to ecs.Status, fault string, at time.Time) (bool, error) {
	var moved bool
	err := s.Write(ctx, func(tx *Tx) error {
		res, err := tx.q.ExecContext(ctx, `
			UPDATE sim_servers
			SET status = $3, fault = $4, updated_at = $5, address = CASE WHEN $3 = 'DELETED' THEN NULL ELSE address END
			WHERE id = $1 AND status = $2`,
			id, from, to, fault, at.UTC())
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		moved = n == 1
		return err
	})
	return moved, err
}
