package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/testcredit"
)

// TestCreditRequest is a seller's request for test credit.
type TestCreditRequest struct {
	ID          string     `json:"id" example:"tcr_01JDX3Z5R6K8M9N0P1Q2R3S4T5"`
	SellerOrgID string     `json:"seller_org_id"`
	SellerName  string     `json:"seller_name,omitempty" doc:"In operators' lists"`
	State       string     `json:"state" enum:"pending,approved,declined,expired"`
	Requested   Money      `json:"requested" doc:"What the seller asked for, in USD"`
	Approved    Money      `json:"approved" doc:"What was granted (at most requested); zero until approved"`
	Expired     Money      `json:"expired" doc:"The unused rest that went back to the marketplace when it expired"`
	Purpose     string     `json:"purpose"`
	RequestedAt time.Time  `json:"requested_at"`
	DecidedAt   *time.Time `json:"decided_at,omitempty"`
	Reason      string     `json:"reason,omitempty" doc:"Why it was declined"`
	ExpiresAt   *time.Time `json:"expires_at,omitempty" doc:"When approved credit expires"`
}

func testCreditRequestOf(r testcredit.Request, name string) TestCreditRequest {
	out := TestCreditRequest{ID: r.ID, SellerOrgID: r.OrgID, SellerName: name, State: string(r.State), Requested: moneyOf(r.Requested),
		Approved: moneyOf(r.Approved), Expired: moneyOf(r.Expired), Purpose: r.Purpose, RequestedAt: r.RequestedAt, Reason: r.Reason}
	if !r.DecidedAt.IsZero() {
		t := r.DecidedAt
		out.DecidedAt = &t
	}
	if !r.ExpiresAt.IsZero() {
		t := r.ExpiresAt
		out.ExpiresAt = &t
	}
	return out
}

// TestCredit is a seller's test credit.
type TestCredit struct {
	SellerOrgID string              `json:"seller_org_id"`
	Cap         Money               `json:"cap" doc:"The most all requests, pending and approved, may come to: USD 1,000.00"`
	Held        Money               `json:"held" doc:"What pending requests and approved credit (expired too) hold under the cap"`
	Left        Money               `json:"left" doc:"cap − held: what may still be asked for"`
	Balance     Money               `json:"balance" doc:"The test balance: spent only on test orders of the company's own products"`
	Requests    []TestCreditRequest `json:"requests" doc:"Newest first"`
	Statement   []StatementEntry    `json:"statement" doc:"The test balance's movements, newest 200 first: test_credit (a grant), payment and refund (test orders), test_credit_expiry"`
}

func testCreditOf(v market.TestCreditView) TestCredit {
	out := TestCredit{SellerOrgID: v.OrgID, Cap: moneyOf(v.Cap), Held: moneyOf(v.Held), Left: moneyOf(v.Left), Balance: moneyOf(v.Balance),
		Requests: make([]TestCreditRequest, 0, len(v.Requests)), Statement: make([]StatementEntry, 0, len(v.Statement))}
	for _, r := range v.Requests {
		out.Requests = append(out.Requests, testCreditRequestOf(r, ""))
	}
	for _, l := range v.Statement {
		out.Statement = append(out.Statement, StatementEntry{PostingID: l.PostingID, Kind: l.Kind, Ref: l.Ref, Memo: l.Memo, Amount: moneyOf(l.Amount), At: l.At})
	}
	return out
}

type testCreditAskInput struct {
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"200" doc:"Send one with every new request and the same one when retrying it: the amount is held once"`
	Body           struct {
		Amount  Money  `json:"amount" doc:"In USD: more than zero, and with the other requests at most USD 1,000.00"`
		Purpose string `json:"purpose" maxLength:"4000" doc:"What the credit is for (1–1,000 characters)"`
	}
}

type testCreditRequestOutput struct {
	Status   int
	Replayed string `header:"Idempotent-Replayed" doc:"true when this answer repeats the request made before with the Idempotency-Key"`
	Body     TestCreditRequest
}

type testCreditOutput struct{ Body TestCredit }

type testCreditListInput struct {
	State string `query:"state" enum:"pending,approved,declined,expired" doc:"Only requests in this state"`
}

type testCreditListOutput struct {
	Body struct {
		Requests []TestCreditRequest `json:"requests" doc:"Newest first, at most 500"`
	}
}

type testCreditApproveInput struct {
	ID   string `path:"id" maxLength:"64"`
	Body struct {
		Amount    *Money     `json:"amount,omitempty" doc:"What to grant, in USD: at most what was asked; all of it when left out"`
		ExpiresAt *time.Time `json:"expires_at,omitempty" doc:"When the credit expires, within a year; 90 days from now when left out"`
	}
}

type testCreditDeclineInput struct {
	ID   string `path:"id" maxLength:"64"`
	Body struct {
		Reason string `json:"reason" maxLength:"2000" doc:"Why, for the seller (1–500 characters)"`
	}
}

type testCreditOneOutput struct{ Body TestCreditRequest }

type testOrderInput struct {
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"200" doc:"As for POST /api/v1/orders: the order is placed once"`
	Body           struct {
		Lines []CartLine `json:"lines" doc:"1–20 lines of the company's own products, prepaid plans priced in USD; auto_renew is ignored"`
	}
}

func (h handlers) testCredit(a huma.API) {
	tags := []string{"Test credit"}
	huma.Register(a, huma.Operation{
		OperationID: "request-test-credit", Method: http.MethodPost, Path: "/api/v1/seller/test-credit/requests", DefaultStatus: http.StatusCreated,
		Summary: "Ask for test credit (a seller's admins)", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
		Errors: []int{400, 401, 403, 422},
		Description: "Asks the marketplace for test credit in USD, to buy the company's own products and try their delivery " +
			"(docs/benefits.md). The request is pending until an operator decides. All of a seller's pending and approved requests " +
			"together never exceed USD 1,000.00: a request beyond that is refused with 422 requirements_not_met " +
			"(error.test_credit_cap), also when many arrive at once. A seller that is not approved, or is suspended, gets 422 " +
			"(error.test_credit_not_selling). With an Idempotency-Key, a retry answers 200 with the request made the first time.",
		Responses: map[string]*huma.Response{"200": {Description: "The request made before with this Idempotency-Key"}},
	}, func(ctx context.Context, in *testCreditAskInput) (*testCreditRequestOutput, error) {
		amount, err := in.Body.Amount.amount("amount")
		if err != nil {
			return nil, err
		}
		r, replayed, err := h.svc.RequestTestCredit(ctx, actorOf(ctx), amount, in.Body.Purpose, in.IdempotencyKey)
		if err != nil {
			return nil, err
		}
		out := &testCreditRequestOutput{Status: http.StatusCreated, Body: testCreditRequestOf(r, "")}
		if replayed {
			out.Status, out.Replayed = http.StatusOK, "true"
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "get-test-credit", Method: http.MethodGet, Path: "/api/v1/seller/test-credit",
		Summary: "The company's test credit: requests, allowance, test balance and statement", Tags: tags, Security: bearer,
		Errors: []int{401, 403},
		Description: "For the caller's seller company (its people): every request with its state, what the requests hold under " +
			"the USD 1,000.00 cap and what is left, the test balance and its movements.",
	}, func(ctx context.Context, _ *struct{}) (*testCreditOutput, error) {
		v, err := h.svc.TestCredit(ctx, actorOf(ctx))
		if err != nil {
			return nil, err
		}
		return &testCreditOutput{Body: testCreditOf(v)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "list-own-test-credit-requests", Method: http.MethodGet, Path: "/api/v1/seller/test-credit/requests",
		Summary: "The company's test-credit requests, newest first", Tags: tags, Security: bearer, Errors: []int{401, 403},
		Description: "The caller's seller company's requests (its people).",
	}, func(ctx context.Context, _ *struct{}) (*testCreditListOutput, error) {
		v, err := h.svc.TestCredit(ctx, actorOf(ctx))
		if err != nil {
			return nil, err
		}
		out := &testCreditListOutput{}
		out.Body.Requests = testCreditOf(v).Requests
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "place-test-order", Method: http.MethodPost, Path: "/api/v1/seller/test-orders", DefaultStatus: http.StatusCreated,
		Summary: "Buy the company's own products with test credit (a seller's admins)", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
		Errors: []int{400, 401, 402, 403, 404, 422},
		Description: "Places an order of channel test for the caller's seller company, paid from its test balance, and delivers it " +
			"like any order, so the seller can try its delivery end to end. Only the company's own products (403 error.test_order_own), " +
			"prepaid plans priced in USD (400 error.test_order_prepaid, error.test_order_currency); no coupon; nothing renews. The payment " +
			"goes back to the marketplace's test-credit account: the seller is owed nothing, and the order counts toward no sales " +
			"figure or campaign. A test balance that does not cover it is 402 insufficient_funds. Idempotency-Key as for POST /api/v1/orders.",
		Responses: map[string]*huma.Response{"200": {Description: "The order placed before with this Idempotency-Key and this body"}},
	}, func(ctx context.Context, in *testOrderInput) (*placedOrderOutput, error) {
		o, replayed, err := h.svc.PlaceTestOrder(ctx, actorOf(ctx), lineRequests(in.Body.Lines), in.IdempotencyKey)
		if err != nil {
			return nil, err
		}
		out := &placedOrderOutput{Status: http.StatusCreated, Location: orderURL(o.ID), Body: orderOf(o)}
		if replayed {
			out.Status, out.Replayed = http.StatusOK, "true"
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "list-test-credit-requests", Method: http.MethodGet, Path: "/api/v1/ops/test-credit/requests",
		Summary: "Every seller's test-credit requests (operators)", Tags: tags, Security: bearer, Errors: []int{400, 401, 403},
		Description: "Newest first, with the seller's name; state=pending is the queue to decide.",
	}, func(ctx context.Context, in *testCreditListInput) (*testCreditListOutput, error) {
		items, err := h.svc.TestCreditRequests(ctx, actorOf(ctx), testcredit.State(in.State))
		if err != nil {
			return nil, err
		}
		out := &testCreditListOutput{}
		out.Body.Requests = make([]TestCreditRequest, 0, len(items))
		for _, it := range items {
			out.Body.Requests = append(out.Body.Requests, testCreditRequestOf(it.Request, it.OrgName))
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "approve-test-credit", Method: http.MethodPost, Path: "/api/v1/ops/test-credit/requests/{id}/approve",
		Summary: "Approve a test-credit request (operators)", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
		Errors: []int{400, 401, 403, 404, 409, 422},
		Description: "Grants the amount (all that was asked when left out; never more) until expires_at (90 days when left out): " +
			"the seller's test balance is credited from the marketplace's test-credit account in the ledger, and what was asked " +
			"beyond the amount is freed under the cap. A request decided already is 409 invalid_state.",
	}, func(ctx context.Context, in *testCreditApproveInput) (*testCreditOneOutput, error) {
		var amount money.Amount
		if in.Body.Amount != nil {
			var err error
			if amount, err = in.Body.Amount.amount("amount"); err != nil {
				return nil, err
			}
		}
		var expires time.Time
		if in.Body.ExpiresAt != nil {
			expires = *in.Body.ExpiresAt
		}
		r, err := h.svc.ApproveTestCredit(ctx, actorOf(ctx), in.ID, amount, expires)
		if err != nil {
			return nil, err
		}
		return &testCreditOneOutput{Body: testCreditRequestOf(r, "")}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "decline-test-credit", Method: http.MethodPost, Path: "/api/v1/ops/test-credit/requests/{id}/decline",
		Summary: "Decline a test-credit request (operators)", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
		Errors:      []int{400, 401, 403, 404, 409},
		Description: "Declines a pending request with a reason the seller sees; its amount is freed under the cap.",
	}, func(ctx context.Context, in *testCreditDeclineInput) (*testCreditOneOutput, error) {
		r, err := h.svc.DeclineTestCredit(ctx, actorOf(ctx), in.ID, in.Body.Reason)
		if err != nil {
			return nil, err
		}
		return &testCreditOneOutput{Body: testCreditRequestOf(r, "")}, nil
	})
}
