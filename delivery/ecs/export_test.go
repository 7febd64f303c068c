package ecs

// For the black-box tests: the Sim's address pool.
var (
	SimAddress      = simAddress
	FreeSimAddress  = freeSimAddress
	SimAddressCount = simAddressCount
)
