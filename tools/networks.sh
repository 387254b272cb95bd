#!/usr/bin/env bash
# Registers the project's networks in ~/.brownie/network-config.yaml (brownie 1.22 cannot take network
# settings from brownie-config.yaml). Idempotent: each network is deleted, then added again.
set -euo pipefail
brownie=${BROWNIE:-.venv/bin/brownie}

readd() {  # readd ENVIRONMENT ID KEY=VALUE...
  local env=$1 id=$2; shift 2
  "$brownie" networks delete "$id" >/dev/null 2>&1 || true
  "$brownie" networks add "$env" "$id" "$@" >/dev/null
  echo "network $id: $*"
}

# brownie's default network, Anvil; steps tracing lets `brownie test --coverage` see each opcode.
readd Development development name="Anvil" cmd=anvil host=http://127.0.0.1 port=8545 \
  gas_limit=30000000 accounts=20 base_fee=0 steps_tracing=true
# A second Anvil, for what `make test` runs beside the coverage pass (the proxy pass, the toolkit).
readd Development development-2 name="Anvil (second chain)" cmd=anvil host=http://127.0.0.1 port=8555 \
  gas_limit=30000000 accounts=20 base_fee=0 steps_tracing=true
# Anvil answering as BSC testnet (chain id 97), for rehearsing a testnet deploy locally.
readd Development anvil-bsc name="Anvil (BSC testnet chain id)" cmd=anvil host=http://127.0.0.1 port=8545 \
  chain_id=97 gas_limit=30000000 accounts=20 base_fee=0
# Ganache 7.9 (tops out at Shanghai). Tests and scripts set its gas price to `auto` (gas_price_for_network):
# with brownie's default of 0 Ganache never mines the transaction, and the setting is not read from here.
readd Development ganache name="Ganache 7.9" cmd=ganache host=http://127.0.0.1 port=8545 \
  gas_limit=30000000 accounts=20 evm_version=shanghai mnemonic="test test test test test test test test test test test junk"
# BSC testnet, for live deploys: the key comes from TENGE_DEPLOYER_KEY or a brownie keystore.
readd "BSC" bsc-test name="BSC Testnet" chainid=97 host=https://data-seed-prebsc-1-s1.binance.org:8545 \
  explorer=https://api-testnet.bscscan.com/api
