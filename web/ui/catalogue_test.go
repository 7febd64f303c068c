package ui_test

import (
	"encoding/json"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/seller"
)

// catalogue reads the message ids of one language: locales/<lang>.json and
// locales/<area>.<lang>.json.
func catalogue(t *testing.T, lang string) map[string]bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("locales", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, path := range files {
		name := filepath.Base(path)
		if name != lang+".json" && !strings.HasSuffix(name, "."+lang+".json") {
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := i18n.ParseMessageFileBytes(b, path, map[string]i18n.UnmarshalFunc{"json": json.Unmarshal})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, m := range f.Messages {
			if ids[m.ID] {
				t.Errorf("%s: %q is in another %s file too", path, m.ID, lang)
			}
			ids[m.ID] = true
		}
	}
	return ids
}

func TestCataloguesHaveTheSameKeys(t *testing.T) {
	en, zh := catalogue(t, "en"), catalogue(t, "zh-CN")
	for id := range en {
		if !zh[id] {
			t.Errorf("the zh-CN catalogue lacks %q", id)
		}
	}
	for id := range zh {
		if !en[id] {
			t.Errorf("the en catalogue lacks %q", id)
		}
	}
}

// sourceStrings returns the matches of re's first group in the files.
func sourceStrings(t *testing.T, re *regexp.Regexp, globs ...string) map[string]string {
	t.Helper()
	found := map[string]string{}
	for _, g := range globs {
		files, err := filepath.Glob(g)
		if err != nil || len(files) == 0 {
			t.Fatalf("no files match %s", g)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				found[m[1]] = f
			}
		}
	}
	return found
}

// belowWeb lists the Go source folders of the packages the UI calls into:
// every folder of the module but web/ and cmd/.
func belowWeb(t *testing.T) []string {
	t.Helper()
	var globs []string
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		switch filepath.ToSlash(path) {
		case "../../web", "../../cmd", "../../.git":
			return filepath.SkipDir
		}
		if files, _ := filepath.Glob(filepath.Join(path, "*.go")); len(files) > 0 {
			globs = append(globs, filepath.Join(path, "*.go"))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return globs
}

// Every message the layers below can send has a translation: each MsgID
// ("error.…") in the packages below web, and "error.<code>" and the error
// page's title for every fault code.
func TestCataloguesCoverErrors(t *testing.T) {
	en := catalogue(t, "en")
	need := sourceStrings(t, regexp.MustCompile(`"(error\.[a-z_]+)"`), belowWeb(t)...)
	for code := range sourceStrings(t, regexp.MustCompile(`(?m)^\s+[A-Z]\w*\s+= "([a-z_]+)"`), "../../fault/fault.go") {
		need["error."+code] = "fault code"
		need["errorpage."+code] = "fault code"
	}
	if len(need) < 20 {
		t.Fatalf("found only %d message ids; has the source moved?", len(need))
	}
	for _, id := range slices.Sorted(maps.Keys(need)) {
		if !en[id] {
			t.Errorf("no message %q (used in %s)", id, need[id])
		}
	}
}

// Every key the templates and handlers name exists, as do the keys built from
// the domain's roles, segments and kinds.
func TestCataloguesCoverTheUI(t *testing.T) {
	en := catalogue(t, "en")
	prefixes := map[string]bool{}
	for id := range en {
		p, _, _ := strings.Cut(id, ".")
		prefixes[p] = true
	}
	used := sourceStrings(t, regexp.MustCompile(`["=]([a-z_]+\.[a-z_.]+[a-z])"`), "templates/*.html", "*.go")
	for _, r := range []account.Role{account.RoleBuyer, account.RoleSellerAdmin, account.RoleSellerMember,
		account.RoleOperator, account.RoleAccountManager, account.RolePartner, "self", "system", "cli"} {
		used["role."+string(r)] = "roles"
	}
	for _, sg := range account.Segments {
		used["segment."+string(sg)] = "segments"
	}
	for _, k := range []account.OrgKind{account.KindCustomer, account.KindSeller, account.KindOperator, account.KindPartner} {
		used["org_kind."+string(k)] = "org kinds"
	}
	for _, k := range []account.TokenKind{account.TokenSession, account.TokenAPI, account.TokenPersonal} {
		used["token_kind."+string(k)] = "token kinds"
	}
	for _, k := range catalog.Types {
		used["home.kind."+string(k)], used["home.kind."+string(k)+".text"] = "home", "home"
		used["ptype."+string(k)], used["editor.details."+string(k)], used["editor.new."+string(k)] = "product types", "editor", "editor"
	}
	for _, m := range catalog.BillingModes {
		used["mode."+string(m)] = "billing modes"
		if m != catalog.PayPerUse {
			used["price."+string(m)] = "prices"
		}
	}
	for _, st := range catalog.States {
		used["listing."+string(st)] = "listing states"
	}
	for _, c := range []money.Currency{money.CNY, money.USD} {
		used["money."+string(c)] = "currencies"
	}
	for _, k := range catalog.OSFamilies {
		used["os."+string(k)] = "OS families"
	}
	for _, k := range catalog.LicenseCategories {
		used["license_cat."+string(k)] = "licence categories"
	}
	for _, k := range catalog.GrantUnits {
		used["grant_unit."+string(k)], used["facts.grant."+string(k)] = "grant units", "grant units"
	}
	for _, k := range catalog.ServiceKinds {
		used["service_kind."+string(k)] = "service kinds"
	}
	for _, k := range []string{"relevance", "newest", "price_asc", "price_desc"} {
		used["search.sort."+k] = "sorts"
	}
	for _, k := range []string{"showing", "scheduled", "ended"} {
		used["opsstore.status."+k] = "banner states"
	}
	for _, f := range reviewFields() {
		used["pf."+f] = "the review's fields"
	}
	for _, st := range seller.States {
		used["state."+string(st)] = "states"
		used["wizard.banner."+string(st)], used["wizard.banner."+string(st)+".text"] = "wizard banner", "wizard banner"
		used["ops.wait."+string(st)] = "review page"
	}
	for _, st := range []seller.Step{seller.Submit, seller.RequestChanges, seller.Approve, seller.Reject, seller.Suspend, seller.Reinstate} {
		used["step."+string(st)] = "review steps"
		used["ops.notice."+string(st)] = "review notices"
	}
	delete(used, "ops.notice.submit") // the applicant submits, on the wizard
	for _, r := range seller.Requirements {
		used["req."+r], used["req."+r+".text"] = "requirements", "requirements"
	}
	for _, o := range seller.Offerings {
		used["offering."+string(o)] = "offerings"
	}
	for _, k := range seller.DocumentKinds {
		used["doc_kind."+string(k)] = "document kinds"
	}
	for _, d := range []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"} {
		used["weekday."+d] = "weekdays"
	}
	for _, st := range []string{"company", "regions", "contacts", "support", "documents", "agreement", "taxbank", "review"} {
		used["wizard.step."+st], used["wizard.lead."+st] = "wizard steps", "wizard steps"
	}
	checked := 0
	for _, id := range slices.Sorted(maps.Keys(used)) {
		p, _, _ := strings.Cut(id, ".")
		if !prefixes[p] {
			continue // not a message key: "style.css", "user.signup" …
		}
		checked++
		if !en[id] {
			t.Errorf("no message %q (used in %s)", id, used[id])
		}
	}
	if checked < 100 {
		t.Errorf("checked only %d keys; is the pattern still right?", checked)
	}
}

// reviewFields lists every field the operators' review can name a change of
// (a plan's as "plan.price"), from a diff of products of every type against
// ones with every field given.
func reviewFields() []string {
	full := catalog.Product{Name: catalog.Text{EN: "a", ZH: "a"}, Summary: catalog.Text{EN: "a", ZH: "a"},
		Description: catalog.Text{EN: "a", ZH: "a"}, Category: "a", LogoKey: "a", Screenshots: []string{"a"}, DocsURL: "a",
		Regions: []string{"a"}, Support: catalog.Support{Email: "a", Phone: "a", URL: "a"},
		Plans: []catalog.Plan{{Code: "p", Name: catalog.Text{EN: "a", ZH: "a"}, Mode: catalog.Monthly, Price: money.New(1, money.CNY),
			Usage: &catalog.UsagePrice{Unit: "a"}, TrialDays: 1, Active: true}}}
	specs := []catalog.Product{
		{Type: catalog.TypeImage, Image: &catalog.ImageSpec{ImageRef: "a", OSFamily: "a", OSVersion: "a", Arch: "a", MinVCPU: 1,
			MinMemoryMiB: 1, MinDiskGiB: 1, ImageRegions: []string{"a"}, LoginUser: "a"}},
		{Type: catalog.TypeSaaS, SaaS: &catalog.SaaSSpec{Endpoint: "a", DeployRegion: "a", FreeTrial: true}},
		{Type: catalog.TypeLicense, License: &catalog.LicenseSpec{Category: "a", GrantUnit: "a", GrantQuantity: 1, DurationMonths: 1, TermsKey: "a", TermsURL: "a"}},
		{Type: catalog.TypeService, Service: &catalog.ServiceSpec{Kind: "a", Deliverables: catalog.Text{EN: "a", ZH: "a"}, ExpectedDays: 1, NoSoftwareIncluded: true}},
	}
	seen := map[string]bool{}
	for _, sp := range specs {
		after := full
		after.Type, after.Image, after.SaaS, after.License, after.Service = sp.Type, sp.Image, sp.SaaS, sp.License, sp.Service
		before := catalog.Product{Plans: []catalog.Plan{{Code: "p"}}}
		for _, c := range catalog.Diff(before, after) {
			f := c.Field
			if rest, ok := strings.CutPrefix(f, "plans[p]."); ok {
				f = "plan." + rest
			}
			seen[f] = true
		}
	}
	return slices.Sorted(maps.Keys(seen))
}
