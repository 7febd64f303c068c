package market

// The kinds of background job the use cases enqueue. Their workers live in
// package jobs; the arguments live here so the use cases can enqueue them.

// CleanupArgs asks for expired tokens and old throttles to be deleted.
type CleanupArgs struct{}

// Kind names the job on the queue.
func (CleanupArgs) Kind() string { return "cleanup" }
