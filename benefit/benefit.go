// Package benefit holds the seller benefits of the seed's "Seller Benefits"
// table (../shared/PRODUCT.md §3) as rules over plain facts: whether a seller
// has each benefit, why or what is missing, and what it opens. It does no I/O:
// market gathers the Facts and Evaluate decides.
package benefit

import (
	"time"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/seller"
)

// ID names a benefit; API clients key on it.
type ID string

// The benefits, in the seed's order.
const (
	HomepageBanner   ID = "homepage_banner"
	FeaturedZones    ID = "featured_zones"
	Resale           ID = "resale"
	JointMarketing   ID = "joint_marketing"
	SalesTrainings   ID = "sales_trainings"
	TestCoupons      ID = "test_coupons"
	TechnicalSupport ID = "technical_support"
	Trainings        ID = "trainings"
)

// BannerThreshold is the amount of transactions that makes a seller eligible
// for the homepage banner.
var BannerThreshold = money.New(100_000_00, money.USD)

// TestCreditCap is the most test credit a seller may hold, pending and
// approved requests together.
var TestCreditCap = money.New(1_000_00, money.USD)

// Facts is what the rules judge: one seller's data at one moment.
type Facts struct {
	State      seller.State // of the seller's application; "" for none
	ApprovedAt time.Time    // when it was first approved; zero if never
	Now        time.Time

	// Transactions is what buyers paid for the seller's products net of
	// refunds, all time, in USD: each order converted at the rate of its
	// payment date (see Rates.Transactions). Test orders never count.
	Transactions money.Amount
	// Unconverted are the sums, per currency, of orders paid on a day with no
	// exchange rate: they are not in Transactions, and the reason says so.
	Unconverted []money.Amount

	TestCreditHeld     money.Amount // USD in pending and approved test-credit requests
	VerifiedMigrations int          // workload migrations an operator verified
	ResaleEligible     int          // products meeting the resale requirements
	ResaleAuthorised   int          // products authorised for resale
}

// Status is where a seller stands with one benefit.
type Status struct {
	ID     ID
	Name   catalog.Text
	Has    bool
	Reason Reason
	Action Action
	// Progress is toward the benefit's threshold (the homepage banner's); nil
	// for benefits without one.
	Progress *Progress
}

// Reason says in plain words why a seller has a benefit, or exactly what is
// missing. MsgID and Args are for clients that translate themselves; Text is
// the message in both languages.
type Reason struct {
	MsgID string
	Args  map[string]string
	Text  catalog.Text
}

// Action is what a benefit opens: a page of the site and the API call behind
// it.
type Action struct {
	Label catalog.Text
	UI    string // a page, e.g. "/seller/test-credit"
	API   string // an API path, e.g. "/api/v1/seller/test-credit"
}

// Progress is how far a seller is toward a threshold.
type Progress struct {
	Have, Target money.Amount
}

// Percent is Have of Target in whole percent, from 0 to 100.
func (p Progress) Percent() int {
	if p.Target.Minor <= 0 || p.Have.Minor <= 0 {
		return 0
	}
	if p.Have.Minor >= p.Target.Minor {
		return 100
	}
	return int(p.Have.Minor * 100 / p.Target.Minor)
}

// Evaluate judges every benefit, in the seed's order. A seller that is not
// approved (never, or no longer: suspended) has none, and each reason says
// why.
func Evaluate(f Facts) []Status {
	out := make([]Status, 0, len(rules))
	for _, r := range rules {
		s := Status{ID: r.id, Name: r.name, Action: r.action}
		if !f.State.Selling() {
			s.Reason = notSelling(f.State)
			if r.id == HomepageBanner {
				s.Progress = bannerProgress(f)
			}
		} else {
			r.judge(f, &s)
		}
		out = append(out, s)
	}
	return out
}

// Of returns the status of one benefit from an evaluation.
func Of(list []Status, id ID) (Status, bool) {
	for _, s := range list {
		if s.ID == id {
			return s, true
		}
	}
	return Status{}, false
}

// Banner judges the homepage banner alone: what the storefront's banner
// placement asks.
func Banner(f Facts) Status {
	s, _ := Of(Evaluate(f), HomepageBanner)
	return s
}

// Featured reports whether a seller in this state may be placed in featured
// zones: every approved seller.
func Featured(state seller.State) bool { return state.Selling() }

func notSelling(state seller.State) Reason {
	if state == seller.Suspended {
		return reason("ben.why.suspended", nil,
			"Your company is suspended as a seller: it has no benefits until an operator reinstates it.",
			"贵公司的卖家资格已被暂停：在运营人员恢复之前不享有任何权益。")
	}
	return reason("ben.why.not_approved", nil,
		"Benefits start once your seller application is approved.",
		"卖家入驻申请获批后即可享有权益。")
}

func reason(msgID string, args map[string]string, en, zh string) Reason {
	return Reason{MsgID: msgID, Args: args, Text: catalog.Text{EN: en, ZH: zh}}
}
