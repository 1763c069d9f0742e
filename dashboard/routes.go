package dashboard

// routes lists every route of the app in one place.
func (a *App) routes() {
	f := a.fiber
	f.Get("/healthz", a.healthz)
	f.Get("/readyz", a.readyz)
}
