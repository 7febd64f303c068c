package ui

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/order"
)

// The cart lives in a cookie, signed with a key made from the browser's
// session secret: a cart belongs to one session, so it ends when its visitor
// signs out and never passes to the next person who signs in on the browser.
// What it holds is only what the buyer asks for (products, plans, quantities);
// every page prices it afresh, so nothing in it is trusted.

// CartCookie names the cookie that holds a browser's cart.
const CartCookie = "cloudmart_cart"

// cartLine is one line of the cart as the cookie keeps it: short keys, so
// that twenty lines fit in a cookie.
type cartLine struct {
	Product string `json:"p"`
	Plan    string `json:"c"`
	Qty     int    `json:"q,omitempty"`
	Periods int    `json:"n,omitempty"`
	Region  string `json:"r,omitempty"`
	Trial   bool   `json:"t,omitempty"`
	Renew   bool   `json:"a,omitempty"`
	Flavor  string `json:"f,omitempty"`
}

func (l cartLine) request() order.LineRequest {
	return order.LineRequest{ProductID: l.Product, Plan: l.Plan, Quantity: l.Qty, Periods: l.Periods, Region: l.Region, Trial: l.Trial, AutoRenew: l.Renew, Flavor: l.Flavor}
}

func lineOf(r order.LineRequest) cartLine {
	return cartLine{Product: r.ProductID, Plan: r.Plan, Qty: r.Quantity, Periods: r.Periods, Region: r.Region, Trial: r.Trial, Renew: r.AutoRenew, Flavor: r.Flavor}
}

// sameItem reports whether two lines ask for the same thing but for the
// quantity, so that adding one to the cart again adds to the other's.
func sameItem(a, b order.LineRequest) bool {
	return a.ProductID == b.ProductID && a.Plan == b.Plan && max(a.Periods, 1) == max(b.Periods, 1) && a.Region == b.Region && a.Trial == b.Trial && a.AutoRenew == b.AutoRenew && a.Flavor == b.Flavor
}

// encodeLines writes cart lines as one token of URL-safe characters, for the
// cookie and for the checkout form's hidden field.
func encodeLines(lines []order.LineRequest) string {
	out := make([]cartLine, 0, len(lines))
	for _, l := range lines {
		out = append(out, lineOf(l))
	}
	b, _ := json.Marshal(out) // plain strings and numbers: never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeLines reads what encodeLines wrote; anything else is no lines.
func decodeLines(s string) ([]order.LineRequest, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 8<<10 {
		return nil, false
	}
	var in []cartLine
	if json.Unmarshal(b, &in) != nil || len(in) > order.MaxLines {
		return nil, false
	}
	out := make([]order.LineRequest, 0, len(in))
	for _, l := range in {
		out = append(out, l.request())
	}
	return out, true
}

// cartKey is the key that signs the carts of the request's session; nil
// without a session.
func cartKey(r *http.Request) []byte {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	sum := sha256.Sum256([]byte("cloudmart cart v1\x00" + c.Value))
	return sum[:]
}

func cartMAC(key []byte, payload string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// cart returns the lines of the browser's cart: none when it has none, or
// when the cookie was not signed for this session.
func cart(r *http.Request) []order.LineRequest {
	key := cartKey(r)
	c, err := r.Cookie(CartCookie)
	if key == nil || err != nil {
		return nil
	}
	payload, mac, ok := strings.Cut(c.Value, ".")
	if !ok || !hmac.Equal([]byte(mac), []byte(cartMAC(key, payload))) {
		return nil
	}
	lines, _ := decodeLines(payload)
	return lines
}

// cartMaxAge is how long a browser keeps a cart it does not touch.
const cartMaxAge = 30 * 24 * time.Hour

// setCart gives the browser its cart, or takes it away when lines is empty.
func setCart(w http.ResponseWriter, r *http.Request, lines []order.LineRequest) {
	c := &http.Cookie{Name: CartCookie, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil}
	key := cartKey(r)
	if len(lines) == 0 || key == nil {
		c.MaxAge = -1
	} else {
		payload := encodeLines(lines)
		c.Value, c.MaxAge = payload+"."+cartMAC(key, payload), int(cartMaxAge.Seconds())
	}
	http.SetCookie(w, c)
}

// cartSize is the number of units in the cart, for the header.
func cartSize(r *http.Request) int {
	n := 0
	for _, l := range cart(r) {
		n += max(l.Quantity, 1)
	}
	return n
}

// buyerOrg returns the customer organisation the actor buys for: the first
// it is a buyer of; "" when it buys for none.
func buyerOrg(a account.Actor) account.Membership {
	for _, m := range a.Memberships {
		if m.Role == account.RoleBuyer && m.OrgKind == account.KindCustomer && account.Can(a, account.Buy, account.Resource{OrgID: m.OrgID}) {
			return m
		}
	}
	return account.Membership{}
}

// OnCart reports whether the page is the cart, for the header's cart link.
func (p *page) OnCart() bool { return p.Path == "/cart" || strings.HasPrefix(p.Path, "/cart?") }
