package commune

import (
	"context"
	"time"
)

func exampleContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), time.Minute)
}
