"""Deploys the Digital Tenge (mint controller, implementation, ERC-1967 proxy), grants roles, configures
minters, writes the deployment record.

    .venv/bin/python tools/brownie_run.py scripts/deploy.py --network development   # what `make deploy` runs
    make deploy NETWORK=bsc-test      # the same on BSC testnet, key from TENGE_DEPLOYER_KEY or a keystore

(`brownie run scripts/deploy.py ...` does the same from a checkout whose path has no dot in it.)

Role holders come from TENGE_ROLE_<NAME> environment variables (comma-separated addresses); on a local
chain, roles left unset go each to its own dev account (LOCAL_ROLE_ACCOUNTS: the token refuses one account
two duties that must stay apart, and the demo shows two people deciding a seizure). Minters
(TENGE_ROLE_MINTER_ROLE) are configured at the mint controller with TENGE_MINTER_ALLOWANCE tiyn (local
default 10,000,000,000 KZT; live default 0). TENGE_MINT_CONTROLLER reuses a controller already on the
chain (one serves every token); TENGE_SEIZURE_CONTROLLER the same for the seizure controller.
TENGE_SEIZURE_NOTICE sets the seizures' notice period in seconds (local default 0, live default the
controller's 72 hours).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from brownie import (
    DigitalTenge,
    DigitalTengeInitializer,
    DigitalTengeProxy,
    TengeEarmarks,
    TengeMintController,
    TengeSeizureController,
    accounts,
    network,
    web3,
)
from brownie._config import CONFIG
from brownie.network.account import Account
from brownie.network.contract import Contract, ProjectContract
from eth_utils.crypto import keccak

from tenge.deploy import LOCAL_ROLE_ACCOUNTS  # each role its own dev account, as the tests' actors
from tenge.deployment import DeploymentRecord, write_record
from tenge.roles import ROLE_NAMES, role_id

# A default-admin handover waits this long on live chains (two steps, as AccessControlDefaultAdminRules).
LIVE_ADMIN_DELAY = 3 * 24 * 3600
# The wallet-policy tier of institutions and system accounts (no limits), and the reason cited for it.
SYSTEM_TIER = 3
SYSTEM_ACCOUNT_REASON = "0x" + keccak(text="System account: minter").hex()
EARMARKS_ACCOUNT_REASON = "0x" + keccak(text="System account: earmark contract").hex()
# What the deployment cites for the minters it configures (tenge.deploy cites the same).
DEPLOYMENT_REASON = "0x" + keccak(text="Deployment: initial role holders and minters").hex()


def deploy_token(
    deployer: Account,
    admin: Account | str | None = None,
    admin_delay: int = 0,
    controller: ProjectContract | None = None,
    initializer: ProjectContract | None = None,
    seizure_controller: ProjectContract | None = None,
    *,
    with_earmarks: bool = False,
) -> Contract:
    """Deploys the mint and seizure controllers and the set-up (unless given them: each serves any
    number of tokens), the implementation that names the controllers, and the proxy, which runs the
    set-up as it is created, from `deployer`, and with `with_earmarks` the earmark contract beside it;
    returns the proxy with the token's ABI."""
    admin = admin or deployer
    controller = controller or TengeMintController.deploy({"from": deployer})
    seizure_controller = seizure_controller or TengeSeizureController.deploy({"from": deployer})
    initializer = initializer or DigitalTengeInitializer.deploy({"from": deployer})
    implementation = DigitalTenge.deploy(controller, seizure_controller, {"from": deployer})
    init_data = initializer.initialize.encode_input(admin, admin_delay)
    proxy = DigitalTengeProxy.deploy(implementation, initializer, init_data, {"from": deployer})
    token = Contract.from_abi("DigitalTenge", proxy.address, token_abi())
    token._implementation = implementation
    token._proxy = proxy
    token._controller = controller
    token._seizure_controller = seizure_controller
    token._initializer = initializer
    token._earmarks = TengeEarmarks.deploy(proxy, {"from": deployer}) if with_earmarks else None
    return token


def token_abi() -> list[dict[str, object]]:
    """The ABI at the token's address: the implementation's, plus the upgrade that the proxy answers."""
    answered = [e for e in DigitalTengeProxy.abi if e["type"] not in ("constructor", "fallback", "receive")]
    return [*DigitalTenge.abi, *(e for e in answered if e not in DigitalTenge.abi)]


def grant_roles(token: Contract, admin: Account, holders: dict[str, list[str]], allowance: int) -> None:
    """Grants each role to its holders. Minters (the MINTER_ROLE list: not a role of the token, a record
    at the mint controller) are configured there with `allowance` tiyn by a MINTER_ADMIN_ROLE holder
    that this process can sign for (`admin`, or a local dev account), and put in the unlimited system
    tier by such a KYC_ROLE holder, as is the earmark contract; otherwise it says who must do it."""
    for name, addresses in holders.items():
        if name == "MINTER_ROLE":
            continue
        role = role_id(name)
        for address in addresses:
            if not token.hasRole(role, address):
                token.grantRole(role, address, {"from": admin})
    controller = TengeMintController.at(token.mintController())
    minter_admin = _signer_with(token, "MINTER_ADMIN_ROLE", admin, holders)
    kyc = _signer_with(token, "KYC_ROLE", admin, holders)
    for address in holders.get("MINTER_ROLE", []):
        if minter_admin:
            controller.configureMinter(token, address, allowance, DEPLOYMENT_REASON, {"from": minter_admin})
        else:
            print(f"minter {address}: ask a MINTER_ADMIN_ROLE holder to run configureMinter")
        # A minter is a system account: redemptions to it must not meet a wallet's holding limit.
        if kyc:
            token.setTier(address, SYSTEM_TIER, SYSTEM_ACCOUNT_REASON, {"from": kyc})
        else:
            print(f"minter {address}: ask a KYC_ROLE holder to run setTier(minter, {SYSTEM_TIER}, reason)")
    earmarks = getattr(token, "_earmarks", None)
    if earmarks is not None:
        if kyc:
            token.setTier(earmarks, SYSTEM_TIER, EARMARKS_ACCOUNT_REASON, {"from": kyc})
        else:
            print(
                f"earmark contract {earmarks.address}: ask a KYC_ROLE holder to put it in tier {SYSTEM_TIER}"
            )


def _signer_with(token: Contract, name: str, admin: Account, holders: dict[str, list[str]]) -> Account | None:
    """An account this process can sign for that holds role `name`: `admin`, or on a local chain its
    first holder (brownie's dev accounts are unlocked)."""
    role = role_id(name)
    if token.hasRole(role, admin):
        return admin
    if is_local_chain():
        local = {a.address for a in accounts}
        for address in holders.get(name, []):
            if address in local and token.hasRole(role, address):
                return accounts.at(address)
    return None


def local_role_holders() -> dict[str, list[str]]:
    """Each role's own dev account on a local chain (LOCAL_ROLE_ACCOUNTS)."""
    return {name: [accounts[index].address] for name, index in LOCAL_ROLE_ACCOUNTS.items()}


def role_holders_from_env(defaults: dict[str, list[str]] | None) -> dict[str, list[str]]:
    """Reads TENGE_ROLE_<NAME>=addr1,addr2; unset roles take their `defaults` (local chains only)."""
    holders: dict[str, list[str]] = {}
    for name in ROLE_NAMES:
        value = os.environ.get(f"TENGE_ROLE_{name}", "")
        addresses = [a.strip() for a in value.split(",") if a.strip()]
        if not addresses and defaults:
            addresses = defaults.get(name, [])
        if addresses:
            holders[name] = addresses
    return holders


def gas_price_for_network() -> None:
    """Ganache never mines brownie's default zero-price transactions: let it quote its own price."""
    if network.show_active() == "ganache":
        network.gas_price("auto")


def is_local_chain() -> bool:
    """A chain brownie launched itself (Anvil, Ganache, a fork), whose accounts are the dev mnemonic's."""
    return CONFIG.network_type == "development"


def deployer_account() -> Account:
    """The deployer: dev account 0 locally; live, TENGE_DEPLOYER_KEY or the keystore TENGE_KEYSTORE."""
    if is_local_chain():
        return accounts[0]
    if os.environ.get("TENGE_KEYSTORE"):
        return accounts.load(os.environ["TENGE_KEYSTORE"])  # asks for the password
    key = os.environ.get("TENGE_DEPLOYER_KEY")
    if not key:
        raise SystemExit(
            "No deployer key: set TENGE_DEPLOYER_KEY, or TENGE_KEYSTORE to a brownie keystore id "
            "(brownie accounts new deployer)."
        )
    return accounts.add(key)


def write_deployment_record(token: Contract, deployer: Account, admin_delay: int) -> str:
    """Records addresses, code hashes, transactions and role holders under deployments/<chain id>.json."""
    implementation: ProjectContract = token._implementation
    proxy: ProjectContract = token._proxy
    controller: ProjectContract = token._controller
    earmarks: ProjectContract | None = getattr(token, "_earmarks", None)
    roles = {name: _role_members(token, name) for name in ("DEFAULT_ADMIN_ROLE", *ROLE_NAMES)}
    record = DeploymentRecord(
        network=network.show_active(),
        chain_id=web3.eth.chain_id,
        address=proxy.address,
        implementation=implementation.address,
        block=proxy.tx.block_number,
        deployer=deployer.address,
        admin=token.defaultAdmin(),
        admin_transfer_delay=admin_delay,
        proxy_code_hash="0x" + keccak(web3.eth.get_code(proxy.address)).hex(),
        implementation_code_hash="0x" + keccak(web3.eth.get_code(implementation.address)).hex(),
        mint_controller=controller.address,
        mint_controller_code_hash="0x" + keccak(web3.eth.get_code(controller.address)).hex(),
        seizure_controller=token._seizure_controller.address,
        seizure_controller_code_hash="0x"
        + keccak(web3.eth.get_code(token._seizure_controller.address)).hex(),
        earmarks=earmarks.address if earmarks is not None else None,
        earmarks_code_hash=None
        if earmarks is None
        else "0x" + keccak(web3.eth.get_code(earmarks.address)).hex(),
        deployed_at=datetime.now(UTC).isoformat(timespec="seconds"),
        transactions=_transactions(
            implementation=implementation,
            proxy=proxy,
            mint_controller=controller,
            seizure_controller=token._seizure_controller,
            **({} if earmarks is None else {"earmarks": earmarks}),
        ),
        roles=roles,
    )
    return str(write_record(record))


def _transactions(**contracts: ProjectContract) -> dict[str, str]:
    """The creation transaction of each contract this run deployed (a reused controller has none here)."""
    return {name: c.tx.txid for name, c in contracts.items() if c.tx is not None}


def _role_members(token: Contract, name: str) -> list[str]:
    """Holders of a role, read from RoleGranted events (AccessControl keeps no list); minters from the
    mint controller's MinterConfigured events."""
    start = token._proxy.tx.block_number
    if name == "MINTER_ROLE":
        controller = token._controller
        configured = controller.events.get_sequence(from_block=start, event_type="MinterConfigured")
        minters = {e.args.minter for e in configured if e.args.token == token.address}
        return sorted(m for m in minters if controller.isMinter(token, m))
    role = role_id(name)
    granted = token.events.get_sequence(from_block=start, event_type="RoleGranted")
    members = {e.args.account for e in granted if _hex(e.args.role) == _hex(role)}
    return sorted(m for m in members if token.hasRole(role, m))


def _hex(value: bytes | str) -> str:
    """Brownie returns bytes32 sometimes as bytes, sometimes as a hex str: compare them as hex."""
    return "0x" + value.hex() if isinstance(value, bytes) else str(value).lower()


def main() -> None:
    gas_price_for_network()
    deployer = deployer_account()
    live = not is_local_chain()
    admin_delay = int(os.environ.get("TENGE_ADMIN_DELAY", LIVE_ADMIN_DELAY if live else 0))
    reused = os.environ.get("TENGE_MINT_CONTROLLER")
    controller = TengeMintController.at(reused) if reused else None
    reused_seizures = os.environ.get("TENGE_SEIZURE_CONTROLLER")
    seizures = TengeSeizureController.at(reused_seizures) if reused_seizures else None
    token = deploy_token(
        deployer,
        admin_delay=admin_delay,
        controller=controller,
        seizure_controller=seizures,
        with_earmarks=True,
    )
    allowance = int(os.environ.get("TENGE_MINTER_ALLOWANCE", 0 if live else 10**12))
    grant_roles(token, deployer, role_holders_from_env(None if live else local_role_holders()), allowance)
    notice = os.environ.get("TENGE_SEIZURE_NOTICE", None if live else "0")
    if notice is not None:
        token._seizure_controller.setNoticePeriod(token, int(notice), DEPLOYMENT_REASON, {"from": deployer})
    path = write_deployment_record(token, deployer, admin_delay)
    print(f"Digital Tenge proxy {token.address} (implementation {token._implementation.address})")
    print(f"Mint controller {token._controller.address}")
    print(f"Seizure controller {token._seizure_controller.address}")
    print(f"Earmark contract {token._earmarks.address}")
    print(f"Deployment record: {path}")
