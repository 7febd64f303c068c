package ui

import (
	"net/http"

	"github.com/cloudmart/cloudmart/programme"
)

// A seller's migration declarations (/seller/migrations): the form to
// declare a workload migrated to the cloud, and the company's declarations
// with an operator's decision.

type progSellerMigrationsView struct {
	Migrations []progMigration
	Kinds      []option
	Regions    []option
}

type progMigration struct {
	programme.Migration
	SellerName  string
	RegionName  string
	EvidenceURL string
}

func (s *server) progSellerMigrations(w http.ResponseWriter, r *http.Request, p *page) {
	s.showProgSellerMigrations(w, r, p, http.StatusOK)
}

func (s *server) showProgSellerMigrations(w http.ResponseWriter, r *http.Request, p *page, status int) {
	ctx := r.Context()
	list, err := s.svc.SellerMigrations(ctx, p.Actor)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	regions, err := s.svc.Regions(ctx)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	names := map[string]string{}
	v := progSellerMigrationsView{}
	for _, k := range programme.MigrationKinds {
		v.Kinds = append(v.Kinds, option{Value: string(k), Label: p.T("prog.migration_kind." + string(k))})
	}
	for _, rg := range regions {
		names[rg.Code] = p.Choose(rg.NameEN, rg.NameZH)
		v.Regions = append(v.Regions, option{Value: rg.Code, Label: names[rg.Code], Hint: rg.Code})
	}
	for _, m := range list {
		v.Migrations = append(v.Migrations, progMigration{Migration: m, RegionName: names[m.Region], EvidenceURL: programme.EvidenceURL(m.Evidence)})
	}
	if r.URL.Query().Get("done") == "declared" {
		p.Notice = p.T("prog.notice.declared")
	}
	p.Title, p.Data = "prog.seller_migrations.title", v
	s.render(w, r, p, status, "programmes_seller_migrations")
}

// progDeclare declares a migration.
func (s *server) progDeclare(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = newForm("declare", r, "kind", "region", "workload", "evidence")
	_, err := s.svc.DeclareMigration(r.Context(), p.Actor, programme.Migration{Kind: programme.MigrationKind(r.FormValue("kind")),
		Region: r.FormValue("region"), Workload: r.FormValue("workload"), Evidence: r.FormValue("evidence")})
	if err != nil {
		s.refill(w, r, p, err, func(status int) { s.showProgSellerMigrations(w, r, p, status) })
		return
	}
	redirect(w, r, "/seller/migrations?done=declared")
}
