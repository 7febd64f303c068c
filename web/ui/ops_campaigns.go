package ui

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/promo"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
)

// The operators' campaigns (/ops/campaigns): the list; a campaign's page with
// its report (participants, totals by tier, stock, budget, CSV export), the
// state buttons, the gifts to ship and the edit form; the form that creates
// one; and the dry run.

// opsCampaignsView lists every campaign.
type opsCampaignsView struct {
	Campaigns []campaignRow
}

func (s *server) opsCampaigns(w http.ResponseWriter, r *http.Request, p *page) {
	list, err := s.svc.Campaigns(r.Context(), p.Actor)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	var v opsCampaignsView
	for _, c := range list {
		v.Campaigns = append(v.Campaigns, campaignRow{Campaign: c.Campaign, Name: p.Choose(c.Name.EN, c.Name.ZH),
			Window: p.T("camp.window", "Start", c.Start.String(), "End", c.End.String(), "Zone", c.Zone)})
	}
	p.Title, p.Data = "camp.ops.title", v
	s.render(w, r, p, http.StatusOK, "ops_campaigns")
}

// campaignForm is the create and edit form: rows of gifts (those of one
// threshold make a tier) and of the pack's coupons, two empty rows more.
type campaignForm struct {
	Action   string
	Gifts    []int
	Pack     []int
	Segments []option
	Kinds    []option
	Policies []option
	Types    []option
	New      bool
}

func (p *page) campaignForm(action string, gifts, pack int) campaignForm {
	f := campaignForm{Action: action, Gifts: seq(gifts + 2), Pack: seq(pack + 2), New: action == "/ops/campaigns"}
	for _, sg := range account.Segments {
		f.Segments = append(f.Segments, option{Value: string(sg), Label: p.T("segment." + string(sg))})
	}
	for _, k := range []order.Kind{order.New, order.Renewal, order.Upgrade} {
		f.Kinds = append(f.Kinds, option{Value: string(k), Label: p.T("order_kind." + string(k))})
	}
	for _, pol := range []promo.RefundPolicy{promo.RefuseRefund, promo.DeductGiftValue} {
		f.Policies = append(f.Policies, option{Value: string(pol), Label: p.T("camp.policy." + string(pol))})
	}
	return f
}

var campaignFields = []string{"name.en", "name.zh", "currency", "zone", "start", "end", "redeem_by", "refund_policy", "pack_limit",
	"claims_per_customer", "budget"}

var giftFields = []string{"threshold", "id", "name_en", "name_zh", "value", "stock"}

var packFields = []string{"id", "name_en", "name_zh", "kind", "off", "percent_bps", "cap", "min_spend", "valid_days", "valid_from", "valid_until", "types"}

// maxFormRows bounds the rows read of each group.
const maxFormRows = promo.MaxTiers*promo.MaxGiftsPerTier + 2

// fillCampaignForm puts a campaign's rules into the page's form.
func fillCampaignForm(f *form, c promo.Campaign) (gifts, pack int) {
	v := f.Values
	v["name.en"], v["name.zh"], v["currency"], v["zone"] = c.Name.EN, c.Name.ZH, string(c.Currency), c.Zone
	v["start"], v["end"], v["redeem_by"], v["refund_policy"] = c.Start.String(), c.End.String(), c.RedeemBy.String(), string(c.Policy())
	v["pack_limit"], v["claims_per_customer"] = strconv.Itoa(c.PackLimit), strconv.Itoa(c.ClaimsPerCustomer)
	if c.Budget.Currency != "" {
		v["budget"] = c.Budget.Decimal()
	}
	f.Lists["segments"], f.Lists["count_kinds"] = strs(c.Segments), strs(c.CountKinds)
	for _, t := range c.Tiers {
		for _, g := range t.Gifts {
			k := fmt.Sprintf("gifts[%d].", gifts)
			v[k+"threshold"], v[k+"id"], v[k+"name_en"], v[k+"name_zh"], v[k+"value"], v[k+"stock"] = t.Threshold.Decimal(), g.ID, g.Name.EN, g.Name.ZH,
				g.Value.Decimal(), strconv.Itoa(g.Stock)
			gifts++
		}
	}
	for i, t := range c.Pack {
		k := fmt.Sprintf("pack[%d].", i)
		v[k+"id"], v[k+"name_en"], v[k+"name_zh"], v[k+"kind"], v[k+"min_spend"] = t.ID, t.Name.EN, t.Name.ZH, string(t.Kind), t.MinSpend.Decimal()
		if t.Kind == promo.AmountOff {
			v[k+"off"] = t.Off.Decimal()
		} else {
			v[k+"percent_bps"], v[k+"cap"] = strconv.FormatInt(t.PercentBPS, 10), t.Cap.Decimal()
		}
		if t.ValidDays > 0 {
			v[k+"valid_days"] = strconv.Itoa(t.ValidDays)
		} else {
			v[k+"valid_from"], v[k+"valid_until"] = t.ValidFrom.String(), t.ValidUntil.String()
		}
		v[k+"types"] = strings.Join(strs(t.Scope.Types), " ")
	}
	return gifts, len(c.Pack)
}

func strs[T ~string](list []T) []string {
	out := []string{}
	for _, v := range list {
		out = append(out, string(v))
	}
	return out
}

// readCampaignForm reads the form into a campaign: empty gift and coupon rows
// are left out; gifts of one threshold make a tier, the tiers ascending.
// What promo.Campaign.Validate judges is left to it.
//
// Errors: Invalid on the field at fault (a day, an amount, a number).
func readCampaignForm(r *http.Request, f *form) (promo.Campaign, int, int, error) {
	f.read(r, campaignFields...)
	v := f.Values
	c := promo.Campaign{Name: catalog.Text{EN: v["name.en"], ZH: v["name.zh"]}, Currency: money.Currency(strings.ToUpper(v["currency"])), Zone: strings.TrimSpace(v["zone"]),
		RefundPolicy: promo.RefundPolicy(v["refund_policy"])}
	c.Segments = typed[account.Segment](f.readList(r, "segments"))
	c.CountKinds = typed[order.Kind](f.readList(r, "count_kinds"))
	f.group("tiers")
	f.group("gifts")
	f.group("pack")
	var err error
	day := func(field string, optional bool) (promo.Date, error) {
		s := strings.TrimSpace(r.FormValue(field))
		if s == "" && optional {
			return promo.Date{}, nil
		}
		d, err := seller.ParseDate(s)
		if err != nil {
			return d, formField(err, field)
		}
		return d, nil
	}
	number := func(field string) (int, error) {
		s := strings.TrimSpace(r.FormValue(field))
		if s == "" {
			return 0, nil
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return 0, invalidNumber(field)
		}
		return n, nil
	}
	amount := func(field string, optional bool) (money.Amount, error) {
		s := strings.TrimSpace(r.FormValue(field))
		if s == "" && optional {
			return money.Amount{}, nil
		}
		a, err := money.Parse(s, c.Currency)
		if err != nil {
			return a, invalidAmount(field)
		}
		return a, nil
	}
	if c.Start, err = day("start", false); err != nil {
		return c, 0, 0, err
	}
	if c.End, err = day("end", false); err != nil {
		return c, 0, 0, err
	}
	if c.RedeemBy, err = day("redeem_by", false); err != nil {
		return c, 0, 0, err
	}
	if c.PackLimit, err = number("pack_limit"); err != nil {
		return c, 0, 0, err
	}
	if c.ClaimsPerCustomer, err = number("claims_per_customer"); err != nil {
		return c, 0, 0, err
	}
	if c.Budget, err = amount("budget", true); err != nil {
		return c, 0, 0, err
	}
	gifts, packs := 0, 0
	for i := range maxFormRows {
		k := fmt.Sprintf("gifts[%d].", i)
		if _, ok := r.Form[k+"id"]; !ok {
			break
		}
		f.read(r, prefixed(k, giftFields)...)
		if strings.TrimSpace(v[k+"id"]) == "" {
			continue
		}
		gifts = i + 1
		threshold, err := amount(k+"threshold", false)
		if err != nil {
			return c, 0, 0, err
		}
		g := promo.Gift{ID: strings.TrimSpace(v[k+"id"]), Name: catalog.Text{EN: v[k+"name_en"], ZH: v[k+"name_zh"]}}
		if g.Value, err = amount(k+"value", false); err != nil {
			return c, 0, 0, err
		}
		if g.Stock, err = number(k + "stock"); err != nil {
			return c, 0, 0, err
		}
		j := slices.IndexFunc(c.Tiers, func(t promo.Tier) bool { return t.Threshold == threshold })
		if j < 0 {
			c.Tiers = append(c.Tiers, promo.Tier{Threshold: threshold})
			j = len(c.Tiers) - 1
		}
		c.Tiers[j].Gifts = append(c.Tiers[j].Gifts, g)
	}
	slices.SortStableFunc(c.Tiers, func(a, b promo.Tier) int { return cmp.Compare(a.Threshold.Minor, b.Threshold.Minor) })
	for i := range maxFormRows {
		k := fmt.Sprintf("pack[%d].", i)
		if _, ok := r.Form[k+"id"]; !ok {
			break
		}
		f.read(r, prefixed(k, packFields)...)
		if strings.TrimSpace(v[k+"id"]) == "" {
			continue
		}
		packs = i + 1
		t := promo.Template{ID: strings.TrimSpace(v[k+"id"]), Name: catalog.Text{EN: v[k+"name_en"], ZH: v[k+"name_zh"]}, Kind: promo.DiscountKind(v[k+"kind"]),
			Scope: promo.Scope{Types: typed[catalog.Type](strings.Fields(v[k+"types"]))}}
		if t.Kind == promo.AmountOff {
			if t.Off, err = amount(k+"off", false); err != nil {
				return c, 0, 0, err
			}
		} else {
			bps, err := number(k + "percent_bps")
			if err != nil {
				return c, 0, 0, err
			}
			t.PercentBPS = int64(bps)
			if t.Cap, err = amount(k+"cap", false); err != nil {
				return c, 0, 0, err
			}
		}
		if t.MinSpend, err = amount(k+"min_spend", true); err != nil {
			return c, 0, 0, err
		}
		if t.MinSpend.Currency == "" {
			t.MinSpend = money.New(0, c.Currency)
		}
		if t.ValidDays, err = number(k + "valid_days"); err != nil {
			return c, 0, 0, err
		}
		if t.ValidFrom, err = day(k+"valid_from", true); err != nil {
			return c, 0, 0, err
		}
		if t.ValidUntil, err = day(k+"valid_until", true); err != nil {
			return c, 0, 0, err
		}
		c.Pack = append(c.Pack, t)
	}
	return c, gifts, packs, nil
}

func typed[T ~string](list []string) []T {
	var out []T
	for _, v := range list {
		out = append(out, T(v))
	}
	return out
}

func prefixed(prefix string, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = prefix + n
	}
	return out
}

// opsCampaignNew shows the form of a new campaign.
func (s *server) opsCampaignNew(w http.ResponseWriter, r *http.Request, p *page) {
	if !account.Can(p.Actor, account.ManageCampaigns, account.Resource{}) {
		s.fail(w, r, p, forbidden)
		return
	}
	p.Form = emptyForm("campaign")
	p.Form.Values["currency"], p.Form.Values["zone"], p.Form.Values["claims_per_customer"] = "CNY", "Asia/Shanghai", "1"
	s.showCampaignForm(w, r, p, http.StatusOK, "/ops/campaigns", 3, 1)
}

func (s *server) showCampaignForm(w http.ResponseWriter, r *http.Request, p *page, status int, action string, gifts, pack int) {
	p.Title, p.Data = "camp.ops.new", opsCampaignView{Form: p.campaignForm(action, gifts, pack)}
	s.render(w, r, p, status, "ops_campaign")
}

// opsCampaignCreate creates the campaign as a draft and shows it.
func (s *server) opsCampaignCreate(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = emptyForm("campaign")
	c, gifts, pack, err := readCampaignForm(r, p.Form)
	if err == nil {
		var sc store.Campaign
		if sc, err = s.svc.CreateCampaign(r.Context(), p.Actor, c); err == nil {
			redirect(w, r, "/ops/campaigns/"+url.PathEscape(sc.ID)+"?done=created")
			return
		}
	}
	s.refill(w, r, p, err, func(status int) { s.showCampaignForm(w, r, p, status, "/ops/campaigns", gifts, pack) })
}

// opsCampaignView is a campaign's page for operators.
type opsCampaignView struct {
	Report *market.Report
	Name   string
	Window string
	Policy string
	Form   campaignForm
	Moves  []promo.State
	Bars   []tierBar
	Gifts  map[string]string // gift id → name
	Budget string            // "¥600.00 of ¥300,000.00"
	// ChartHeight is the height of the chart of participants by tier.
	ChartHeight int
	Shipping    []store.Redemption
}

// tierBar is a tier's share of the participants, drawn as a bar.
type tierBar struct {
	market.TierTotal
	Width, TextY, RectY int
}

var opsCampaignNotices = map[string]string{
	"created":   "camp.ops.notice.created",
	"saved":     "camp.ops.notice.saved",
	"moved":     "camp.ops.notice.moved",
	"shipped":   "camp.ops.notice.shipped",
	"delivered": "camp.ops.notice.delivered",
}

// opsCampaign shows a campaign's report, its state buttons, the gifts to
// ship and its edit form.
func (s *server) opsCampaign(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = emptyForm("campaign")
	s.showOpsCampaign(w, r, p, http.StatusOK, true)
}

func (s *server) showOpsCampaign(w http.ResponseWriter, r *http.Request, p *page, status int, fill bool) {
	id := r.PathValue("id")
	rep, err := s.svc.Report(r.Context(), p.Actor, id)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	c := rep.Campaign.Campaign
	gifts, pack := 0, len(c.Pack)
	for _, t := range c.Tiers {
		gifts += len(t.Gifts)
	}
	if fill {
		fillCampaignForm(p.Form, c)
	}
	v := opsCampaignView{Report: &rep, Name: p.Choose(c.Name.EN, c.Name.ZH), Policy: p.T("camp.policy." + string(c.Policy())),
		Window: p.T("camp.window", "Start", c.Start.String(), "End", c.End.String(), "Zone", c.Zone),
		Form:   p.campaignForm("/ops/campaigns/"+url.PathEscape(id), gifts, pack), Gifts: map[string]string{}}
	switch c.State {
	case promo.Draft:
		v.Moves = []promo.State{promo.Scheduled}
	case promo.Scheduled:
		v.Moves = []promo.State{promo.Draft}
	}
	for _, t := range c.Tiers {
		for _, g := range t.Gifts {
			v.Gifts[g.ID] = p.Choose(g.Name.EN, g.Name.ZH)
		}
	}
	most := 1
	for _, t := range rep.Tiers {
		most = max(most, t.Customers)
	}
	for i, t := range rep.Tiers {
		v.Bars = append(v.Bars, tierBar{TierTotal: t, Width: 300 * t.Customers / most, TextY: 20*i + 14, RectY: 20*i + 4})
	}
	v.ChartHeight = 20 * len(rep.Tiers)
	v.Budget = p.T("camp.ops.budget_used", "Used", p.Money(rep.Campaign.BudgetUsed), "Budget", p.Money(money.New(c.Budget.Minor, c.Currency)))
	for _, red := range rep.Redemptions {
		if red.State != store.Delivered {
			v.Shipping = append(v.Shipping, red)
		}
	}
	if key, ok := opsCampaignNotices[r.URL.Query().Get("done")]; ok {
		p.Notice = p.T(key)
	}
	p.TitleText, p.Data = v.Name, v
	s.render(w, r, p, status, "ops_campaign")
}

// opsCampaignSave saves the edited rules.
func (s *server) opsCampaignSave(w http.ResponseWriter, r *http.Request, p *page) {
	id := r.PathValue("id")
	p.Form = emptyForm("campaign")
	c, _, _, err := readCampaignForm(r, p.Form)
	if err == nil {
		if _, err = s.svc.UpdateCampaign(r.Context(), p.Actor, id, c); err == nil {
			redirect(w, r, "/ops/campaigns/"+url.PathEscape(id)+"?done=saved")
			return
		}
	}
	s.refill(w, r, p, err, func(status int) { s.showOpsCampaign(w, r, p, status, false) })
}

// opsCampaignMove schedules a draft or takes it back to draft.
func (s *server) opsCampaignMove(w http.ResponseWriter, r *http.Request, p *page) {
	id := r.PathValue("id")
	if _, err := s.svc.MoveCampaign(r.Context(), p.Actor, id, promo.State(r.FormValue("state"))); err != nil {
		p.Form = emptyForm("move")
		s.refill(w, r, p, err, func(status int) {
			p.Form.ID = "campaign"
			s.showOpsCampaign(w, r, p, status, true)
		})
		return
	}
	redirect(w, r, "/ops/campaigns/"+url.PathEscape(id)+"?done=moved")
}

// opsCampaignCSV exports the campaign's participants.
func (s *server) opsCampaignCSV(w http.ResponseWriter, r *http.Request, p *page) {
	id := r.PathValue("id")
	b, err := s.svc.ReportCSV(r.Context(), p.Actor, id)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="campaign-`+url.PathEscape(id)+`.csv"`)
	_, _ = w.Write(b)
}

// dryRunView is a dry run's answer.
type dryRunView struct {
	ID, Name  string
	Customers []dryRunRow
}

type dryRunRow struct {
	market.DryRunCustomer
	Orders []explainedOrder
}

// opsCampaignDryRun applies the rules to the orders of the window.
func (s *server) opsCampaignDryRun(w http.ResponseWriter, r *http.Request, p *page) {
	id := r.PathValue("id")
	v, err := s.svc.Campaign(r.Context(), p.Actor, id)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	list, err := s.svc.DryRun(r.Context(), p.Actor, id)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	dv := dryRunView{ID: id, Name: p.Choose(v.Name.EN, v.Name.ZH)}
	for _, d := range list {
		row := dryRunRow{DryRunCustomer: d}
		for _, x := range d.Orders {
			e := explainedOrder{Explanation: x}
			for _, rs := range x.Reasons {
				e.Reasons = append(e.Reasons, p.T("campaign.reason."+string(rs)))
			}
			row.Orders = append(row.Orders, e)
		}
		dv.Customers = append(dv.Customers, row)
	}
	p.Title, p.Data = "camp.ops.dry_run", dv
	s.render(w, r, p, http.StatusOK, "ops_campaign_dryrun")
}

// opsRedemptionShip records a gift sent, with its carrier and tracking number.
func (s *server) opsRedemptionShip(w http.ResponseWriter, r *http.Request, p *page) {
	if step := r.PathValue("step"); step != "shipped" && step != "delivered" {
		s.notFound(w, r, p)
		return
	}
	back := "/ops/campaigns/" + url.PathEscape(r.FormValue("campaign"))
	var err error
	if r.PathValue("step") == "delivered" {
		_, err = s.svc.MarkDelivered(r.Context(), p.Actor, r.PathValue("id"))
	} else {
		_, err = s.svc.MarkShipped(r.Context(), p.Actor, r.PathValue("id"), r.FormValue("carrier"), r.FormValue("tracking"))
	}
	if err != nil {
		r.SetPathValue("id", r.FormValue("campaign"))
		p.Form = emptyForm("ship-" + r.PathValue("id"))
		s.refill(w, r, p, err, func(status int) { s.showOpsCampaign(w, r, p, status, false) })
		return
	}
	done := "shipped"
	if r.PathValue("step") == "delivered" {
		done = "delivered"
	}
	redirect(w, r, back+"?done="+done+"#shipping")
}

// formField names the form's field in a parse error.
func formField(err error, field string) error {
	if e := fault.As(err); e != nil {
		c := *e
		c.Field = field
		return &c
	}
	return err
}

func invalidNumber(field string) error {
	return fault.Field(field, "camp.ops.bad_number", "enter a whole number")
}

func invalidAmount(field string) error {
	return fault.Field(field, "camp.ops.bad_amount", "enter an amount such as 300.00")
}
