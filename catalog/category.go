package catalog

// Category is a shelf of the storefront. The taxonomy is fixed, so a slug is
// stable in links and filters, and both names are ready for either language.
type Category struct {
	Slug string `json:"slug"`
	Name Text   `json:"name"`
}

// Categories lists the taxonomy in the order the storefront shows it.
var Categories = []Category{
	{"security", Text{"Security", "安全"}},
	{"database", Text{"Databases", "数据库"}},
	{"devops", Text{"DevOps", "开发与运维"}},
	{"ai", Text{"Artificial intelligence", "人工智能"}},
	{"analytics", Text{"Analytics", "数据分析"}},
	{"networking", Text{"Networking", "网络"}},
	{"storage", Text{"Storage and backup", "存储与备份"}},
	{"collaboration", Text{"Collaboration", "协同办公"}},
	{"operating_system", Text{"Operating systems", "操作系统"}},
	{"middleware", Text{"Middleware", "中间件"}},
	{"industry", Text{"Industry applications", "行业应用"}},
	{"migration", Text{"Migration and integration", "迁移与集成"}},
	{"training", Text{"Training and consulting", "培训与咨询"}},
}

// CategoryBySlug returns the category with the slug, and whether there is one.
func CategoryBySlug(slug string) (Category, bool) {
	for _, c := range Categories {
		if c.Slug == slug {
			return c, true
		}
	}
	return Category{}, false
}
