package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/store"
)

// RefundableLine is what may be refunded of an order line now, and its policy.
type RefundableLine struct {
	No          int        `json:"no"`
	ProductID   string     `json:"product_id"`
	ProductName Texts      `json:"product_name"`
	Type        string     `json:"type" enum:"image,saas,license,professional_service"`
	Mode        string     `json:"mode" enum:"one_time,monthly,yearly,pay_per_use"`
	Paid        Money      `json:"paid"`
	Refunded    Money      `json:"refunded" doc:"Given back of paid so far"`
	Refundable  Money      `json:"refundable" doc:"What may be refunded of the line now, under its policy, less what was refunded"`
	RefundDays  int        `json:"refund_days" doc:"The line's policy, the product's when it was bought: anything not consumed is refunded in full within this many days of payment (0–30); after that a monthly or yearly line gives back its unused whole periods, pro rata, and other lines nothing. A professional service is refunded in full until the seller accepts it"`
	FullUntil   *time.Time `json:"full_refund_until" nullable:"true" doc:"paid_at + refund_days: the end of the full-refund window; null while the order is unpaid"`
}

// Refundable is what may be refunded of an order now.
type Refundable struct {
	OrderID  string           `json:"order_id"`
	Currency string           `json:"currency" example:"CNY"`
	Lines    []RefundableLine `json:"lines"`
	Total    Money            `json:"total" doc:"The sum of the lines' refundable: the most one refund may give back now"`
}

// RefundPart is a refund's part on one order line.
type RefundPart struct {
	No     int   `json:"no" doc:"The order line"`
	Amount Money `json:"amount"`
}

// Refund is money given back on an order to the buyer's balance.
type Refund struct {
	ID        string       `json:"id" example:"rfd_01JDX3Z5R6K8M9N0P1Q2R3S4T5"`
	OrderID   string       `json:"order_id"`
	Amount    Money        `json:"amount" doc:"The sum of the lines' parts (to a seller, of its lines' parts)"`
	Lines     []RefundPart `json:"lines" doc:"How the amount was split over the order's lines"`
	Reason    string       `json:"reason"`
	PostingID string       `json:"posting_id,omitempty" doc:"The ledger posting that gave it back (GET /balances/{currency}/statement); not shown to sellers"`
	CreatedAt time.Time    `json:"created_at"`
}

func refundOf(r store.Refund) Refund {
	out := Refund{ID: r.ID, OrderID: r.OrderID, Amount: moneyOf(r.Amount), Lines: make([]RefundPart, 0, len(r.Lines)),
		Reason: r.Reason, PostingID: r.PostingID, CreatedAt: r.CreatedAt}
	for _, l := range r.Lines {
		out.Lines = append(out.Lines, RefundPart{No: l.No, Amount: moneyOf(money.New(l.Amount, r.Amount.Currency))})
	}
	return out
}

type refundableOutput struct{ Body Refundable }

type refundInput struct {
	ID             string `path:"id" maxLength:"64" doc:"The order"`
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"200" doc:"Send one with every new refund and the same one when retrying it: the refund is made once"`
	Body           *struct {
		Lines  []int  `json:"lines,omitempty" maxItems:"20" doc:"The numbers of the lines to refund; all the order's lines when left out" example:"[1,2]"`
		Amount *Money `json:"amount,omitempty" doc:"How much, in the order's currency, split over the lines in proportion to what each may give back; all they may when left out"`
		Reason string `json:"reason,omitempty" maxLength:"500" doc:"Why; the sellers read it. At most 500 characters" example:"Bought the wrong plan."`
	}
}

type refundOutput struct{ Body Refund }

type refundsOutput struct {
	Body struct {
		Refunds []Refund `json:"refunds" doc:"Oldest first"`
	}
}

func (h handlers) refunds(a huma.API) {
	tags := []string{"Refunds"}
	huma.Register(a, huma.Operation{
		OperationID: "get-order-refundable", Method: http.MethodGet, Path: "/api/v1/orders/{id}/refundable",
		Summary: "What may be refunded of an order now, line by line", Tags: tags, Security: bearer, Errors: []int{401, 404},
		Description: "For the buyer organisation and operators (anyone else gets 404): each line's paid, refunded and " +
			"refundable amounts and its refund policy, and the total.",
	}, func(ctx context.Context, in *orderIDInput) (*refundableOutput, error) {
		if err := signedIn(ctx); err != nil {
			return nil, err
		}
		q, err := h.svc.Refundable(ctx, actorOf(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		o := q.Order
		out := &refundableOutput{Body: Refundable{OrderID: o.ID, Currency: string(o.Currency), Lines: make([]RefundableLine, 0, len(o.Lines)),
			Total: moneyOf(q.Total)}}
		for i, l := range o.Lines {
			rl := RefundableLine{No: l.No, ProductID: l.ProductID, ProductName: Texts{EN: l.ProductName.EN, ZH: l.ProductName.ZH},
				Type: string(l.Type), Mode: string(l.Mode), Paid: moneyOf(l.Paid), Refunded: moneyOf(refunded(l.Refunded, o.Currency)),
				Refundable: moneyOf(q.Refundable[i]), RefundDays: l.RefundDays}
			if !o.PaidAt.IsZero() {
				t := o.PaidAt.AddDate(0, 0, l.RefundDays)
				rl.FullUntil = &t
			}
			out.Body.Lines = append(out.Body.Lines, rl)
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "refund-order", Method: http.MethodPost, Path: "/api/v1/orders/{id}/refunds", DefaultStatus: http.StatusCreated,
		Summary: "Give money back on an order to the buyer's balance", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
		Errors: []int{400, 401, 404, 409},
		Description: "For the buyer organisation's buyers and operators (anyone else gets 404). Refunds the lines named " +
			"(all when none are), up to what each may give back now (GET /orders/{id}/refundable): amount, when given, is " +
			"split over them in proportion to that, exactly; without it, all they may. One ledger posting gives it back; the " +
			"order becomes partially_refunded or refunded, subscriptions refunded in full are released, and the sellers are " +
			"told. 400 on amount for more than may be refunded, a zero or negative amount or another currency; 400 on lines " +
			"when nothing of the lines may be refunded now, or for a line the order does not have; 409 invalid_state for an " +
			"unpaid order. Refunds of one order at the same moment are made one after the other, so money is never given " +
			"back twice. Send an Idempotency-Key and the same one when retrying: the same key on the order returns the refund " +
			"made with it (201 again); the key with another request is 422 idempotency_conflict.",
	}, func(ctx context.Context, in *refundInput) (*refundOutput, error) {
		if err := signedIn(ctx); err != nil {
			return nil, err
		}
		req := market.RefundRequest{OrderID: in.ID, IdempotencyKey: in.IdempotencyKey}
		if b := in.Body; b != nil {
			req.Lines, req.Reason = b.Lines, b.Reason
			if b.Amount != nil {
				amount, err := b.Amount.amount("amount")
				if err != nil {
					return nil, err
				}
				req.Amount = &amount
			}
		}
		r, err := h.svc.Refund(ctx, actorOf(ctx), req)
		if err != nil {
			return nil, err
		}
		return &refundOutput{Body: refundOf(r)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "list-order-refunds", Method: http.MethodGet, Path: "/api/v1/orders/{id}/refunds",
		Summary: "An order's refunds, oldest first", Tags: tags, Security: bearer, Errors: []int{401, 404},
		Description: "Whole to the buyer organisation and operators; to the seller of one of its lines, only the refunds " +
			"that touched its lines, each with only those lines' parts (and their sum as the amount). Anyone else gets 404.",
	}, func(ctx context.Context, in *orderIDInput) (*refundsOutput, error) {
		if err := signedIn(ctx); err != nil {
			return nil, err
		}
		list, err := h.svc.Refunds(ctx, actorOf(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		out := &refundsOutput{}
		out.Body.Refunds = make([]Refund, 0, len(list))
		for _, r := range list {
			out.Body.Refunds = append(out.Body.Refunds, refundOf(r))
		}
		return out, nil
	})
}
