package catalog

import (
	"strconv"

	"github.com/cloudmart/cloudmart/fault"
)

// ServiceKind is the work a professional service does.
type ServiceKind string

const (
	ServiceTraining         ServiceKind = "training"
	ServiceEnvironmentSetup ServiceKind = "environment_configuration"
	ServiceDataMigration    ServiceKind = "data_migration"
	ServiceTroubleshooting  ServiceKind = "troubleshooting"
	ServiceInstallation     ServiceKind = "installation"
	ServiceConsulting       ServiceKind = "consulting"
)

// ServiceKinds lists every kind, in the order forms show them.
var ServiceKinds = []ServiceKind{
	ServiceTraining, ServiceEnvironmentSetup, ServiceDataMigration,
	ServiceTroubleshooting, ServiceInstallation, ServiceConsulting,
}

// MaxServiceDays is the longest a service may be expected to take.
const MaxServiceDays = 365

// ServiceSpec is what a professional service needs: the work, what the buyer
// gets at the end, how long it takes, and the seller's statement that no
// software is included (software is sold as an image, SaaS or licence, where
// its delivery is checked).
//
// Errors of Product.Validate: Invalid on service.kind (error.service_kind),
// service.deliverables.en and .zh (error.deliverables_length),
// service.expected_days (error.expected_days), and
// service.no_software_included (error.no_software) unless it is true.
type ServiceSpec struct {
	Kind               ServiceKind `json:"kind"`
	Deliverables       Text        `json:"deliverables"`
	ExpectedDays       int         `json:"expected_days"`
	NoSoftwareIncluded bool        `json:"no_software_included"`
}

// validate checks the service details; for review, the seller must state
// that no software is included.
func (s *ServiceSpec) validate(v validator, _ Product) error {
	if err := firstError(
		enum(v, "service.kind", s.Kind, ServiceKinds, "error.service_kind", "choose the kind of service"),
		v.text("service.deliverables", s.Deliverables, 1, MaxDeliverables, "error.deliverables_length", "describe the deliverables in 1 to 2,000 characters"),
		v.number("service.expected_days", s.ExpectedDays, 1, MaxServiceDays, "error.expected_days", "enter 1 to 365 days"),
	); err != nil {
		return err
	}
	if v.review && !s.NoSoftwareIncluded {
		return fault.Field("service.no_software_included", "error.no_software",
			"a professional service includes no software: confirm it, or list the software as an image, SaaS or licence")
	}
	return nil
}

func (s *ServiceSpec) fields() []field {
	return []field{
		{"service.kind", string(s.Kind)},
		{"service.deliverables.en", s.Deliverables.EN},
		{"service.deliverables.zh", s.Deliverables.ZH},
		{"service.expected_days", strconv.Itoa(s.ExpectedDays)},
		{"service.no_software_included", strconv.FormatBool(s.NoSoftwareIncluded)},
	}
}
