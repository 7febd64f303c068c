package saas

// SealPasswordWithNonce lets the vector test seal with a fixed nonce.
var SealPasswordWithNonce = sealPassword
