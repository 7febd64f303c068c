package api

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/engagement"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/store"
)

// ServiceOrder is a professional service line of a paid order after it is
// bought (docs/services.md): accepted, worked on, delivered, confirmed,
// disputed or refunded.
type ServiceOrder struct {
	ID            string         `json:"id" example:"eng_01JDX3Z5R6K8M9N0P1Q2R3S4T5"`
	OrderID       string         `json:"order_id"`
	LineNo        int            `json:"line_no"`
	ProductID     string         `json:"product_id"`
	ProductName   Text           `json:"product_name" doc:"As it was bought"`
	Plan          string         `json:"plan"`
	BuyerOrgID    string         `json:"buyer_org_id"`
	SellerOrgID   string         `json:"seller_org_id"`
	State         string         `json:"state" enum:"awaiting_acceptance,in_progress,delivered,disputed,confirmed,refunded,partially_refunded" doc:"confirmed, refunded and partially_refunded are final"`
	Cause         string         `json:"cause" enum:",accept,decline,cancel,expire,deliver,confirm,auto_confirm,dispute,resolve" doc:"The step that led to the state (empty while awaiting acceptance)"`
	Paid          Money          `json:"paid"`
	Refunded      Money          `json:"refunded" doc:"Given back to the buyer by the service order's steps"`
	Zone          string         `json:"zone" doc:"The IANA zone whose working days accept_by counts" example:"Asia/Shanghai"`
	PaidAt        time.Time      `json:"paid_at"`
	AcceptBy      time.Time      `json:"accept_by" doc:"The seller accepts before then (3 working days after the day of payment); from then on it is refunded"`
	AcceptedAt    *time.Time     `json:"accepted_at" nullable:"true"`
	DeliveredAt   *time.Time     `json:"delivered_at" nullable:"true"`
	ConfirmBy     *time.Time     `json:"confirm_by" nullable:"true" doc:"delivered_at + 7 days: disputes come before then; from then on it is confirmed"`
	DisputedAt    *time.Time     `json:"disputed_at" nullable:"true"`
	ClosedAt      *time.Time     `json:"closed_at" nullable:"true"`
	Reason        string         `json:"reason" doc:"The seller's reason to decline, or the buyer's to cancel"`
	DisputeReason string         `json:"dispute_reason"`
	Resolution    string         `json:"resolution" doc:"The operator's decision on a dispute"`
	Version       int            `json:"version" doc:"One more with each step"`
	YourRole      string         `json:"your_role" enum:"buyer,seller,operator" doc:"The part the caller plays"`
	Actions       []string       `json:"actions" doc:"The steps the caller may take now"`
	Messages      []ServiceNote  `json:"messages,omitempty" doc:"The thread, oldest first (GET of one service order only)"`
	Deliverables  []AttachedFile `json:"deliverables,omitempty" doc:"The files its delivery handed over (GET of one service order only)"`
}

// ServiceNote is one message of a service order's thread.
type ServiceNote struct {
	ID        string         `json:"id" example:"msg_01JDX3Z5R6K8M9N0P1Q2R3S4T5"`
	Author    string         `json:"author" enum:"buyer,seller,operator"`
	Action    string         `json:"action" doc:"The step it records (deliver, decline, dispute, resolve …); empty for an ordinary message"`
	Body      string         `json:"body"`
	Files     []AttachedFile `json:"files"`
	CreatedAt time.Time      `json:"created_at"`
}

// AttachedFile is a file of a service order's thread.
type AttachedFile struct {
	ID          string `json:"id" example:"att_01JDX3Z5R6K8M9N0P1Q2R3S4T5"`
	Name        string `json:"name" example:"audit-report.pdf"`
	Size        int64  `json:"size" doc:"Bytes"`
	ContentType string `json:"content_type" doc:"Judged by the file's bytes" example:"application/pdf"`
	Deliverable bool   `json:"deliverable" doc:"Handed over by the delivery"`
	URL         string `json:"url" doc:"Where to download it (signed in, as someone who may see the service order)"`
}

func serviceOrderOf(v market.EngagementView) ServiceOrder {
	e := v.Engagement
	out := ServiceOrder{ID: e.ID, OrderID: e.OrderID, LineNo: e.LineNo, ProductID: e.ProductID, ProductName: textOf(v.ProductName), Plan: v.Plan,
		BuyerOrgID: e.BuyerOrgID, SellerOrgID: e.SellerOrgID, State: string(e.State), Cause: string(e.Cause), Paid: moneyOf(e.Paid),
		Refunded: moneyOf(e.Refunded), Zone: e.Zone, PaidAt: e.PaidAt, AcceptBy: e.AcceptBy, AcceptedAt: optionalTime(e.AcceptedAt),
		DeliveredAt: optionalTime(e.DeliveredAt), ConfirmBy: optionalTime(e.ConfirmBy), DisputedAt: optionalTime(e.DisputedAt),
		ClosedAt: optionalTime(e.ClosedAt), Reason: e.Reason, DisputeReason: e.DisputeReason, Resolution: e.Resolution, Version: e.Version,
		YourRole: string(v.Role), Actions: make([]string, 0, len(v.Actions))}
	for _, k := range v.Actions {
		out.Actions = append(out.Actions, string(k))
	}
	for _, m := range v.Thread {
		out.Messages = append(out.Messages, serviceNoteOf(m))
	}
	for _, f := range engagement.Deliverables(v.Thread) {
		out.Deliverables = append(out.Deliverables, attachedFileOf(e.ID, f))
	}
	return out
}

func serviceNoteOf(m engagement.Message) ServiceNote {
	out := ServiceNote{ID: m.ID, Author: string(m.Author), Action: string(m.Action), Body: m.Body, Files: make([]AttachedFile, 0, len(m.Attachments)),
		CreatedAt: m.CreatedAt}
	for _, f := range m.Attachments {
		out.Files = append(out.Files, attachedFileOf(m.EngagementID, f))
	}
	return out
}

func attachedFileOf(engagementID string, f engagement.Attachment) AttachedFile {
	id := market.FileID(f)
	return AttachedFile{ID: id, Name: f.Name, Size: f.Size, ContentType: f.ContentType, Deliverable: f.Deliverable,
		URL: "/api/v1/service-orders/" + url.PathEscape(engagementID) + "/files/" + url.PathEscape(id)}
}

// MaxServiceUpload is the largest message or delivery: five files of the
// largest size and room for the form around them.
const MaxServiceUpload = engagement.MaxAttachments*engagement.MaxFileSize + 1<<20

type serviceOrdersInput struct {
	OrgID  string `query:"org_id" maxLength:"64" doc:"The customer organisation; may be left out when the caller is a buyer in only one. Operators leave it out to list every service order (state=disputed: the dispute queue)"`
	State  string `query:"state" enum:",awaiting_acceptance,in_progress,delivered,disputed,confirmed,refunded,partially_refunded" doc:"Only those in this state"`
	Before string `query:"before" maxLength:"64" doc:"The id of the last service order of the previous page"`
}

type sellerServiceOrdersInput struct {
	State  string `query:"state" enum:",awaiting_acceptance,in_progress,delivered,disputed,confirmed,refunded,partially_refunded" doc:"Only those in this state"`
	Before string `query:"before" maxLength:"64" doc:"The id of the last service order of the previous page"`
}

type serviceOrdersOutput struct {
	Body struct {
		ServiceOrders []ServiceOrder `json:"service_orders" doc:"Newest first, 50 a page"`
	}
}

type serviceOrderOutput struct{ Body ServiceOrder }

type serviceOrderIDInput struct {
	ID string `path:"id" maxLength:"64"`
}

type serviceReasonInput struct {
	ID   string `path:"id" maxLength:"64"`
	Body *struct {
		Reason string `json:"reason,omitempty" maxLength:"4000" doc:"Why: required to decline or dispute, optional to cancel. The other side reads it"`
	}
}

func (in serviceReasonInput) reason() string {
	if in.Body == nil {
		return ""
	}
	return in.Body.Reason
}

type resolveInput struct {
	ID   string `path:"id" maxLength:"64"`
	Body struct {
		Note   string `json:"note" maxLength:"4000" doc:"The decision, explained: buyer and seller read it"`
		Refund Money  `json:"refund" doc:"What goes back to the buyer: 0 confirms the delivery, all that was paid refunds it, anything between is a partial refund"`
	}
}

type serviceForm struct {
	Note string `form:"note" required:"false" doc:"The delivery note (deliver)"`
	// Not named Body: huma skips a form field of that name.
	Message string          `form:"body" required:"false" doc:"The message (messages)"`
	Files   []huma.FormFile `form:"files" required:"false" doc:"Up to 5 files of at most 50 MiB each"`
}

type serviceUploadInput struct {
	ID      string `path:"id" maxLength:"64"`
	RawBody huma.MultipartFormFiles[serviceForm]
}

// uploads hands the form's files to the use case; close closes them.
func (in *serviceUploadInput) uploads() (files []market.Upload, closeAll func()) {
	form := in.RawBody.Data()
	for _, f := range form.Files {
		files = append(files, market.Upload{Name: f.Filename, Body: f})
	}
	return files, func() {
		for _, f := range form.Files {
			_ = f.Close()
		}
	}
}

type serviceNoteOutput struct{ Body ServiceNote }

type serviceFileInput struct {
	ID   string `path:"id" maxLength:"64"`
	File string `path:"file" maxLength:"64"`
}

func (h handlers) serviceOrders(a huma.API) {
	tags := []string{"Service orders"}
	list := func(ctx context.Context, f store.EngagementFilter) (*serviceOrdersOutput, error) {
		views, err := h.svc.Engagements(ctx, actorOf(ctx), f)
		if err != nil {
			return nil, err
		}
		return serviceOrdersOf(views), nil
	}
	huma.Register(a, huma.Operation{
		OperationID: "list-service-orders", Method: http.MethodGet, Path: "/api/v1/service-orders",
		Summary: "A customer organisation's service orders (operators: all, or the disputes)", Tags: tags, Security: bearer,
		Errors: []int{400, 401, 403},
		Description: "The professional services the organisation bought, newest first (its buyers; operators give any org_id). " +
			"Operators without org_id list every service order; with state=disputed, the disputes to resolve.",
	}, func(ctx context.Context, in *serviceOrdersInput) (*serviceOrdersOutput, error) {
		actor := actorOf(ctx)
		f := store.EngagementFilter{State: engagement.State(in.State), Before: in.Before}
		org, err := market.BuyingOrg(actor, in.OrgID)
		switch {
		case err == nil:
			f.BuyerOrgID = org
		case in.OrgID == "" && account.Can(actor, account.ReadAllOrders, account.Resource{}):
		default:
			return nil, err
		}
		return list(ctx, f)
	})

	huma.Register(a, huma.Operation{
		OperationID: "list-seller-service-orders", Method: http.MethodGet, Path: "/api/v1/seller/service-orders",
		Summary: "The service orders of the caller's company's products", Tags: tags, Security: bearer, Errors: []int{401, 403},
		Description: "Newest first; accept or decline those awaiting acceptance before their accept_by.",
	}, func(ctx context.Context, in *sellerServiceOrdersInput) (*serviceOrdersOutput, error) {
		views, err := h.svc.SellerEngagements(ctx, actorOf(ctx), engagement.State(in.State), in.Before)
		if err != nil {
			return nil, err
		}
		return serviceOrdersOf(views), nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "get-service-order", Method: http.MethodGet, Path: "/api/v1/service-orders/{id}",
		Summary: "A service order with its thread", Tags: tags, Security: bearer, Errors: []int{401, 404},
		Description: "For the buyers of the organisation that bought it, the people of the company that sells it, and operators; " +
			"anyone else gets 404, as for a service order that does not exist.",
	}, func(ctx context.Context, in *serviceOrderIDInput) (*serviceOrderOutput, error) {
		if err := signedIn(ctx); err != nil {
			return nil, err
		}
		v, err := h.svc.Engagement(ctx, actorOf(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &serviceOrderOutput{Body: serviceOrderOf(v)}, nil
	})

	// The steps without files. Each answers the service order after it.
	steps := []struct {
		verb, summary, description string
		do                         func(ctx context.Context, actor account.Actor, in *serviceReasonInput) (market.EngagementView, error)
	}{
		{"accept", "Accept a service order (its seller)", "Before accept_by (409 invalid_state after, error.engagement_acceptance_late).",
			func(ctx context.Context, actor account.Actor, in *serviceReasonInput) (market.EngagementView, error) {
				return h.svc.AcceptEngagement(ctx, actor, in.ID)
			}},
		{"decline", "Decline a service order, saying why (its seller)", "The buyer gets back what it paid for the line, to its balance.",
			func(ctx context.Context, actor account.Actor, in *serviceReasonInput) (market.EngagementView, error) {
				return h.svc.DeclineEngagement(ctx, actor, in.ID, in.reason())
			}},
		{"cancel", "Cancel a service order before it is accepted (its buyers, or an operator for them)", "Refunded in full to the buyer's balance; a reason is optional.",
			func(ctx context.Context, actor account.Actor, in *serviceReasonInput) (market.EngagementView, error) {
				return h.svc.CancelEngagement(ctx, actor, in.ID, in.reason())
			}},
		{"confirm", "Confirm a delivery (its buyers)", "The service order is complete; its order is delivered.",
			func(ctx context.Context, actor account.Actor, in *serviceReasonInput) (market.EngagementView, error) {
				return h.svc.ConfirmEngagement(ctx, actor, in.ID)
			}},
		{"dispute", "Dispute a delivery, saying why (its buyers)", "Before confirm_by (409 invalid_state after, error.engagement_dispute_late). An operator decides.",
			func(ctx context.Context, actor account.Actor, in *serviceReasonInput) (market.EngagementView, error) {
				return h.svc.DisputeEngagement(ctx, actor, in.ID, in.reason())
			}},
	}
	for _, st := range steps {
		huma.Register(a, huma.Operation{
			OperationID: st.verb + "-service-order", Method: http.MethodPost, Path: "/api/v1/service-orders/{id}/" + st.verb,
			Summary: st.summary, Tags: tags, Security: bearer, MaxBodyBytes: MaxBody, Errors: []int{400, 401, 403, 404, 409},
			Description: st.description + " A step that is not the caller's to take is 403 (error.engagement_role); one the service " +
				"order's state does not allow is 409 invalid_state (error.engagement_state); two steps at once: one applies, the other " +
				"is 409 conflict. Anyone who may not see the service order gets 404.",
		}, func(ctx context.Context, in *serviceReasonInput) (*serviceOrderOutput, error) {
			if err := signedIn(ctx); err != nil {
				return nil, err
			}
			v, err := st.do(ctx, actorOf(ctx), in)
			if err != nil {
				return nil, err
			}
			return &serviceOrderOutput{Body: serviceOrderOf(v)}, nil
		})
	}

	huma.Register(a, huma.Operation{
		OperationID: "resolve-service-order", Method: http.MethodPost, Path: "/api/v1/service-orders/{id}/resolve",
		Summary: "Resolve a disputed service order (operators)", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
		Errors: []int{400, 401, 403, 404, 409},
		Description: "refund 0 confirms the delivery (confirmed), all that was paid refunds it (refunded), anything between refunds " +
			"that part (partially_refunded); the refund is posted to the ledger at once and lands on the buyer's balance. " +
			"A refund outside 0…paid is 400 on refund (error.resolution_refund).",
	}, func(ctx context.Context, in *resolveInput) (*serviceOrderOutput, error) {
		if err := signedIn(ctx); err != nil {
			return nil, err
		}
		refund, err := in.Body.Refund.amount("refund")
		if err != nil {
			return nil, err
		}
		v, err := h.svc.ResolveEngagement(ctx, actorOf(ctx), in.ID, in.Body.Note, refund)
		if err != nil {
			return nil, err
		}
		return &serviceOrderOutput{Body: serviceOrderOf(v)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "deliver-service-order", Method: http.MethodPost, Path: "/api/v1/service-orders/{id}/deliver",
		Summary: "Deliver a service order (its seller)", Tags: tags, Security: bearer,
		MaxBodyBytes: MaxServiceUpload, BodyReadTimeout: 10 * time.Minute, Errors: []int{400, 401, 403, 404, 409, 413},
		Description: "multipart/form-data with note (required) and 1 to 5 deliverables as files (each at most 50 MiB, any type, " +
			"judged by its bytes). The buyer then has 7 days to confirm or dispute; without an answer it is confirmed.",
		Middlewares: huma.Middlewares{limitMultipart(a)},
	}, func(ctx context.Context, in *serviceUploadInput) (*serviceOrderOutput, error) {
		files, closeAll := in.uploads()
		defer closeAll()
		v, err := h.svc.DeliverEngagement(ctx, actorOf(ctx), in.ID, in.RawBody.Data().Note, files)
		if err != nil {
			return nil, err
		}
		return &serviceOrderOutput{Body: serviceOrderOf(v)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "post-service-order-message", Method: http.MethodPost, Path: "/api/v1/service-orders/{id}/messages",
		DefaultStatus: http.StatusCreated, Summary: "Write to the other side of a service order, with files", Tags: tags, Security: bearer,
		MaxBodyBytes: MaxServiceUpload, BodyReadTimeout: 10 * time.Minute, Errors: []int{400, 401, 404, 409, 413},
		Description: "multipart/form-data with body (at most 4,000 characters) and up to 5 files (each at most 50 MiB); a body or a " +
			"file at least. The thread is open until the service order ends (409 invalid_state, error.thread_closed, after).",
		Middlewares: huma.Middlewares{limitMultipart(a)},
	}, func(ctx context.Context, in *serviceUploadInput) (*serviceNoteOutput, error) {
		files, closeAll := in.uploads()
		defer closeAll()
		m, err := h.svc.PostEngagementMessage(ctx, actorOf(ctx), in.ID, in.RawBody.Data().Message, files)
		if err != nil {
			return nil, err
		}
		return &serviceNoteOutput{Body: serviceNoteOf(m)}, nil
	})

	binary := &huma.MediaType{Schema: &huma.Schema{Type: "string", Format: "binary"}}
	huma.Register(a, huma.Operation{
		OperationID: "get-service-order-file", Method: http.MethodGet, Path: "/api/v1/service-orders/{id}/files/{file}",
		Summary: "Download a file of a service order's thread", Tags: tags, Security: bearer, Errors: []int{401, 404},
		Description: "For those who may see the service order; always as an attachment.",
		Responses:   map[string]*huma.Response{"200": {Description: "The file's bytes", Content: map[string]*huma.MediaType{"application/octet-stream": binary}}},
	}, func(ctx context.Context, in *serviceFileInput) (*fileOutput, error) {
		if err := signedIn(ctx); err != nil {
			return nil, err
		}
		f, data, err := h.svc.EngagementFile(ctx, actorOf(ctx), in.ID, in.File)
		if err != nil {
			return nil, err
		}
		return &fileOutput{ContentType: f.ContentType, ContentDisposition: attachment(f.Name), NoSniff: "nosniff",
			CacheControl: "private, no-store", Body: data}, nil
	})
}

func serviceOrdersOf(views []market.EngagementView) *serviceOrdersOutput {
	out := &serviceOrdersOutput{}
	out.Body.ServiceOrders = make([]ServiceOrder, 0, len(views))
	for _, v := range views {
		out.Body.ServiceOrders = append(out.Body.ServiceOrders, serviceOrderOf(v))
	}
	return out
}
