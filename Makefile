# Two entry points: `make demo` and `make test`. Everything they need is installed here, into .venv/.

SHELL := /bin/bash
VENV := .venv
PIP_STAMP := $(VENV)/.installed-$(shell sha1sum .ci/requirements.txt | cut -c1-12)
LOCAL_AWS := VENV=$(VENV) .ci/with-local-aws

.PHONY: demo test lint unit events holidays chromium clean

## Runs Duly's main job end to end on a local AWS endpoint and writes e-mail previews to demo-output/.
demo: $(PIP_STAMP)
	cargo build --quiet -p duly-local --bin demo
	$(LOCAL_AWS) cargo run --quiet -p duly-local --bin demo

## Every check CI makes: formatting, lints, the template, unit and integration tests, and a browser look at
## the demo's e-mail previews.
test: lint $(PIP_STAMP) chromium
	cargo build --workspace --all-targets --quiet
	@mkdir -p .local
	set -o pipefail; $(LOCAL_AWS) sh -c 'cargo run --quiet -p duly-local --bin demo > .local/demo.log && cargo test --workspace --no-fail-fast' 2>&1 | tee .local/test.log
	@awk '/^test result:/ {p += $$4; f += $$6} END {printf "%d passed, %d failed\n", p, f}' .local/test.log

lint: $(PIP_STAMP)
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --quiet -- -D warnings
	$(VENV)/bin/cfn-lint infra/template.yaml
	@$(VENV)/bin/python .ci/generate_holidays.py | diff -q - shared/data/holidays.tsv >/dev/null \
		|| (echo "shared/data/holidays.tsv is out of date: run 'make holidays'" && exit 1)

## Pure logic only; needs no endpoint.
unit:
	cargo test -p duly

## Regenerates the public-holiday table from the pinned `holidays` package.
holidays: $(PIP_STAMP)
	$(VENV)/bin/python .ci/generate_holidays.py > shared/data/holidays.tsv

## Re-signs the sample deliveries in events/ from the scenario.
events:
	cargo run --quiet -p duly-local --bin sign-events

## Debian's Chromium, for the screenshot test of the e-mail previews.
chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

$(PIP_STAMP): .ci/requirements.txt
	@command -v python3 >/dev/null || (apt-get update && apt-get install -y python3)
	@python3 -m venv --help >/dev/null 2>&1 || (apt-get update && apt-get install -y python3-venv)
	rm -rf $(VENV)
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r .ci/requirements.txt
	touch $@

clean:
	rm -rf $(VENV) .local demo-output
	cargo clean
