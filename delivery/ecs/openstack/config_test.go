package openstack_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/gophercloud/gophercloud/v2"

	"github.com/cloudmart/cloudmart/delivery/ecs/openstack"
)

func TestConfigFromEnv(t *testing.T) {
	openrc := map[string]string{
		"OS_AUTH_URL": "https://keystone.example.com:5000/v3", "OS_USERNAME": "cloudmart", "OS_PASSWORD": "pw",
		"OS_PROJECT_NAME": "marketplace", "OS_USER_DOMAIN_NAME": "Default", "OS_PROJECT_DOMAIN_ID": "default",
		"OS_REGION_NAME": "RegionOne",
	}
	with := func(changes map[string]string) map[string]string {
		env := map[string]string{}
		for k, v := range openrc {
			env[k] = v
		}
		for k, v := range changes {
			env[k] = v
		}
		return env
	}
	tests := []struct {
		name    string
		env     map[string]string
		check   func(openstack.Config) bool
		wantErr string
	}{
		{"openrc", openrc, func(c openstack.Config) bool {
			return c.Auth.Username == "cloudmart" && c.Auth.DomainName == "Default" && c.Auth.AllowReauth &&
				reflect.DeepEqual(c.Auth.Scope, &gophercloud.AuthScope{ProjectName: "marketplace", DomainID: "default"}) &&
				c.Region == "RegionOne" && c.Interface == gophercloud.AvailabilityPublic && c.Networks == nil
		}, ""},
		{"one domain for both", with(map[string]string{"OS_USER_DOMAIN_NAME": "", "OS_PROJECT_DOMAIN_ID": "", "OS_DOMAIN_NAME": "acme"}),
			func(c openstack.Config) bool { return c.Auth.DomainName == "acme" && c.Auth.Scope.DomainName == "acme" }, ""},
		{"project id", with(map[string]string{"OS_PROJECT_NAME": "", "OS_PROJECT_ID": "a6944d76"}),
			func(c openstack.Config) bool {
				return reflect.DeepEqual(c.Auth.Scope, &gophercloud.AuthScope{ProjectID: "a6944d76"})
			}, ""},
		{"application credential", map[string]string{"OS_AUTH_URL": "https://k/v3", "OS_APPLICATION_CREDENTIAL_ID": "ac1",
			"OS_APPLICATION_CREDENTIAL_SECRET": "s", "OS_INTERFACE": "internal"},
			func(c openstack.Config) bool {
				return c.Auth.ApplicationCredentialID == "ac1" && c.Auth.Scope == nil && c.Interface == gophercloud.AvailabilityInternal
			}, ""},
		{"maps", with(map[string]string{"CLOUDMART_OS_NETWORK": "net-1", "CLOUDMART_OS_REGIONS": "cn-north-4=RegionOne,cn-east-3=RegionTwo",
			"CLOUDMART_OS_IMAGES": "img-a=g1, cn-east-3/img-a=g2", "CLOUDMART_OS_FLAVORS": "c7.large.2=1002"}),
			func(c openstack.Config) bool {
				return reflect.DeepEqual(c.Networks, map[string]string{"": "net-1"}) &&
					reflect.DeepEqual(c.Regions, map[string]string{"cn-north-4": "RegionOne", "cn-east-3": "RegionTwo"}) &&
					reflect.DeepEqual(c.Images, map[string]string{"img-a": "g1", "cn-east-3/img-a": "g2"}) &&
					reflect.DeepEqual(c.Flavors, map[string]string{"c7.large.2": "1002"})
			}, ""},
		{"networks by region", with(map[string]string{"CLOUDMART_OS_NETWORK": "cn-north-4=n1,cn-east-3=n2"}),
			func(c openstack.Config) bool {
				return reflect.DeepEqual(c.Networks, map[string]string{"cn-north-4": "n1", "cn-east-3": "n2"})
			}, ""},
		{"no auth url", with(map[string]string{"OS_AUTH_URL": ""}), nil, "OS_AUTH_URL"},
		{"no password", with(map[string]string{"OS_PASSWORD": ""}), nil, "OS_PASSWORD"},
		{"no user", with(map[string]string{"OS_USERNAME": ""}), nil, "OS_USERNAME"},
		{"no user domain", with(map[string]string{"OS_USER_DOMAIN_NAME": ""}), nil, "OS_USER_DOMAIN_NAME"},
		{"no project", with(map[string]string{"OS_PROJECT_NAME": ""}), nil, "OS_PROJECT_NAME"},
		{"no project domain", with(map[string]string{"OS_PROJECT_DOMAIN_ID": ""}), nil, "OS_PROJECT_DOMAIN_NAME"},
		{"secret missing", map[string]string{"OS_AUTH_URL": "https://k/v3", "OS_APPLICATION_CREDENTIAL_ID": "ac1"}, nil, "OS_APPLICATION_CREDENTIAL_SECRET"},
		{"bad interface", with(map[string]string{"OS_INTERFACE": "private"}), nil, "OS_INTERFACE"},
		{"bad map", with(map[string]string{"CLOUDMART_OS_IMAGES": "img-a"}), nil, "CLOUDMART_OS_IMAGES"},
		{"twice in a map", with(map[string]string{"CLOUDMART_OS_REGIONS": "a=b,a=c"}), nil, "CLOUDMART_OS_REGIONS"},
	}
	for _, tt := range tests {
		c, err := openstack.ConfigFromEnv(func(k string) string { return tt.env[k] })
		switch {
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%s: %v; want an error naming %s", tt.name, err, tt.wantErr)
		case tt.wantErr == "" && (err != nil || !tt.check(c)):
			t.Errorf("%s: %+v, %v", tt.name, c, err)
		}
	}
}
