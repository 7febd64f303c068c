package openstack

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gophercloud/gophercloud/v2"
)

// Config is what the provider needs to reach an OpenStack cloud.
// ConfigFromEnv reads it from the usual OS_* variables and cloudmart's own.
type Config struct {
	Auth gophercloud.AuthOptions
	// Region is the OpenStack region (OS_REGION_NAME) that serves every
	// cloudmart region not named in Regions; "" when the catalogue has one.
	Region string
	// Interface is the endpoint interface to use: public (the default),
	// internal or admin (OS_INTERFACE).
	Interface gophercloud.Availability
	// Regions maps cloudmart regions to OpenStack regions
	// (CLOUDMART_OS_REGIONS="cn-north-4=RegionOne,…"). When set, a region
	// not in it is refused rather than sent to Region.
	Regions map[string]string
	// Networks maps cloudmart regions to the Neutron network id to attach;
	// the key "" serves every region (CLOUDMART_OS_NETWORK="<id>" or
	// "cn-north-4=<id>,…"). With none, Nova picks the project's only network.
	Networks map[string]string
	// Images maps the catalogue's image references to Glance image ids,
	// either for every region ("img-0a1b2c=<id>") or for one
	// ("cn-north-4/img-0a1b2c=<id>") (CLOUDMART_OS_IMAGES). A reference
	// not in it is sent as it is.
	Images map[string]string
	// Flavors maps cloudmart flavour names to Nova flavour ids
	// (CLOUDMART_OS_FLAVORS); a name not in it is sent as the id, so a
	// cloud may instead create its flavours with cloudmart's names as ids.
	Flavors map[string]string
	// HTTPClient makes the requests; a client with a 60-second timeout when nil.
	HTTPClient *http.Client
}

// ConfigFromEnv reads the configuration from the environment through
// getenv: OS_AUTH_URL; OS_USERNAME (or OS_USERID) and OS_PASSWORD, with
// OS_PROJECT_NAME (or OS_PROJECT_ID) and the user's and project's domains
// (OS_USER_DOMAIN_NAME/_ID, OS_PROJECT_DOMAIN_NAME/_ID, each defaulting to
// OS_DOMAIN_NAME/_ID); or else OS_APPLICATION_CREDENTIAL_ID (or _NAME with a
// user) and OS_APPLICATION_CREDENTIAL_SECRET; OS_REGION_NAME, OS_INTERFACE;
// and CLOUDMART_OS_REGIONS, CLOUDMART_OS_NETWORK, CLOUDMART_OS_IMAGES,
// CLOUDMART_OS_FLAVORS (see Config).
//
// gophercloud's own AuthOptionsFromEnv reads the process environment and
// ignores OS_USER_DOMAIN_* and OS_PROJECT_DOMAIN_*, which most openrc
// files set; hence this reader.
//
// Errors: a plain error naming the variable that is missing or malformed.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	env := func(names ...string) string {
		for _, n := range names {
			if v := strings.TrimSpace(getenv(n)); v != "" {
				return v
			}
		}
		return ""
	}
	a := gophercloud.AuthOptions{
		IdentityEndpoint:            env("OS_AUTH_URL"),
		Username:                    env("OS_USERNAME"),
		UserID:                      env("OS_USERID", "OS_USER_ID"),
		Password:                    env("OS_PASSWORD"),
		DomainID:                    env("OS_USER_DOMAIN_ID", "OS_DOMAIN_ID"),
		DomainName:                  env("OS_USER_DOMAIN_NAME", "OS_DOMAIN_NAME"),
		ApplicationCredentialID:     env("OS_APPLICATION_CREDENTIAL_ID"),
		ApplicationCredentialName:   env("OS_APPLICATION_CREDENTIAL_NAME"),
		ApplicationCredentialSecret: env("OS_APPLICATION_CREDENTIAL_SECRET"),
		AllowReauth:                 true, // tokens expire; a long-running server logs in again
	}
	if a.DomainID != "" {
		a.DomainName = "" // Keystone takes one of the two
	}
	appCred := a.ApplicationCredentialID != "" || a.ApplicationCredentialName != ""
	switch {
	case a.IdentityEndpoint == "":
		return Config{}, errors.New("openstack: set OS_AUTH_URL, the Keystone address, such as https://keystone.example.com:5000/v3")
	case appCred && a.ApplicationCredentialSecret == "":
		return Config{}, errors.New("openstack: set OS_APPLICATION_CREDENTIAL_SECRET with the application credential")
	case a.ApplicationCredentialID == "" && a.Username == "" && a.UserID == "":
		return Config{}, errors.New("openstack: set OS_USERNAME (or OS_USERID), or an application credential")
	case !appCred && a.Password == "":
		return Config{}, errors.New("openstack: set OS_PASSWORD")
	case a.Username != "" && a.UserID == "" && a.DomainID == "" && a.DomainName == "":
		return Config{}, errors.New("openstack: set OS_USER_DOMAIN_NAME (or OS_USER_DOMAIN_ID) with OS_USERNAME")
	}
	if appCred {
		// An application credential carries its project; Keystone refuses a
		// scope beside it, and its secret stands in for the password.
		a.Password = ""
	} else if id := env("OS_PROJECT_ID", "OS_TENANT_ID"); id != "" {
		a.Scope = &gophercloud.AuthScope{ProjectID: id}
	} else if name := env("OS_PROJECT_NAME", "OS_TENANT_NAME"); name != "" {
		a.Scope = &gophercloud.AuthScope{ProjectName: name,
			DomainID: env("OS_PROJECT_DOMAIN_ID", "OS_DOMAIN_ID"), DomainName: env("OS_PROJECT_DOMAIN_NAME", "OS_DOMAIN_NAME")}
		if a.Scope.DomainID != "" {
			a.Scope.DomainName = ""
		}
		if a.Scope.DomainID == "" && a.Scope.DomainName == "" {
			return Config{}, errors.New("openstack: set OS_PROJECT_DOMAIN_NAME (or OS_PROJECT_DOMAIN_ID) with OS_PROJECT_NAME")
		}
	} else {
		return Config{}, errors.New("openstack: set OS_PROJECT_NAME or OS_PROJECT_ID, the project that owns the servers")
	}
	c := Config{Auth: a, Region: env("OS_REGION_NAME")}
	switch i := env("OS_INTERFACE", "OS_ENDPOINT_TYPE"); strings.TrimSuffix(i, "URL") {
	case "", "public":
		c.Interface = gophercloud.AvailabilityPublic
	case "internal":
		c.Interface = gophercloud.AvailabilityInternal
	case "admin":
		c.Interface = gophercloud.AvailabilityAdmin
	default:
		return Config{}, fmt.Errorf("openstack: OS_INTERFACE is %q: use public, internal or admin", i)
	}
	var err error
	for _, m := range []struct {
		name   string
		into   *map[string]string
		single bool // a value without "=" is the one for every key
	}{
		{"CLOUDMART_OS_REGIONS", &c.Regions, false},
		{"CLOUDMART_OS_NETWORK", &c.Networks, true},
		{"CLOUDMART_OS_IMAGES", &c.Images, false},
		{"CLOUDMART_OS_FLAVORS", &c.Flavors, false},
	} {
		if *m.into, err = pairs(env(m.name), m.single); err != nil {
			return Config{}, fmt.Errorf("openstack: %s: %w", m.name, err)
		}
	}
	return c, nil
}

// pairs reads "key=value,key=value". With single, a lone value without
// "=" is returned under the key "".
func pairs(s string, single bool) (map[string]string, error) {
	if s == "" {
		return nil, nil
	}
	if single && !strings.Contains(s, "=") {
		return map[string]string{"": s}, nil
	}
	m := map[string]string{}
	for part := range strings.SplitSeq(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" || v == "" {
			return nil, fmt.Errorf("%q is not key=value", part)
		}
		if _, dup := m[k]; dup {
			return nil, fmt.Errorf("%s is given twice", k)
		}
		m[k] = v
	}
	return m, nil
}
