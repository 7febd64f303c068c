package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/seller"
)

// ApplicationSummary is a row of the operators' review queue.
type ApplicationSummary struct {
	ID               string     `json:"id"`
	OrgID            string     `json:"org_id"`
	LegalName        string     `json:"legal_name"`
	State            string     `json:"state" enum:"draft,submitted,changes_requested,approved,rejected,suspended"`
	Regions          []string   `json:"regions" doc:"Codes of the regions served"`
	SubmittedAt      *time.Time `json:"submitted_at" nullable:"true" doc:"The last submission; null if never submitted"`
	AgeDays          *int       `json:"age_days" nullable:"true" doc:"Whole days since the last submission; null if never submitted"`
	TaxBankToCertify bool       `json:"tax_bank_to_certify" doc:"Tax and bank details are entered and wait for certification"`
}

type applicationsInput struct {
	State         string `query:"state" enum:"draft,submitted,changes_requested,approved,rejected,suspended" doc:"Only applications in this state"`
	Region        string `query:"region" maxLength:"32" doc:"Only applications serving this region code" example:"cn-north-4"`
	OlderThanDays int    `query:"older_than_days" minimum:"0" maximum:"36500" doc:"Only applications submitted more than this many days ago"`
}

type applicationsOutput struct {
	Body struct {
		Applications []ApplicationSummary `json:"applications" doc:"Oldest submission first; never-submitted ones last"`
	}
}

type applicationIDInput struct {
	Lang
	ID string `path:"id" maxLength:"64"`
}

type reviewInput struct {
	Lang
	ID   string `path:"id" maxLength:"64"`
	Body *struct {
		Reason string `json:"reason,omitempty" doc:"Why: the applicant reads it. Required to reject, request changes, suspend and reinstate" example:"Upload a legible copy of the business licence."`
	}
}

// reviewSteps are the review operations, one per workflow step.
var reviewSteps = []struct {
	path, id, summary string
	step              seller.Step
}{
	{"approve", "approve-application", "Approve a submitted application", seller.Approve},
	{"reject", "reject-application", "Reject a submitted application (reason required)", seller.Reject},
	{"request-changes", "request-application-changes", "Send a submitted application back for changes (reason required)", seller.RequestChanges},
	{"suspend", "suspend-seller", "Suspend an approved seller: its listings are hidden and it cannot sell (reason required)", seller.Suspend},
	{"reinstate", "reinstate-seller", "Reinstate a suspended seller (reason required)", seller.Reinstate},
}

func (h handlers) review(a huma.API) {
	tags := []string{"Review"}
	huma.Register(a, huma.Operation{
		OperationID: "list-applications", Method: http.MethodGet, Path: "/api/v1/applications",
		Summary: "The review queue (operators)", Tags: tags, Security: bearer, Errors: []int{400, 401, 403},
	}, func(ctx context.Context, in *applicationsInput) (*applicationsOutput, error) {
		list, err := h.svc.Applications(ctx, actorOf(ctx), market.ApplicationFilter{State: seller.State(in.State), Region: in.Region, OlderThanDay: in.OlderThanDays})
		if err != nil {
			return nil, err
		}
		out := &applicationsOutput{}
		out.Body.Applications = []ApplicationSummary{}
		for _, s := range list {
			out.Body.Applications = append(out.Body.Applications, summaryOf(s))
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "get-application", Method: http.MethodGet, Path: "/api/v1/applications/{id}",
		Summary: "One application (operators, or the applying company)", Tags: tags, Security: bearer, Errors: []int{401, 404},
		Description: "Another company's application is 404, as if it did not exist.",
	}, func(ctx context.Context, in *applicationIDInput) (*applicationOutput, error) {
		v, err := h.svc.Application(ctx, actorOf(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &applicationOutput{Body: applicationOf(v, in.Lang)}, nil
	})

	for _, s := range reviewSteps {
		huma.Register(a, huma.Operation{
			OperationID: s.id, Method: http.MethodPost, Path: "/api/v1/applications/{id}/" + s.path,
			Summary: s.summary + " (operators)", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
			Errors: []int{400, 401, 403, 404, 409, 422},
			Description: "No one reviews their own company, not even an operator who works for it (403). " +
				"A step the application's state does not allow is 409 invalid_state; approval checks the seven requirements again (422).",
		}, func(ctx context.Context, in *reviewInput) (*applicationOutput, error) {
			var reason string
			if in.Body != nil {
				reason = in.Body.Reason
			}
			v, err := h.svc.Review(ctx, actorOf(ctx), in.ID, s.step, reason)
			if err != nil {
				return nil, err
			}
			return &applicationOutput{Body: applicationOf(v, in.Lang)}, nil
		})
	}

	huma.Register(a, huma.Operation{
		OperationID: "certify-tax-bank", Method: http.MethodPost, Path: "/api/v1/applications/{id}/tax-bank/certification",
		Summary: "Certify the company's tax and bank details on file (operators)", Tags: tags, Security: bearer,
		Errors: []int{401, 403, 404, 409},
		Description: "Never of the operator's own company (403). Send the details' `updated_at` you reviewed as `details_updated_at`: " +
			"if they changed since, nothing is certified (409). 409 too when none are entered.",
	}, func(ctx context.Context, in *certifyInput) (*applicationOutput, error) {
		var seen time.Time
		if in.Body != nil {
			seen = in.Body.DetailsUpdatedAt
		}
		v, err := h.svc.CertifyTaxBank(ctx, actorOf(ctx), in.ID, seen)
		if err != nil {
			return nil, err
		}
		return &applicationOutput{Body: applicationOf(v, in.Lang)}, nil
	})
}

func summaryOf(s market.ApplicationSummary) ApplicationSummary {
	out := ApplicationSummary{ID: s.ID, OrgID: s.OrgID, LegalName: s.LegalName, State: string(s.State),
		Regions: append([]string{}, s.RegionCodes...), SubmittedAt: timeOrNil(s.SubmittedAt), TaxBankToCertify: s.TaxBankToCertify}
	if s.AgeDays >= 0 {
		days := s.AgeDays
		out.AgeDays = &days
	}
	return out
}

type certifyInput struct {
	Lang
	ID   string `path:"id" maxLength:"64"`
	Body *struct {
		DetailsUpdatedAt time.Time `json:"details_updated_at,omitempty" doc:"When the details you reviewed were entered (tax_bank.updated_at); omit to certify what is on file"`
	}
}
