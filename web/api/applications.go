package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/seller"
)

// Application is a seller application as its company and the operators see
// it: what the company stated, where it stands in review, the seven checks as
// of today, its documents and its history.
type Application struct {
	ID                 string        `json:"id" example:"app_01JDX3Z5R6K8M9N0P1Q2R3S4T5"`
	OrgID              string        `json:"org_id" doc:"The seller organisation applying"`
	OrgName            string        `json:"org_name"`
	State              string        `json:"state" enum:"draft,submitted,changes_requested,approved,rejected,suspended"`
	LegalName          string        `json:"legal_name" example:"Lakeside Data Co., Ltd."`
	RegistrationNumber string        `json:"registration_number" example:"91110108MA01LKSD2X"`
	Country            string        `json:"country" doc:"ISO 3166-1 alpha-2" example:"CN"`
	Established        string        `json:"established" doc:"YYYY-MM-DD; empty until stated" example:"2014-05-20"`
	Regions            []Region      `json:"regions" doc:"The regions served"`
	Offerings          []string      `json:"offerings" example:"[\"saas\",\"license\"]"`
	PreSales           []Contact     `json:"presales"`
	PostSales          []Contact     `json:"postsales"`
	Support            Schedule      `json:"support"`
	TaxBank            *TaxBank      `json:"tax_bank" doc:"Masked but for the last four characters; null until entered"`
	TaxBankCertifiedAt *time.Time    `json:"tax_bank_certified_at" nullable:"true" doc:"Null unless an operator certified the details on file"`
	SubmittedAt        *time.Time    `json:"submitted_at" nullable:"true"`
	DecidedAt          *time.Time    `json:"decided_at" nullable:"true"`
	Reason             string        `json:"reason" doc:"The reason given with the last step that needed one"`
	Revision           int           `json:"revision" doc:"Counts every change; send it back with a change to refuse a stale edit"`
	Checks             []Check       `json:"checks" doc:"The seven requirements as of today, in their stable order"`
	Documents          []Document    `json:"documents"`
	Events             []Event       `json:"events" doc:"The review history, oldest first"`
	Signature          *Signature    `json:"signature" doc:"The company's latest signature of the Seller Agreement; null if none"`
	AgreementInForce   *AgreementRef `json:"agreement_in_force" doc:"Null while none is published"`
	CreatedAt          time.Time     `json:"created_at"`
	UpdatedAt          time.Time     `json:"updated_at"`
}

// AgreementRef names a version of the Seller Agreement.
type AgreementRef struct {
	Version string `json:"version" example:"2026-01"`
	Title   string `json:"title"`
}

// Contact is a person buyers can reach before or after a sale.
type Contact struct {
	Name  string `json:"name" maxLength:"200" example:"Gao Yan"`
	Email string `json:"email" maxLength:"254" example:"sales@lakeside.example"`
	Phone string `json:"phone,omitempty" maxLength:"64" example:"+86 10 6500 1100"`
}

// Schedule is the weekly support a seller gives, in wall-clock time of its zone.
type Schedule struct {
	Zone   string `json:"zone" required:"false" maxLength:"64" doc:"The IANA time zone the hours are stated in; may be empty when all_day" example:"Asia/Shanghai"`
	AllDay bool   `json:"all_day" required:"false" doc:"Support around the clock, every day: days are then ignored"`
	Days   Week   `json:"days" required:"false"`
}

// Week holds the support hours of each day of the week. Support past midnight
// is two intervals: one ending at 24:00 and one starting at 00:00 the next day.
type Week struct {
	Monday    []Hours `json:"monday" required:"false" maxItems:"24"`
	Tuesday   []Hours `json:"tuesday" required:"false" maxItems:"24"`
	Wednesday []Hours `json:"wednesday" required:"false" maxItems:"24"`
	Thursday  []Hours `json:"thursday" required:"false" maxItems:"24"`
	Friday    []Hours `json:"friday" required:"false" maxItems:"24"`
	Saturday  []Hours `json:"saturday" required:"false" maxItems:"24"`
	Sunday    []Hours `json:"sunday" required:"false" maxItems:"24"`
}

// Hours is a span of one day's wall-clock time; the end is exclusive.
type Hours struct {
	Start string `json:"start" doc:"HH:MM, 00:00 to 24:00" example:"09:00"`
	End   string `json:"end" doc:"HH:MM, after start; 24:00 ends the day" example:"17:00"`
}

// day returns the hours of the weekday.
func (w *Week) day(d time.Weekday) *[]Hours {
	return [...]*[]Hours{&w.Sunday, &w.Monday, &w.Tuesday, &w.Wednesday, &w.Thursday, &w.Friday, &w.Saturday}[d]
}

// Check is the outcome of one of the seven requirements.
type Check struct {
	ID      string `json:"id" enum:"establishment_time,offering,presales_personnel,postsales_personnel,support_capability,agreement,tax_bank_certified"`
	Passed  bool   `json:"passed"`
	Reason  string `json:"reason" doc:"What to do (or a confirmation), in the caller's language"`
	Reasons Texts  `json:"reasons" doc:"The reason in each language"`
}

// Texts is a text in each language of the marketplace.
type Texts struct {
	EN string `json:"en"`
	ZH string `json:"zh"`
}

// Event is one step of an application's review.
type Event struct {
	At     time.Time `json:"at"`
	From   string    `json:"from" example:"submitted"`
	To     string    `json:"to" example:"changes_requested"`
	Reason string    `json:"reason,omitempty"`
}

// applicationBody is what an applicant states. A draft may leave parts out (the
// checks say what is missing); what is given must be well formed. PUT replaces
// every stated field.
type applicationBody struct {
	LegalName          string    `json:"legal_name" maxLength:"200" example:"Lakeside Data Co., Ltd."`
	RegistrationNumber string    `json:"registration_number,omitempty" maxLength:"64" example:"91110108MA01LKSD2X"`
	Country            string    `json:"country,omitempty" maxLength:"16" doc:"ISO 3166-1 alpha-2" example:"CN"`
	Established        string    `json:"established,omitempty" maxLength:"32" doc:"YYYY-MM-DD, or empty" example:"2014-05-20"`
	Regions            []string  `json:"regions,omitempty" maxItems:"100" doc:"Codes of the regions served" example:"[\"cn-north-4\"]"`
	Offerings          []string  `json:"offerings,omitempty" maxItems:"10" enum:"image,saas,api,license,professional_service"`
	PreSales           []Contact `json:"presales,omitempty" maxItems:"20"`
	PostSales          []Contact `json:"postsales,omitempty" maxItems:"20"`
	Support            Schedule  `json:"support,omitempty"`
	Revision           int       `json:"revision,omitempty" minimum:"0" doc:"The revision edited: a change made meanwhile is refused with 409 (0 or absent skips the check)"`
}

type myApplicationInput struct{ Lang }

type saveApplicationInput struct {
	Lang
	Body applicationBody
}

type applicationOutput struct{ Body Application }

type checksOutput struct{ Body []Check }

func (h handlers) applications(a huma.API) {
	tags := []string{"Sellers"}
	huma.Register(a, huma.Operation{
		OperationID: "get-my-application", Method: http.MethodGet, Path: "/api/v1/seller/application",
		Summary: "The seller application of the caller's company", Tags: tags, Security: bearer, Errors: []int{401, 404},
	}, func(ctx context.Context, in *myApplicationInput) (*applicationOutput, error) {
		v, err := h.svc.MyApplication(ctx, actorOf(ctx))
		if err != nil {
			return nil, err
		}
		return &applicationOutput{Body: applicationOf(v, in.Lang)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "save-my-application", Method: http.MethodPut, Path: "/api/v1/seller/application",
		Summary: "Start or change the seller application of the caller's company", Tags: tags,
		Security: bearer, MaxBodyBytes: MaxBody, Errors: []int{400, 401, 403, 409},
		Description: "A user who works for no seller yet starts one: a seller organisation named after the legal name, " +
			"in which the user is the administrator. The application can be changed while it is a draft or changes were " +
			"requested (409 invalid_state otherwise). Every field given must be well formed (400 names the field).",
	}, func(ctx context.Context, in *saveApplicationInput) (*applicationOutput, error) {
		app, err := in.Body.input()
		if err != nil {
			return nil, err
		}
		v, err := h.svc.SaveApplication(ctx, actorOf(ctx), app)
		if err != nil {
			return nil, err
		}
		return &applicationOutput{Body: applicationOf(v, in.Lang)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "get-my-checks", Method: http.MethodGet, Path: "/api/v1/seller/application/checks",
		Summary: "The seven requirements, checked now", Tags: tags, Security: bearer, Errors: []int{401, 404},
		Description: "An array of the seven results in their stable order: establishment_time, offering, presales_personnel, " +
			"postsales_personnel, support_capability, agreement, tax_bank_certified.",
	}, func(ctx context.Context, in *myApplicationInput) (*checksOutput, error) {
		results, err := h.svc.Checks(ctx, actorOf(ctx))
		if err != nil {
			return nil, err
		}
		return &checksOutput{Body: checksOf(results, in.Lang)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "submit-my-application", Method: http.MethodPost, Path: "/api/v1/seller/application/submit",
		Summary: "Send the application for review", Tags: tags, Security: bearer, Errors: []int{401, 403, 404, 409, 422},
		Description: "Every one of the seven requirements must be met: otherwise 422 requirements_not_met, " +
			"with each unmet requirement in error.details. The operators are told.",
	}, func(ctx context.Context, in *myApplicationInput) (*applicationOutput, error) {
		v, err := h.svc.Submit(ctx, actorOf(ctx))
		if err != nil {
			return nil, err
		}
		return &applicationOutput{Body: applicationOf(v, in.Lang)}, nil
	})
}

// input turns the body into the use case's input; malformed hours are refused
// with the field that holds them.
func (b applicationBody) input() (market.ApplicationInput, error) {
	sc, err := b.Support.schedule()
	return market.ApplicationInput{
		LegalName: b.LegalName, RegistrationNumber: b.RegistrationNumber, Country: b.Country, Established: b.Established,
		Regions: b.Regions, Offerings: b.Offerings, PreSales: contactsIn(b.PreSales), PostSales: contactsIn(b.PostSales),
		Support: sc, Revision: b.Revision,
	}, err
}

// schedule reads the stated hours.
//
// Errors: Invalid on "support.days.<weekday>[i]" (.start, .end).
func (s Schedule) schedule() (seller.Schedule, error) {
	out := seller.Schedule{Zone: s.Zone, AllDay: s.AllDay}
	for d := time.Sunday; d <= time.Saturday; d++ {
		for i, hs := range *s.Days.day(d) {
			iv, err := seller.ParseInterval(fmt.Sprintf("support.days.%s[%d]", strings.ToLower(d.String()), i), hs.Start, hs.End)
			if err != nil {
				return out, err
			}
			out.Days[d] = append(out.Days[d], iv)
		}
	}
	return out, nil
}

func scheduleOf(s seller.Schedule) Schedule {
	out := Schedule{Zone: s.Zone, AllDay: s.AllDay}
	for d := time.Sunday; d <= time.Saturday; d++ {
		hours := []Hours{}
		for _, iv := range s.Days[d] {
			hours = append(hours, Hours{Start: seller.FormatClock(iv.Start), End: seller.FormatClock(iv.End)})
		}
		*out.Days.day(d) = hours
	}
	return out
}

func contactsIn(list []Contact) []seller.Contact {
	out := make([]seller.Contact, 0, len(list))
	for _, c := range list {
		out = append(out, seller.Contact{Name: c.Name, Email: c.Email, Phone: c.Phone})
	}
	return out
}

func contactsOf(list []seller.Contact) []Contact {
	out := make([]Contact, 0, len(list))
	for _, c := range list {
		out = append(out, Contact{Name: c.Name, Email: c.Email, Phone: c.Phone})
	}
	return out
}

func checksOf(results []seller.Result, l Lang) []Check {
	out := make([]Check, 0, len(results))
	for _, r := range results {
		out = append(out, Check{ID: r.ID, Passed: r.Passed, Reason: l.say(r.Reason), Reasons: Texts{EN: r.Reason.EN, ZH: r.Reason.ZH}})
	}
	return out
}

// timeOrNil returns nil for the zero time.
func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func applicationOf(v market.ApplicationView, l Lang) Application {
	out := Application{
		ID: v.ID, OrgID: v.OrgID, OrgName: v.OrgName, State: string(v.State),
		LegalName: v.LegalName, RegistrationNumber: v.RegistrationNumber, Country: v.Country,
		Regions: []Region{}, Offerings: []string{}, PreSales: contactsOf(v.PreSales), PostSales: contactsOf(v.PostSales),
		Support: scheduleOf(v.Support), TaxBankCertifiedAt: timeOrNil(v.TaxBankCertifiedAt),
		SubmittedAt: timeOrNil(v.SubmittedAt), DecidedAt: timeOrNil(v.DecidedAt), Reason: v.Reason, Revision: v.Revision,
		Checks: checksOf(v.Checks, l), Documents: []Document{}, Events: []Event{},
		CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt,
	}
	if v.Established.Valid() {
		out.Established = v.Established.String()
	}
	for _, r := range v.Regions {
		out.Regions = append(out.Regions, regionOf(r))
	}
	for _, o := range v.Offerings {
		out.Offerings = append(out.Offerings, string(o))
	}
	if v.TaxBank != nil {
		tb := taxBankOf(*v.TaxBank, v.Record)
		out.TaxBank = &tb
	}
	for _, d := range v.Documents {
		out.Documents = append(out.Documents, documentOf(d))
	}
	for _, e := range v.Events {
		out.Events = append(out.Events, Event{At: e.At, From: string(e.From), To: string(e.To), Reason: e.Reason})
	}
	if v.Signature != nil {
		sig := signatureOf(*v.Signature)
		out.Signature = &sig
	}
	if v.Agreement.Version != "" {
		out.AgreementInForce = &AgreementRef{Version: v.Agreement.Version, Title: v.Agreement.Title}
	}
	return out
}
