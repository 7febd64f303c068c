package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
)

// Pay-per-use images are billed by the time their instances run
// (migration 00018; docs/compute.md, "Billing pay-per-use images"): every
// change of an instance's state opens or closes a run (noteRun, called by
// SaveInstance); the hourly job turns the runs into running seconds per
// clock hour (instance_hours), once each hour has ended, and rates each
// instance's billing month (instance_charges).

// InstanceRun is a time an instance ran, to the second: from Start until
// Stop (zero while it runs).
type InstanceRun struct {
	InstanceID string
	Start      time.Time
	Stop       time.Time
	Metered    bool // all its hours are recorded (or its line is not metered)
}

func scanInstanceRun(r scanner) (run InstanceRun, err error) {
	var stop sql.NullTime
	err = r.Scan(&run.InstanceID, &run.Start, &stop, &run.Metered)
	run.Start = run.Start.UTC()
	if stop.Valid {
		run.Stop = stop.Time.UTC()
	}
	return run, err
}

// noteRun keeps the instance's runs in step with its state, at its
// UpdatedAt (to the second): a running instance has an open run, another
// has none. A run stopped and started again within one second goes on as
// one run.
func (tx *Tx) noteRun(ctx context.Context, in Instance) error {
	at := in.UpdatedAt.UTC().Truncate(time.Second)
	if in.State != InstanceRunning {
		_, err := tx.q.ExecContext(ctx, `UPDATE instance_runs SET stopped_at = $2 WHERE instance_id = $1 AND stopped_at IS NULL`, in.ID, at)
		return err
	}
	_, err := tx.q.ExecContext(ctx, `INSERT INTO instance_runs (instance_id, started_at, metered)
		SELECT id, $2, FALSE FROM instances
		WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM instance_runs WHERE instance_id = $1 AND stopped_at IS NULL)
		ON CONFLICT (instance_id, started_at) DO UPDATE SET stopped_at = NULL, metered = FALSE`, in.ID, at)
	return err
}

// AdoptRunning opens a run at `at` for each running instance without one:
// an instance that was running before runs were kept (migration 00018) is
// counted from then. It returns how many it opened.
func (tx *Tx) AdoptRunning(ctx context.Context, at time.Time) (int, error) {
	res, err := tx.q.ExecContext(ctx, `INSERT INTO instance_runs (instance_id, started_at, metered)
		SELECT id, $1, FALSE FROM instances i
		WHERE state = 'running' AND NOT EXISTS (SELECT 1 FROM instance_runs r WHERE r.instance_id = i.id AND r.stopped_at IS NULL)`,
		at.UTC().Truncate(time.Second))
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// UnmeteredInstances lists up to limit instances with runs not metered
// yet, by id, after the id `after` ("": from the first).
func (q *queries) UnmeteredInstances(ctx context.Context, after string, limit int) ([]string, error) {
	return list(ctx, q.q, func(r scanner) (id string, err error) { return id, r.Scan(&id) },
		`SELECT DISTINCT instance_id FROM instance_runs WHERE metered = FALSE AND instance_id > $1 ORDER BY instance_id LIMIT $2`, after, limit)
}

// UnmeteredRuns lists an instance's runs not metered yet, oldest first.
func (q *queries) UnmeteredRuns(ctx context.Context, instanceID string) ([]InstanceRun, error) {
	return list(ctx, q.q, scanInstanceRun, `SELECT instance_id, started_at, stopped_at, metered FROM instance_runs
		WHERE instance_id = $1 AND metered = FALSE ORDER BY started_at`, instanceID)
}

// InstanceRuns lists an instance's runs that overlap [from, to), oldest first.
func (q *queries) InstanceRuns(ctx context.Context, instanceID string, from, to time.Time) ([]InstanceRun, error) {
	return list(ctx, q.q, scanInstanceRun, `SELECT instance_id, started_at, stopped_at, metered FROM instance_runs
		WHERE instance_id = $1 AND started_at < $3 AND (stopped_at IS NULL OR stopped_at > $2) ORDER BY started_at`,
		instanceID, from.UTC(), to.UTC())
}

// MeterRuns marks an instance's runs that stopped by `until` metered: all
// their hours are recorded.
func (tx *Tx) MeterRuns(ctx context.Context, instanceID string, until time.Time) error {
	_, err := tx.q.ExecContext(ctx, `UPDATE instance_runs SET metered = TRUE
		WHERE instance_id = $1 AND metered = FALSE AND stopped_at IS NOT NULL AND stopped_at <= $2`, instanceID, until.UTC())
	return err
}

// SkipRuns marks all an instance's runs metered, the open one too: its
// line is not billed by the hour.
func (tx *Tx) SkipRuns(ctx context.Context, instanceID string) error {
	_, err := tx.q.ExecContext(ctx, `UPDATE instance_runs SET metered = TRUE WHERE instance_id = $1 AND metered = FALSE`, instanceID)
	return err
}

// InstanceHour is the time an instance ran in one clock hour (UTC).
type InstanceHour struct {
	InstanceID string
	Hour       time.Time // the hour's first instant
	Period     string    // its billing month, YYYY-MM
	Seconds    int64     // 1 to 3600
	Rated      bool
}

func scanInstanceHour(r scanner) (h InstanceHour, err error) {
	err = r.Scan(&h.InstanceID, &h.Hour, &h.Period, &h.Seconds, &h.Rated)
	h.Hour = h.Hour.UTC()
	return h, err
}

// LastInstanceHour is the latest hour recorded for an instance (false when
// none is).
func (q *queries) LastInstanceHour(ctx context.Context, instanceID string) (time.Time, bool, error) {
	hs, err := list(ctx, q.q, scanInstanceHour, `SELECT instance_id, hour_at, period, seconds, rated FROM instance_hours
		WHERE instance_id = $1 ORDER BY hour_at DESC LIMIT 1`, instanceID)
	if err != nil || len(hs) == 0 {
		return time.Time{}, false, err
	}
	return hs[0].Hour, true, nil
}

// AddInstanceHours records hours, each once: an hour recorded before is
// left as it was. It returns how many it added.
func (tx *Tx) AddInstanceHours(ctx context.Context, hours []InstanceHour) (int, error) {
	added := 0
	for _, h := range hours {
		res, err := tx.q.ExecContext(ctx, `INSERT INTO instance_hours (instance_id, hour_at, period, seconds, rated) VALUES ($1, $2, $3, $4, FALSE)
			ON CONFLICT (instance_id, hour_at) DO NOTHING`, h.InstanceID, h.Hour.UTC(), h.Period, h.Seconds)
		if err != nil {
			return added, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return added, err
		}
		added += int(n)
	}
	return added, nil
}

// InstanceMonth is an instance's billing month.
type InstanceMonth struct {
	InstanceID string
	Period     string
}

// MonthHours lists an instance-month's hours, oldest first.
func (q *queries) MonthHours(ctx context.Context, m InstanceMonth) ([]InstanceHour, error) {
	return list(ctx, q.q, scanInstanceHour, `SELECT instance_id, hour_at, period, seconds, rated FROM instance_hours
		WHERE instance_id = $1 AND period = $2 ORDER BY hour_at`, m.InstanceID, m.Period)
}

// UnratedInstanceMonths lists up to limit instance-months with hours not
// rated yet, by month and instance, after `after` (zero: from the first).
func (q *queries) UnratedInstanceMonths(ctx context.Context, after InstanceMonth, limit int) ([]InstanceMonth, error) {
	return list(ctx, q.q, func(r scanner) (m InstanceMonth, err error) { return m, r.Scan(&m.Period, &m.InstanceID) },
		`SELECT DISTINCT period, instance_id FROM instance_hours
		WHERE rated = FALSE AND (period > $1 OR (period = $1 AND instance_id > $2)) ORDER BY period, instance_id LIMIT $3`,
		after.Period, after.InstanceID, limit)
}

// TakeUnratedHours marks an instance-month's unrated hours rated and
// returns how many there were, and the month's running seconds (all its
// hours). Marked first, so an hour added meanwhile is left for the next
// rating, never rated without being counted.
func (tx *Tx) TakeUnratedHours(ctx context.Context, m InstanceMonth) (taken int, seconds int64, err error) {
	res, err := tx.q.ExecContext(ctx, `UPDATE instance_hours SET rated = TRUE WHERE instance_id = $1 AND period = $2 AND rated = FALSE`,
		m.InstanceID, m.Period)
	if err != nil {
		return 0, 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, 0, err
	}
	err = tx.q.QueryRowContext(ctx, `SELECT COALESCE(SUM(seconds), 0) FROM instance_hours WHERE instance_id = $1 AND period = $2 AND rated = TRUE`,
		m.InstanceID, m.Period).Scan(&seconds)
	return int(n), seconds, err
}

// InstanceCharge is one rating of an instance's billing month.
type InstanceCharge struct {
	ID          string
	InstanceID  string
	OrderID     string
	LineNo      int
	ProductID   string
	BuyerOrgID  string
	SellerOrgID string
	Period      string
	Seq         int          // 1, 2, … within the month
	Seconds     int64        // the month's running time after this rating
	Quantity    int64        // hours billed for it: Seconds / 3600 rounded up
	Cost        money.Amount // what those hours cost
	Amount      money.Amount // charged by this rating: Cost less the charges before
	PostingID   string       // "" when Amount is zero
	RatedAt     time.Time
}

const instanceChargeColumns = `id, instance_id, order_id, line_no, product_id, buyer_org_id, seller_org_id, period, seq, seconds, quantity,
	cost_minor, amount_minor, currency, posting_id, rated_at`

func scanInstanceCharge(r scanner) (c InstanceCharge, err error) {
	var cur money.Currency
	err = r.Scan(&c.ID, &c.InstanceID, &c.OrderID, &c.LineNo, &c.ProductID, &c.BuyerOrgID, &c.SellerOrgID, &c.Period, &c.Seq, &c.Seconds, &c.Quantity,
		&c.Cost.Minor, &c.Amount.Minor, &cur, &c.PostingID, &c.RatedAt)
	c.Cost.Currency, c.Amount.Currency, c.RatedAt = cur, cur, c.RatedAt.UTC()
	return c, err
}

// AddInstanceCharge records a rating, numbered after the month's last.
//
// Errors: Conflict when another rating took that number meanwhile.
func (tx *Tx) AddInstanceCharge(ctx context.Context, c InstanceCharge) error {
	res, err := tx.q.ExecContext(ctx, `INSERT INTO instance_charges (`+instanceChargeColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
		ON CONFLICT (instance_id, period, seq) DO NOTHING`,
		c.ID, c.InstanceID, c.OrderID, c.LineNo, c.ProductID, c.BuyerOrgID, c.SellerOrgID, c.Period, c.Seq, c.Seconds, c.Quantity,
		c.Cost.Minor, c.Amount.Minor, c.Cost.Currency, c.PostingID, c.RatedAt.UTC())
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	return fault.New(fault.Conflict, "the month of instance %s was rated meanwhile", c.InstanceID)
}

// LastInstanceCharge is the latest rating of an instance's billing month
// (false when it was never rated).
func (q *queries) LastInstanceCharge(ctx context.Context, m InstanceMonth) (InstanceCharge, bool, error) {
	cs, err := list(ctx, q.q, scanInstanceCharge, `SELECT `+instanceChargeColumns+` FROM instance_charges
		WHERE instance_id = $1 AND period = $2 ORDER BY seq DESC LIMIT 1`, m.InstanceID, m.Period)
	if err != nil || len(cs) == 0 {
		return InstanceCharge{}, false, err
	}
	return cs[0], true, nil
}

// MonthCharges lists an instance-month's ratings, oldest first.
func (q *queries) MonthCharges(ctx context.Context, m InstanceMonth) ([]InstanceCharge, error) {
	return list(ctx, q.q, scanInstanceCharge, `SELECT `+instanceChargeColumns+` FROM instance_charges
		WHERE instance_id = $1 AND period = $2 ORDER BY seq`, m.InstanceID, m.Period)
}

// HoursReconciliation is one instance's billing month as its seller
// reconciles it: the running time recorded, what of it is not rated yet,
// the hours billed and what was charged.
type HoursReconciliation struct {
	InstanceID string
	OrderID    string
	LineNo     int
	UnitNo     int
	ProductID  string
	Period     string
	Seconds    int64 // recorded
	Unrated    int64 // of which not rated yet
	Quantity   int64 // hours billed so far
	Charged    money.Amount
}

// SellerInstanceHours lists the instance-months of a seller's products in a
// billing month that ran.
func (q *queries) SellerInstanceHours(ctx context.Context, sellerOrgID, period string) ([]HoursReconciliation, error) {
	rows, err := list(ctx, q.q, func(r scanner) (h HoursReconciliation, err error) {
		return h, r.Scan(&h.InstanceID, &h.OrderID, &h.LineNo, &h.UnitNo, &h.ProductID, &h.Seconds, &h.Unrated)
	}, `SELECT i.id, i.order_id, i.line_no, i.unit_no, i.product_id, SUM(h.seconds), SUM(CASE WHEN h.rated THEN 0 ELSE h.seconds END)
		FROM instance_hours h JOIN instances i ON i.id = h.instance_id
		WHERE i.seller_org_id = $1 AND h.period = $2
		GROUP BY i.id, i.order_id, i.line_no, i.unit_no, i.product_id ORDER BY i.order_id, i.line_no, i.unit_no`, sellerOrgID, period)
	if err != nil {
		return nil, err
	}
	type billed struct {
		quantity int64
		charged  money.Amount
	}
	byInstance := map[string]billed{}
	cs, err := list(ctx, q.q, func(r scanner) (c InstanceCharge, err error) {
		return c, r.Scan(&c.InstanceID, &c.Quantity, &c.Amount.Minor, &c.Amount.Currency)
	}, `SELECT instance_id, MAX(quantity), SUM(amount_minor), currency FROM instance_charges WHERE seller_org_id = $1 AND period = $2
		GROUP BY instance_id, currency`, sellerOrgID, period)
	for _, c := range cs {
		byInstance[c.InstanceID] = billed{c.Quantity, c.Amount}
	}
	for i, r := range rows {
		b := byInstance[r.InstanceID]
		rows[i].Period, rows[i].Quantity, rows[i].Charged = period, b.quantity, b.charged
	}
	return rows, err
}
