"""Deploying the token to any node with web3.py alone: the mint and seizure controllers (unless reused:
each serves every token on a chain), implementation, ERC-1967 proxy, roles, minters, the notice, the
record.

    w3 = make_web3("http://127.0.0.1:8546")
    done = deploy(w3, signer, local_plan(signer.address, chain_id=31337), helpers=dev_accounts())
    done.record.address, done.path          # the proxy, deployments/31337.json

The token refuses one account two duties that must stay apart (restricting, proposing a seizure,
approving one; administering minters and minting): a plan that would grant them is refused before
anything is sent. On a development chain each role goes to its own account of the development
mnemonic (LOCAL_ROLE_ACCOUNTS, as scripts/deploy.py gives them), whose keys sign the steps that need
their role (configuring the minters, their tier), and seizures wait no notice (TENGE_SEIZURE_NOTICE).

The bytecode comes from the build artifacts (`build/contracts/<name>.json`, as `brownie compile`
writes them; `make compile` refreshes them). Gas is priced by the node (`FeeMode.AUTO`: EIP-1559 where
its blocks carry a base fee, legacy where not), so the same call deploys to Anvil with its defaults,
Ganache under any network id, and BSC testnet. `scripts/deploy.py` does the same under `brownie run`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from eth_account import Account
from eth_account.signers.local import LocalAccount
from web3 import Web3

from tenge.abi import ABI, entries
from tenge.addresses import checked_address
from tenge.client import Tenge
from tenge.deployment import DEFAULT_DIRECTORY, DeploymentRecord, code_hash, write_record
from tenge.errors import ChainError, DeploymentError, InvalidInput
from tenge.node import talking
from tenge.reverts import RevertDecoder
from tenge.roles import ROLE_NAMES
from tenge.transactions import FeeMode, GasPolicy, Pending, Receipt, TransactionSender, collect
from tenge.units import Tiyn

DEFAULT_BUILD = Path("build/contracts")
TOKEN, PROXY, CONTROLLER = "DigitalTenge", "DigitalTengeProxy", "TengeMintController"
SEIZURE_CONTROLLER, INITIALIZER = "TengeSeizureController", "DigitalTengeInitializer"
EARMARKS = "TengeEarmarks"
# Chains whose ids say "a development node" (Anvil, Hardhat: 31337; Ganache: 1337).
LOCAL_CHAIN_IDS = frozenset({31337, 1337})
# A default-admin handover waits this long on live chains (two steps, as AccessControlDefaultAdminRules).
LIVE_ADMIN_DELAY = 3 * 24 * 3600
# The wallet-policy tier of institutions and system accounts (no limits), and the reason cited for it.
SYSTEM_TIER = 3
SYSTEM_ACCOUNT_REASON = "System account: minter"
# The earmark contract keeps DKZT for every purpose: a system account too (tier 0 would cap its balance).
EARMARKS_ACCOUNT_REASON = "System account: earmark contract"
# What the deployment cites for the roles it grants and the minters it configures.
DEPLOYMENT_REASON = "Deployment: initial role holders and minters"
LOCAL_MINTER_ALLOWANCE = 10**12  # tiyn: 10,000,000,000 KZT
LOCAL_SEIZURE_NOTICE = 0  # seconds: a seizure on a development chain executes at its approval
# Ether a development account the deploy signs with, or gives a role, gets if it has none (a default
# Anvil funds only the mnemonic's first 10 accounts; the KYC and approver accounts are 13 and 14).
LOCAL_GAS_MONEY = 10**18
# The development mnemonic Anvil, Hardhat and Ganache (`--wallet.mnemonic`) derive their accounts from.
DEV_MNEMONIC = "test test test test test test test test test test test junk"
# Who holds what on a development chain: each role its own account of the mnemonic (the deployer, account
# 0, is the default admin), as scripts/deploy.py's LOCAL_ROLE_ACCOUNTS and the test suites' actors.
LOCAL_ROLE_ACCOUNTS = {
    "MINTER_ADMIN_ROLE": 1,
    "MINTER_ROLE": 2,
    "PAUSER_ROLE": 3,
    "FREEZER_ROLE": 4,
    "BLOCKLISTER_ROLE": 5,
    "SEIZURE_PROPOSER_ROLE": 6,
    "RESCUER_ROLE": 7,
    "UPGRADER_ROLE": 8,
    "KYC_ROLE": 13,
    "SEIZURE_APPROVER_ROLE": 14,
    # Opens and funds purposes at the earmark contract; no duty the seizure controller keeps apart.
    "BUDGET_HOLDER_ROLE": 15,
}
# Duties no account may hold two of (the token's RoleConflict); a restricting duty has two roles.
SEPARATE_DUTIES = (
    ("FREEZER_ROLE", "BLOCKLISTER_ROLE"),
    ("SEIZURE_PROPOSER_ROLE",),
    ("SEIZURE_APPROVER_ROLE",),
)


@dataclass(frozen=True)
class Artifact:
    """A compiled contract: its ABI and creation bytecode."""

    name: str
    abi: ABI
    bytecode: str

    @classmethod
    def load(cls, name: str, build: Path = DEFAULT_BUILD) -> Artifact:
        path = Path(build) / f"{name}.json"
        try:
            data = json.loads(path.read_text())
        except FileNotFoundError:
            raise DeploymentError(f"{path}: no build artifact (run `make compile`)") from None
        except (OSError, ValueError) as exc:
            raise DeploymentError(f"{path}: unreadable build artifact ({exc})") from None
        bytecode = str(data.get("bytecode") or "")
        if not bytecode:
            raise DeploymentError(f"{path}: the artifact has no bytecode")
        return cls(name, data["abi"], bytecode if bytecode.startswith("0x") else "0x" + bytecode)


@dataclass(frozen=True)
class DeployPlan:
    """Who gets what: the admin and its handover delay, role holders, the minters' allowance."""

    admin: str | None = None  # None: the deployer
    admin_delay: int = 0  # seconds a default-admin handover waits
    roles: Mapping[str, list[str]] = field(default_factory=dict)  # role name -> holders
    minter_allowance: int = 0  # tiyn each minter (the MINTER_ROLE list) may issue, at the mint controller
    network: str = "rpc"  # the record's network name
    mint_controller: str | None = None  # a controller already on the chain to reuse; None: deploy one
    seizure_controller: str | None = None  # the same for the seizure controller
    seizure_notice: int | None = None  # seconds seizures wait after approval; None: the controller's 72 h


@dataclass(frozen=True)
class Deployment:
    """What a deploy did: the record, where it was written, and what is left to others (role notes)."""

    record: DeploymentRecord
    path: Path | None
    notes: list[str] = field(default_factory=list)


def is_local_chain(chain_id: int) -> bool:
    return chain_id in LOCAL_CHAIN_IDS


def dev_account(index: int) -> LocalAccount:
    """Account `index` of the development mnemonic (a test key that holds value on no real chain)."""
    Account.enable_unaudited_hdwallet_features()
    account: LocalAccount = Account.from_mnemonic(DEV_MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}")
    return account


def dev_accounts() -> list[LocalAccount]:
    """The development accounts that hold a role on a development chain (LOCAL_ROLE_ACCOUNTS)."""
    return [dev_account(index) for index in sorted(set(LOCAL_ROLE_ACCOUNTS.values()))]


def local_role_holders() -> dict[str, list[str]]:
    """Each role's own development account (LOCAL_ROLE_ACCOUNTS)."""
    return {name: [dev_account(index).address] for name, index in LOCAL_ROLE_ACCOUNTS.items()}


def role_holders(
    environ: Mapping[str, str], defaults: Mapping[str, list[str]] | None = None
) -> dict[str, list[str]]:
    """TENGE_ROLE_<NAME>=0xabc,0xdef for each role; roles left unset take their `defaults` if given."""
    holders: dict[str, list[str]] = {}
    for name in ROLE_NAMES:
        listed = [a.strip() for a in environ.get(f"TENGE_ROLE_{name}", "").split(",") if a.strip()]
        addresses: list[str] = [checked_address(a, what=f"TENGE_ROLE_{name}") for a in listed]
        if not addresses and defaults:
            addresses = list(defaults.get(name, []))
        if addresses:
            holders[name] = addresses
    return holders


def role_conflicts(roles: Mapping[str, Sequence[str]]) -> list[str]:
    """What the token would refuse of these role holders (its RoleConflict), one line each: an account
    given two duties of SEPARATE_DUTIES, or minter administration and minting."""
    problems = []
    duty_of: dict[str, tuple[int, str]] = {}
    for number, duty in enumerate(SEPARATE_DUTIES):
        for role in duty:
            for account in roles.get(role, []):
                held = duty_of.setdefault(account, (number, role))
                if held[0] != number:
                    problems.append(f"{account} would hold {held[1]} and {role}: duties kept apart")
    for account in set(roles.get("MINTER_ADMIN_ROLE", [])) & set(roles.get("MINTER_ROLE", [])):
        problems.append(f"{account} would hold MINTER_ADMIN_ROLE and be a minter: duties kept apart")
    return problems


def local_plan(deployer: str, chain_id: int, environ: Mapping[str, str] | None = None) -> DeployPlan:
    """The plan `make deploy` follows. On a development chain each role left unset goes to its own
    development account (LOCAL_ROLE_ACCOUNTS), minters may issue 10,000,000,000 KZT and seizures wait no
    notice; on a live chain only the listed roles are granted, a default-admin handover waits 3 days
    (TENGE_ADMIN_DELAY) and seizures the controller's 72 hours (TENGE_SEIZURE_NOTICE, seconds).
    TENGE_MINT_CONTROLLER and TENGE_SEIZURE_CONTROLLER name controllers already on the chain to reuse
    (each serves every token). `deployer` becomes the default admin, and holds no other role."""
    env = os.environ if environ is None else environ
    local = is_local_chain(chain_id)
    delay = _whole_number(env, "TENGE_ADMIN_DELAY", 0 if local else LIVE_ADMIN_DELAY, "seconds")
    allowance = _whole_number(env, "TENGE_MINTER_ALLOWANCE", LOCAL_MINTER_ALLOWANCE if local else 0, "tiyn")
    notice = _whole_number(env, "TENGE_SEIZURE_NOTICE", LOCAL_SEIZURE_NOTICE if local else None, "seconds")
    reused = env.get("TENGE_MINT_CONTROLLER", "").strip()
    reused_seizures = env.get("TENGE_SEIZURE_CONTROLLER", "").strip()
    return DeployPlan(
        admin=checked_address(deployer, what="deployer"),
        admin_delay=delay,
        roles=role_holders(env, local_role_holders() if local else None),
        minter_allowance=allowance,
        mint_controller=checked_address(reused, what="TENGE_MINT_CONTROLLER") if reused else None,
        seizure_controller=(
            checked_address(reused_seizures, what="TENGE_SEIZURE_CONTROLLER") if reused_seizures else None
        ),
        seizure_notice=notice,
    )


def _whole_number(env: Mapping[str, str], name: str, default: int | None, unit: str) -> Any:
    """`env[name]` as a whole number of `unit`, checked before anything is sent; `default` if unset."""
    text = env.get(name, "")
    if text == "":
        return default
    if not (text.isascii() and text.isdigit()):
        example = 0 if default is None else default
        raise InvalidInput(f"{name}={text!r}: write a whole number of {unit} in ASCII digits, e.g. {example}")
    return int(text)


def deploy(
    w3: Web3,
    deployer: LocalAccount,
    plan: DeployPlan | None = None,
    *,
    build: Path = DEFAULT_BUILD,
    gas: GasPolicy | None = None,
    directory: Path | None = DEFAULT_DIRECTORY,
    timeout: float = 300.0,
    helpers: Sequence[LocalAccount] = (),
) -> Deployment:
    """Deploys the mint and seizure controllers (unless the plan reuses them), the implementation that
    names them and the proxy, grants the plan's roles, configures its minters, sets the seizure notice
    and writes `directory/<chain id>.json` (unless `directory` is None). `helpers` are other keys this
    process holds (the development accounts, on a development chain): a step that needs a role the
    deployer does not hold is signed by a helper that holds it, or left as a note for its holder. A plan
    that gives one account conflicting duties is refused before anything is sent."""
    plan = plan or DeployPlan()
    conflicts = role_conflicts(plan.roles)
    if conflicts:
        raise InvalidInput(
            "the token would refuse these role holders; nothing sent:\n  " + "\n  ".join(conflicts)
        )
    gas = gas or GasPolicy(mode=FeeMode.AUTO)
    token_artifact, proxy_artifact = Artifact.load(TOKEN, build), Artifact.load(PROXY, build)
    controller_artifact = Artifact.load(CONTROLLER, build)
    seizures_artifact = Artifact.load(SEIZURE_CONTROLLER, build)
    earmarks_artifact = Artifact.load(EARMARKS, build)
    initializer_artifact = Artifact.load(INITIALIZER, build)
    with talking("eth_chainId"):
        chain_id = int(w3.eth.chain_id)
    errors = [
        *entries(controller_artifact.abi, "error"),
        *entries(seizures_artifact.abi, "error"),
        *entries(earmarks_artifact.abi, "error"),
    ]
    decoder = RevertDecoder([*token_artifact.abi, *errors], w3.codec)
    sender = TransactionSender(w3, deployer, chain_id, decoder, gas)
    admin = checked_address(plan.admin or deployer.address, what="admin")

    transactions: dict[str, str] = {}
    controller = _controller(
        sender, w3, controller_artifact, plan.mint_controller, "mint_controller", transactions, timeout
    )
    seizures = _controller(
        sender, w3, seizures_artifact, plan.seizure_controller, "seizure_controller", transactions, timeout
    )
    implementation_tx = _create(sender, w3, token_artifact, (controller, seizures), timeout)
    implementation = _created(implementation_tx, TOKEN)
    # The set-up runs once, in the proxy's constructor; the token itself has no `initialize`.
    initializer_tx = _create(sender, w3, initializer_artifact, (), timeout)
    initializer = _created(initializer_tx, INITIALIZER)
    initializer_factory = w3.eth.contract(abi=initializer_artifact.abi)
    init_data = initializer_factory.encode_abi("initialize", args=[admin, plan.admin_delay])
    proxy_tx = _create(sender, w3, proxy_artifact, (implementation, initializer, init_data), timeout)
    proxy = _created(proxy_tx, PROXY)
    earmarks_tx = _create(sender, w3, earmarks_artifact, (proxy,), timeout)
    earmarks = _created(earmarks_tx, EARMARKS)

    record = DeploymentRecord(
        network=plan.network,
        chain_id=chain_id,
        address=proxy,
        implementation=implementation,
        block=proxy_tx.block,
        deployer=deployer.address,
        admin=admin,
        admin_transfer_delay=plan.admin_delay,
        proxy_code_hash=code_hash(bytes(w3.eth.get_code(proxy))),  # type: ignore[arg-type]
        implementation_code_hash=code_hash(bytes(w3.eth.get_code(implementation))),  # type: ignore[arg-type]
        mint_controller=controller,
        mint_controller_code_hash=code_hash(bytes(w3.eth.get_code(controller))),  # type: ignore[arg-type]
        seizure_controller=seizures,
        seizure_controller_code_hash=code_hash(bytes(w3.eth.get_code(seizures))),  # type: ignore[arg-type]
        earmarks=earmarks,
        earmarks_code_hash=code_hash(bytes(w3.eth.get_code(earmarks))),  # type: ignore[arg-type]
        deployed_at=datetime.now(UTC).isoformat(timespec="seconds"),
        transactions={
            **transactions,
            "implementation": implementation_tx.hash,
            "initializer": initializer_tx.hash,
            "proxy": proxy_tx.hash,
            "earmarks": earmarks_tx.hash,
        },
    )
    tenge = Tenge(w3, record, signer=deployer, gas=gas, abi=token_artifact.abi, chain_id=chain_id)
    tenge.verify()
    if is_local_chain(chain_id):
        _fund(sender, w3, helpers, timeout)
    notes = grant(tenge, plan, timeout, helpers=helpers)
    members = {name: tenge.role_members(name) for name in ("DEFAULT_ADMIN_ROLE", *ROLE_NAMES)}
    record = replace(record, roles=members)
    path = write_record(record, directory) if directory is not None else None
    return Deployment(record, path, notes)


def grant(
    tenge: Tenge, plan: DeployPlan, timeout: float = 300.0, *, helpers: Sequence[LocalAccount] = ()
) -> list[str]:
    """Grants each role to its holders, then configures each minter (the MINTER_ROLE list): its allowance
    at the mint controller and the unlimited system tier, each signed by the deployer or a helper that
    holds the role it needs (MINTER_ADMIN_ROLE, KYC_ROLE); the earmark contract's system tier (KYC_ROLE);
    then the seizure notice (the default admin).
    Returns what is left for another role holder to do."""
    sent: list[Pending] = []
    for name, addresses in plan.roles.items():
        for address in addresses:
            if name != "MINTER_ROLE" and not tenge.has_role(name, address):
                sent.append(tenge.grant_role(name, address, DEPLOYMENT_REASON))
    collect(sent, timeout=timeout)
    minter_admin = _signing_as(tenge, "MINTER_ADMIN_ROLE", helpers)
    kyc = _signing_as(tenge, "KYC_ROLE", helpers)
    missing = []
    sent = []
    for minter in plan.roles.get("MINTER_ROLE", []):
        if minter_admin is not None:
            allowance = Tiyn(plan.minter_allowance)
            sent.append(minter_admin.configure_minter(minter, allowance, reason=DEPLOYMENT_REASON))
        else:
            missing.append(f"minter {minter}: a MINTER_ADMIN_ROLE holder must run configureMinter")
        if kyc is not None:
            sent.append(kyc.set_tier(minter, SYSTEM_TIER, SYSTEM_ACCOUNT_REASON))
        else:
            missing.append(f"minter {minter}: a KYC_ROLE holder must put it in tier {SYSTEM_TIER}")
    if tenge.earmarks is not None:
        if kyc is not None:
            sent.append(kyc.set_tier(tenge.earmarks.address, SYSTEM_TIER, EARMARKS_ACCOUNT_REASON))
        else:
            where = tenge.earmarks.address
            missing.append(f"earmark contract {where}: a KYC_ROLE holder must put it in tier {SYSTEM_TIER}")
    if plan.seizure_notice is not None:
        admin = _signing_as(tenge, "DEFAULT_ADMIN_ROLE", helpers)
        if admin is not None:
            sent.append(admin.set_seizure_notice_period(plan.seizure_notice, DEPLOYMENT_REASON))
        else:
            missing.append(f"the default admin must set the seizure notice to {plan.seizure_notice} s")
    collect(sent, timeout=timeout)
    return missing


def _fund(sender: TransactionSender, w3: Web3, helpers: Sequence[LocalAccount], timeout: float) -> None:
    """Gives each helper without ether LOCAL_GAS_MONEY from the deployer, so that it can sign."""
    sent = []
    for helper in helpers:
        with talking("eth_getBalance"):
            empty = int(w3.eth.get_balance(helper.address)) == 0
        if empty and helper.address != sender.address:
            sent.append(sender.send(helper.address, "0x", value=LOCAL_GAS_MONEY, description="gas money"))
    collect(sent, timeout=timeout)


def _signing_as(tenge: Tenge, role: str, helpers: Sequence[LocalAccount]) -> Tenge | None:
    """The connection signing as the deployer if it holds `role`, else as the first helper that does."""
    for key in (None, *helpers):
        address = tenge.signer if key is None else key.address
        if address and tenge.has_role(role, address):
            return tenge if key is None else tenge.with_signer(key)
    return None


def _controller(
    sender: TransactionSender,
    w3: Web3,
    artifact: Artifact,
    reused: str | None,
    name: str,
    transactions: dict[str, str],
    timeout: float,
) -> str:
    """A controller deployed now (its transaction recorded under `name`), or the one reused, checked."""
    if reused is None:
        created = _create(sender, w3, artifact, (), timeout)
        transactions[name] = created.hash
        return _created(created, artifact.name)
    with talking("eth_getCode"):
        if not w3.eth.get_code(reused):  # type: ignore[arg-type]
            chain_id = int(w3.eth.chain_id)
            raise DeploymentError(f"TENGE_{name.upper()} {reused}: no contract there on chain {chain_id}")
    return reused


def _create(
    sender: TransactionSender, w3: Web3, artifact: Artifact, args: tuple[Any, ...], timeout: float
) -> Receipt:
    factory = w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
    pending = sender.send_function(factory.constructor(*args), description=f"deploy {artifact.name}")
    return pending.wait(timeout=timeout)


def _created(receipt: Receipt, name: str) -> str:
    if receipt.contract_address is None:
        raise ChainError(f"the {name} creation {receipt.hash} left no contract address")
    return receipt.contract_address


__all__ = [
    "LOCAL_ROLE_ACCOUNTS",
    "Artifact",
    "DeployPlan",
    "Deployment",
    "deploy",
    "dev_account",
    "dev_accounts",
    "grant",
    "is_local_chain",
    "local_plan",
    "role_conflicts",
]
