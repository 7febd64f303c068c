package catalog

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/cloudmart/cloudmart/fault"
)

// OSFamily is the operating system an image runs.
type OSFamily string

const (
	OSLinux   OSFamily = "linux"
	OSWindows OSFamily = "windows"
)

// OSFamilies lists every family, in the order forms show them.
var OSFamilies = []OSFamily{OSLinux, OSWindows}

// Arch is the CPU architecture an image is built for.
type Arch string

const (
	ArchX86   Arch = "x86_64"
	ArchARM64 Arch = "arm64"
)

// Archs lists every architecture, in the order forms show them.
var Archs = []Arch{ArchX86, ArchARM64}

// ImageSpec is what an image product needs: the buyer gets an ECS instance
// created from the image, so the image must exist in each region where the
// product is sold, and the instance must be at least the minimum flavour.
//
// Errors of Product.Validate: Invalid on image.image_ref (error.image_ref),
// image.os_family (error.os_family), image.os_version (error.os_version),
// image.arch (error.arch), image.min_vcpu (error.min_vcpu),
// image.min_memory_mib (error.min_memory), image.min_disk_gib
// (error.min_disk), image.image_regions[i] (error.region_unknown,
// error.region_duplicate), image.login_user (error.login_user), and
// image.image_regions (error.image_region_missing, naming the region) when a
// region where the product is sold has no image.
type ImageSpec struct {
	ImageRef     string   `json:"image_ref"` // "img-…" in the cloud, or "registry/path:tag"
	OSFamily     OSFamily `json:"os_family"`
	OSVersion    string   `json:"os_version"` // "Ubuntu 24.04", "Windows Server 2022"
	Arch         Arch     `json:"arch"`
	MinVCPU      int      `json:"min_vcpu"`
	MinMemoryMiB int      `json:"min_memory_mib"`
	MinDiskGiB   int      `json:"min_disk_gib"` // the system disk
	ImageRegions []string `json:"image_regions"`
	LoginUser    string   `json:"login_user"` // "root", "ubuntu", "Administrator"
}

// Limits of the minimum flavour an image may ask for.
const (
	MaxVCPU      = 512
	MinMemoryMiB = 512
	MaxMemoryMiB = 4 << 20 // 4 TiB
	MaxDiskGiB   = 1024    // the largest system disk
)

var (
	// A cloud image ID, or a container-style reference pinned by a tag or a
	// digest: an implicit "latest" would give two buyers different software.
	cloudImageID     = regexp.MustCompile(`^img-[A-Za-z0-9][A-Za-z0-9-]{0,62}$`)
	registryRef      = regexp.MustCompile(`^[a-z0-9]+([.-][a-z0-9]+)*(:[0-9]{1,5})?(/[a-z0-9]+([._-][a-z0-9]+)*)+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$`)
	loginUserPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]{0,31}$`)
)

// validate checks the image details; for review, every region where the
// product is sold must have the image, because a listing without a usable
// image in a region cannot be bought there.
func (s *ImageSpec) validate(v validator, p Product) error {
	if err := firstError(
		s.validateRef(v),
		enum(v, "image.os_family", s.OSFamily, OSFamilies, "error.os_family", "choose linux or windows"),
		v.length("image.os_version", s.OSVersion, 1, 64, "error.os_version", "enter the OS version in 1 to 64 characters, such as Ubuntu 24.04"),
		enum(v, "image.arch", s.Arch, Archs, "error.arch", "choose x86_64 or arm64"),
		v.number("image.min_vcpu", s.MinVCPU, 1, MaxVCPU, "error.min_vcpu", "enter 1 to 512 vCPUs"),
		v.number("image.min_memory_mib", s.MinMemoryMiB, MinMemoryMiB, MaxMemoryMiB, "error.min_memory", "enter 512 to 4,194,304 MiB of memory"),
		v.number("image.min_disk_gib", s.MinDiskGiB, 1, MaxDiskGiB, "error.min_disk", "enter a system disk of 1 to 1,024 GiB"),
		v.regionList("image.image_regions", s.ImageRegions),
		v.loginUser(s.LoginUser),
	); err != nil || !v.review {
		return err
	}
	for _, r := range p.Regions {
		if !slices.Contains(s.ImageRegions, r) {
			return fault.Field("image.image_regions", "error.image_region_missing",
				fmt.Sprintf("the image is not in region %s, where the product is sold: copy the image there or stop selling in %s", r, r))
		}
	}
	return nil
}

func (s *ImageSpec) validateRef(v validator) error {
	ref := s.ImageRef
	if (ref == "" && !v.review) || (len(ref) <= 255 && (cloudImageID.MatchString(ref) || registryRef.MatchString(ref))) {
		return nil
	}
	return fault.Field("image.image_ref", "error.image_ref", "enter an image ID such as img-0a1b2c or a reference such as registry.example.com/app:1.2")
}

func (v validator) loginUser(user string) error {
	if (user == "" && !v.review) || loginUserPattern.MatchString(user) {
		return nil
	}
	return fault.Field("image.login_user", "error.login_user", "enter the default login user: up to 32 letters, digits, _ . or -, such as root")
}

func (s *ImageSpec) fields() []field {
	return []field{
		{"image.image_ref", s.ImageRef},
		{"image.os_family", string(s.OSFamily)},
		{"image.os_version", s.OSVersion},
		{"image.arch", string(s.Arch)},
		{"image.min_vcpu", strconv.Itoa(s.MinVCPU)},
		{"image.min_memory_mib", strconv.Itoa(s.MinMemoryMiB)},
		{"image.min_disk_gib", strconv.Itoa(s.MinDiskGiB)},
		{"image.image_regions", strings.Join(s.ImageRegions, ", ")},
		{"image.login_user", s.LoginUser},
	}
}
