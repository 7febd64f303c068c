package api

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/support"
)

// SupportTicket is a seller's consulting or enablement request
// (docs/benefits.md).
type SupportTicket struct {
	ID           string        `json:"id" example:"tkt_01JDX3Z5R6K8M9N0P1Q2R3S4T5"`
	SellerOrgID  string        `json:"seller_org_id"`
	SellerName   string        `json:"seller_name"`
	OpenedBy     string        `json:"opened_by" doc:"The seller user who opened it"`
	Kind         string        `json:"kind" enum:"consulting,enablement"`
	Subject      string        `json:"subject"`
	ProductID    string        `json:"product_id" doc:"The company's product it concerns; empty for none"`
	ProductName  *Text         `json:"product_name,omitempty" doc:"GET of one ticket only"`
	State        string        `json:"state" enum:"open,in_progress,waiting_on_seller,resolved,closed"`
	AssigneeID   string        `json:"assignee_id" doc:"The operator working on it; empty while unassigned"`
	AssigneeName string        `json:"assignee_name"`
	ResolvedAt   *time.Time    `json:"resolved_at" nullable:"true" doc:"While resolved: the seller may reopen it for 14 days from then"`
	Messages     int           `json:"message_count" doc:"Messages in the thread, operators' internal notes included"`
	Version      int           `json:"version" doc:"One more with each change of state or assignee"`
	CreatedAt    time.Time     `json:"created_at"`
	UpdatedAt    time.Time     `json:"updated_at"`
	YourRole     string        `json:"your_role" enum:"seller,operator" doc:"The part the caller plays"`
	Moves        []string      `json:"moves" doc:"The states the caller may move it to now"`
	Thread       []SupportNote `json:"thread,omitempty" doc:"Oldest first, without internal notes for sellers (GET of one ticket only)"`
}

// SupportNote is one message of a ticket's thread.
type SupportNote struct {
	ID         string         `json:"id" example:"smg_01JDX3Z5R6K8M9N0P1Q2R3S4T5"`
	Author     string         `json:"author" enum:"seller,operator"`
	AuthorName string         `json:"author_name"`
	Internal   bool           `json:"internal" doc:"An operators' note: sellers never see it"`
	Body       string         `json:"body"`
	Files      []AttachedFile `json:"files"`
	CreatedAt  time.Time      `json:"created_at"`
}

func supportTicketOf(v market.TicketView) SupportTicket {
	t := v.SupportTicket
	out := SupportTicket{ID: t.ID, SellerOrgID: t.SellerOrgID, SellerName: t.SellerName, OpenedBy: t.OpenedBy, Kind: string(t.Kind),
		Subject: t.Subject, ProductID: t.ProductID, State: string(t.State), AssigneeID: t.AssigneeID, AssigneeName: t.AssigneeName,
		ResolvedAt: optionalTime(t.ResolvedAt), Messages: t.MessageCount, Version: t.Version, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt,
		YourRole: string(v.Role), Moves: make([]string, 0, len(v.Moves))}
	if v.ProductName.EN != "" {
		name := textOf(v.ProductName)
		out.ProductName = &name
	}
	for _, s := range v.Moves {
		out.Moves = append(out.Moves, string(s))
	}
	for _, m := range v.Thread {
		out.Thread = append(out.Thread, supportNoteOf(m))
	}
	return out
}

func supportNoteOf(m support.Message) SupportNote {
	out := SupportNote{ID: m.ID, Author: string(m.Author), AuthorName: m.AuthorName, Internal: m.Internal, Body: m.Body,
		Files: make([]AttachedFile, 0, len(m.Attachments)), CreatedAt: m.CreatedAt}
	for _, f := range m.Attachments {
		id := market.TicketFileID(f)
		out.Files = append(out.Files, AttachedFile{ID: id, Name: f.Name, Size: f.Size, ContentType: f.ContentType,
			URL: "/api/v1/support/tickets/" + url.PathEscape(m.TicketID) + "/files/" + url.PathEscape(id)})
	}
	return out
}

type ticketsInput struct {
	State    string `query:"state" enum:",open,in_progress,waiting_on_seller,resolved,closed" doc:"Only those in this state"`
	Assignee string `query:"assignee" maxLength:"64" doc:"Operators: me (assigned to the caller), none (unassigned) or an operator's user id"`
	SellerID string `query:"seller_org_id" maxLength:"64" doc:"Operators: one seller company's tickets"`
	Before   string `query:"before" maxLength:"64" doc:"The id of the last ticket of the previous page"`
}

type ticketsOutput struct {
	Body struct {
		Tickets []SupportTicket `json:"tickets" doc:"Newest first, 50 a page"`
	}
}

type ticketOutput struct{ Body SupportTicket }

type ticketIDInput struct {
	ID string `path:"id" maxLength:"64"`
}

type openTicketForm struct {
	Kind    string `form:"kind" enum:"consulting,enablement"`
	Subject string `form:"subject" maxLength:"200"`
	// Not named Body: huma skips a form field of that name.
	Message   string          `form:"body" required:"false" doc:"The first message (at most 4,000 characters); a body or a file at least"`
	ProductID string          `form:"product_id" required:"false" doc:"One of the company's products, if it concerns one"`
	Files     []huma.FormFile `form:"files" required:"false" doc:"Up to 5 files of at most 50 MiB each"`
}

type openTicketInput struct {
	RawBody huma.MultipartFormFiles[openTicketForm]
}

type ticketMessageForm struct {
	Message  string          `form:"body" required:"false" doc:"At most 4,000 characters; a body or a file at least"`
	Internal bool            `form:"internal" required:"false" doc:"Operators: an internal note the seller never sees"`
	Files    []huma.FormFile `form:"files" required:"false" doc:"Up to 5 files of at most 50 MiB each"`
}

type ticketMessageInput struct {
	ID      string `path:"id" maxLength:"64"`
	RawBody huma.MultipartFormFiles[ticketMessageForm]
}

type supportNoteOutput struct{ Body SupportNote }

type assignInput struct {
	ID   string `path:"id" maxLength:"64"`
	Body struct {
		AssigneeID string `json:"assignee_id" maxLength:"64" doc:"An operator's user id; empty leaves the ticket unassigned"`
	}
}

type moveTicketInput struct {
	ID   string `path:"id" maxLength:"64"`
	Body struct {
		State string `json:"state" enum:"open,in_progress,waiting_on_seller,resolved,closed"`
	}
}

type ticketFileInput struct {
	ID   string `path:"id" maxLength:"64"`
	File string `path:"file" maxLength:"64"`
}

// uploadsOf hands form files to the use case; the returned func closes them.
func uploadsOf(files []huma.FormFile) ([]market.Upload, func()) {
	out := make([]market.Upload, 0, len(files))
	for _, f := range files {
		out = append(out, market.Upload{Name: f.Filename, Body: f})
	}
	return out, func() {
		for _, f := range files {
			_ = f.Close()
		}
	}
}

func (h handlers) support(a huma.API) {
	tags := []string{"Support"}
	huma.Register(a, huma.Operation{
		OperationID: "list-support-tickets", Method: http.MethodGet, Path: "/api/v1/support/tickets",
		Summary: "Support tickets: the caller's company's, or the operators' queue", Tags: tags, Security: bearer,
		Errors: []int{400, 401, 403},
		Description: "A seller's people get their company's tickets (the operators' filters are ignored); operators get every " +
			"ticket, filtered by state, assignee (me, none or a user id) and seller company. Anyone else gets 403.",
	}, func(ctx context.Context, in *ticketsInput) (*ticketsOutput, error) {
		actor := actorOf(ctx)
		f := store.TicketFilter{State: support.State(in.State), SellerOrgID: in.SellerID, Before: in.Before}
		switch in.Assignee {
		case "":
		case "me":
			f.AssigneeID = actor.UserID
		case "none":
			f.Unassigned = true
		default:
			f.AssigneeID = in.Assignee
		}
		views, err := h.svc.Tickets(ctx, actor, f)
		if err != nil {
			return nil, err
		}
		out := &ticketsOutput{}
		out.Body.Tickets = make([]SupportTicket, 0, len(views))
		for _, v := range views {
			out.Body.Tickets = append(out.Body.Tickets, supportTicketOf(v))
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "open-support-ticket", Method: http.MethodPost, Path: "/api/v1/support/tickets",
		DefaultStatus: http.StatusCreated, Summary: "Open a consulting or enablement ticket (sellers)", Tags: tags, Security: bearer,
		MaxBodyBytes: MaxServiceUpload, BodyReadTimeout: 10 * time.Minute, Errors: []int{400, 401, 403, 413},
		Description: "multipart/form-data with kind, subject (1 to 200 characters), body (the first message), optionally product_id " +
			"(one of the company's products) and up to 5 files (each at most 50 MiB, typed by their bytes). Only an approved seller " +
			"that is not suspended opens tickets (403 forbidden, error.support_not_selling); the operators are told.",
		Middlewares: huma.Middlewares{limitMultipart(a)},
	}, func(ctx context.Context, in *openTicketInput) (*ticketOutput, error) {
		form := in.RawBody.Data()
		files, closeAll := uploadsOf(form.Files)
		defer closeAll()
		v, err := h.svc.OpenTicket(ctx, actorOf(ctx), market.OpenTicketInput{Kind: support.Kind(form.Kind), Subject: form.Subject,
			Body: form.Message, ProductID: form.ProductID, Files: files})
		if err != nil {
			return nil, err
		}
		return &ticketOutput{Body: supportTicketOf(v)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "get-support-ticket", Method: http.MethodGet, Path: "/api/v1/support/tickets/{id}",
		Summary: "A support ticket with its thread", Tags: tags, Security: bearer, Errors: []int{401, 404},
		Description: "For the people of the company that opened it (without the operators' internal notes) and operators; " +
			"anyone else gets 404, as for a ticket that does not exist.",
	}, func(ctx context.Context, in *ticketIDInput) (*ticketOutput, error) {
		v, err := h.svc.Ticket(ctx, actorOf(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &ticketOutput{Body: supportTicketOf(v)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "post-support-message", Method: http.MethodPost, Path: "/api/v1/support/tickets/{id}/messages",
		DefaultStatus: http.StatusCreated, Summary: "Answer a support ticket, with files (operators: or write an internal note)", Tags: tags,
		Security: bearer, MaxBodyBytes: MaxServiceUpload, BodyReadTimeout: 10 * time.Minute, Errors: []int{400, 401, 403, 404, 409, 413},
		Description: "multipart/form-data with body (at most 4,000 characters), up to 5 files (each at most 50 MiB) and, for operators, " +
			"internal=true for a note the seller never sees (403 error.internal_note_operator for a seller). A seller's answer to a " +
			"ticket waiting on it puts it back in progress; an operator's answer to an open ticket starts it. A closed ticket's " +
			"thread is read only (409 invalid_state, error.ticket_closed).",
		Middlewares: huma.Middlewares{limitMultipart(a)},
	}, func(ctx context.Context, in *ticketMessageInput) (*supportNoteOutput, error) {
		form := in.RawBody.Data()
		files, closeAll := uploadsOf(form.Files)
		defer closeAll()
		m, err := h.svc.ReplyTicket(ctx, actorOf(ctx), in.ID, form.Message, form.Internal, files)
		if err != nil {
			return nil, err
		}
		return &supportNoteOutput{Body: supportNoteOf(m)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "assign-support-ticket", Method: http.MethodPost, Path: "/api/v1/support/tickets/{id}/assign",
		Summary: "Assign a support ticket to an operator (operators)", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
		Errors: []int{400, 401, 403, 404, 409},
		Description: "Only an operator can be the assignee (400 on assignee_id, error.assignee_operator); the assignee is told. " +
			"A closed ticket keeps its assignee (409 invalid_state).",
	}, func(ctx context.Context, in *assignInput) (*ticketOutput, error) {
		v, err := h.svc.AssignTicket(ctx, actorOf(ctx), in.ID, in.Body.AssigneeID)
		if err != nil {
			return nil, err
		}
		return &ticketOutput{Body: supportTicketOf(v)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "move-support-ticket", Method: http.MethodPost, Path: "/api/v1/support/tickets/{id}/state",
		Summary: "Move a support ticket to another state", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
		Errors: []int{400, 401, 403, 404, 409},
		Description: "Operators start, ask the seller (waiting_on_seller), take back, resolve, reopen and close; the seller resolves, " +
			"closes a resolved ticket or reopens it within 14 days of its resolution (409 error.ticket_reopen_late after). A move " +
			"that is not the caller's is 403 (error.ticket_move_role), one the state does not allow 409 (error.ticket_state). " +
			"The other side is told.",
	}, func(ctx context.Context, in *moveTicketInput) (*ticketOutput, error) {
		v, err := h.svc.MoveTicket(ctx, actorOf(ctx), in.ID, support.State(in.Body.State))
		if err != nil {
			return nil, err
		}
		return &ticketOutput{Body: supportTicketOf(v)}, nil
	})

	binary := &huma.MediaType{Schema: &huma.Schema{Type: "string", Format: "binary"}}
	huma.Register(a, huma.Operation{
		OperationID: "get-support-file", Method: http.MethodGet, Path: "/api/v1/support/tickets/{id}/files/{file}",
		Summary: "Download a file of a support ticket's thread", Tags: tags, Security: bearer, Errors: []int{401, 404},
		Description: "For those who may see the message it is on (a seller never reads an internal note's files); always as an attachment.",
		Responses:   map[string]*huma.Response{"200": {Description: "The file's bytes", Content: map[string]*huma.MediaType{"application/octet-stream": binary}}},
	}, func(ctx context.Context, in *ticketFileInput) (*fileOutput, error) {
		f, data, err := h.svc.TicketFile(ctx, actorOf(ctx), in.ID, in.File)
		if err != nil {
			return nil, err
		}
		return &fileOutput{ContentType: f.ContentType, ContentDisposition: attachment(f.Name), NoSniff: "nosniff",
			CacheControl: "private, no-store", Body: data}, nil
	})
}
