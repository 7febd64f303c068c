package saas

// SealPasswordWithNonce lets the vector test seal with a fixed nonce.
var SealPasswordWithNonce = sealPassword

// CheckAddress lets the guard be tested on addresses no test may dial.
var CheckAddress = checkAddress

// Nonces is how many nonces a NewHandler handler remembers.
func Nonces(h any) int {
	hh := h.(*handler)
	hh.mu.Lock()
	defer hh.mu.Unlock()
	return len(hh.nonces)
}
