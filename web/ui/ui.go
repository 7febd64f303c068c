// Package ui is cloudmart's server-rendered web interface: HTML pages in
// English and 简体中文, built from embedded templates, one stylesheet and the
// message catalogues, working without JavaScript. It calls market's use cases
// and nothing below them.
//
// Cross-site request forgery is stopped by the server's middleware
// (http.CrossOriginProtection wraps every handler), so the forms here carry no
// CSRF token field.
package ui

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market"
)

// server holds what every page needs.
type server struct {
	svc    *market.Service
	log    *slog.Logger
	views  views
	cat    *catalogue
	assets *assets
}

// pageFunc handles one page once the request's page (language, session, parsed
// form) is ready.
type pageFunc func(w http.ResponseWriter, r *http.Request, p *page)

// Routes adds the pages to mux. Paths: "/" and everything that is not /api/,
// /healthz, /readyz, /metrics.
//
// It panics if the embedded templates, catalogues or assets are broken, which
// the package's tests rule out.
func Routes(mux *http.ServeMux, svc *market.Service, log *slog.Logger) {
	if log == nil {
		log = slog.Default()
	}
	s := &server{svc: svc, log: log, views: mustParseViews(), cat: mustLoadCatalog(), assets: mustLoadAssets()}

	mux.Handle("GET /static/", s.static())
	mux.HandleFunc("GET /lang", s.lang)

	mux.HandleFunc("GET /{$}", s.handle(s.home))
	mux.HandleFunc("GET /products", s.handle(s.storefrontSearch))
	mux.HandleFunc("GET /products/{id}", s.handle(s.storefrontProduct))
	mux.HandleFunc("GET /products/{id}/files/{key...}", s.productFile)
	mux.HandleFunc("GET /categories/{slug}", s.handle(s.storefrontCategory))
	mux.HandleFunc("GET /signup", s.handle(s.signupForm))
	mux.HandleFunc("POST /signup", s.handle(s.signup))
	mux.HandleFunc("GET /login", s.handle(s.loginForm))
	mux.HandleFunc("POST /login", s.handle(s.login))
	mux.HandleFunc("POST /logout", s.handle(s.logout))

	mux.HandleFunc("GET /account", s.handle(signedIn(s.account)))
	mux.HandleFunc("POST /account/profile", s.handle(signedIn(s.profileSave)))
	mux.HandleFunc("POST /account/password", s.handle(signedIn(s.passwordSave)))
	mux.HandleFunc("POST /account/tokens", s.handle(signedIn(s.tokenCreate)))
	mux.HandleFunc("POST /account/tokens/{id}/revoke", s.handle(signedIn(s.tokenRevoke)))

	mux.HandleFunc("GET /customers", s.handle(signedIn(s.customers)))
	mux.HandleFunc("GET /customers/{id}", s.handle(signedIn(s.customer)))
	mux.HandleFunc("POST /customers/{id}/top-up", s.handle(signedIn(s.customerTopUp)))
	mux.HandleFunc("POST /customers/{id}/credit-limit", s.handle(signedIn(s.customerCreditLimit)))
	mux.HandleFunc("GET /ops/audit", s.handle(signedIn(s.audit)))

	mux.HandleFunc("GET /notifications", s.handle(signedIn(s.notifications)))
	mux.HandleFunc("POST /notifications/read", s.handle(signedIn(s.notificationsRead)))
	mux.HandleFunc("POST /notifications/{id}/read", s.handle(signedIn(s.notificationsRead)))

	mux.HandleFunc("GET /cart", s.handle(signedIn(s.cartPage)))
	mux.HandleFunc("POST /cart", s.handle(signedIn(s.cartAdd)))
	mux.HandleFunc("POST /cart/lines/{n}", s.handle(signedIn(s.cartLineSave)))
	mux.HandleFunc("POST /cart/lines/{n}/remove", s.handle(signedIn(s.cartLineRemove)))
	mux.HandleFunc("GET /checkout", s.handle(signedIn(s.checkout)))
	mux.HandleFunc("POST /checkout", s.handle(signedIn(s.checkoutPay)))
	mux.HandleFunc("GET /orders", s.handle(signedIn(s.buyerOrders)))
	mux.HandleFunc("GET /orders/export", s.handle(signedIn(s.ordersCSV("buyer"))))
	mux.HandleFunc("GET /orders/{id}", s.handle(signedIn(s.orderPage("buyer"))))
	mux.HandleFunc("GET /orders/{id}/receipt", s.handle(signedIn(s.orderReceipt)))
	mux.HandleFunc("GET /orders/{id}/lines/{no}/instance", s.handle(signedIn(s.saasInstance)))
	mux.HandleFunc("POST /orders/{id}/lines/{no}/instance/password", s.handle(signedIn(s.saasPassword)))
	mux.HandleFunc("GET /seller/saas", s.handle(signedIn(s.sellerSaaS)))
	mux.HandleFunc("POST /seller/deliveries/{id}/retry", s.handle(signedIn(s.sellerDeliveryRetry)))
	mux.HandleFunc("POST /seller/products/{id}/test-order", s.handle(signedIn(s.sellerTestOrder)))
	mux.HandleFunc("GET /account/balance", s.handle(signedIn(s.balance)))
	mux.HandleFunc("GET /account/subscriptions", s.handle(signedIn(s.subscriptions)))
	mux.HandleFunc("POST /account/subscriptions/{id}/auto-renew", s.handle(signedIn(s.subscriptionAutoRenew)))
	mux.HandleFunc("POST /account/subscriptions/{id}/renew", s.handle(signedIn(s.subscriptionRenew)))
	mux.HandleFunc("GET /account/subscriptions/{id}/upgrade", s.handle(signedIn(s.subscriptionUpgrade)))
	mux.HandleFunc("POST /account/subscriptions/{id}/upgrade", s.handle(signedIn(s.subscriptionUpgradeConfirm)))
	mux.HandleFunc("GET /account/licenses", s.handle(signedIn(s.buyerLicenses)))
	mux.HandleFunc("GET /seller/licenses", s.handle(signedIn(s.sellerLicenses)))
	mux.HandleFunc("GET /licenses/{id}", s.handle(signedIn(s.license)))
	mux.HandleFunc("GET /licenses/{id}/file", s.handle(signedIn(s.licenseFile)))
	mux.HandleFunc("POST /licenses/{id}/reset-machine", s.handle(signedIn(s.licenseReset)))
	mux.HandleFunc("POST /orders/{id}/refund", s.handle(signedIn(s.orderRefund("buyer"))))
	mux.HandleFunc("POST /ops/orders/{id}/refund", s.handle(signedIn(s.orderRefund("ops"))))
	mux.HandleFunc("GET /instances", s.handle(signedIn(s.buyerInstances)))
	mux.HandleFunc("GET /instances/{id}", s.handle(signedIn(s.instancePage)))
	mux.HandleFunc("POST /instances/{id}/password", s.handle(signedIn(s.instancePassword)))
	mux.HandleFunc("POST /instances/{id}/release", s.handle(signedIn(s.instanceRelease)))
	mux.HandleFunc("GET /seller/instances", s.handle(signedIn(s.sellerInstances)))
	mux.HandleFunc("GET /seller/orders", s.handle(signedIn(s.sellerOrders)))
	mux.HandleFunc("GET /seller/orders/export", s.handle(signedIn(s.ordersCSV("seller"))))
	mux.HandleFunc("GET /seller/orders/{id}", s.handle(signedIn(s.orderPage("seller"))))
	mux.HandleFunc("GET /ops/orders", s.handle(signedIn(s.opsOrders)))
	mux.HandleFunc("GET /ops/orders/export", s.handle(signedIn(s.ordersCSV("ops"))))
	mux.HandleFunc("GET /ops/orders/{id}", s.handle(signedIn(s.orderPage("ops"))))
	for scope, base := range serviceBase { // service orders: the buyer's, the seller's, the operators'
		mux.HandleFunc("GET "+base, s.handle(signedIn(s.serviceOrders(scope))))
		mux.HandleFunc("GET "+base+"/{id}", s.handle(signedIn(s.serviceOrderPage(scope))))
		mux.HandleFunc("GET "+base+"/{id}/files/{file}", s.handle(signedIn(s.serviceOrderFile)))
		mux.HandleFunc("POST "+base+"/{id}/messages", s.handleLimit(maxServiceUpload, signedIn(s.serviceOrderMessage(scope))))
		mux.HandleFunc("POST "+base+"/{id}/deliver", s.handleLimit(maxServiceUpload, signedIn(s.serviceOrderDeliver(scope))))
		mux.HandleFunc("POST "+base+"/{id}/{step}", s.handle(signedIn(s.serviceOrderStep(scope))))
	}

	// Technical support (docs/benefits.md): sellers' tickets and the operators' queue.
	mux.HandleFunc("GET /seller/support", s.handle(signedIn(s.supportTickets("seller"))))
	mux.HandleFunc("POST /seller/support", s.handleLimit(maxServiceUpload, signedIn(s.supportOpen)))
	mux.HandleFunc("GET /ops/support", s.handle(signedIn(s.supportTickets("ops"))))
	mux.HandleFunc("POST /ops/support/{id}/assign", s.handle(signedIn(s.supportAssign)))
	for scope, base := range supportBase {
		mux.HandleFunc("GET "+base+"/{id}", s.handle(signedIn(s.supportTicket(scope))))
		mux.HandleFunc("GET "+base+"/{id}/files/{file}", s.handle(signedIn(s.supportFile)))
		mux.HandleFunc("POST "+base+"/{id}/messages", s.handleLimit(maxServiceUpload, signedIn(s.supportMessage(scope))))
		mux.HandleFunc("POST "+base+"/{id}/state", s.handle(signedIn(s.supportState(scope))))
	}

	mux.HandleFunc("GET /seller/application", s.handle(signedIn(s.sellerApplication)))
	mux.HandleFunc("POST /seller/application", s.handle(signedIn(s.sellerStart)))
	mux.HandleFunc("GET /seller/application/{step}", s.handle(signedIn(s.sellerStep)))
	mux.HandleFunc("POST /seller/application/company", s.handle(signedIn(s.saveStep("company", readCompany))))
	mux.HandleFunc("POST /seller/application/regions", s.handle(signedIn(s.saveStep("regions", readRegions))))
	mux.HandleFunc("POST /seller/application/contacts", s.handle(signedIn(s.saveStep("contacts", readContacts))))
	mux.HandleFunc("POST /seller/application/support", s.handle(signedIn(s.saveStep("support", readSupport))))
	mux.HandleFunc("POST /seller/application/documents", s.handleLimit(maxUploadBytes, signedIn(s.documentUpload)))
	mux.HandleFunc("GET /seller/application/documents/{id}", s.handle(signedIn(s.documentDownload)))
	mux.HandleFunc("POST /seller/application/documents/{id}/delete", s.handle(signedIn(s.documentDelete)))
	mux.HandleFunc("POST /seller/application/agreement", s.handle(signedIn(s.agreementSign)))
	mux.HandleFunc("POST /seller/application/taxbank", s.handle(signedIn(s.taxBankSave)))
	mux.HandleFunc("POST /seller/application/submit", s.handle(signedIn(s.sellerSubmit)))

	mux.HandleFunc("GET /seller/products", s.handle(signedIn(s.sellerProducts)))
	mux.HandleFunc("GET /seller/products/new", s.handle(signedIn(s.sellerProductNew)))
	mux.HandleFunc("POST /seller/products", s.handleLimit(maxProductFormBytes, signedIn(s.sellerProductCreate)))
	mux.HandleFunc("GET /seller/products/{id}", s.handle(signedIn(s.sellerProductEdit)))
	mux.HandleFunc("POST /seller/products/{id}", s.handleLimit(maxProductFormBytes, signedIn(s.sellerProductSave)))
	mux.HandleFunc("POST /seller/products/{id}/submit", s.handleLimit(maxProductFormBytes, signedIn(s.sellerProductSubmit)))
	mux.HandleFunc("POST /seller/products/{id}/key", s.handle(signedIn(s.sellerProductKey)))
	mux.HandleFunc("POST /seller/products/{id}/delist", s.handle(signedIn(s.sellerProductDelist)))
	mux.HandleFunc("POST /seller/products/{id}/files", s.handleLimit(maxProductFileBytes, signedIn(s.sellerProductFile)))
	mux.HandleFunc("POST /seller/products/{id}/files/remove", s.handle(signedIn(s.sellerProductFileRemove)))

	mux.HandleFunc("GET /ops/applications", s.handle(signedIn(s.opsApplications)))
	mux.HandleFunc("GET /ops/applications/{id}", s.handle(signedIn(s.opsApplication)))
	mux.HandleFunc("GET /ops/applications/{id}/documents/{doc}", s.handle(signedIn(s.opsDocument)))
	mux.HandleFunc("POST /ops/applications/{id}/review", s.handle(signedIn(s.opsReview)))
	mux.HandleFunc("POST /ops/applications/{id}/certify", s.handle(signedIn(s.opsCertify)))

	mux.HandleFunc("GET /ops/products", s.handle(signedIn(s.opsProducts)))
	mux.HandleFunc("GET /ops/products/{id}", s.handle(signedIn(s.opsProduct)))
	mux.HandleFunc("POST /ops/products/{id}/review", s.handle(signedIn(s.opsProductReview)))
	mux.HandleFunc("POST /ops/products/{id}/delist", s.handle(signedIn(s.opsProductDelist)))
	mux.HandleFunc("GET /ops/storefront", s.handle(signedIn(s.opsStorefront)))
	mux.HandleFunc("POST /ops/storefront/zones", s.handle(signedIn(s.opsZoneSave)))
	mux.HandleFunc("POST /ops/storefront/zones/{slug}/products", s.handle(signedIn(s.opsZonePlace)))
	mux.HandleFunc("POST /ops/storefront/zones/{slug}/delete", s.handle(signedIn(s.opsZoneDelete)))
	mux.HandleFunc("POST /ops/storefront/banners", s.handle(signedIn(s.opsBannerSave)))
	mux.HandleFunc("POST /ops/storefront/banners/{id}/delete", s.handle(signedIn(s.opsBannerDelete)))

	mux.HandleFunc("GET /campaigns", s.handle(s.campaignsList))
	mux.HandleFunc("GET /campaigns/{id}", s.handle(s.campaignPage))
	mux.HandleFunc("GET /campaigns/{id}/shop", s.handle(s.campaignShop))
	mux.HandleFunc("POST /campaigns/{id}/claim", s.handle(signedIn(s.campaignClaim)))
	mux.HandleFunc("POST /campaigns/{id}/redeem", s.handle(signedIn(s.campaignRedeem)))
	mux.HandleFunc("GET /account/coupons", s.handle(signedIn(s.coupons)))
	mux.HandleFunc("GET /am/campaigns", s.handle(signedIn(s.amCampaigns)))
	mux.HandleFunc("POST /am/campaigns/{id}/admissions", s.handle(signedIn(s.amAdmission)))
	mux.HandleFunc("GET /ops/campaigns", s.handle(signedIn(s.opsCampaigns)))
	mux.HandleFunc("GET /ops/campaigns/new", s.handle(signedIn(s.opsCampaignNew)))
	mux.HandleFunc("POST /ops/campaigns", s.handle(signedIn(s.opsCampaignCreate)))
	mux.HandleFunc("GET /ops/campaigns/{id}", s.handle(signedIn(s.opsCampaign)))
	mux.HandleFunc("POST /ops/campaigns/{id}", s.handle(signedIn(s.opsCampaignSave)))
	mux.HandleFunc("POST /ops/campaigns/{id}/move", s.handle(signedIn(s.opsCampaignMove)))
	mux.HandleFunc("GET /ops/campaigns/{id}/dry-run", s.handle(signedIn(s.opsCampaignDryRun)))
	mux.HandleFunc("GET /ops/campaigns/{id}/report.csv", s.handle(signedIn(s.opsCampaignCSV)))
	mux.HandleFunc("POST /ops/redemptions/{id}/{step}", s.handle(signedIn(s.opsRedemptionShip)))
	// Seller programmes: events, migration declarations, trainings (docs/benefits.md).
	mux.HandleFunc("GET /seller/events", s.handle(signedIn(s.progSellerEvents)))
	mux.HandleFunc("POST /seller/events/{id}/apply", s.handle(signedIn(s.progApply)))
	mux.HandleFunc("GET /seller/migrations", s.handle(signedIn(s.progSellerMigrations)))
	mux.HandleFunc("POST /seller/migrations", s.handle(signedIn(s.progDeclare)))
	mux.HandleFunc("GET /seller/trainings", s.handle(signedIn(s.progSellerTrainings)))
	mux.HandleFunc("POST /seller/trainings/sessions/{id}/enrol", s.handle(signedIn(s.progEnrol)))
	mux.HandleFunc("POST /seller/trainings/enrolments/{id}/cancel", s.handle(signedIn(s.progCancel)))
	mux.HandleFunc("GET /ops/events", s.handle(signedIn(s.progOpsEvents)))
	mux.HandleFunc("POST /ops/events", s.handle(signedIn(s.progEventCreate)))
	mux.HandleFunc("POST /ops/events/{id}/move", s.handle(signedIn(s.progEventMove)))
	mux.HandleFunc("GET /ops/events/{id}/edit", s.handle(signedIn(s.progEventEdit)))
	mux.HandleFunc("POST /ops/events/{id}/edit", s.handle(signedIn(s.progEventSave)))
	mux.HandleFunc("POST /ops/event-applications/{id}/decide", s.handle(signedIn(s.progApplicationDecide)))
	mux.HandleFunc("GET /ops/migrations", s.handle(signedIn(s.progOpsMigrations)))
	mux.HandleFunc("POST /ops/migrations/{id}/decide", s.handle(signedIn(s.progMigrationDecide)))
	mux.HandleFunc("GET /ops/trainings", s.handle(signedIn(s.progOpsTrainings)))
	mux.HandleFunc("POST /ops/trainings", s.handle(signedIn(s.progCourseCreate)))
	mux.HandleFunc("POST /ops/trainings/{id}/sessions", s.handle(signedIn(s.progSessionAdd)))
	mux.HandleFunc("GET /ops/trainings/{id}/edit", s.handle(signedIn(s.progCourseEdit)))
	mux.HandleFunc("POST /ops/trainings/{id}/edit", s.handle(signedIn(s.progCourseSave)))
	mux.HandleFunc("POST /ops/trainings/sessions/{id}/cancel", s.handle(signedIn(s.progSessionCancel)))
	mux.HandleFunc("POST /ops/trainings/enrolments/{id}/attendance", s.handle(signedIn(s.progAttendance)))

	// Resale through channel partners (docs/benefits.md).
	mux.HandleFunc("GET /seller/resale", s.handle(signedIn(s.sellerResale)))
	mux.HandleFunc("POST /seller/resale", s.handle(signedIn(s.sellerResaleAuthorise)))
	mux.HandleFunc("POST /seller/resale/{id}/revoke", s.handle(signedIn(s.sellerResaleRevoke)))
	mux.HandleFunc("GET /ops/resale", s.handle(signedIn(s.opsResale)))
	mux.HandleFunc("POST /ops/resale/requirements", s.handle(signedIn(s.opsResaleRequirements)))
	mux.HandleFunc("POST /ops/resale/{id}/{step}", s.handle(signedIn(s.opsResaleDecide)))
	mux.HandleFunc("GET /partner/products", s.handle(signedIn(s.partnerProducts)))
	mux.HandleFunc("POST /partner/orders", s.handle(signedIn(s.partnerOrder)))
	mux.HandleFunc("GET /partner/sales", s.handle(signedIn(s.partnerSales)))
	// seller benefits and exchange rates (issue 9, benefits)
	mux.HandleFunc("GET /seller/benefits", s.handle(signedIn(s.sellerBenefits)))
	mux.HandleFunc("GET /ops/sellers/{org}/benefits", s.handle(signedIn(s.opsSellerBenefits)))
	mux.HandleFunc("GET /ops/exchange-rates", s.handle(signedIn(s.opsRates)))
	mux.HandleFunc("POST /ops/exchange-rates", s.handle(signedIn(s.opsRateSave)))
	// Test credit (docs/benefits.md): sellers ask and buy their own products with it; operators decide.
	mux.HandleFunc("GET /seller/test-credit", s.handle(signedIn(s.sellerTestCredit)))
	mux.HandleFunc("POST /seller/test-credit", s.handle(signedIn(s.testCreditRequest)))
	mux.HandleFunc("POST /seller/test-credit/orders", s.handle(signedIn(s.testCreditBuy)))
	mux.HandleFunc("GET /ops/test-credit", s.handle(signedIn(s.opsTestCredit)))
	mux.HandleFunc("POST /ops/test-credit/{id}/{step}", s.handle(signedIn(s.opsTestCreditDecide)))

	mux.HandleFunc("/", s.handle(s.notFound))
}

// handle prepares the page for fn: language, session, and for a POST the form,
// read with a size limit.
func (s *server) handle(fn pageFunc) http.HandlerFunc { return s.handleLimit(maxFormBytes, fn) }

// handleLimit is handle with a limit of its own on a POST's body. A
// multipart form (an upload) is left for fn to read as it streams in.
func (s *server) handleLimit(limit int64, fn pageFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := s.newPage(r)
		actor, tok, err := s.session(w, r)
		if err != nil {
			s.fail(w, r, p, err)
			return
		}
		p.signIn(actor, tok)
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			// ParseForm leaves a multipart body unread.
			if err := r.ParseForm(); err != nil {
				var tooBig *http.MaxBytesError
				if errors.As(err, &tooBig) {
					err = &fault.Error{Code: fault.TooLarge, Message: "the form is too large"}
				} else {
					err = &fault.Error{Code: fault.Invalid, Message: "the form could not be read"}
				}
				s.fail(w, r, p, err)
				return
			}
		}
		fn(w, r, p)
	}
}

// pageURL is the local address of the page the visitor is on: the request's
// for a GET; for a form post, the page that had the form (the post's own
// address may have no page), or "" when that is unknown.
func pageURL(r *http.Request) string {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return r.URL.RequestURI()
	}
	if u, err := url.Parse(r.Referer()); err == nil && u.Host == r.Host {
		return localPath(u.RequestURI(), "")
	}
	return ""
}

// maxFormBytes bounds a form: ours are a few fields of text.
const maxFormBytes = 64 << 10

// signedIn sends visitors who are not signed in to the sign-in page, and back
// here afterwards.
func signedIn(fn pageFunc) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, p *page) {
		if !p.Actor.Signed() {
			to := "/login"
			if next := pageURL(r); next != "" {
				to += "?" + url.Values{"next": {next}}.Encode()
			}
			redirect(w, r, to)
			return
		}
		fn(w, r, p)
	}
}
