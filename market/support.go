package market

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/notice"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/support"
)

// Technical support (docs/benefits.md): a seller company's consulting and
// enablement requests as tickets. The company's people open, read and answer
// its tickets; operators work the queue, write internal notes the seller
// never sees, assign tickets among themselves and move them on.

// TicketView is a ticket as one viewer sees it.
type TicketView struct {
	store.SupportTicket
	Role        support.Role    // the viewer's part
	Moves       []support.State // the states the viewer may move it to now
	ProductName catalog.Text    // the product it concerns, if any (Ticket only)
	// Thread is oldest first, without internal notes for sellers; only for
	// one ticket (Ticket).
	Thread []support.Message
}

// OpenTicketInput is what a seller writes to open a ticket.
type OpenTicketInput struct {
	Kind      support.Kind
	Subject   string
	Body      string // the first message
	ProductID string // one of the company's products, or ""
	Files     []Upload
}

var errNoTicket = &fault.Error{Code: fault.NotFound, MsgID: "error.no_ticket", Message: "no such support ticket"}

// supportRole is the part the actor plays on a ticket of the company orgID:
// one of its people, else an operator; "" for anyone else.
func supportRole(actor account.Actor, orgID string) support.Role {
	switch {
	case account.Can(actor, account.UseSupport, account.Resource{OrgID: orgID}):
		return support.Seller
	case account.Can(actor, account.HandleSupport, account.Resource{}):
		return support.Operator
	}
	return ""
}

// ticketFor loads a ticket the actor may see, with the actor's part.
//
// Errors: Unauthorized; NotFound (also for a ticket the actor may not see).
func (s *Service) ticketFor(ctx context.Context, q interface {
	Ticket(context.Context, string) (store.SupportTicket, error)
}, actor account.Actor, id string) (store.SupportTicket, support.Role, error) {
	if !actor.Signed() {
		return store.SupportTicket{}, "", allow(actor, account.UseSupport, account.Resource{})
	}
	t, err := q.Ticket(ctx, id)
	if err != nil {
		return t, "", err
	}
	role := supportRole(actor, t.SellerOrgID)
	if role == "" {
		return t, "", errNoTicket
	}
	return t, role, nil
}

func (s *Service) ticketView(t store.SupportTicket, role support.Role) TicketView {
	return TicketView{SupportTicket: t, Role: role, Moves: support.Moves(t.Ticket, role, s.now())}
}

// Ticket returns a ticket with its thread: to its company's people, without
// the operators' internal notes, and to operators.
//
// Errors: Unauthorized; NotFound for anyone else.
func (s *Service) Ticket(ctx context.Context, actor account.Actor, id string) (TicketView, error) {
	t, role, err := s.ticketFor(ctx, s.store, actor, id)
	if err != nil {
		return TicketView{}, err
	}
	v := s.ticketView(t, role)
	if t.ProductID != "" {
		e, err := s.store.Product(ctx, t.ProductID)
		if err != nil {
			return v, err
		}
		p, err := s.productView(ctx, e)
		if err != nil {
			return v, err
		}
		v.ProductName = p.Content().Name
	}
	v.Thread, err = s.store.TicketMessages(ctx, t.ID, role == support.Operator)
	return v, err
}

// Tickets lists tickets, newest first: a seller's people get their
// company's (f.SellerOrgID is set to it); operators get all, filtered by f.
//
// Errors: Unauthorized; Forbidden for anyone else.
func (s *Service) Tickets(ctx context.Context, actor account.Actor, f store.TicketFilter) ([]TicketView, error) {
	role := support.Operator
	if err := allow(actor, account.HandleSupport, account.Resource{}); err != nil {
		org := sellerOrg(actor)
		if err := allow(actor, account.UseSupport, account.Resource{OrgID: org}); err != nil {
			return nil, err
		}
		role, f.SellerOrgID = support.Seller, org
	}
	ts, err := s.store.Tickets(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]TicketView, 0, len(ts))
	for _, t := range ts {
		out = append(out, s.ticketView(t, role))
	}
	return out, nil
}

// OpenTicket opens a ticket for the actor's company with its first message
// and files, and tells the operators. Only an approved seller that is not
// suspended opens tickets; the product, if given, must be one of its own.
//
// Errors: Unauthorized; Forbidden for someone of no seller company,
// (error.support_not_selling) for a company that is not an approved,
// unsuspended seller; Invalid on "product_id" (error.ticket_product), and
// those of support.New and support.CheckMessage; Invalid on
// "attachments[i]" (error.file_read) for an upload that broke off.
func (s *Service) OpenTicket(ctx context.Context, actor account.Actor, in OpenTicketInput) (TicketView, error) {
	org := sellerOrg(actor)
	if err := allow(actor, account.UseSupport, account.Resource{OrgID: org}); err != nil {
		return TicketView{}, err
	}
	if err := s.supportAllowed(ctx, org); err != nil {
		return TicketView{}, err
	}
	if in.ProductID = strings.TrimSpace(in.ProductID); in.ProductID != "" {
		e, err := s.store.Product(ctx, in.ProductID)
		if fault.Is(err, fault.NotFound) || (err == nil && e.SellerOrgID != org) {
			return TicketView{}, fault.Field("product_id", "error.ticket_product", "choose one of your company's products")
		}
		if err != nil {
			return TicketView{}, err
		}
	}
	now := s.now()
	t, err := support.New(support.Ticket{ID: ids.New("tkt"), SellerOrgID: org, OpenedBy: actor.UserID, Kind: in.Kind, Subject: in.Subject,
		ProductID: in.ProductID, CreatedAt: now})
	if err != nil {
		return TicketView{}, err
	}
	m := support.Message{ID: ids.New("smg"), TicketID: t.ID, Author: support.Seller, AuthorUserID: actor.UserID,
		Body: strings.TrimSpace(in.Body), CreatedAt: now}
	if err := s.checkTicketMessage(t, m, len(in.Files)); err != nil {
		return TicketView{}, err
	}
	if m.Attachments, err = s.keepTicketFiles(ctx, t.ID, in.Files); err != nil {
		return TicketView{}, err
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CreateTicket(ctx, t); err != nil {
			return err
		}
		if err := tx.AddTicketMessage(ctx, m); err != nil {
			return err
		}
		if err := record(ctx, tx, actor, now, change{role: string(support.Seller), action: "support.open", objectType: "support_ticket",
			objectID: t.ID, orgID: org, summary: fmt.Sprintf("%s ticket %q opened", t.Kind, t.Subject),
			after: map[string]any{"kind": t.Kind, "subject": t.Subject, "product_id": t.ProductID, "files": len(m.Attachments)}}); err != nil {
			return err
		}
		return s.tellOperators(ctx, tx, t, notice.Notification{Kind: "support.open",
			TitleEN: "New support ticket: " + t.Subject, TitleZH: "新的技术支持工单：" + t.Subject,
			BodyEN: "A seller asks for " + string(t.Kind) + ". Assign it and answer on the ticket's page.",
			BodyZH: "有卖家提交了" + kindZH[t.Kind] + "请求，请分配并在工单页面回复。"})
	})
	if err != nil {
		s.dropTicketFiles(ctx, m.Attachments)
		return TicketView{}, err
	}
	return s.Ticket(ctx, actor, t.ID)
}

// errSupportNotSelling refuses a ticket to a company that is not an
// approved, unsuspended seller: opening tickets is one of a seller's benefits.
var errSupportNotSelling = &fault.Error{Code: fault.Forbidden, MsgID: "error.support_not_selling",
	Message: "only an approved seller that is not suspended may open support tickets"}

// supportAllowed refuses a company that may not open tickets.
//
// Errors: Forbidden (error.support_not_selling).
func (s *Service) supportAllowed(ctx context.Context, orgID string) error {
	return sellingOr(ctx, s.store, orgID, errSupportNotSelling)
}

// MaySupport reports whether the actor may open a support ticket for its
// company now, for pages that offer the form.
func (s *Service) MaySupport(ctx context.Context, actor account.Actor) bool {
	org := sellerOrg(actor)
	return account.Can(actor, account.UseSupport, account.Resource{OrgID: org}) && s.supportAllowed(ctx, org) == nil
}

// ReplyTicket adds a message with files to a ticket's thread; internal
// makes it an operators' note the seller never sees. A seller's answer to a
// ticket waiting on it puts it back in progress, and an operator's public
// answer to an open ticket starts it (support.AfterMessage). The other side
// is told, except of internal notes. A suspended seller may still answer
// its tickets: only opening new ones is a benefit.
//
// Errors: Unauthorized; NotFound; those of support.CheckMessage; Invalid on
// "attachments[i]" (error.file_read), on "body" (error.ticket_messages_many);
// Conflict when the ticket changed meanwhile.
func (s *Service) ReplyTicket(ctx context.Context, actor account.Actor, id, body string, internal bool, files []Upload) (support.Message, error) {
	t, role, err := s.ticketFor(ctx, s.store, actor, id)
	if err != nil {
		return support.Message{}, err
	}
	now := s.now()
	m := support.Message{ID: ids.New("smg"), TicketID: t.ID, Author: role, AuthorUserID: actor.UserID, Internal: internal,
		Body: strings.TrimSpace(body), CreatedAt: now}
	if err := s.checkTicketMessage(t.Ticket, m, len(files)); err != nil {
		return m, err
	}
	if m.Attachments, err = s.keepTicketFiles(ctx, t.ID, files); err != nil {
		return m, err
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		cur, err := tx.Ticket(ctx, t.ID)
		if err != nil {
			return err
		}
		if err := support.CheckMessage(cur.Ticket, m); err != nil {
			return err
		}
		if err := tx.AddTicketMessage(ctx, m); err != nil {
			return err
		}
		next := cur.Ticket
		if to := support.AfterMessage(cur.Ticket, m); to != cur.State {
			next = support.Moved(cur.Ticket, to, now)
			if err := tx.SaveTicket(ctx, next); err != nil {
				return err
			}
		}
		action := "support.reply"
		if internal {
			action = "support.note"
		}
		if err := record(ctx, tx, actor, now, change{role: string(role), action: action, objectType: "support_ticket", objectID: t.ID,
			orgID: t.SellerOrgID, summary: fmt.Sprintf("message on %q (%d files)", t.Subject, len(m.Attachments)),
			before: map[string]any{"state": cur.State}, after: map[string]any{"state": next.State, "message": m.ID}}); err != nil {
			return err
		}
		if internal {
			return nil
		}
		n := notice.Notification{Kind: "support.message", TitleEN: "New message on a support ticket: " + t.Subject,
			TitleZH: "技术支持工单有新消息：" + t.Subject, BodyEN: "Read it and answer on the ticket's page.", BodyZH: "请在工单页面查看并回复。"}
		if role == support.Seller {
			return s.tellOperators(ctx, tx, next, n)
		}
		return s.tellSeller(ctx, tx, next, n)
	})
	if err != nil {
		s.dropTicketFiles(ctx, m.Attachments)
		return support.Message{}, err
	}
	return m, nil
}

// MoveTicket moves a ticket to another state, as support.Move allows the
// actor's part, and tells the other side.
//
// Errors: Unauthorized; NotFound; those of support.Move; Conflict when the
// ticket changed meanwhile.
func (s *Service) MoveTicket(ctx context.Context, actor account.Actor, id string, to support.State) (TicketView, error) {
	t, role, err := s.ticketFor(ctx, s.store, actor, id)
	if err != nil {
		return TicketView{}, err
	}
	now := s.now()
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		cur, err := tx.Ticket(ctx, t.ID)
		if err != nil {
			return err
		}
		if err := support.Move(cur.Ticket, to, role, now); err != nil {
			return err
		}
		next := support.Moved(cur.Ticket, to, now)
		if err := tx.SaveTicket(ctx, next); err != nil {
			return err
		}
		if err := record(ctx, tx, actor, now, change{role: string(role), action: "support.move", objectType: "support_ticket", objectID: t.ID,
			orgID: t.SellerOrgID, summary: fmt.Sprintf("%q: %s → %s", t.Subject, cur.State, to),
			before: map[string]any{"state": cur.State}, after: map[string]any{"state": to}}); err != nil {
			return err
		}
		text := stateNotices[to]
		n := notice.Notification{Kind: "support." + string(to), TitleEN: fmt.Sprintf(text[0], t.Subject), TitleZH: fmt.Sprintf(text[1], t.Subject),
			BodyEN: text[2], BodyZH: text[3]}
		if role == support.Seller {
			return s.tellOperators(ctx, tx, next, n)
		}
		return s.tellSeller(ctx, tx, next, n)
	})
	if err != nil {
		return TicketView{}, err
	}
	return s.Ticket(ctx, actor, t.ID)
}

// AssignTicket gives a ticket to an operator (assigneeID "" leaves it to no
// one) and tells the assignee, unless the actor assigned itself.
//
// Errors: Unauthorized; Forbidden for anyone but operators; NotFound; those
// of support.Assign (an assignee who is not an operator); Conflict when the
// ticket changed meanwhile.
func (s *Service) AssignTicket(ctx context.Context, actor account.Actor, id, assigneeID string) (TicketView, error) {
	if err := allow(actor, account.HandleSupport, account.Resource{}); err != nil {
		return TicketView{}, err
	}
	assigneeID = strings.TrimSpace(assigneeID)
	isOperator := false
	if assigneeID != "" {
		ms, err := s.store.Memberships(ctx, assigneeID)
		if err != nil {
			return TicketView{}, err
		}
		isOperator = account.Actor{UserID: assigneeID, Memberships: ms}.Has(account.RoleOperator)
	}
	now := s.now()
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		cur, err := tx.Ticket(ctx, id)
		if err != nil {
			return err
		}
		next, err := support.Assign(cur.Ticket, assigneeID, isOperator, now)
		if err != nil {
			return err
		}
		if err := tx.SaveTicket(ctx, next); err != nil {
			return err
		}
		if err := record(ctx, tx, actor, now, change{role: string(support.Operator), action: "support.assign", objectType: "support_ticket",
			objectID: id, orgID: cur.SellerOrgID, summary: fmt.Sprintf("%q assigned to %s", cur.Subject, cmp.Or(assigneeID, "no one")),
			before: map[string]any{"assignee_id": cur.AssigneeID}, after: map[string]any{"assignee_id": assigneeID}}); err != nil {
			return err
		}
		if assigneeID == "" || assigneeID == actor.UserID {
			return nil
		}
		return s.notify(ctx, tx, []string{assigneeID}, notice.Notification{Kind: "support.assign", Link: ticketLink(support.Operator, id),
			TitleEN: "Support ticket assigned to you: " + cur.Subject, TitleZH: "分配给您的技术支持工单：" + cur.Subject,
			BodyEN: "Answer the seller on the ticket's page.", BodyZH: "请在工单页面回复卖家。"})
	})
	if err != nil {
		return TicketView{}, err
	}
	return s.Ticket(ctx, actor, id)
}

// SupportOperators lists the users a ticket may be assigned to, for
// operators' forms.
//
// Errors: Unauthorized; Forbidden for anyone but operators.
func (s *Service) SupportOperators(ctx context.Context, actor account.Actor) ([]account.User, error) {
	if err := allow(actor, account.HandleSupport, account.Resource{}); err != nil {
		return nil, err
	}
	return s.store.UsersWithRole(ctx, account.RoleOperator)
}

// TicketFile returns a file of a ticket's thread with its bytes, to those
// who may see the message it is on (a seller never reads an internal
// note's files).
//
// Errors: Unauthorized; NotFound (also for a file of another ticket or of a
// note the actor may not read).
func (s *Service) TicketFile(ctx context.Context, actor account.Actor, id, fileID string) (support.Attachment, []byte, error) {
	t, role, err := s.ticketFor(ctx, s.store, actor, id)
	if err != nil {
		return support.Attachment{}, nil, err
	}
	a, internal, err := s.store.TicketAttachment(ctx, t.ID, ticketDir(t.ID)+"/"+fileID)
	if err != nil {
		return a, nil, err
	}
	if internal && role != support.Operator {
		return support.Attachment{}, nil, &fault.Error{Code: fault.NotFound, MsgID: "error.no_file", Message: "no such file"}
	}
	if s.blobs == nil {
		return a, nil, errNoBlobs
	}
	data, err := s.blobs.ReadAll(ctx, a.BlobKey)
	if err != nil {
		return a, nil, fmt.Errorf("market: read support file %s: %w", a.BlobKey, err)
	}
	return a, data, nil
}

// TicketFileID is the last part of an attachment's key, which names it in
// addresses (…/files/{file}).
func TicketFileID(a support.Attachment) string {
	return a.BlobKey[strings.LastIndexByte(a.BlobKey, '/')+1:]
}

// ticketDir is where the files of a ticket's thread are kept.
func ticketDir(ticketID string) string { return "support/" + ticketID }

// checkTicketMessage refuses what would be refused anyway before any of the
// n files is kept.
func (s *Service) checkTicketMessage(t support.Ticket, m support.Message, n int) error {
	for range n {
		m.Attachments = append(m.Attachments, support.Attachment{BlobKey: "x", Name: "x", Size: 1, ContentType: "text/plain"})
	}
	return support.CheckMessage(t, m)
}

// keepTicketFiles keeps a message's uploads as a service order's are kept
// (keepFiles: the same limits, the type judged by the bytes).
func (s *Service) keepTicketFiles(ctx context.Context, ticketID string, files []Upload) ([]support.Attachment, error) {
	kept, err := s.keepFiles(ctx, ticketDir(ticketID), "attachments", files)
	if err != nil {
		return nil, err
	}
	out := make([]support.Attachment, len(kept))
	for i, a := range kept {
		out[i] = support.Attachment{BlobKey: a.BlobKey, Name: a.Name, Size: a.Size, ContentType: a.ContentType}
	}
	return out, nil
}

// dropTicketFiles removes files kept for a message that was not recorded.
func (s *Service) dropTicketFiles(ctx context.Context, files []support.Attachment) {
	for _, a := range files {
		_ = s.blobs.Delete(context.WithoutCancel(ctx), a.BlobKey)
	}
}

// ticketLink is a ticket's page for the reader's part.
func ticketLink(role support.Role, id string) string {
	if role == support.Operator {
		return "/ops/support/" + id
	}
	return "/seller/support/" + id
}

// tellSeller tells the company's administrators and the ticket's opener.
func (s *Service) tellSeller(ctx context.Context, tx *store.Tx, t support.Ticket, n notice.Notification) error {
	to, err := tx.OrgMembers(ctx, t.SellerOrgID, account.RoleSellerAdmin)
	if err != nil {
		return err
	}
	if !slices.Contains(to, t.OpenedBy) {
		to = append(to, t.OpenedBy)
	}
	n.Link = ticketLink(support.Seller, t.ID)
	return s.notify(ctx, tx, to, n)
}

// tellOperators tells the ticket's assignee, or every operator while it has none.
func (s *Service) tellOperators(ctx context.Context, tx *store.Tx, t support.Ticket, n notice.Notification) error {
	n.Link = ticketLink(support.Operator, t.ID)
	if t.AssigneeID != "" {
		return s.notify(ctx, tx, []string{t.AssigneeID}, n)
	}
	return s.notifyRole(ctx, tx, account.RoleOperator, n)
}

// SupportCloseArgs asks the support job to close the resolved tickets whose
// reopen window has passed.
type SupportCloseArgs struct{}

// Kind names the job on the queue.
func (SupportCloseArgs) Kind() string { return "support_close" }

// CloseLapsedTickets closes, on the system's behalf, the resolved tickets
// whose reopen window (support.ReopenWithin) has passed by now, and tells
// each seller. It returns how many it closed; a ticket reopened or closed
// meanwhile is left alone, and one that fails is left for the next run.
func (s *Service) CloseLapsedTickets(ctx context.Context, now time.Time) (int, error) {
	now = now.UTC().Truncate(time.Microsecond)
	due, err := s.store.LapsedTickets(ctx, now.Add(-support.ReopenWithin), 500)
	if err != nil {
		return 0, err
	}
	done := 0
	var errs []error
	for _, t := range due {
		if !support.Lapsed(t.Ticket, now) {
			continue
		}
		err := s.store.Write(ctx, func(tx *store.Tx) error {
			next := support.Moved(t.Ticket, support.Closed, now)
			if err := tx.SaveTicket(ctx, next); err != nil { // from the version read: a reopening meanwhile wins
				return err
			}
			if err := record(ctx, tx, account.Actor{}, now, change{role: roleSystem, action: "support.close", objectType: "support_ticket", objectID: t.ID,
				orgID: t.SellerOrgID, summary: fmt.Sprintf("%q closed: resolved on %s, no longer reopenable", t.Subject, t.ResolvedAt.Format(time.DateOnly)),
				before: map[string]any{"state": t.State}, after: map[string]any{"state": support.Closed}}); err != nil {
				return err
			}
			return s.tellSeller(ctx, tx, next, notice.Notification{Kind: "support.closed",
				TitleEN: "Support ticket closed: " + t.Subject, TitleZH: "技术支持工单已关闭：" + t.Subject,
				BodyEN: "The ticket was resolved more than 14 days ago, so it is closed; its thread can still be read. Open a new ticket if you need more help.",
				BodyZH: "该工单已解决超过 14 天，现已关闭，仍可查看其消息。如需更多帮助，请新建工单。"})
		})
		switch {
		case err == nil:
			done++
		case !fault.Is(err, fault.Conflict):
			errs = append(errs, fmt.Errorf("support ticket %s: %w", t.ID, err))
		}
	}
	return done, errors.Join(errs...)
}

// kindZH names the kinds in Chinese, for notifications.
var kindZH = map[support.Kind]string{support.Consulting: "咨询", support.Enablement: "上架赋能"}

// stateNotices say what a move did, in English and Chinese, with %s for the
// ticket's subject.
var stateNotices = map[support.State][4]string{
	support.InProgress: {"Support ticket in progress: %s", "技术支持工单处理中：%s",
		"The ticket is being worked on.", "该工单正在处理中。"},
	support.WaitingOnSeller: {"Support ticket waits on you: %s", "技术支持工单等待您的回复：%s",
		"The marketplace asked you something: answer on the ticket's page.", "平台向您提出了问题，请在工单页面回复。"},
	support.Resolved: {"Support ticket resolved: %s", "技术支持工单已解决：%s",
		"The ticket is resolved. The seller may reopen it within 14 days.", "该工单已解决，卖家可在 14 天内重新打开。"},
	support.Closed: {"Support ticket closed: %s", "技术支持工单已关闭：%s",
		"The ticket is closed; its thread can still be read.", "该工单已关闭，仍可查看其消息。"},
}
