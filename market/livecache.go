package market

import (
	"sync"

	"github.com/cloudmart/cloudmart/catalog"
)

// liveKey names a published revision.
type liveKey struct {
	product string
	number  int
}

// liveCache keeps published revisions' content, at most maxLive of them;
// when full it forgets one at random (Go's map order), which is enough for a
// cache of things that never go stale.
type liveCache struct {
	mu sync.RWMutex
	m  map[liveKey]catalog.Product
}

const maxLive = 20_000

func newLiveCache() *liveCache { return &liveCache{m: map[liveKey]catalog.Product{}} }

// get returns a copy the caller may change (its plans, say) without
// changing the cached one.
func (c *liveCache) get(k liveKey) (catalog.Product, bool) {
	c.mu.RLock()
	p, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		p.Plans = append([]catalog.Plan(nil), p.Plans...)
		p.Regions = append([]string(nil), p.Regions...)
	}
	return p, ok
}

func (c *liveCache) put(k liveKey, p catalog.Product) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= maxLive {
		for old := range c.m {
			delete(c.m, old)
			break
		}
	}
	c.m[k] = p
}
