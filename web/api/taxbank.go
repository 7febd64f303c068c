package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cloudmart/cloudmart/seller"
)

// TaxBank is a company's tax ID and bank account as the API shows them: the
// tax ID and the account number masked but for their last four characters.
// The full values are never returned.
type TaxBank struct {
	TaxID         string     `json:"tax_id" example:"••••••••••••••SD2X"`
	BankName      string     `json:"bank_name" example:"Bank of Beijing"`
	AccountHolder string     `json:"account_holder" example:"Lakeside Data Co., Ltd."`
	AccountNumber string     `json:"account_number" example:"••••••••••••2211"`
	CertifiedAt   *time.Time `json:"certified_at" nullable:"true" doc:"When an operator certified these details; null until then, and again after any change"`
	CertifiedBy   string     `json:"certified_by,omitempty" doc:"The operator who certified them"`
}

// taxBankOf shows masked details with the certification on record r.
func taxBankOf(masked seller.TaxBank, r seller.Record) TaxBank {
	return TaxBank{TaxID: masked.TaxID, BankName: masked.BankName, AccountHolder: masked.AccountHolder, AccountNumber: masked.AccountNumber,
		CertifiedAt: timeOrNil(r.TaxBankCertifiedAt), CertifiedBy: r.TaxBankCertifiedBy}
}

type setTaxBankInput struct {
	Body struct {
		TaxID         string `json:"tax_id" maxLength:"64" doc:"5 to 32 letters and digits (spaces and dashes are dropped)" example:"91110108MA01LKSD2X"`
		BankName      string `json:"bank_name" maxLength:"240" example:"Bank of Beijing"`
		AccountHolder string `json:"account_holder" maxLength:"240" example:"Lakeside Data Co., Ltd."`
		AccountNumber string `json:"account_number" maxLength:"64" doc:"6 to 34 letters and digits, e.g. an IBAN (spaces and dashes are dropped)" example:"6226 0901 1000 2211"`
	}
}

type taxBankOutput struct{ Body TaxBank }

func (h handlers) taxBank(a huma.API) {
	huma.Register(a, huma.Operation{
		OperationID: "get-my-tax-bank", Method: http.MethodGet, Path: "/api/v1/seller/tax-bank",
		Summary: "The caller's company's tax and bank details, masked", Tags: []string{"Sellers"}, Security: bearer, Errors: []int{401, 404},
		Description: "404 when the company has not entered them.",
	}, func(ctx context.Context, _ *struct{}) (*taxBankOutput, error) {
		masked, r, err := h.svc.TaxBank(ctx, actorOf(ctx))
		if err != nil {
			return nil, err
		}
		return &taxBankOutput{Body: taxBankOf(masked, r)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "set-my-tax-bank", Method: http.MethodPut, Path: "/api/v1/seller/tax-bank",
		Summary: "Enter or change the caller's company's tax and bank details", Tags: []string{"Sellers"},
		Security: bearer, MaxBodyBytes: MaxBody, Errors: []int{400, 401, 403, 404},
		Description: "The details are stored encrypted and answered masked. Any change withdraws the certification: " +
			"an operator must certify the new details before the company can submit.",
	}, func(ctx context.Context, in *setTaxBankInput) (*taxBankOutput, error) {
		masked, err := h.svc.SetTaxBank(ctx, actorOf(ctx), seller.TaxBank{TaxID: in.Body.TaxID, BankName: in.Body.BankName,
			AccountHolder: in.Body.AccountHolder, AccountNumber: in.Body.AccountNumber})
		if err != nil {
			return nil, err
		}
		// Stored details are never certified: SetTaxBank withdraws the certification.
		return &taxBankOutput{Body: taxBankOf(masked, seller.Record{})}, nil
	})
}
