package dashboard

import (
	"context"

	"github.com/antq-atlas/antq/dashboard/openapi"
)

// openAPI serves the OpenAPI 3.0 document (dashboard/openapi) with the
// request's base URL as its server.
func (a *App) openAPI(ctx context.Context, r request) (response, error) {
	return jsonResponse(openapi.Document(r.base), ctOpenAPI)
}
