package ecs

import (
	"fmt"
	"slices"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
)

// Flavor is a server size. Names follow Huawei Cloud's family.size.ratio
// scheme, where the ratio is GiB of memory per vCPU: c7.xlarge.4 is a
// compute-family server with 4 vCPUs and 16 GiB.
type Flavor struct {
	Name      string
	VCPU      int
	MemoryMiB int
	Arch      catalog.Arch
}

// Flavors is the built-in flavour table, smallest first; the OpenStack
// provider expects a Nova flavour of each name (docs/compute.md).
var Flavors = []Flavor{
	{"s6.small.1", 1, 1 << 10, catalog.ArchX86},
	{"kc1.small.1", 1, 1 << 10, catalog.ArchARM64},
	{"s6.medium.2", 1, 2 << 10, catalog.ArchX86},
	{"s6.large.2", 2, 4 << 10, catalog.ArchX86},
	{"c7.large.2", 2, 4 << 10, catalog.ArchX86},
	{"kc1.large.2", 2, 4 << 10, catalog.ArchARM64},
	{"c7.large.4", 2, 8 << 10, catalog.ArchX86},
	{"s6.xlarge.2", 4, 8 << 10, catalog.ArchX86},
	{"c7.xlarge.2", 4, 8 << 10, catalog.ArchX86},
	{"kc1.xlarge.2", 4, 8 << 10, catalog.ArchARM64},
	{"c7.xlarge.4", 4, 16 << 10, catalog.ArchX86},
	{"s6.2xlarge.2", 8, 16 << 10, catalog.ArchX86},
	{"c7.2xlarge.2", 8, 16 << 10, catalog.ArchX86},
	{"c7.2xlarge.4", 8, 32 << 10, catalog.ArchX86},
	{"kc1.2xlarge.4", 8, 32 << 10, catalog.ArchARM64},
	{"c7.4xlarge.2", 16, 32 << 10, catalog.ArchX86},
	{"c7.4xlarge.4", 16, 64 << 10, catalog.ArchX86},
	{"kc1.4xlarge.4", 16, 64 << 10, catalog.ArchARM64},
	{"c7.8xlarge.4", 32, 128 << 10, catalog.ArchX86},
	{"c7.16xlarge.4", 64, 256 << 10, catalog.ArchX86},
}

// LookupFlavor returns the flavour with the name.
func LookupFlavor(name string) (Flavor, bool) {
	i := slices.IndexFunc(Flavors, func(f Flavor) bool { return f.Name == name })
	if i < 0 {
		return Flavor{}, false
	}
	return Flavors[i], true
}

// Fits reports whether the flavour runs an image built for the architecture
// that needs at least the vCPUs and memory.
func (f Flavor) Fits(arch catalog.Arch, minVCPU, minMemoryMiB int) bool {
	return f.Arch == arch && f.VCPU >= minVCPU && f.MemoryMiB >= minMemoryMiB
}

// AtLeast reports whether the flavour named flavor is no smaller than the one
// named minimum, in both vCPUs and memory, and of the same architecture. An
// unknown name is never at least anything.
func AtLeast(flavor, minimum string) bool {
	f, ok := LookupFlavor(flavor)
	m, okMin := LookupFlavor(minimum)
	return ok && okMin && f.Fits(m.Arch, m.VCPU, m.MemoryMiB)
}

// FlavorsFor lists the flavours a buyer may choose for an image with the
// architecture and minimums, smallest first (the first is the default).
func FlavorsFor(arch catalog.Arch, minVCPU, minMemoryMiB int) []Flavor {
	var out []Flavor
	for _, f := range Flavors {
		if f.Fits(arch, minVCPU, minMemoryMiB) {
			out = append(out, f)
		}
	}
	return out
}

// CheckFlavor checks the buyer's choice of flavour for an image.
//
// Errors: Invalid on field "flavor": error.flavor_unknown (not in Flavors),
// error.flavor_arch (another architecture), error.flavor_too_small (below
// the image's minimum vCPUs or memory).
func CheckFlavor(name string, image catalog.ImageSpec) error {
	f, ok := LookupFlavor(name)
	switch {
	case !ok:
		return fault.Field("flavor", "error.flavor_unknown", "choose one of the listed flavours")
	case f.Arch != image.Arch:
		return fault.Field("flavor", "error.flavor_arch", fmt.Sprintf("the image runs on %s: choose a %s flavour", image.Arch, image.Arch))
	case !f.Fits(image.Arch, image.MinVCPU, image.MinMemoryMiB):
		return fault.Field("flavor", "error.flavor_too_small",
			fmt.Sprintf("the image needs at least %d vCPUs and %d MiB of memory: choose a larger flavour", image.MinVCPU, image.MinMemoryMiB))
	}
	return nil
}
