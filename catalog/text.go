package catalog

// Text is what a listing says, in each language of the marketplace. Both are
// required for review: a buyer reads the listing in the language of the page.
type Text struct {
	EN string `json:"en"`
	ZH string `json:"zh"`
}

// Limits on what a listing says, in characters (runes).
const (
	MaxName         = 120
	MaxSummary      = 200
	MaxDescription  = 20_000
	MaxDeliverables = 2_000
)
