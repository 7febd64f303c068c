package delivery_test

import (
	"testing"

	"github.com/cloudmart/cloudmart/delivery"
)

func TestOrderState(t *testing.T) {
	w, d, f := delivery.Waiting, delivery.Done, delivery.Failed
	tests := []struct {
		opens []delivery.State
		want  delivery.State
	}{
		{nil, w},
		{[]delivery.State{w}, w},
		{[]delivery.State{d}, d},
		{[]delivery.State{d, d, d}, d},
		{[]delivery.State{d, w}, w},
		{[]delivery.State{d, f}, f},
		{[]delivery.State{w, f, d}, f},
	}
	for _, tt := range tests {
		if got := delivery.OrderState(tt.opens); got != tt.want {
			t.Errorf("OrderState(%v) = %s, want %s", tt.opens, got, tt.want)
		}
	}
}
