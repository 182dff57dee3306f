# ipfast. `make test` is all a fresh machine needs: it installs what the tests use by itself.
GO         ?= go
STATICCHECK = honnef.co/go/tools/cmd/staticcheck@v0.8.2
# Fuzz budgets are counts of executions (about 15 s each here), not durations: a duration makes
# Go's fuzz coordinator race its own deadline and fail with "context deadline exceeded" and no
# crasher (golang/go#75804, fixed in Go 1.27; seen in this project's CI). FUZZTIME=60s or
# FUZZTIME=100000x sets every target's budget instead.
FUZZTIME   ?=
fuzzbudget  = $(if $(FUZZTIME),$(FUZZTIME),$(1))

.PHONY: test lint unit browser screenshots fuzz bench build run clean functions

# Lambda functions (template.yaml, BuildMethod: makefile). `sam build` calls build-<LogicalId>
# with ARTIFACTS_DIR set; LAMBDA_ARCH=amd64 builds them for this machine (tests do).
LAMBDA_ARCH  ?= arm64
ARTIFACTS_DIR ?= bin/lambda/$@
# validator_novalidatefn takes validator/v10's reflect.Value.MethodByName call out, so that the
# linker can drop the SDK methods nobody calls (ipfast uses no validateFn tag; a test guards it).
TAGS        ?= validator_novalidatefn
LAMBDA_BUILD = CGO_ENABLED=0 GOOS=linux GOARCH=$(LAMBDA_ARCH) $(GO) build -tags lambda.norpc,$(TAGS) -trimpath -ldflags='-s -w'

build-ApiFunction:
	$(LAMBDA_BUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/api

build-DocumentsFunction:
	$(LAMBDA_BUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/documents

build-PagesFunction:
	$(LAMBDA_BUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/pages

build-RouterFunction:
	$(LAMBDA_BUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/router

build-SweeperFunction:
	$(LAMBDA_BUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/sweeper

build-NotifierFunction:
	$(LAMBDA_BUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/notifier

functions: build-ApiFunction build-DocumentsFunction build-PagesFunction build-RouterFunction build-SweeperFunction build-NotifierFunction

test: lint unit browser fuzz

lint:
	@out=$$(gofmt -l $$(find . -name '*.go' -not -path './.tools/*')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	./scripts/apilint.sh

# The AWS adapters run their conformance suites against DynamoDB Local and fauxqs, which
# scripts/emulators.sh installs (npm) and starts on loopback around the test run; the PDF tests
# read the documents with poppler-utils, which scripts/pdftools.sh installs (apt).
unit:
	./scripts/pdftools.sh
	./scripts/emulators.sh run -- $(GO) test -tags $(TAGS) -race -count=1 ./...

# The kiosk and examiner pages in Debian chromium (playwright-core, axe-core) against a real
# `ipfast serve`; installs chromium, a CJK font and the npm packages when missing. Screenshots
# go to a temporary directory; `make screenshots` runs the same tests writing docs/screenshots/,
# with the PDF documents' pages (shared/pdf, rendered by pdftoppm).
browser:
	./scripts/pdftools.sh
	./scripts/browser.sh

screenshots:
	./scripts/pdftools.sh
	IPFAST_PDF_PAGES=$(CURDIR)/docs/screenshots $(GO) test -tags $(TAGS) -count=1 -run '^Test(Certificate|Receipt)$$' ./shared/pdf
	IPFAST_SCREENSHOTS=$(CURDIR)/docs/screenshots ./scripts/browser.sh

# Each fuzz target runs briefly on top of its seed corpus; a failure leaves its input in testdata/.
fuzz:
	$(GO) test -tags $(TAGS) -run='^$$' -fuzz='^FuzzDecodeCheck$$' -fuzztime=$(call fuzzbudget,80000x) ./shared/validate
	$(GO) test -tags $(TAGS) -run='^$$' -fuzz='^FuzzCheckKeys$$' -fuzztime=$(call fuzzbudget,120000x) ./shared/validate
	$(GO) test -run='^$$' -fuzz='^FuzzPeriodEnd$$' -fuzztime=$(call fuzzbudget,800000x) ./shared/filing
	$(GO) test -run='^$$' -fuzz='^FuzzInspect$$' -fuzztime=$(call fuzzbudget,300000x) ./shared/sniff
	$(GO) test -tags $(TAGS) -run='^$$' -fuzz='^FuzzSubmitRaw$$' -fuzztime=$(call fuzzbudget,3000x) ./shared/api

# Writes BENCHMARKS.md: Go benchmarks plus wrk load against a real `ipfast serve` on loopback.
bench:
	./scripts/bench.sh

build:
	$(GO) build -tags $(TAGS) -o bin/ipfast ./cmd/ipfast

run:
	$(GO) run ./cmd/ipfast serve

clean:
	rm -rf bin ipfast-data
