package ecs_test

import (
	"slices"
	"testing"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/delivery/ecs"
	"github.com/cloudmart/cloudmart/fault"
)

func TestFlavorTableIsSmallestFirstWithUniqueNames(t *testing.T) {
	seen := map[string]bool{}
	for i, f := range ecs.Flavors {
		if seen[f.Name] {
			t.Errorf("%s twice", f.Name)
		}
		seen[f.Name] = true
		if f.VCPU < 1 || f.MemoryMiB < 512 || (f.Arch != catalog.ArchX86 && f.Arch != catalog.ArchARM64) {
			t.Errorf("%+v is not a flavour", f)
		}
		if i > 0 {
			p := ecs.Flavors[i-1]
			if f.VCPU < p.VCPU || (f.VCPU == p.VCPU && f.MemoryMiB < p.MemoryMiB) {
				t.Errorf("%s comes after the larger %s", f.Name, p.Name)
			}
		}
	}
}

func TestAtLeast(t *testing.T) {
	tests := []struct {
		flavor, minimum string
		want            bool
	}{
		{"s6.small.1", "s6.small.1", true},
		{"c7.2xlarge.4", "s6.small.1", true},
		{"c7.large.2", "s6.large.2", true},     // same size, other family
		{"c7.large.4", "s6.xlarge.2", false},   // more memory, fewer vCPUs
		{"s6.xlarge.2", "c7.large.4", true},    // 4 vCPU 8 GiB against 2 vCPU 8 GiB
		{"s6.medium.2", "s6.large.2", false},   // smaller
		{"kc1.2xlarge.4", "s6.small.1", false}, // another architecture
		{"kc1.xlarge.2", "kc1.large.2", true},
		{"x9.huge.8", "s6.small.1", false},
		{"s6.small.1", "x9.huge.8", false},
		{"", "", false},
	}
	for _, tt := range tests {
		if got := ecs.AtLeast(tt.flavor, tt.minimum); got != tt.want {
			t.Errorf("AtLeast(%q, %q) = %v; want %v", tt.flavor, tt.minimum, got, tt.want)
		}
	}
}

func TestFlavorsFor(t *testing.T) {
	names := func(fs []ecs.Flavor) (out []string) {
		for _, f := range fs {
			out = append(out, f.Name)
		}
		return out
	}
	tests := []struct {
		arch      catalog.Arch
		vcpu, mem int
		want      []string
	}{
		{catalog.ArchX86, 8, 20 << 10, []string{"c7.2xlarge.4", "c7.4xlarge.2", "c7.4xlarge.4", "c7.8xlarge.4", "c7.16xlarge.4"}},
		{catalog.ArchX86, 16, 40 << 10, []string{"c7.4xlarge.4", "c7.8xlarge.4", "c7.16xlarge.4"}},
		{catalog.ArchARM64, 2, 4 << 10, []string{"kc1.large.2", "kc1.xlarge.2", "kc1.2xlarge.4", "kc1.4xlarge.4"}},
		{catalog.ArchX86, 128, 1024, nil},
	}
	for _, tt := range tests {
		got := names(ecs.FlavorsFor(tt.arch, tt.vcpu, tt.mem))
		if !slices.Equal(got, tt.want) {
			t.Errorf("FlavorsFor(%s, %d, %d) = %v; want %v", tt.arch, tt.vcpu, tt.mem, got, tt.want)
		}
	}
	if got := len(ecs.FlavorsFor(catalog.ArchX86, 1, 512)); got != 15 {
		t.Errorf("every x86 flavour fits the smallest image: got %d", got)
	}
}

func TestCheckFlavor(t *testing.T) {
	image := catalog.ImageSpec{Arch: catalog.ArchX86, MinVCPU: 2, MinMemoryMiB: 4096}
	tests := []struct {
		flavor, msgID string
	}{
		{"c7.large.2", ""},
		{"c7.2xlarge.4", ""},
		{"s6.medium.2", "error.flavor_too_small"},
		{"c7.large.4", ""},
		{"kc1.large.2", "error.flavor_arch"},
		{"m9.enormous", "error.flavor_unknown"},
	}
	for _, tt := range tests {
		err := ecs.CheckFlavor(tt.flavor, image)
		if tt.msgID == "" {
			if err != nil {
				t.Errorf("CheckFlavor(%s) = %v", tt.flavor, err)
			}
			continue
		}
		if e := fault.As(err); e == nil || e.Code != fault.Invalid || e.Field != "flavor" || e.MsgID != tt.msgID {
			t.Errorf("CheckFlavor(%s) = %#v; want %s on flavor", tt.flavor, err, tt.msgID)
		}
	}
}
