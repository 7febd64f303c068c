package seller

import (
	"strings"
)

// The requirements a company must meet to sell, by their stable API codes.
// Clients depend on these strings: never rename one.
const (
	ReqEstablishmentTime  = "establishment_time"
	ReqOffering           = "offering"
	ReqPresalesPersonnel  = "presales_personnel"
	ReqPostsalesPersonnel = "postsales_personnel"
	ReqSupportCapability  = "support_capability"
	ReqAgreement          = "agreement"
	ReqTaxBankCertified   = "tax_bank_certified"
)

// Requirements lists the requirement codes in the order Check returns them.
var Requirements = []string{
	ReqEstablishmentTime, ReqOffering, ReqPresalesPersonnel, ReqPostsalesPersonnel,
	ReqSupportCapability, ReqAgreement, ReqTaxBankCertified,
}

// Result is the outcome of one requirement. Reason says what to do when the
// requirement failed, and confirms it briefly when it passed.
type Result struct {
	ID     string
	Passed bool
	Reason Text
}

// Check applies the seven requirements to an application on the date today,
// given the Seller Agreement in force, and returns their seven results in the
// order of Requirements. Input is not validated here: what is missing or
// malformed simply fails its requirement.
//
//  1. establishment_time: the company was established at least one full year
//     before the date of the check. It passes when the date of the check is on
//     or after the anniversary: the same month and day one year after the
//     establishment date. For a company established on 29 February, the
//     anniversary in a year without 29 February is 1 March, when a whole year has
//     surely passed (established 2024-02-29: fails on 2025-02-28, passes from
//     2025-03-01).
//  2. offering: at least one known offering is chosen: image, SaaS, API,
//     licence or professional service.
//  3. presales_personnel: at least one pre-sales contact is listed, and every
//     listed one has a name (not blank) and a valid email address.
//  4. postsales_personnel: the same, for post-sales contacts.
//  5. support_capability: support is at least 8/5 in the time zone of every
//     region served; with no region served it fails. The seller states weekly
//     hours (intervals of wall-clock time on each day of the week, in a time zone
//     of its choice), or 24/7 support, which passes. For each region, each
//     weekday Monday to Friday of the region's calendar, in the 53 weeks that
//     start on the Monday of the week containing the date of the check, must get
//     at least 8 hours of support. The support a day gets is the total length of
//     the union of the stated hours, turned into real time in the stated zone
//     with its daylight saving, that falls within the day: from the first instant
//     of that date in the region's zone to the first instant of the next (23 or
//     25 hours on a daylight-saving change). A stated time that the clocks skip
//     (in the hour lost when daylight saving starts) counts from the moment they
//     jump; one they show twice (in the hour repeated when it ends) is taken at
//     its first showing. Hours that run past midnight count wherever they fall,
//     so 20:00–24:00 and 00:00–04:00 the next day make one block of 8 hours.
//     A failure names each region that falls short, its weekdays that do, and
//     the support found on the first date that does.
//  6. agreement: the company signed the version of the Seller Agreement in
//     force; a new version must be signed again. It fails while the marketplace
//     has published none.
//  7. tax_bank_certified: a tax ID and a bank account are entered, and an
//     operator has certified them.
func Check(app Application, inForce Agreement, today Date) []Result {
	return []Result{
		checkEstablished(app.Established, today),
		checkOffering(app.Offerings),
		checkContacts(ReqPresalesPersonnel, app.PreSales),
		checkContacts(ReqPostsalesPersonnel, app.PostSales),
		checkSupport(app.Support, app.Regions, today),
		checkAgreement(app.Signature, inForce),
		checkTaxBank(app.TaxBankEntered, app.TaxBankCertified),
	}
}

// Failed returns the results that did not pass, in their order.
func Failed(results []Result) []Result {
	var failed []Result
	for _, r := range results {
		if !r.Passed {
			failed = append(failed, r)
		}
	}
	return failed
}

func checkEstablished(established, today Date) Result {
	r := Result{ID: ReqEstablishmentTime}
	if !established.Valid() {
		r.Reason = Text{"Enter the date the company was established.", "请填写企业成立日期。"}
		return r
	}
	from := Anniversary(established)
	r.Passed = !today.Before(from)
	if r.Passed {
		r.Reason = textf("Established on %s, at least one year ago.", "成立于 %s，已满一年。", established)
	} else {
		r.Reason = textf(
			"The company must have been established for at least one year; it qualifies from %s.",
			"企业成立须满一年；自 %s 起满足条件。", from)
	}
	return r
}

func checkOffering(offerings []Offering) Result {
	var names []Text
	for _, o := range Offerings {
		if containsOffering(offerings, o) {
			names = append(names, offeringNames[o])
		}
	}
	if len(names) == 0 {
		return Result{ID: ReqOffering, Reason: Text{
			"Choose at least one offering: image, SaaS, API, licence or professional service.",
			"请至少选择一种供应类型：镜像、SaaS、API、许可证或专业服务。",
		}}
	}
	return Result{ID: ReqOffering, Passed: true, Reason: textf("Offers %s.", "提供%s。", list(names))}
}

func containsOffering(offerings []Offering, o Offering) bool {
	for _, x := range offerings {
		if x == o {
			return true
		}
	}
	return false
}

// contactKinds names the kind of contact each personnel requirement asks for.
var contactKinds = map[string]Text{
	ReqPresalesPersonnel:  {"pre-sales", "售前"},
	ReqPostsalesPersonnel: {"post-sales", "售后"},
}

// checkContacts applies a personnel requirement (id) to its contacts.
func checkContacts(id string, contacts []Contact) Result {
	kind := contactKinds[id]
	if len(contacts) == 0 {
		return Result{ID: id, Reason: textf(
			"Name at least one %s contact with an email address.",
			"请至少指定一名%s联系人并提供电子邮箱。", kind)}
	}
	var problems []Text
	for i, c := range contacts {
		name := strings.TrimSpace(c.Name)
		switch {
		case name == "":
			problems = append(problems, textf("Enter the name of %s contact %d.", "请填写第 %[2]d 位%[1]s联系人的姓名。", kind, i+1))
		case contactEmail(c.Email) != nil:
			problems = append(problems, textf("Enter a valid email address for %s contact %d (%s).", "请为第 %[2]d 位%[1]s联系人（%[3]s）填写有效的电子邮箱。", kind, i+1, name))
		}
	}
	if len(problems) > 0 {
		return Result{ID: id, Reason: sentences(problems)}
	}
	return Result{ID: id, Passed: true, Reason: textf("Named %[2]s contacts: %[1]d.", "已指定 %[1]d 名%[2]s联系人。", len(contacts), kind)}
}

func checkAgreement(sig *Signature, inForce Agreement) Result {
	r := Result{ID: ReqAgreement}
	switch {
	case inForce.Version == "":
		r.Reason = Text{
			"The marketplace has not published a Seller Agreement yet; you can sign it once it is published.",
			"市场尚未发布卖家协议，发布后即可签署。",
		}
	case sig == nil:
		r.Reason = textf("Sign the Seller Agreement version %s.", "请签署卖家协议 %s 版。", inForce.Version)
	case sig.Version != inForce.Version:
		r.Reason = textf(
			"Sign the Seller Agreement version %s; you signed version %s, which is no longer in force.",
			"请签署卖家协议 %s 版；您签署的 %s 版已不再有效。", inForce.Version, sig.Version)
	default:
		r.Passed = true
		r.Reason = textf("Signed the Seller Agreement version %s.", "已签署卖家协议 %s 版。", inForce.Version)
	}
	return r
}

func checkTaxBank(entered, certified bool) Result {
	r := Result{ID: ReqTaxBankCertified}
	switch {
	case !entered:
		r.Reason = Text{"Enter your tax ID and bank account.", "请填写您的税号和银行账户。"}
	case !certified:
		r.Reason = Text{"Waiting for the marketplace to certify your tax and bank information.", "等待市场认证您的税务和银行信息。"}
	default:
		r.Passed = true
		r.Reason = Text{"Tax and bank information certified.", "税务和银行信息已认证。"}
	}
	return r
}
