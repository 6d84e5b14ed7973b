# CallImport — the commands a new user needs. `make help` lists them.
SHELL := /bin/bash
DOTNET ?= dotnet
CONFIGURATION ?= Release
RESULTS ?= .local/test-results
KUBECONFIG_OUT ?= .local/kubeconfig
REGISTRY ?= ghcr.io/callimport
PUSH ?= 0

.PHONY: help build test bench demo local-cluster images clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

build: ## Build everything (warnings are errors)
	$(DOTNET) build CallImport.sln -c $(CONFIGURATION) -nologo -v q

test: build ## Run every test (starts its own PostgreSQL); TRX results in .local/test-results
	rm -rf $(RESULTS)
	$(DOTNET) test CallImport.sln -c $(CONFIGURATION) --no-build -nologo \
	  --logger "trx" --logger "console;verbosity=normal" --results-directory $(RESULTS)

bench: ## Benchmarks beside same-run baselines and targets; results + charts in bench/results (BENCH_ARGS=--quick)
	$(DOTNET) run -c Release --project tests/Benchmarks -- $(BENCH_ARGS)

local-cluster: ## Run a local Kubernetes API server + kubelet in the foreground; kubeconfig in $(KUBECONFIG_OUT)
	KUBECONFIG_OUT=$(KUBECONFIG_OUT) $(DOTNET) run -c $(CONFIGURATION) --project tools/LocalControlPlane -- $(LOCAL_CLUSTER_ARGS)

demo: ## Run the whole thing locally: PostgreSQL, control plane, Grain fake, operator, samples applied
	scripts/demo.sh

images: ## Build the operator and runner images (tag = the chart's appVersion); PUSH=1 REGISTRY=… pushes them
	REGISTRY=$(REGISTRY) PUSH=$(PUSH) scripts/images.sh

clean: ## Remove build output and local state
	$(DOTNET) clean CallImport.sln -nologo -v q
	rm -rf .local
