# The front door. Each target installs what it needs first, idempotently: a second run with nothing
# changed reinstalls nothing and needs no network.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMPS := .stamps
SOLC_VERSION := $(shell sed -n 's/.*"solc": "\(.*\)".*/\1/p' package.json)
SOLCX_DIR ?= $(HOME)/.solcx
# node_modules/.bin first (anvil, ganache), then the venv; the solc shim is reached through py-solc-x.
export PYTHONWARNINGS := ignore::FutureWarning
export PATH := $(CURDIR)/node_modules/.bin:$(BIN):$(PATH)

.PHONY: help install demo report test lint test-ganache coverage fuzz mutation-check bench gas-snapshot deploy compile clean

help:  ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

# Debian's chromium (Playwright drives it; its own browser download is unreachable in CI) and postgresql
# (the index tests' throwaway server), installed by apt only when missing.
$(STAMPS)/system: tools/system_packages.sh
	@mkdir -p $(STAMPS)
	tools/system_packages.sh
	@touch $@

$(STAMPS)/venv: pyproject.toml requirements.lock
	@mkdir -p $(STAMPS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	@# brownie's mypyc-compiled coverage/output modules crash on the coverage summary ("dict object
	@# expected; got list") and its compiled stateful module rejects every state machine class
	@# ("_BrownieStateMachine object expected"); the pure-Python copies shipped beside them work, so
	@# move the .so aside.
	for so in $(VENV)/lib/python3*/site-packages/brownie/test/{coverage,output,stateful}.cpython-*.so; do \
	  [ -e "$$so" ] && mv "$$so" "$$so.mypyc-disabled"; done; true
	@touch $@

$(STAMPS)/npm: package.json package-lock.json
	@mkdir -p $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# py-solc-x counts only files named solc-vX.Y.Z in its folder; a symlink keeps the shim beside solcjs.
$(STAMPS)/solc: tools/solc/solc package.json $(STAMPS)/npm
	@mkdir -p $(SOLCX_DIR)
	ln -sf $(CURDIR)/tools/solc/solc $(SOLCX_DIR)/solc-v$(SOLC_VERSION)
	$(SOLCX_DIR)/solc-v$(SOLC_VERSION) --version | grep -q "Version: $(SOLC_VERSION)"
	@touch $@

$(STAMPS)/networks: tools/networks.sh $(STAMPS)/venv
	BROWNIE=$(BIN)/brownie tools/networks.sh
	@touch $@

install: $(STAMPS)/system $(STAMPS)/venv $(STAMPS)/npm $(STAMPS)/solc $(STAMPS)/networks  ## Install Debian packages, venv, npm packages, compiler shim, networks

compile: install  ## Compile the contracts and refresh the packaged ABI
	$(BIN)/brownie compile
	@# Brownie's next load of the project deletes the artifacts of libraries no contract needs (Strings);
	@# load it once here, so that two suites starting at once never see a file vanish under them.
	@$(BIN)/brownie compile >/dev/null
	$(BIN)/python tools/export_abi.py

# `brownie run` from a checkout whose path has a dot in it fails (it imports a script by its absolute
# path joined with dots); tools/brownie_run.py runs the scripts the same way from any path.
RUN := $(BIN)/python tools/brownie_run.py

demo: compile  ## Start a local chain, deploy, run the scripted scenario, stop the chain (NETWORK: an Anvil one)
	$(RUN) scripts/demo.py --network $(or $(NETWORK),development) --silent

# The report of the demo chain: `make demo` ends by writing it; RPC=URL builds it from a node already
# running (its deployment record in deployments/), into report/ (REPORT_DB: an index database URL).
report: compile  ## Write the transparency report to report/ (from a fresh demo chain, or from the node at RPC=URL)
	$(if $(RPC),$(BIN)/tenge --rpc $(RPC) report --out report $(if $(REPORT_DB),--db $(REPORT_DB)),$(RUN) scripts/demo.py --network $(or $(NETWORK),development) --silent)

# RPC=http://host:port deploys to a node already running (tenge deploy, gas priced by the node; the key
# from TENGE_PRIVATE_KEY or TENGE_KEYSTORE, or DEPLOY_ARGS=--dev-key on a development chain).
deploy: compile  ## Deploy to NETWORK (default development), or RPC=URL; writes deployments/<chain id>.json
	$(if $(RPC),$(BIN)/tenge --rpc $(RPC) deploy $(DEPLOY_ARGS),$(RUN) scripts/deploy.py --network $(or $(NETWORK),development))

# The contract suites run twice. Under coverage (gated at COVERAGE_MIN% of our branches) the token fixture
# runs the implementation's code at the proxy's address, as brownie cannot trace through a delegatecall;
# so once more outside coverage, behind the real proxy. The toolkit and shim suites drive the chain through
# web3.py (brownie cannot trace those transactions either), so they run without it. The coverage pass has
# brownie's `development` chain (port 8545) to itself; the proxy pass and then the toolkit run at the same
# time on SECOND_NETWORK (port 8555), one chain per core. The fuzzer's short profile drives the chain by
# raw RPC, which coverage cannot see, and moves its clock and block interval: it runs in a session of its
# own beside them (sharing a session with it, later modules saw transactions dropped).
CONTRACT_TESTS := tests/stateful $(sort $(wildcard tests/test_*.py))
TOOL_TESTS := tests/toolkit tests/tools
FUZZ_TEST := tests/stateful/test_stateful_fuzz.py
SECOND_NETWORK ?= development-2
COVERAGE_MIN ?= 100

test: compile  ## Run every suite on Anvil (contracts under coverage and behind the real proxy, two chains at once), the static checks, a summary
	@rm -rf reports && mkdir -p reports
	$(BIN)/python tools/two_chains.py \
	  --here "$(BIN)/brownie test $(CONTRACT_TESTS) --ignore=$(FUZZ_TEST) --coverage --no-cov --junitxml=reports/junit-contracts.xml $(TEST_ARGS)" \
	  --here "$(BIN)/python tools/summary.py --min-branches $(COVERAGE_MIN)" \
	  --beside "$(BIN)/brownie test $(CONTRACT_TESTS) --ignore=$(FUZZ_TEST) --network $(SECOND_NETWORK) -p no:cacheprovider --junitxml=reports/junit-proxy.xml $(TEST_ARGS)" \
	  --beside "$(BIN)/brownie test $(FUZZ_TEST) --network $(SECOND_NETWORK) -p no:cacheprovider --junitxml=reports/junit-fuzz.xml $(TEST_ARGS)" \
	  --beside "$(BIN)/brownie test $(TOOL_TESTS) --network $(SECOND_NETWORK) -p no:cacheprovider --junitxml=reports/junit-tools.xml $(TEST_ARGS)"
	$(MAKE) --no-print-directory lint
	@$(BIN)/python tools/summary.py

lint: install  ## Static checks: ruff, mypy, solhint, slither, storage layout
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	SOLHINT_MAX_WARNINGS=0 tools/solhint.sh
	tools/slither.sh
	$(BIN)/python tools/storage_layout.py

test-ganache: compile  ## Run the contract suite on Ganache 7.9
	$(BIN)/brownie test $(CONTRACT_TESTS) --network ganache --no-cov $(TEST_ARGS)

coverage: compile  ## Contract suites under coverage, gated at COVERAGE_MIN% branches (reports/coverage.json)
	$(BIN)/brownie test $(CONTRACT_TESTS) --coverage --no-cov $(TEST_ARGS)
	$(BIN)/python tools/summary.py --min-branches $(COVERAGE_MIN)

# The model-based machine of tests/stateful/test_stateful_fuzz.py, deep: `make test` runs its short profile
# (500 steps). A failure's shrunk example is written to tests/stateful/regressions/test_found_<seed>.py.
FUZZ_STEPS ?= 20000
FUZZ_SEED ?=
FUZZ_NETWORK ?= development

fuzz: compile  ## Fuzz the token for FUZZ_STEPS steps (20000) on FUZZ_NETWORK; prints the seed (FUZZ_SEED repeats it)
	FUZZ_STEPS=$(FUZZ_STEPS) FUZZ_SEED=$(FUZZ_SEED) $(BIN)/brownie test tests/stateful/test_stateful_fuzz.py \
	  --network $(FUZZ_NETWORK) --no-cov -p no:cacheprovider -o timeout=0 -s $(TEST_ARGS)

mutation-check: compile  ## Re-introduce each finding of issue 12 into a copy of the contracts; steps to find each
	$(BIN)/python tools/mutation_check.py --steps $(FUZZ_STEPS) $(if $(FUZZ_SEED),--seed $(FUZZ_SEED)) $(MUTATION_ARGS)

bench: compile  ## Gas per operation vs OZ and Solady, payout throughput; writes benchmarks/ (NETWORK, default development)
	$(RUN) scripts/bench.py --network $(or $(NETWORK),development) --silent

gas-snapshot: compile  ## Refresh benchmarks/gas-snapshot.json only (what tests/test_gas_snapshot.py compares)
	$(RUN) scripts/bench.py gas_snapshot --network $(or $(NETWORK),development) --silent

clean:  ## Remove build output and install stamps (not the venv or node_modules)
	rm -rf build reports $(STAMPS)
