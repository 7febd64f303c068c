package market

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/delivery"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/notice"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/store"
)

// A bought line is delivered through an outbox, as mail is: the transaction
// that decides something (a payment, a renewal, a refund, a subscription's
// end) writes a delivery; the periodic job delivery_dispatch queues a deliver
// job for each, many at once; the job carries it out with the deliverer of
// the product's type, retried with the queue's backoff until the delivery's
// deadline (a delivery under way, ErrPending, is looked at every few seconds). docs/delivery.md tells the whole story.

// DeliverArgs asks for one delivery to be carried out.
type DeliverArgs struct {
	DeliveryID string `json:"delivery_id"`
}

// Kind names the job on the queue.
func (DeliverArgs) Kind() string { return "deliver" }

// InsertOpts: the delivery's own deadline ends the retries, long before these
// attempts run out (River's backoff, attempt⁴ seconds, passes three hours at
// the eleventh).
func (DeliverArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 30} }

// DeliveryDispatchArgs asks for the deliveries not yet queued to be queued.
type DeliveryDispatchArgs struct{}

// Kind names the job on the queue.
func (DeliveryDispatchArgs) Kind() string { return "delivery_dispatch" }

// deliverer carries out a delivery of its product type. It marks the delivery
// done (finishDelivery) in the transaction that makes its result durable, or
// returns an error to be tried again.
type deliverer func(ctx context.Context, d delivery.Delivery) error

// deliverers are the product types delivered so far and how. A type without
// one keeps its deliveries in the outbox, unqueued, until its deliverer lands.
func (s *Service) deliverers() map[catalog.Type]deliverer {
	m := map[catalog.Type]deliverer{
		catalog.TypeLicense: s.deliverLicense,
		catalog.TypeService: s.deliverService,
	}
	// Without a compute provider or a SaaS client (cloudmart serve always
	// sets both), those deliveries wait, unqueued.
	if s.compute != nil {
		m[catalog.TypeImage] = s.deliverImage
	}
	if s.saas != nil {
		m[catalog.TypeSaaS] = s.deliverSaaS
	}
	return m
}

// ask writes a delivery of the action on line lineNo of o, asked for by cause
// (asked again by the same cause, nothing is added).
func (s *Service) ask(ctx context.Context, tx *store.Tx, o order.Order, lineNo int, a delivery.Action, cause string, at time.Time) error {
	_, err := tx.AddDelivery(ctx, s.newDelivery(o, o.Lines[lineNo-1], a, cause, at))
	return err
}

// askLines writes a delivery of the action on every line of o, in one
// statement (it runs in every paying transaction).
func (s *Service) askLines(ctx context.Context, tx *store.Tx, o order.Order, a delivery.Action, cause string, at time.Time) error {
	ds := make([]delivery.Delivery, len(o.Lines))
	for i, l := range o.Lines {
		ds[i] = s.newDelivery(o, l, a, cause, at)
	}
	return tx.AddDeliveries(ctx, ds)
}

// newDelivery is a delivery of the action on a line of o, with its type's
// retry window.
func (s *Service) newDelivery(o order.Order, l order.Line, a delivery.Action, cause string, at time.Time) delivery.Delivery {
	d := delivery.New(ids.New("dlv"), o.ID, l.No, a, cause, l.Type, o.BuyerOrgID, l.SellerOrgID, at)
	d.GiveUpAt = at.Add(s.window(a, l.Type))
	return d
}

// askSubscription writes a delivery of the action on the line that started
// the subscription.
func (s *Service) askSubscription(ctx context.Context, tx *store.Tx, orderID string, lineNo int, a delivery.Action, cause string, at time.Time) error {
	o, err := tx.Order(ctx, orderID)
	if err != nil {
		return err
	}
	return s.ask(ctx, tx, o, lineNo, a, cause, at)
}

// DispatchDeliveries queues a deliver job for each delivery not queued yet
// of a type that has a deliverer (the outbox of notify.go's dispatch). It
// returns how many it queued.
func (s *Service) DispatchDeliveries(ctx context.Context) (int, error) {
	total := 0
	for t := range s.deliverers() {
		n, err := s.dispatch(ctx, func(tx *store.Tx, limit int) ([]string, error) { return tx.TakeDeliveries(ctx, string(t), limit) },
			func(id string) river.JobArgs { return DeliverArgs{DeliveryID: id} })
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// ErrPending says a delivery has started and is not finished yet (a server
// still booting, a seller answering "processing"): the job looks again
// shortly, without counting an attempt, until the delivery's deadline.
var ErrPending = errors.New("market: the delivery is under way")

// ErrRefused marks a deliverer's error that no retry can mend (a seller's
// business refusal: sold out, already purchased …): the delivery fails at
// once, as at its deadline.
var ErrRefused = errors.New("market: the delivery was refused")

// ErrNotYourTurn says a delivery waits for an earlier one of its line (an
// open still being tried when the release comes): the job tries it again
// shortly, without counting an attempt.
var ErrNotYourTurn = errors.New("market: an earlier delivery of the line is not finished")

// Deliver carries out a delivery, for the deliver job. A delivery done or
// failed already is left alone, so a job run twice changes nothing. When the
// deliverer fails, the attempt is noted and the error returned for the queue
// to try again; past its deadline, or refused (ErrRefused), the delivery
// fails instead, and a failed open refunds its line in full.
//
// Errors: ErrNotYourTurn; ErrPending; the deliverer's.
func (s *Service) Deliver(ctx context.Context, id string) error {
	d, err := s.store.Delivery(ctx, id)
	if err != nil || d.State != delivery.Waiting {
		return err
	}
	line, err := s.store.LineDeliveries(ctx, d.OrderID, d.LineNo)
	if err != nil {
		return err
	}
	for _, e := range line {
		if e.ID == d.ID {
			break
		}
		if e.State == delivery.Waiting {
			return ErrNotYourTurn
		}
	}
	do, ok := s.deliverers()[d.ProductType]
	if !ok {
		return fmt.Errorf("market: no deliverer for %s products", d.ProductType)
	}
	now := s.now()
	was := d.UpdatedAt
	if d.Attempts == 0 && d.UpdatedAt.Equal(d.CreatedAt) {
		// The window runs from the first look: a delivery that waited for the
		// queue (stopped, or its type not delivered yet) gets all of it.
		d.GiveUpAt = now.Add(d.GiveUpAt.Sub(d.CreatedAt))
	}
	derr := do(ctx, d)
	if derr == nil {
		return nil
	}
	if errors.Is(derr, ErrPending) {
		d.UpdatedAt = now
	} else {
		d.Attempts, d.LastError, d.UpdatedAt = d.Attempts+1, derr.Error(), now
	}
	if now.Before(d.GiveUpAt) && !errors.Is(derr, ErrRefused) {
		err := s.store.Write(ctx, func(tx *store.Tx) error {
			if err := tx.SaveDelivery(ctx, d, was); err != nil {
				return err
			}
			if d.Action == delivery.Open {
				return tx.SetDeliveryState(ctx, d.OrderID, order.Delivering)
			}
			return nil
		})
		return errors.Join(derr, err)
	}
	d.State = delivery.Failed
	return s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.SaveDelivery(ctx, d, was); err != nil {
			return err
		}
		switch d.Action {
		case delivery.Renew, delivery.Upgrade:
			return tx.SetDeliveryState(ctx, d.Cause, order.DeliveryFailed)
		case delivery.Open:
		default:
			return nil
		}
		if err := s.settleOrder(ctx, tx, d.OrderID); err != nil {
			return err
		}
		return s.refundUndelivered(ctx, tx, d, now)
	})
}

// finishDelivery marks a delivery done in tx and, for an open, moves its
// order to delivered once every line is.
func (s *Service) finishDelivery(ctx context.Context, tx *store.Tx, d delivery.Delivery, now time.Time) error {
	was := d.UpdatedAt
	d.State, d.Attempts, d.LastError, d.UpdatedAt = delivery.Done, d.Attempts+1, "", now
	if err := tx.SaveDelivery(ctx, d, was); err != nil {
		return err
	}
	switch d.Action {
	case delivery.Open:
		return s.settleOrder(ctx, tx, d.OrderID)
	case delivery.Renew, delivery.Upgrade: // asked for by the renewal or upgrade order, which is now delivered
		return tx.SetDeliveryState(ctx, d.Cause, order.Delivered)
	}
	return nil
}

// settleOrder sets an order's delivery state from its lines' opens.
func (s *Service) settleOrder(ctx context.Context, tx *store.Tx, orderID string) error {
	all, err := tx.OrderDeliveries(ctx, orderID)
	if err != nil {
		return err
	}
	var opens []delivery.State
	for _, d := range all {
		if d.Action == delivery.Open {
			opens = append(opens, d.State)
		}
	}
	state := map[delivery.State]order.State{delivery.Waiting: order.Delivering, delivery.Done: order.Delivered, delivery.Failed: order.DeliveryFailed}
	return tx.SetDeliveryState(ctx, orderID, state[delivery.OrderState(opens)])
}

// refundUndelivered gives back in full what the buyer paid for a line that
// could not be delivered (less what was refunded already), whatever the
// product's refund policy, and tells the buyers.
func (s *Service) refundUndelivered(ctx context.Context, tx *store.Tx, d delivery.Delivery, now time.Time) error {
	if err := tx.LockOrder(ctx, d.OrderID); err != nil {
		return err
	}
	o, err := tx.Order(ctx, d.OrderID)
	if err != nil {
		return err
	}
	parts := make([]money.Amount, len(o.Lines))
	for i, l := range o.Lines {
		parts[i] = money.New(0, o.Currency)
		if l.No == d.LineNo {
			if parts[i], err = l.Paid.Sub(l.Refunded); err != nil {
				return err
			}
		}
	}
	amount, err := money.Sum(o.Currency, parts...)
	if err != nil || amount.Minor <= 0 {
		return err
	}
	reason := "delivery failed: " + d.LastError
	r := store.Refund{ID: ids.New("rfd"), OrderID: o.ID, Amount: amount, Reason: reason, CreatedAt: now}
	if r, err = s.giveBack(ctx, tx, o, parts, r, true); err != nil {
		return err
	}
	buyers, err := tx.OrgMembers(ctx, o.BuyerOrgID, account.RoleBuyer)
	if err != nil {
		return err
	}
	if err := s.notify(ctx, tx, buyers, notice.Notification{Kind: "order.delivery_failed", Link: "/orders/" + o.ID,
		TitleEN: "Delivery failed: " + amount.String() + " refunded", TitleZH: "交付失败：已退款 " + amount.String(),
		BodyEN: "Line " + fmt.Sprint(d.LineNo) + " of order " + o.ID + " could not be delivered; what you paid for it is back on your balance.",
		BodyZH: "订单 " + o.ID + " 的第 " + fmt.Sprint(d.LineNo) + " 行无法交付，所付款项已退回余额。"}); err != nil {
		return err
	}
	return record(ctx, tx, account.Actor{}, now, change{role: roleSystem, action: "order.refund", objectType: "order", objectID: o.ID, orgID: o.BuyerOrgID,
		summary: fmt.Sprintf("refund of %s on order %s: %s", amount, o.ID, reason), after: r})
}

// Deliveries lists an order's deliveries, for its page: its buyers, the
// sellers of its lines (their lines only), operators.
//
// Errors: NotFound.
func (s *Service) Deliveries(ctx context.Context, actor account.Actor, orderID string) ([]delivery.Delivery, error) {
	o, err := s.Order(ctx, actor, orderID)
	if err != nil {
		return nil, err
	}
	all, err := s.store.OrderDeliveries(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	var out []delivery.Delivery
	for _, d := range all {
		for _, l := range o.Lines { // a seller's view holds its lines only
			if l.No == d.LineNo {
				out = append(out, d)
			}
		}
	}
	return out, nil
}
