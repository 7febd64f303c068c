package market

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"gocloud.dev/blob"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/delivery"
	"github.com/cloudmart/cloudmart/engagement"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/notice"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/store"
)

// Professional services (docs/services.md): the open delivery of a service
// line starts its engagement (a service order) and stays waiting while the
// seller works, so the order shows delivering; the step that makes the
// engagement final finishes that delivery in its transaction, before any
// refund is posted, so the order shows delivered or its refund state and the
// release a full refund asks for is not stuck behind a waiting open.

// EngagementView is a service order as one viewer sees it.
type EngagementView struct {
	engagement.Engagement
	Role        engagement.Role   // the viewer's part: buyer, seller or operator
	Actions     []engagement.Kind // what the viewer may do now
	ProductName catalog.Text      // the product as it was bought
	Plan        string
	Thread      []engagement.Message // oldest first; only for one engagement (Engagement)
}

// Upload is a file sent with a message or a delivery.
type Upload struct {
	Name string
	Body io.Reader
}

// roleOn is the part the actor plays in the engagement: a buyer of the
// buying organisation, a member of the selling company, or else an operator;
// "" for anyone else, who may not see it.
func roleOn(actor account.Actor, e engagement.Engagement) engagement.Role {
	switch {
	case account.Can(actor, account.Buy, account.Resource{OrgID: e.BuyerOrgID}):
		return engagement.Buyer
	case account.Can(actor, account.ManageProducts, account.Resource{OrgID: e.SellerOrgID}):
		return engagement.Seller
	case account.Can(actor, account.ReadAllOrders, account.Resource{}):
		return engagement.Operator
	}
	return ""
}

var errNoEngagement = &fault.Error{Code: fault.NotFound, MsgID: "error.no_service_order", Message: "no such service order"}

// engagementFor loads an engagement the actor may see, with the actor's part.
//
// Errors: NotFound (also for an engagement the actor may not see).
func (s *Service) engagementFor(ctx context.Context, actor account.Actor, id string) (engagement.Engagement, engagement.Role, error) {
	e, err := s.store.Engagement(ctx, id)
	if fault.Is(err, fault.NotFound) {
		return e, "", errNoEngagement
	}
	if err != nil {
		return e, "", err
	}
	role := roleOn(actor, e)
	if role == "" {
		return e, "", errNoEngagement
	}
	return e, role, nil
}

// Engagement returns a service order with its thread, to the buyers of the
// buying organisation, the people of the selling company and operators.
//
// Errors: NotFound for anyone else.
func (s *Service) Engagement(ctx context.Context, actor account.Actor, id string) (EngagementView, error) {
	e, role, err := s.engagementFor(ctx, actor, id)
	if err != nil {
		return EngagementView{}, err
	}
	v, err := s.engagementView(ctx, s.store, e, role, nil)
	if err != nil {
		return v, err
	}
	v.Thread, err = s.store.EngagementMessages(ctx, e.ID)
	return v, err
}

// engagementView adds the viewer's part and the line bought; orders caches
// the orders read already (nil for none).
func (s *Service) engagementView(ctx context.Context, q interface {
	Order(context.Context, string) (order.Order, error)
}, e engagement.Engagement, role engagement.Role, orders map[string]order.Order) (EngagementView, error) {
	v := EngagementView{Engagement: e, Role: role, Actions: engagement.Actions(e, role, s.now())}
	o, ok := orders[e.OrderID]
	if !ok {
		var err error
		if o, err = q.Order(ctx, e.OrderID); err != nil {
			return v, err
		}
		if orders != nil {
			orders[e.OrderID] = o
		}
	}
	if e.LineNo >= 1 && e.LineNo <= len(o.Lines) {
		l := o.Lines[e.LineNo-1]
		v.ProductName, v.Plan = l.ProductName, l.Plan
	}
	return v, nil
}

// Engagements lists service orders, newest first: a customer's
// (f.BuyerOrgID: its buyers, operators), a seller's (f.SellerOrgID: its
// people, operators), or, with neither, any (operators: the dispute queue is
// State disputed).
//
// Errors: Unauthorized; Forbidden.
func (s *Service) Engagements(ctx context.Context, actor account.Actor, f store.EngagementFilter) ([]EngagementView, error) {
	var err error
	switch {
	case f.BuyerOrgID != "" && f.SellerOrgID == "":
		err = allow(actor, account.ReadPurchases, account.Resource{OrgID: f.BuyerOrgID})
	case f.SellerOrgID != "" && f.BuyerOrgID == "":
		err = allow(actor, account.ReadSales, account.Resource{OrgID: f.SellerOrgID})
	default:
		err = allow(actor, account.ReadAllOrders, account.Resource{})
	}
	if err != nil {
		return nil, err
	}
	list, err := s.store.Engagements(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]EngagementView, 0, len(list))
	orders := map[string]order.Order{}
	for _, e := range list {
		v, err := s.engagementView(ctx, s.store, e, roleOn(actor, e), orders)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// SellerEngagements lists the service orders of the caller's seller
// company, newest first, of one state or all ("").
//
// Errors: Unauthorized; Forbidden when the caller works for no seller.
func (s *Service) SellerEngagements(ctx context.Context, actor account.Actor, state engagement.State, before string) ([]EngagementView, error) {
	org, err := ownSellerOrg(actor)
	if err != nil {
		return nil, err
	}
	return s.Engagements(ctx, actor, store.EngagementFilter{SellerOrgID: org, State: state, Before: before})
}

// EngagementOfLine returns the service order of an order line, if the line
// has one and the actor may see it (for the order's page).
func (s *Service) EngagementOfLine(ctx context.Context, actor account.Actor, orderID string, lineNo int) (engagement.Engagement, bool, error) {
	e, ok, err := s.store.EngagementOfLine(ctx, orderID, lineNo)
	if err != nil || !ok || roleOn(actor, e) == "" {
		return engagement.Engagement{}, false, err
	}
	return e, true, nil
}

// AcceptEngagement: the seller takes the service order on, before its
// acceptance deadline.
//
// Errors: NotFound; those of engagement.Next; Conflict (error.changed_meanwhile).
func (s *Service) AcceptEngagement(ctx context.Context, actor account.Actor, id string) (EngagementView, error) {
	return s.step(ctx, actor, id, engagement.Action{Kind: engagement.Accept}, nil)
}

// DeclineEngagement: the seller turns the service order down, saying why;
// the buyer gets back what it paid for the line.
//
// Errors: as AcceptEngagement.
func (s *Service) DeclineEngagement(ctx context.Context, actor account.Actor, id, reason string) (EngagementView, error) {
	return s.step(ctx, actor, id, engagement.Action{Kind: engagement.Decline, Note: reason}, nil)
}

// CancelEngagement: the buyer (or an operator for it) cancels the service
// order before the seller accepts it; the buyer gets back what it paid.
//
// Errors: as AcceptEngagement.
func (s *Service) CancelEngagement(ctx context.Context, actor account.Actor, id, reason string) (EngagementView, error) {
	return s.step(ctx, actor, id, engagement.Action{Kind: engagement.Cancel, Note: reason}, nil)
}

// DeliverEngagement: the seller hands over the work, a note and 1 to 5
// deliverable files; the buyer has 7 days to confirm or dispute.
//
// Errors: as AcceptEngagement; those of the files (see PostEngagementMessage).
func (s *Service) DeliverEngagement(ctx context.Context, actor account.Actor, id, note string, files []Upload) (EngagementView, error) {
	return s.step(ctx, actor, id, engagement.Action{Kind: engagement.Deliver, Note: note}, files)
}

// ConfirmEngagement: the buyer accepts the delivery; the order is delivered.
//
// Errors: as AcceptEngagement.
func (s *Service) ConfirmEngagement(ctx context.Context, actor account.Actor, id string) (EngagementView, error) {
	return s.step(ctx, actor, id, engagement.Action{Kind: engagement.Confirm}, nil)
}

// DisputeEngagement: the buyer disputes the delivery, saying why, before it
// is confirmed by itself; an operator decides.
//
// Errors: as AcceptEngagement.
func (s *Service) DisputeEngagement(ctx context.Context, actor account.Actor, id, reason string) (EngagementView, error) {
	return s.step(ctx, actor, id, engagement.Action{Kind: engagement.Dispute, Note: reason}, nil)
}

// ResolveEngagement: an operator settles a dispute, explaining the decision:
// a zero refund confirms the delivery, all that was paid refunds it, an
// amount between refunds that part (posted to the ledger at once).
//
// Errors: as AcceptEngagement.
func (s *Service) ResolveEngagement(ctx context.Context, actor account.Actor, id, note string, refund money.Amount) (EngagementView, error) {
	return s.step(ctx, actor, id, engagement.Action{Kind: engagement.Resolve, Note: note, Refund: refund}, nil)
}

// PostEngagementMessage adds a message, with up to 5 files of at most 50 MiB
// each, to a service order's thread, and tells the other side. The files are
// kept in the blob store before the message refers to them; a message that
// is refused removes them.
//
// Errors: NotFound; those of engagement.CheckMessage; Invalid on
// "attachments[i]" (error.file_read) for an upload that broke off, on "body"
// (error.messages_many).
func (s *Service) PostEngagementMessage(ctx context.Context, actor account.Actor, id, body string, files []Upload) (engagement.Message, error) {
	e, role, err := s.engagementFor(ctx, actor, id)
	if err != nil {
		return engagement.Message{}, err
	}
	now := s.now()
	m := engagement.Message{ID: ids.New("msg"), EngagementID: e.ID, Author: role, AuthorUserID: actor.UserID, Body: strings.TrimSpace(body), CreatedAt: now}
	// Refuse what is refused anyway before keeping any file.
	pre := m
	for range files {
		pre.Attachments = append(pre.Attachments, placeholder)
	}
	if err := engagement.CheckMessage(e, pre); err != nil {
		return m, err
	}
	if m.Attachments, err = s.keepFiles(ctx, engagementDir(e.ID), "attachments", files); err != nil {
		return m, err
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		cur, err := tx.Engagement(ctx, e.ID)
		if err != nil {
			return err
		}
		if err := engagement.CheckMessage(cur, m); err != nil {
			return err
		}
		if err := tx.AddEngagementMessage(ctx, m); err != nil {
			return err
		}
		return s.tellMessage(ctx, tx, cur, role)
	})
	if err != nil {
		s.dropFiles(ctx, m.Attachments)
		return engagement.Message{}, err
	}
	return m, nil
}

// EngagementFile returns a file of a service order's thread with its bytes,
// to those who may see the service order.
//
// Errors: NotFound (also for a file of another service order).
func (s *Service) EngagementFile(ctx context.Context, actor account.Actor, id, fileID string) (engagement.Attachment, []byte, error) {
	e, _, err := s.engagementFor(ctx, actor, id)
	if err != nil {
		return engagement.Attachment{}, nil, err
	}
	thread, err := s.store.EngagementMessages(ctx, e.ID)
	if err != nil {
		return engagement.Attachment{}, nil, err
	}
	key := fileKey(e.ID, fileID)
	for _, m := range thread {
		for _, a := range m.Attachments {
			if a.BlobKey != key {
				continue
			}
			if s.blobs == nil {
				return a, nil, errNoBlobs
			}
			data, err := s.blobs.ReadAll(ctx, a.BlobKey)
			if err != nil {
				return a, nil, fmt.Errorf("market: read service order file %s: %w", a.BlobKey, err)
			}
			return a, data, nil
		}
	}
	return engagement.Attachment{}, nil, &fault.Error{Code: fault.NotFound, MsgID: "error.no_file", Message: "no such file"}
}

// placeholder stands for a file not read yet, to check a step or a message
// before keeping its files.
var placeholder = engagement.Attachment{BlobKey: "x", Name: "x", Size: 1, ContentType: "text/plain"}

// fileKey is where a file of an engagement's thread is kept.
func fileKey(engagementID, fileID string) string { return engagementDir(engagementID) + "/" + fileID }

// engagementDir is where the files of an engagement's thread are kept.
func engagementDir(engagementID string) string { return "engagements/" + engagementID }

// FileID is the last part of an attachment's key, which names it in
// addresses (…/files/{file}).
func FileID(a engagement.Attachment) string {
	return a.BlobKey[strings.LastIndexByte(a.BlobKey, '/')+1:]
}

// keepFiles reads the uploads (each at most engagement.MaxFileSize, its type
// judged by its content) into the blob store under dir, naming errors by
// field. Support tickets' threads keep their files this way too.
func (s *Service) keepFiles(ctx context.Context, dir, field string, files []Upload) ([]engagement.Attachment, error) {
	if len(files) == 0 {
		return nil, nil
	}
	if len(files) > engagement.MaxAttachments {
		return nil, fault.Field(field, "error.attachments_many", "attach at most 5 files")
	}
	if s.blobs == nil {
		return nil, errNoBlobs
	}
	var kept []engagement.Attachment
	fail := func(err error) ([]engagement.Attachment, error) {
		s.dropFiles(ctx, kept)
		return nil, err
	}
	for i, f := range files {
		at := fmt.Sprintf("%s[%d]", field, i)
		// Read one byte past the limit to tell "exactly at" from "over".
		data, err := io.ReadAll(io.LimitReader(f.Body, engagement.MaxFileSize+1))
		if err != nil {
			return fail(fault.Field(at, "error.file_read", "the upload was interrupted: try again"))
		}
		a := engagement.Attachment{BlobKey: dir + "/" + ids.New("att"), Name: strings.TrimSpace(f.Name), Size: int64(len(data)),
			ContentType: http.DetectContentType(data[:min(len(data), 512)])}
		if err := engagement.CheckAttachments(field, append(slices.Clone(kept), a)); err != nil {
			return fail(err)
		}
		if err := s.blobs.WriteAll(ctx, a.BlobKey, data, &blob.WriterOptions{ContentType: a.ContentType}); err != nil {
			return fail(fmt.Errorf("market: store service order file: %w", err))
		}
		kept = append(kept, a)
	}
	return kept, nil
}

// dropFiles removes files kept for a message that was not recorded.
func (s *Service) dropFiles(ctx context.Context, files []engagement.Attachment) {
	for _, a := range files {
		_ = s.blobs.Delete(context.WithoutCancel(ctx), a.BlobKey)
	}
}

// step takes an action on an engagement for the actor, in the part the
// actor plays: files are kept first (a refused step removes them), then one
// transaction takes the step, records its text in the thread, finishes the
// line's open delivery when the engagement ends, posts its refund and tells
// the other side.
func (s *Service) step(ctx context.Context, actor account.Actor, id string, a engagement.Action, files []Upload) (EngagementView, error) {
	e, role, err := s.engagementFor(ctx, actor, id)
	if err != nil {
		return EngagementView{}, err
	}
	a.By = role
	now := s.now()
	if a.Kind == engagement.Deliver {
		// Refuse what is refused anyway before keeping any file.
		pre := a
		for range files {
			pre.Files = append(pre.Files, placeholder)
		}
		if _, err := engagement.Next(e, pre, now); err != nil {
			return EngagementView{}, err
		}
		if a.Files, err = s.keepFiles(ctx, engagementDir(e.ID), "files", files); err != nil {
			return EngagementView{}, err
		}
	}
	var next engagement.Engagement
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		// The order first, as a refund does: two refunds of a line never cross.
		if err := tx.LockOrder(ctx, e.OrderID); err != nil {
			return err
		}
		cur, err := tx.Engagement(ctx, e.ID)
		if err != nil {
			return err
		}
		next, err = s.moveOn(ctx, tx, cur, a, actor, now)
		return err
	})
	if err != nil {
		s.dropFiles(ctx, a.Files)
		return EngagementView{}, err
	}
	return s.engagementView(ctx, s.store, next, role, nil)
}

// moveOn takes the step a on e in tx with everything that goes with it: the
// text in the thread, the open delivery finished when e ends, the refund
// posted, the other side told.
func (s *Service) moveOn(ctx context.Context, tx *store.Tx, e engagement.Engagement, a engagement.Action, actor account.Actor, now time.Time) (engagement.Engagement, error) {
	next, err := s.transition(ctx, tx, e, a, actor, now)
	if err != nil {
		return e, err
	}
	if err := s.refundEngagement(ctx, tx, e, next, actor, now); err != nil {
		return e, err
	}
	return next, s.tellStep(ctx, tx, next, a)
}

// transition stores the step a on e and its text, and finishes the line's
// open delivery when the engagement ends. It posts no money.
func (s *Service) transition(ctx context.Context, tx *store.Tx, e engagement.Engagement, a engagement.Action, actor account.Actor, now time.Time) (engagement.Engagement, error) {
	next, err := engagement.Next(e, a, now)
	if err != nil {
		return e, err
	}
	if err := tx.TransitionEngagement(ctx, e.State, next); err != nil {
		return e, err
	}
	next.Version++
	if m, ok := a.Message(ids.New("msg"), next, actor.UserID, now); ok {
		if err := tx.AddEngagementMessage(ctx, m); err != nil {
			return e, err
		}
	}
	if next.State.Final() {
		if err := s.finishOpen(ctx, tx, next.OrderID, next.LineNo, now); err != nil {
			return e, err
		}
	}
	return next, record(ctx, tx, actor, now, change{role: string(a.By), action: "engagement." + string(a.Kind), objectType: "engagement",
		objectID: e.ID, orgID: e.BuyerOrgID, summary: fmt.Sprintf("service order %s (order %s line %d): %s → %s", e.ID, e.OrderID, e.LineNo, e.State, next.State),
		before: e, after: next})
}

// finishOpen marks the line's open delivery done: the work it stood for is
// over, one way or another.
func (s *Service) finishOpen(ctx context.Context, tx *store.Tx, orderID string, lineNo int, now time.Time) error {
	ds, err := tx.LineDeliveries(ctx, orderID, lineNo)
	if err != nil {
		return err
	}
	for _, d := range ds {
		if d.Action == delivery.Open && d.State == delivery.Waiting {
			return s.finishDelivery(ctx, tx, d, now)
		}
	}
	return nil
}

// refundEngagement posts what the step from was to next gives back
// (engagement.Refund), at most what the line has not had back yet, as a
// refund of the order's line.
func (s *Service) refundEngagement(ctx context.Context, tx *store.Tx, was, next engagement.Engagement, actor account.Actor, now time.Time) error {
	amount := engagement.Refund(was, next)
	if amount.Minor <= 0 {
		return nil
	}
	o, err := tx.Order(ctx, next.OrderID)
	if err != nil {
		return err
	}
	parts := make([]money.Amount, len(o.Lines))
	for i, l := range o.Lines {
		parts[i] = money.New(0, o.Currency)
		if l.No == next.LineNo {
			left, err := l.Paid.Sub(l.Refunded)
			if err != nil {
				return err
			}
			amount.Minor = min(amount.Minor, left.Minor)
			parts[i] = amount
		}
	}
	if amount.Minor <= 0 {
		return nil
	}
	reason := refundReason(next)
	r := store.Refund{ID: ids.New("rfd"), OrderID: o.ID, Amount: amount, Reason: reason, CreatedAt: now, CreatedBy: actor.UserID}
	if r, err = s.giveBack(ctx, tx, o, parts, r, true); err != nil {
		return err
	}
	role := string(engagement.System)
	if actor.Signed() {
		role = string(roleOn(actor, next))
	}
	return record(ctx, tx, actor, now, change{role: role, action: "order.refund", objectType: "order", objectID: o.ID, orgID: o.BuyerOrgID,
		summary: fmt.Sprintf("refund of %s on order %s: %s", amount, o.ID, reason), after: r})
}

// refundReason says on the refund why a service order gave money back.
func refundReason(e engagement.Engagement) string {
	why := map[engagement.Kind]string{
		engagement.Decline: "service order declined by the seller",
		engagement.Cancel:  "service order cancelled",
		engagement.Expire:  "service order not accepted in time",
		engagement.Resolve: "dispute resolved by the marketplace",
	}[e.Cause]
	text := e.Reason
	if e.Cause == engagement.Resolve {
		text = e.Resolution
	}
	if text != "" {
		why += ": " + text
	}
	if r := []rune(why); len(r) > 500 {
		why = string(r[:499]) + "…"
	}
	return why
}

// deliverService carries out a delivery of a professional service line.
// The open starts the line's engagement (once: a job run again finds it) and
// stays waiting while the work goes on: the step that ends the engagement
// finishes it. A line refunded in full before its open ran needs no
// engagement. Anything else asked of the line (the release of a full refund)
// has nothing left to do.
func (s *Service) deliverService(ctx context.Context, d delivery.Delivery) error {
	now := s.now()
	return s.store.Write(ctx, func(tx *store.Tx) error {
		if d.Action != delivery.Open {
			return s.finishDelivery(ctx, tx, d, now)
		}
		o, err := tx.Order(ctx, d.OrderID)
		if err != nil {
			return err
		}
		l := o.Lines[d.LineNo-1]
		if l.Refunded.Minor >= l.Paid.Minor && l.Paid.Minor > 0 {
			return s.finishDelivery(ctx, tx, d, now)
		}
		e, created, err := tx.CreateEngagement(ctx, engagement.Start(ids.New("eng"), o, l, s.calendar))
		switch {
		case err != nil:
			return err
		case e.State.Final():
			return s.finishDelivery(ctx, tx, d, now)
		case !created:
			return nil
		}
		if err := s.settleOrder(ctx, tx, o.ID); err != nil {
			return err
		}
		if err := record(ctx, tx, account.Actor{}, now, change{role: roleSystem, action: "engagement.open", objectType: "engagement", objectID: e.ID,
			orgID: e.BuyerOrgID, summary: fmt.Sprintf("service order %s opened for order %s line %d", e.ID, o.ID, l.No), after: e}); err != nil {
			return err
		}
		return s.tellOpen(ctx, tx, e, l)
	})
}

// RunEngagements takes the automatic steps due by now (engagement.Due): a
// service order not accepted by its deadline is refunded, a delivery neither
// confirmed nor disputed in 7 days is confirmed. One transaction each; one
// that someone acted on first is passed over. It returns how many it moved.
func (s *Service) RunEngagements(ctx context.Context, now time.Time) (int, error) {
	const batch = 200
	moved := 0
	for range 50 {
		due, err := s.store.DueEngagements(ctx, now, batch)
		if err != nil {
			return moved, err
		}
		progress := 0
		for _, e := range due {
			a, ok := engagement.Due(e, now)
			if !ok {
				continue
			}
			err := s.store.Write(ctx, func(tx *store.Tx) error {
				if err := tx.LockOrder(ctx, e.OrderID); err != nil {
					return err
				}
				cur, err := tx.Engagement(ctx, e.ID)
				if err != nil {
					return err
				}
				_, err = s.moveOn(ctx, tx, cur, a, account.Actor{}, now)
				return err
			})
			switch {
			case err == nil:
				moved++
				progress++
			case fault.Is(err, fault.Conflict), fault.Is(err, fault.InvalidState):
				progress++ // someone acted first: its state moved on
			default:
				return moved, err
			}
		}
		if len(due) < batch || progress == 0 {
			break
		}
	}
	return moved, nil
}

// EngagementsArgs asks for the service orders' automatic steps to be taken.
type EngagementsArgs struct{}

// Kind names the job on the queue.
func (EngagementsArgs) Kind() string { return "engagements" }

// cancelRefunded cancels, in tx, the engagements of the service lines that
// parts refund in full (a refund through Refund, before the seller accepted)
// and finishes their open deliveries, so the release the refund asks for
// runs. by is who refunds: the buyer or an operator.
func (s *Service) cancelRefunded(ctx context.Context, tx *store.Tx, o order.Order, parts []money.Amount, actor account.Actor, by engagement.Role, reason string, now time.Time) error {
	for i, l := range o.Lines {
		if l.Type != catalog.TypeService || parts[i].IsZero() || l.Refunded.Minor+parts[i].Minor < l.Paid.Minor {
			continue
		}
		e, ok, err := tx.EngagementOfLine(ctx, o.ID, l.No)
		if err != nil {
			return err
		}
		if !ok || e.State.Final() {
			continue // not opened yet: its open will find the line refunded
		}
		next, err := s.transition(ctx, tx, e, engagement.Action{Kind: engagement.Cancel, By: by, Note: reason}, actor, now)
		if err != nil {
			return err
		}
		if err := s.tellStep(ctx, tx, next, engagement.Action{Kind: engagement.Cancel, By: by}); err != nil {
			return err
		}
	}
	return nil
}

// engagementConsumed says whether a service line can no longer be refunded
// in full (order.Use.Consumed): its seller accepted it.
func engagementConsumed(ctx context.Context, q interface {
	EngagementOfLine(context.Context, string, int) (engagement.Engagement, bool, error)
}, o order.Order, l order.Line) (bool, error) {
	e, ok, err := q.EngagementOfLine(ctx, o.ID, l.No)
	return ok && e.Accepted(), err
}

// Notifications of the steps: who hears of them, and what.

// engagementLinks are a service order's pages, by the part of the reader.
func engagementLink(role engagement.Role, id string) string {
	switch role {
	case engagement.Seller:
		return "/seller/service-orders/" + id
	case engagement.Operator:
		return "/ops/service-orders/" + id
	}
	return "/service-orders/" + id
}

// stepNotices say what happened, in English and Chinese, with %s for the
// product's name.
var stepNotices = map[engagement.Kind][4]string{
	engagement.Accept: {"Service order accepted: %s", "服务订单已接单：%s",
		"The seller accepted the service order and is working on it.", "卖家已接受该服务订单，正在处理。"},
	engagement.Decline: {"Service order declined: %s", "服务订单被拒绝：%s",
		"The seller declined the service order; what you paid for it is back on your balance.", "卖家拒绝了该服务订单，所付款项已退回余额。"},
	engagement.Cancel: {"Service order cancelled: %s", "服务订单已取消：%s",
		"The service order was cancelled before it was accepted and refunded in full.", "该服务订单在接单前取消，已全额退款。"},
	engagement.Expire: {"Service order not accepted in time: %s", "服务订单超时未接单：%s",
		"The seller did not accept the service order within 3 working days; it was refunded in full.", "卖家未在 3 个工作日内接单，该服务订单已全额退款。"},
	engagement.Deliver: {"Service delivered: %s", "服务已交付：%s",
		"The seller delivered. Confirm the delivery, or dispute it within 7 days; without an answer it is confirmed.", "卖家已交付。请在 7 天内确认或提出异议，逾期未处理将自动确认。"},
	engagement.Confirm: {"Delivery confirmed: %s", "交付已确认：%s",
		"The buyer confirmed the delivery. The service order is complete.", "买家已确认交付，该服务订单已完成。"},
	engagement.AutoConfirm: {"Delivery confirmed: %s", "交付已确认：%s",
		"Seven days passed without a dispute: the delivery is confirmed.", "交付后 7 天内无异议，已自动确认。"},
	engagement.Dispute: {"Delivery disputed: %s", "交付有异议：%s",
		"The buyer disputes the delivery; the marketplace will decide.", "买家对交付提出异议，平台将进行裁决。"},
	engagement.Resolve: {"Dispute resolved: %s", "异议已裁决：%s",
		"The marketplace resolved the dispute.", "平台已对异议作出裁决。"},
}

// stepAudience is who hears of each step.
var stepAudience = map[engagement.Kind][]engagement.Role{
	engagement.Accept:      {engagement.Buyer},
	engagement.Decline:     {engagement.Buyer},
	engagement.Cancel:      {engagement.Seller, engagement.Buyer},
	engagement.Expire:      {engagement.Buyer, engagement.Seller},
	engagement.Deliver:     {engagement.Buyer},
	engagement.Confirm:     {engagement.Seller},
	engagement.AutoConfirm: {engagement.Buyer, engagement.Seller},
	engagement.Dispute:     {engagement.Seller, engagement.Operator},
	engagement.Resolve:     {engagement.Buyer, engagement.Seller},
}

// tellStep tells those who hear of the step a that e took it.
func (s *Service) tellStep(ctx context.Context, tx *store.Tx, e engagement.Engagement, a engagement.Action) error {
	text, ok := stepNotices[a.Kind]
	if !ok {
		return nil
	}
	name, err := lineName(ctx, tx, e)
	if err != nil {
		return err
	}
	bodyEN, bodyZH := text[2], text[3]
	if e.Cause == engagement.Resolve {
		bodyEN += " Refunded: " + e.Refunded.String() + ". " + e.Resolution
		bodyZH += "退款：" + e.Refunded.String() + "。" + e.Resolution
	} else if n := strings.TrimSpace(a.Note); n != "" && a.Kind != engagement.Deliver {
		bodyEN += " Reason: " + n
		bodyZH += "原因：" + n
	}
	for _, to := range stepAudience[a.Kind] {
		if to == a.By {
			continue // the buyer who cancels knows it
		}
		n := notice.Notification{Kind: "engagement." + string(a.Kind), Link: engagementLink(to, e.ID),
			TitleEN: fmt.Sprintf(text[0], name.EN), TitleZH: fmt.Sprintf(text[1], name.ZH), BodyEN: bodyEN, BodyZH: bodyZH}
		if err := s.tellRole(ctx, tx, e, to, n); err != nil {
			return err
		}
	}
	return nil
}

// tellOpen tells the seller company of a new service order, and the buyers
// where to follow it.
func (s *Service) tellOpen(ctx context.Context, tx *store.Tx, e engagement.Engagement, l order.Line) error {
	by := e.AcceptBy.In(s.zone).Format("2006-01-02 15:04 MST")
	if err := s.tellRole(ctx, tx, e, engagement.Seller, notice.Notification{Kind: "engagement.open", Link: engagementLink(engagement.Seller, e.ID),
		TitleEN: "New service order: " + l.ProductName.EN, TitleZH: "新服务订单：" + zhName(l.ProductName),
		BodyEN: "Accept or decline it before " + by + "; unaccepted, it is refunded to the buyer.",
		BodyZH: "请在 " + by + " 之前接单或拒绝；逾期未接单将退款给买家。"}); err != nil {
		return err
	}
	return s.tellRole(ctx, tx, e, engagement.Buyer, notice.Notification{Kind: "engagement.open", Link: engagementLink(engagement.Buyer, e.ID),
		TitleEN: "Service order opened: " + l.ProductName.EN, TitleZH: "服务订单已创建：" + zhName(l.ProductName),
		BodyEN: "The seller has until " + by + " to accept it. Write to the seller on the service order's page.",
		BodyZH: "卖家须在 " + by + " 之前接单。可在服务订单页面与卖家沟通。"})
}

// tellMessage tells the other side of a new message in the thread.
func (s *Service) tellMessage(ctx context.Context, tx *store.Tx, e engagement.Engagement, author engagement.Role) error {
	name, err := lineName(ctx, tx, e)
	if err != nil {
		return err
	}
	for _, to := range []engagement.Role{engagement.Buyer, engagement.Seller} {
		if to == author {
			continue
		}
		if err := s.tellRole(ctx, tx, e, to, notice.Notification{Kind: "engagement.message", Link: engagementLink(to, e.ID),
			TitleEN: "New message on a service order: " + name.EN, TitleZH: "服务订单有新消息：" + name.ZH,
			BodyEN: "Read it and answer on the service order's page.", BodyZH: "请在服务订单页面查看并回复。"}); err != nil {
			return err
		}
	}
	return nil
}

// tellRole notifies the people who play the part: the buying
// organisation's buyers, the selling company, or the operators.
func (s *Service) tellRole(ctx context.Context, tx *store.Tx, e engagement.Engagement, role engagement.Role, n notice.Notification) error {
	switch role {
	case engagement.Seller:
		return s.notifyCompany(ctx, tx, e.SellerOrgID, n)
	case engagement.Operator:
		return s.notifyRole(ctx, tx, account.RoleOperator, n)
	}
	buyers, err := tx.OrgMembers(ctx, e.BuyerOrgID, account.RoleBuyer)
	if err != nil {
		return err
	}
	return s.notify(ctx, tx, buyers, n)
}

// lineName is the name of the product an engagement's line bought.
func lineName(ctx context.Context, tx *store.Tx, e engagement.Engagement) (catalog.Text, error) {
	o, err := tx.Order(ctx, e.OrderID)
	if err != nil {
		return catalog.Text{}, err
	}
	if e.LineNo < 1 || e.LineNo > len(o.Lines) {
		return catalog.Text{}, errors.New("market: an engagement of a line its order does not have")
	}
	name := o.Lines[e.LineNo-1].ProductName
	name.ZH = zhName(name)
	return name, nil
}

// zhName is a product's Chinese name, or its English one.
func zhName(t catalog.Text) string {
	if t.ZH != "" {
		return t.ZH
	}
	return t.EN
}

// engagementRole is the part in a service order of who refunds an order.
var engagementRole = map[account.Role]engagement.Role{account.RoleBuyer: engagement.Buyer, account.RoleOperator: engagement.Operator}
