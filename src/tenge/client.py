"""`Tenge`: a checked connection to one deployment of the token, with reads, writes and event queries.

    tenge = Tenge.connect("http://127.0.0.1:8545", deployment="deployments/31337.json", signer=account)
    tenge.balance_of(alice)                              # Decimal("1000.00")
    tenge.transfer(bob, Decimal("12.34")).wait()         # Receipt; a refusal raises e.g. AccountFrozen

Amounts are KZT, `Decimal` or text ("12.34"), converted exactly to tiyn; tiyn are passed as
`Tiyn(1234)` or by the `tiyn=` keyword of the money movers (a bare int or a float is refused).
Addresses are checked (checksum, zero address) and reasons hashed before anything is signed. Every
write is simulated first, so a revert raises the contract's named error before a transaction exists;
writes return at once (`Pending`), so many can be in flight from one sender.

Minters live at the token's mint controller (`mintController()`, recorded and checked at connect):
`configure_minter`, `minter_status` and friends talk to it, with the token's address as its key, and
`roles_of`, `role_members`, `audit` and `logs` show its minters and their events beside the token's roles.
Seizures live at its seizure controller (`seizureController()`, recorded and checked the same way):
`propose_seizure`, `approve_seizure`, `execute_seizure`, `cancel_seizure` and `seizure(id)`. Freezes and
holds carry an expiry (unix seconds, a datetime, or a timedelta from the chain's clock) and lapse by
themselves; a hold is named by its order (`place_hold`, `release_hold`, `hold_of`).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_utils.abi import function_abi_to_4byte_selector, get_abi_input_types
from eth_utils.address import to_checksum_address
from web3 import Web3
from web3.contract.contract import Contract, ContractFunction
from web3.exceptions import ContractLogicError
from web3.middleware import ExtraDataToPOAMiddleware
from web3.types import BlockIdentifier

from tenge.abi import (
    ABI,
    controller_abi,
    earmarks_abi,
    entries,
    overloaded,
    seizure_controller_abi,
    token_abi,
)
from tenge.addresses import ZERO_ADDRESS, checked_address
from tenge.deployment import DEFAULT_DIRECTORY, DeploymentRecord, code_hash, resolve_record
from tenge.earmarks import (
    Purpose,
    RecipientKind,
    purpose_id,
    purpose_name_bytes32,
    purpose_name_text,
    purpose_status,
)
from tenge.errors import ChainError, DeploymentError, InvalidAmount, InvalidInput, KeyProblem
from tenge.events import AuditEntry, EventLog, EventReader, HistoryEntry, PageStats, history_of
from tenge.index import (
    DEFAULT_PAGE_BLOCKS,
    SEIZURE_RECORD_EVENTS,
    EventIndex,
    SyncResult,
    default_confirmations,
    default_url,
    seizure_records,
)
from tenge.node import RpcRefused, read_many, talking
from tenge.reasons import reason_bytes32
from tenge.references import reference_bytes32
from tenge.restrictions import (
    DueProcessSetting,
    Hold,
    PendingSetting,
    RevokedRole,
    Seizure,
    SeizureStatus,
    SettingChange,
    hold_status,
)
from tenge.reverts import ContractRevert, RevertDecoder
from tenge.roles import ALL_ROLE_NAMES, MINTER_ROLE, parse_role, role_id, role_name
from tenge.signatures import (
    CancelAuthorization,
    Domain,
    PermitSignature,
    Signed,
    TransferAuthorization,
    sign_cancel_authorization,
    sign_permit,
    sign_transfer_authorization,
)
from tenge.times import UINT32_MAX, Expiry, duration_text, resolve_expiry, utc_text
from tenge.transactions import GasPolicy, Pending, Receipt, TransactionSender
from tenge.units import Amount, Tiyn, tiyn_to_kzt, to_tiyn

# ERC-1967: bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1)
IMPLEMENTATION_SLOT = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc"
# `call_many` reads of the mint controller are named `controller.<function>`, of the seizure controller
# `seizures.<function>`.
CONTROLLER_PREFIX = "controller."
SEIZURES_PREFIX = "seizures."
EARMARKS_PREFIX = "earmarks."
# `disbursementUsed` views per eth_call of the earmark contract's `multicall`.
DISBURSEMENTS_PER_CALL = 500
UINT256_MAX = 2**256 - 1
NO_REFILL = Tiyn(0)
# `referenceUsed` views per eth_call of `multicall`: ~3,000 gas each, far below a node's call gas cap.
REFERENCES_PER_CALL = 1_000

# Public endpoints of the networks the token targets; `--rpc` overrides them (use your own node for payouts).
NETWORKS = {
    "development": "http://127.0.0.1:8545",
    "anvil-bsc": "http://127.0.0.1:8545",
    "bsc-test": "https://data-seed-prebsc-1-s1.binance.org:8545",
    "bsc": "https://bsc-dataseed.bnbchain.org",
}

# The (v, r, s) forms of the signed entry points: the token may also declare `bytes signature` overloads,
# so these are always called by their full signature.
PERMIT_VRS = "permit(address,address,uint256,uint256,uint8,bytes32,bytes32)"
_AUTHORIZATION_ARGS = "address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32"
TRANSFER_WITH_AUTHORIZATION_VRS = f"transferWithAuthorization({_AUTHORIZATION_ARGS})"
RECEIVE_WITH_AUTHORIZATION_VRS = f"receiveWithAuthorization({_AUTHORIZATION_ARGS})"
CANCEL_AUTHORIZATION_VRS = "cancelAuthorization(address,bytes32,uint8,bytes32,bytes32)"

Reason = str | bytes
Reference = str | bytes


@dataclass(frozen=True)
class AccountStatus:
    """Everything the token knows about one account."""

    address: str
    balance: Decimal
    available: Decimal
    frozen: bool
    frozen_until: int | None  # unix time the freeze lapses; None: not frozen now
    frozen_amount: Decimal  # all active holds together
    blocked: bool
    roles: list[str]
    minter_allowance: Decimal
    tier: int
    available_to_send: Decimal
    available_to_receive: Decimal | None  # None: no limit

    def to_dict(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "balance": str(self.balance),
            "available": str(self.available),
            "frozen": self.frozen,
            "frozen_until": self.frozen_until,
            "frozen_amount": str(self.frozen_amount),
            "blocked": self.blocked,
            "roles": self.roles,
            "minter_allowance": str(self.minter_allowance),
            "tier": self.tier,
            "available_to_send": str(self.available_to_send),
            "available_to_receive": _kzt_or_none(self.available_to_receive),
        }


@dataclass(frozen=True)
class TierLimits:
    """What an account of `tier` may hold and send per UTC day, in KZT; None means no limit."""

    tier: int
    max_balance: Decimal | None
    daily_outflow: Decimal | None

    @property
    def configured(self) -> bool:
        """False for a tier nobody may be put in (both limits zero: `TierNotConfigured`)."""
        return self.max_balance != 0 or self.daily_outflow != 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "tier": self.tier,
            "max_balance": _kzt_or_none(self.max_balance),
            "daily_outflow": _kzt_or_none(self.daily_outflow),
        }


@dataclass(frozen=True)
class WalletPolicy:
    """One account under the wallet policy: its tier and limits, today's outflow, what it can move now."""

    address: str
    policy_enabled: bool
    tier: int
    limits: TierLimits
    outflow_today: Decimal
    available_to_send: Decimal
    available_to_receive: Decimal | None  # None: no limit
    linked_account: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "policy_enabled": self.policy_enabled,
            "tier": self.tier,
            "max_balance": _kzt_or_none(self.limits.max_balance),
            "daily_outflow": _kzt_or_none(self.limits.daily_outflow),
            "outflow_today": str(self.outflow_today),
            "available_to_send": str(self.available_to_send),
            "available_to_receive": _kzt_or_none(self.available_to_receive),
            "linked_account": self.linked_account,
        }


def _kzt_or_none(amount: Decimal | None) -> str | None:
    """JSON for a limit or room: None (null) is no limit."""
    return None if amount is None else str(amount)


def _limit(tiyn: int) -> Decimal | None:
    """A uint256 limit in KZT; `type(uint256).max` is no limit (None)."""
    return None if tiyn == UINT256_MAX else tiyn_to_kzt(tiyn)


@dataclass(frozen=True)
class TokenInfo:
    """The token as a whole."""

    address: str
    implementation: str
    chain_id: int
    name: str
    symbol: str
    decimals: int
    version: str
    total_supply: Decimal
    supply_cap: Decimal | None
    paused: bool
    default_admin: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "implementation": self.implementation,
            "chain_id": self.chain_id,
            "name": self.name,
            "symbol": self.symbol,
            "decimals": self.decimals,
            "version": self.version,
            "total_supply": str(self.total_supply),
            "supply_cap": None if self.supply_cap is None else str(self.supply_cap),
            "paused": self.paused,
            "default_admin": self.default_admin,
        }


@dataclass(frozen=True)
class MinterStatus:
    """A minter's allowance now and how it refills (a zero rate means a fixed allowance)."""

    address: str
    is_minter: bool
    allowance: Decimal
    capacity: Decimal
    refill_per_second: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "is_minter": self.is_minter,
            "allowance": str(self.allowance),
            "capacity": str(self.capacity),
            "refill_per_second": str(self.refill_per_second),
        }


@dataclass(frozen=True)
class AdminStatus:
    """The default admin, its two-step handover in progress (if any) and the handover delay."""

    admin: str
    pending_admin: str | None
    accept_after: int | None
    delay_seconds: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "admin": self.admin,
            "pending_admin": self.pending_admin,
            "accept_after": self.accept_after,
            "delay_seconds": self.delay_seconds,
        }


@dataclass(frozen=True)
class PendingUpgrade:
    """An announced upgrade (`pendingUpgrade()` at the token's proxy): what runs, from when, and why."""

    implementation: str
    data_hash: str
    code_hash: str  # the implementation's code hash at the announcement: the only code the upgrade runs
    ready_at: int  # unix time
    reason: str
    code_unchanged: bool  # the implementation's code now is the code announced (else the upgrade fails)

    def to_dict(self) -> dict[str, Any]:
        return {
            "implementation": self.implementation,
            "data_hash": self.data_hash,
            "code_hash": self.code_hash,
            "ready_at": self.ready_at,
            "reason": self.reason,
            "code_unchanged": self.code_unchanged,
        }


def rpc_url_for(network: str) -> str:
    """The JSON-RPC URL of a known network name."""
    if network not in NETWORKS:
        raise InvalidInput(f"unknown network {network!r}; known: {', '.join(NETWORKS)} (or give --rpc)")
    return NETWORKS[network]


def make_web3(rpc_url: str, timeout: float = 30.0) -> Web3:
    """An HTTP connection; the proof-of-authority middleware lets it read BNB Chain's long block headers."""
    w3 = Web3(Web3.HTTPProvider(rpc_url, request_kwargs={"timeout": timeout}))
    w3.middleware_onion.inject(ExtraDataToPOAMiddleware, name="proof_of_authority", layer=0)
    return w3


class Tenge:
    """One deployment of the Digital Tenge on one chain, optionally with a local signer."""

    def __init__(
        self,
        w3: Web3,
        record: DeploymentRecord,
        *,
        signer: LocalAccount | None = None,
        gas: GasPolicy | None = None,
        abi: ABI | None = None,
        chain_id: int | None = None,
    ) -> None:
        self.w3 = w3
        self.record = record
        self.address = checked_address(record.address, what="token address in the deployment record")
        self.abi = abi if abi is not None else token_abi()
        self.chain_id = chain_id if chain_id is not None else record.chain_id
        self.gas = gas or GasPolicy()
        self.contract: Contract = w3.eth.contract(address=self.address, abi=self.abi)
        controller = checked_address(record.mint_controller, what="mint controller in the deployment record")
        self.controller: Contract = w3.eth.contract(address=controller, abi=controller_abi())
        seizures = checked_address(
            record.seizure_controller, what="seizure controller in the deployment record"
        )
        self.seizures: Contract = w3.eth.contract(address=seizures, abi=seizure_controller_abi())
        # The earmark contract beside the token (None in a schema-3 record: earmark calls then refuse).
        self.earmarks: Contract | None = None
        if record.earmarks:
            earmarks = checked_address(record.earmarks, what="earmark contract in the deployment record")
            self.earmarks = w3.eth.contract(address=earmarks, abi=earmarks_abi())
        # A refusal may come from a controller (bubbled up through the token) or the earmark contract:
        # decode them all.
        errors = [
            *entries(controller_abi(), "error"),
            *entries(seizure_controller_abi(), "error"),
            *entries(earmarks_abi(), "error"),
        ]
        self.decoder = RevertDecoder([*self.abi, *errors], w3.codec)
        self.events = EventReader(
            w3, self.contract, controller=self.controller, seizures=self.seizures, earmarks=self.earmarks
        )
        self._overloaded = overloaded(self.abi)
        self._signer = signer
        self._sender = (
            TransactionSender(w3, signer, self.chain_id, self.decoder, self.gas)
            if signer is not None
            else None
        )
        self._domain: Domain | None = None

    # --- connection ------------------------------------------------------------------------------

    @classmethod
    def connect(
        cls,
        rpc_url: str,
        deployment: DeploymentRecord | Path | str | None = None,
        *,
        signer: LocalAccount | None = None,
        gas: GasPolicy | None = None,
        directory: Path = DEFAULT_DIRECTORY,
        timeout: float = 30.0,
    ) -> Tenge:
        """Connects and checks the deployment: chain id, proxy code and implementation code must match.

        `deployment` is a record, a path to one, or None for `directory/<chain id>.json`. Raises
        ChainError if the node cannot be reached and DeploymentError if anything does not match.
        """
        w3 = make_web3(rpc_url, timeout)
        try:
            with talking("eth_chainId"):
                chain_id = int(w3.eth.chain_id)
        except ChainError as exc:
            raise ChainError(f"cannot reach a node at {rpc_url}: {exc}") from None
        record = resolve_record(deployment, chain_id, directory)
        tenge = cls(w3, record, signer=signer, gas=gas, chain_id=chain_id)
        tenge.verify()
        return tenge

    def verify(self) -> None:
        """Refuses a chain or contract that is not the one the deployment record describes."""
        record = self.record
        if record.chain_id != self.chain_id:
            raise DeploymentError(
                f"the deployment record is for chain id {record.chain_id}, but the node is chain id "
                f"{self.chain_id}: wrong --rpc or wrong --deployment"
            )
        proxy_code = self._code(self.address)
        if not proxy_code:
            raise DeploymentError(
                f"no contract at {self.address} on chain {self.chain_id}: not deployed here"
            )
        if code_hash(proxy_code) != record.proxy_code_hash.lower():
            raise DeploymentError(
                f"the code at {self.address} has hash {code_hash(proxy_code)}, the record says "
                f"{record.proxy_code_hash}: not the recorded proxy"
            )
        implementation = self.implementation()
        implementation_code = self._code(implementation)
        if not implementation_code:
            raise DeploymentError(f"the proxy points at {implementation}, which has no code")
        if code_hash(implementation_code) != record.implementation_code_hash.lower():
            raise DeploymentError(
                f"the implementation at {implementation} has code hash {code_hash(implementation_code)}, "
                f"the record says {record.implementation_code_hash}: the token was upgraded since the record "
                "was written, or this is another contract"
            )
        self._verify_controller("mintController", self.controller.address, record.mint_controller_code_hash)
        seizures = "seizureController"
        self._verify_controller(seizures, self.seizures.address, record.seizure_controller_code_hash)
        if self.earmarks is not None:
            self._verify_earmarks(self.earmarks.address, record.earmarks_code_hash or "")

    def with_signer(self, signer: LocalAccount) -> Tenge:
        """The same connection, signing as `signer` (with its own nonces)."""
        return Tenge(self.w3, self.record, signer=signer, gas=self.gas, abi=self.abi, chain_id=self.chain_id)

    @property
    def signer(self) -> str | None:
        return None if self._signer is None else str(self._signer.address)

    @property
    def sender(self) -> TransactionSender:
        """The transaction sender of the signer (nonces, gas, receipts); KeyProblem without a signer."""
        if self._sender is None:
            raise KeyProblem(
                "this operation signs a transaction: give a signer (keystore or TENGE_PRIVATE_KEY)"
            )
        return self._sender

    def implementation(self) -> str:
        """The implementation the proxy delegates to, read from the ERC-1967 slot."""
        with talking("eth_getStorageAt"):
            raw = bytes(self.w3.eth.get_storage_at(self.address, IMPLEMENTATION_SLOT))  # type: ignore[arg-type]
        return str(to_checksum_address(raw[-20:]))

    def _verify_controller(self, view: str, recorded: str, recorded_hash: str) -> None:
        """The controller the token names (`view`) is the record's, with the record's code."""
        what = "mint controller" if view == "mintController" else "seizure controller"
        named = str(self.call(view))
        if named != recorded:
            raise DeploymentError(
                f"the token names {what} {named}, the record says {recorded}: "
                "the token was upgraded to another controller since the record was written"
            )
        found = code_hash(self._code(named))
        if found != recorded_hash.lower():
            raise DeploymentError(
                f"the {what} at {named} has code hash {found}, the record says {recorded_hash}: "
                f"not the recorded {what}"
            )

    def _verify_earmarks(self, recorded: str, recorded_hash: str) -> None:
        """The earmark contract of the record has the record's code and serves this token."""
        found = code_hash(self._code(recorded))
        if found != recorded_hash.lower():
            raise DeploymentError(
                f"the earmark contract at {recorded} has code hash {found}, the record says "
                f"{recorded_hash or 'none'}: not the recorded earmark contract"
            )
        served = str(self.earmarks_call("token"))
        if served != self.address:
            raise DeploymentError(
                f"the earmark contract at {recorded} serves token {served}, not this token {self.address}"
            )

    def _code(self, address: str) -> bytes:
        with talking("eth_getCode"):
            return bytes(self.w3.eth.get_code(address))  # type: ignore[arg-type]

    # --- the contract's functions, through web3.py ---------------------------------------------------------

    def function(self, name: str, *args: Any) -> ContractFunction:
        """`contract.functions.name(args)`; an overloaded name must be given as its full signature
        (`permit(address,address,uint256,uint256,uint8,bytes32,bytes32)`), which works with every ABI."""
        if "(" in name:
            by_signature: ContractFunction = self.contract.get_function_by_signature(name)(*args)
            return by_signature
        if name in self._overloaded:
            raise InvalidInput(f"{name} is overloaded in this ABI: name it by its signature")
        return self.contract.functions[name](*args)

    def encode(self, function: str, *args: Any) -> str:
        """Calldata for `function(args)` as 0x-hex (web3.py's `encode_abi`)."""
        return str(self.contract.encode_abi(function, args=list(args)))

    def controller_function(self, name: str, *args: Any) -> ContractFunction:
        """`controller.functions.name(args)` of the mint controller (its functions are not overloaded)."""
        return self.controller.functions[name](*args)

    def seizures_function(self, name: str, *args: Any) -> ContractFunction:
        """`seizures.functions.name(args)` of the seizure controller (not overloaded either)."""
        return self.seizures.functions[name](*args)

    def earmarks_contract(self) -> Contract:
        """The earmark contract; DeploymentError when the record names none (a schema-3 record)."""
        if self.earmarks is None:
            raise DeploymentError(
                f"the deployment record (schema {self.record.schema}) names no earmark contract: earmarked "
                "tenge needs a deployment with TengeEarmarks beside the token (schema 4; redeploy, or add "
                "`earmarks` and `earmarks_code_hash` to the record)"
            )
        return self.earmarks

    def earmarks_function(self, name: str, *args: Any) -> ContractFunction:
        """`earmarks.functions.name(args)` of the earmark contract (not overloaded either)."""
        return self.earmarks_contract().functions[name](*args)

    def earmarks_call(self, function: str, *args: Any, block: BlockIdentifier = "latest") -> Any:
        """Calls a view function of the earmark contract (`purpose(id)`, `balanceOf(id, holder)`, ...)."""
        return self._call(self.earmarks_function(function, *args), function, block)

    def earmarks_encoder(self, function: str) -> Callable[..., bytes]:
        """Calldata of the earmark contract's `function(args)`, for its `multicall` (see `encoder`)."""
        return self.encoder(function, self.earmarks_contract())

    def encoder(self, function: str, contract: Contract | None = None) -> Callable[..., bytes]:
        """Calldata of `function(args)` (of the token, or `contract`) for many calls of one function: the
        function's ABI entry and selector are found once (web3.py's `get_function_by_name`), each call's
        arguments are encoded by web3.py's codec (14 µs). `encode` finds and validates the ABI entry on
        every call (3 ms)."""
        abi = (contract or self.contract).get_function_by_name(function).abi
        selector = function_abi_to_4byte_selector(abi)
        types = get_abi_input_types(abi)
        codec = self.w3.codec

        def encode(*args: Any) -> bytes:
            return selector + codec.encode(types, args)

        return encode

    def call(self, function: str, *args: Any, block: BlockIdentifier = "latest") -> Any:
        """Calls a view function; returns its single output, or a tuple for several."""
        return self._call(self.function(function, *args), function, block)

    def controller_call(self, function: str, *args: Any, block: BlockIdentifier = "latest") -> Any:
        """Calls a view function of the mint controller (`minterAllowance(token, minter)`, ...)."""
        return self._call(self.controller_function(function, *args), function, block)

    def seizures_call(self, function: str, *args: Any, block: BlockIdentifier = "latest") -> Any:
        """Calls a view function of the seizure controller (`seizure(id)`, `noticePeriod(token)`, ...)."""
        return self._call(self.seizures_function(function, *args), function, block)

    def _call(self, bound: ContractFunction, function: str, block: BlockIdentifier) -> Any:
        try:
            with talking(f"eth_call {function}"):
                result = bound.call(block_identifier=block)
        except ContractLogicError as exc:
            raise self._revert(exc) from None
        return tuple(result) if isinstance(result, list) else result

    def call_many(self, calls: Sequence[tuple[Any, ...]]) -> list[Any]:
        """Several view calls `(function, *args)` in one JSON-RPC batch (`w3.batch_requests()`); a
        function named `controller.X` is the mint controller's, `seizures.X` the seizure controller's,
        `earmarks.X` the earmark contract's."""
        reads = [
            lambda name=name, args=args: self._bound(name, *args)  # web3 calls it inside the batch
            for name, *args in calls
        ]
        try:
            results = read_many(self.w3, reads, "eth_call")
        except ContractLogicError as exc:
            raise self._revert(exc) from None
        return [tuple(r) if isinstance(r, list) else r for r in results]

    def _bound(self, name: str, *args: Any) -> ContractFunction:
        if name.startswith(CONTROLLER_PREFIX):
            return self.controller_function(name.removeprefix(CONTROLLER_PREFIX), *args)
        if name.startswith(SEIZURES_PREFIX):
            return self.seizures_function(name.removeprefix(SEIZURES_PREFIX), *args)
        if name.startswith(EARMARKS_PREFIX):
            return self.earmarks_function(name.removeprefix(EARMARKS_PREFIX), *args)
        return self.function(name, *args)

    def _revert(self, exc: ContractLogicError) -> Exception:
        refused = self.decoder.from_exception(exc)
        return refused if refused is not None else exc

    # --- reads --------------------------------------------------------------------------------------

    def name(self) -> str:
        return str(self.call("name"))

    def symbol(self) -> str:
        return str(self.call("symbol"))

    def decimals(self) -> int:
        return int(self.call("decimals"))

    def version(self) -> str:
        return str(self.call("version"))

    def balance_of(self, account: str) -> Decimal:
        return tiyn_to_kzt(self.balance_of_tiyn(account))

    def balance_of_tiyn(self, account: str) -> int:
        return int(self.call("balanceOf", checked_address(account, allow_zero=True)))

    def allowance(self, owner: str, spender: str) -> Decimal:
        owner = checked_address(owner, allow_zero=True, what="owner")
        spender = checked_address(spender, allow_zero=True, what="spender")
        return tiyn_to_kzt(int(self.call("allowance", owner, spender)))

    def total_supply(self) -> Decimal:
        return tiyn_to_kzt(int(self.call("totalSupply")))

    def supply_cap(self) -> Decimal | None:
        """The cap on total supply in KZT, None when there is none."""
        cap = int(self.call("supplyCap"))
        return None if cap == UINT256_MAX else tiyn_to_kzt(cap)

    def paused(self) -> bool:
        return bool(self.call("paused"))

    def is_frozen(self, account: str) -> bool:
        return bool(self.call("isFrozen", checked_address(account, allow_zero=True)))

    def is_blocked(self, account: str) -> bool:
        return bool(self.call("isBlocked", checked_address(account, allow_zero=True)))

    def frozen_amount(self, account: str) -> Decimal:
        """KZT of `account` its active holds keep, all together."""
        return tiyn_to_kzt(int(self.call("frozenAmount", checked_address(account, allow_zero=True))))

    # --- reads: freezes, holds, seizures ----------------------------------------------------------------

    def chain_time(self) -> int:
        """The latest block's timestamp: the clock expiries and notices are counted on."""
        with talking("eth_getBlockByNumber"):
            return int(self.w3.eth.get_block("latest")["timestamp"])

    def frozen_until(self, account: str) -> int | None:
        """Unix time the freeze of `account` lapses; None when it is not frozen now."""
        until = int(self.call("frozenUntil", checked_address(account, allow_zero=True)))
        return until or None

    def max_restriction_term(self) -> int:
        """Seconds: the longest a new freeze or hold may last now (90 days unless the admin set another;
        the seizure controller keeps it)."""
        return int(self.seizures_call("maxRestrictionTerm", self.address))

    def pending_max_restriction_term(self) -> PendingSetting | None:
        """A longer term set and waiting for the admin's delay: its seconds and when it applies."""
        return _pending_setting(self.seizures_call("pendingMaxRestrictionTerm", self.address))

    def max_holds(self) -> int:
        """How many holds an account may carry at once."""
        return int(self.call("MAX_HOLDS"))

    def hold_of(self, account: str, order: Reason) -> Hold:
        """The hold `order` (text, hashed, or 0x-hex) keeps on `account` now."""
        account = checked_address(account, allow_zero=True)
        order_id = reason_bytes32(order)
        amount, expires_at = self.call("holdOf", account, order_id)
        return _hold(account, order_id, int(amount), int(expires_at), self.chain_time())

    def holds(self, account: str, *, active_only: bool = False, from_block: int | None = None) -> list[Hold]:
        """Every hold ever placed on `account` (found from HoldPlaced events), as it stands now."""
        account = checked_address(account, allow_zero=True)
        start = self.record.block if from_block is None else from_block
        topic = self.w3.codec.encode(["address"], [account])  # the account, indexed
        placed = self.events.logs(("HoldPlaced",), start, self.events.head(), topics=[topic])
        orders = list(dict.fromkeys(bytes.fromhex(e.args["order"][2:]) for e in placed))
        if not orders:
            return []
        now = self.chain_time()
        answers = self.call_many([("holdOf", account, order) for order in orders])
        found = [
            _hold(account, order, int(amount), int(expires_at), now)
            for order, (amount, expires_at) in zip(orders, answers, strict=True)
        ]
        return [h for h in found if h.amount > 0] if active_only else found

    def seizure_notice_period(self) -> int:
        """Seconds a seizure of this token waits after its approval (72 hours unless the admin set one)."""
        return int(self.seizures_call("noticePeriod", self.address))

    def pending_seizure_notice_period(self) -> PendingSetting | None:
        """A shorter notice set and waiting for the admin's delay: its seconds and when it applies."""
        return _pending_setting(self.seizures_call("pendingNoticePeriod", self.address))

    def seizure_count(self) -> int:
        """How many seizures the seizure controller has (of every token it serves): ids run 1 to this."""
        return int(self.seizures_call("seizureCount"))

    def seizure(self, seizure_id: int) -> Seizure:
        """Seizure `seizure_id` of this token; InvalidInput if there is none, or it is another token's."""
        number = _seizure_id(seizure_id)
        found, count = self.call_many(
            [(SEIZURES_PREFIX + "seizure", number), (SEIZURES_PREFIX + "seizureCount",)]
        )
        seizure = _seizure(number, found)
        if seizure.status is SeizureStatus.NONE:
            known = f"its ids run from 1 to {count}" if count else "no seizure has been proposed there yet"
            raise InvalidInput(
                f"unknown seizure id {number}: at the seizure controller {self.seizures.address}, {known}"
            )
        if seizure.token != self.address:
            raise InvalidInput(
                f"seizure #{number} is of token {seizure.token}, not of this token {self.address}"
            )
        return seizure

    def roles_revoked(self, seizure: Seizure) -> list[RevokedRole]:
        """Who decided `seizure` (still proposed or approved) and lost the role since: while any is
        listed, the controller refuses to approve or execute it (`SeizureRoleRevoked`); [] once final."""
        deciders: list[tuple[str, str]] = []
        if seizure.status in (SeizureStatus.PROPOSED, SeizureStatus.APPROVED):
            deciders.append(("SEIZURE_PROPOSER_ROLE", seizure.proposer))
        if seizure.status is SeizureStatus.APPROVED and seizure.approver is not None:
            deciders.append(("SEIZURE_APPROVER_ROLE", seizure.approver))
        held = self.call_many([("hasRole", role_id(role), account) for role, account in deciders])
        return [
            RevokedRole(account=account, role=role)
            for (role, account), has in zip(deciders, held, strict=True)
            if not has
        ]

    def seizures_of_token(
        self, *, status: SeizureStatus | None = None, from_block: int | None = None
    ) -> list[Seizure]:
        """This token's seizures (found from SeizureProposed events), as they stand now; with `status`,
        only those."""
        start = self.record.block if from_block is None else from_block
        topic = self.w3.codec.encode(["address"], [self.address])  # the token, indexed after the id
        proposed = self.events.logs(("SeizureProposed",), start, self.events.head(), topics=[None, topic])
        ids = [int(e.args["id"]) for e in proposed]
        if not ids:
            return []
        found = self.call_many([(SEIZURES_PREFIX + "seizure", number) for number in ids])
        seizures = [_seizure(number, raw) for number, raw in zip(ids, found, strict=True)]
        return [s for s in seizures if status is None or s.status is status]

    def minter_allowance(self, minter: str) -> Decimal:
        """KZT `minter` may issue now, refill included (the mint controller's record for this token)."""
        minter = checked_address(minter, allow_zero=True)
        return tiyn_to_kzt(int(self.controller_call("minterAllowance", self.address, minter)))

    def minter_refill(self, minter: str) -> tuple[Decimal, Decimal]:
        """(capacity, refill per second) of a minter's allowance, in KZT."""
        minter = checked_address(minter, allow_zero=True)
        capacity, rate = self.controller_call("minterRefill", self.address, minter)
        return tiyn_to_kzt(int(capacity)), tiyn_to_kzt(int(rate))

    def references_used(
        self, sender: str, references: Sequence[bytes], *, block: BlockIdentifier = "latest"
    ) -> list[bool]:
        """Whether `sender` has paid with each reference (`referenceUsed`), in one eth_call per
        REFERENCES_PER_CALL of them (the token's `multicall` of the view): the chain's own record, which a
        reorg rolls back with the payments, whatever any journal says."""
        sender = checked_address(sender, allow_zero=True)
        used = self.encoder("referenceUsed")
        found: list[bool] = []
        size = REFERENCES_PER_CALL
        start = 0
        while start < len(references):
            chunk = references[start : start + size]
            try:
                answers = self.call("multicall", [used(sender, bytes(r)) for r in chunk], block=block)
            except (ContractRevert, RpcRefused):
                if size == 1:
                    raise
                # The view never reverts: the call ran out of the node's call gas, or its calldata's gas
                # floor (EIP-7623) is above a small block gas limit. Fewer at a time.
                size = max(1, size // 2)
                continue
            found += [bool(int.from_bytes(bytes(a), "big")) for a in answers]
            start += len(chunk)
        return found

    def is_minter(self, account: str) -> bool:
        """Whether the mint controller lets `account` mint (within its allowance) and burn this token."""
        account = checked_address(account, allow_zero=True)
        return bool(self.controller_call("isMinter", self.address, account))

    def has_role(self, role: str | bytes, account: str) -> bool:
        """Whether `account` holds `role`; MINTER_ROLE means a minter at the mint controller."""
        role_bytes = role if isinstance(role, bytes) else parse_role(role)
        if role_bytes == MINTER_ROLE:
            return self.is_minter(account)
        return bool(self.call("hasRole", role_bytes, checked_address(account, allow_zero=True)))

    def roles_of(self, account: str) -> list[str]:
        """The names of the roles `account` holds, MINTER_ROLE for a minter (one batch of calls)."""
        account = checked_address(account, allow_zero=True)
        held = self.call_many([self._holds(name, account) for name in ALL_ROLE_NAMES])
        return [name for name, has in zip(ALL_ROLE_NAMES, held, strict=True) if has]

    def _holds(self, name: str, account: str) -> tuple[Any, ...]:
        """The read that says whether `account` holds role `name`, for `call_many`."""
        if name == "MINTER_ROLE":
            return (CONTROLLER_PREFIX + "isMinter", self.address, account)
        return ("hasRole", role_id(name), account)

    def role_members(self, role: str | bytes, from_block: int | None = None) -> list[str]:
        """Current holders of a role, found from RoleGranted events (AccessControl keeps no list); the
        minters (MINTER_ROLE) from the mint controller's MinterConfigured events for this token."""
        role_bytes = role if isinstance(role, bytes) else parse_role(role)
        start = self.record.block if from_block is None else from_block
        if role_bytes == MINTER_ROLE:
            token_topic = self.w3.codec.encode(["address"], [self.address])  # the token, indexed
            configured = self.events.logs(
                ("MinterConfigured",), start, self.events.head(), topics=[token_topic]
            )
            candidates = sorted({event.args["minter"] for event in configured})
            reads: list[tuple[Any, ...]] = [
                (CONTROLLER_PREFIX + "isMinter", self.address, account) for account in candidates
            ]
        else:
            granted = self.events.logs(("RoleGranted",), start, self.events.head(), topics=[role_bytes])
            candidates = sorted({event.args["account"] for event in granted})
            reads = [("hasRole", role_bytes, account) for account in candidates]
        held = self.call_many(reads)
        return [account for account, has in zip(candidates, held, strict=True) if has]

    def minter_status(self, minter: str) -> MinterStatus:
        minter = checked_address(minter, allow_zero=True, what="minter")
        (capacity, rate), is_minter, allowance = self.call_many(
            [
                (CONTROLLER_PREFIX + "minterRefill", self.address, minter),
                (CONTROLLER_PREFIX + "isMinter", self.address, minter),
                (CONTROLLER_PREFIX + "minterAllowance", self.address, minter),
            ]
        )
        return MinterStatus(
            address=minter,
            is_minter=bool(is_minter),
            allowance=tiyn_to_kzt(int(allowance)),
            capacity=tiyn_to_kzt(int(capacity)),
            refill_per_second=tiyn_to_kzt(int(rate)),
        )

    def default_admin(self) -> str:
        return str(self.call("defaultAdmin"))

    def admin_status(self) -> AdminStatus:
        """Who is admin, who may accept the role and from when (unix time), and the handover delay."""
        (pending, schedule), admin, delay = self.call_many(
            [("pendingDefaultAdmin",), ("defaultAdmin",), ("defaultAdminDelay",)]
        )
        handover = pending != ZERO_ADDRESS
        return AdminStatus(
            admin=str(admin),
            pending_admin=str(pending) if handover else None,
            accept_after=int(schedule) if handover else None,
            delay_seconds=int(delay),
        )

    def nonce_of(self, owner: str) -> int:
        """The EIP-2612 permit nonce of `owner`."""
        return int(self.call("nonces", checked_address(owner, what="owner")))

    def authorization_state(self, authorizer: str, nonce: bytes | str) -> bool:
        """Whether the EIP-3009 authorization `nonce` of `authorizer` is used or cancelled."""
        return bool(self.call("authorizationState", checked_address(authorizer), _bytes32(nonce)))

    def status(self, account: str) -> AccountStatus:
        account = checked_address(account, allow_zero=True)
        reads = ["balanceOf", "frozenAmount", "isFrozen", "isBlocked", "tierOf"]
        reads += ["availableToSend", "availableToReceive", "frozenUntil"]
        values = self.call_many(
            [(name, account) for name in reads]
            + [(CONTROLLER_PREFIX + "minterAllowance", self.address, account)]
            + [self._holds(name, account) for name in ALL_ROLE_NAMES]
        )
        reads.append("minterAllowance")
        balance, held, frozen, blocked, tier, can_send, can_receive, until, allowance = values[: len(reads)]
        roles = [name for name, has in zip(ALL_ROLE_NAMES, values[len(reads) :], strict=True) if has]
        available = 0 if frozen else max(int(balance) - int(held), 0)
        return AccountStatus(
            address=account,
            balance=tiyn_to_kzt(int(balance)),
            available=tiyn_to_kzt(available),
            frozen=bool(frozen),
            frozen_until=int(until) or None,
            frozen_amount=tiyn_to_kzt(int(held)),
            blocked=bool(blocked),
            roles=roles,
            minter_allowance=tiyn_to_kzt(int(allowance)),
            tier=int(tier),
            available_to_send=tiyn_to_kzt(int(can_send)),
            available_to_receive=_limit(int(can_receive)),
        )

    # --- reads: the wallet policy -----------------------------------------------------------------------

    def policy_enabled(self) -> bool:
        return bool(self.call("policyEnabled"))

    def tier_of(self, account: str) -> int:
        return int(self.call("tierOf", checked_address(account, allow_zero=True)))

    def tier_limits(self, tier: int) -> TierLimits:
        max_balance, daily_outflow = self.call("tierLimits", _tier(tier))
        return TierLimits(tier, _limit(int(max_balance)), _limit(int(daily_outflow)))

    def all_tier_limits(self, from_block: int | None = None) -> list[TierLimits]:
        """Every tier ever configured (found from TierLimitsSet events) and tier 0, with today's limits."""
        start = self.record.block if from_block is None else from_block
        configured = self.events.logs(("TierLimitsSet",), start, self.events.head())
        tiers = sorted({0} | {int(event.args["tier"]) for event in configured})
        limits = self.call_many([("tierLimits", _tier(tier)) for tier in tiers])
        return [
            TierLimits(t, _limit(int(most)), _limit(int(daily)))
            for t, (most, daily) in zip(tiers, limits, strict=True)
        ]

    def linked_account(self, account: str) -> str | None:
        """The account that receives what exceeds `account`'s holding limit, None if unlinked."""
        linked = str(self.call("linkedAccount", checked_address(account, allow_zero=True)))
        return None if linked == ZERO_ADDRESS else linked

    def outflow_today(self, account: str) -> Decimal:
        """KZT `account` has sent today (UTC) against its daily limit."""
        return tiyn_to_kzt(int(self.call("outflowToday", checked_address(account, allow_zero=True))))

    def outflow_left_today(self, account: str) -> Decimal | None:
        """KZT `account` may still send today under its tier's daily limit, balance aside; None: no limit."""
        daily = self.tier_limits(self.tier_of(account)).daily_outflow
        if daily is None or not self.policy_enabled():
            return None
        return max(daily - self.outflow_today(account), Decimal("0.00"))

    def available_to_send(self, account: str) -> Decimal:
        """The most a transfer from `account` could move now: spendable balance within today's outflow."""
        return tiyn_to_kzt(int(self.call("availableToSend", checked_address(account, allow_zero=True))))

    def available_to_receive(self, account: str) -> Decimal | None:
        """The most `account` could receive now (with its linked account's room); None: no limit."""
        return _limit(int(self.call("availableToReceive", checked_address(account, allow_zero=True))))

    def wallet_policy(self, account: str) -> WalletPolicy:
        account = checked_address(account, allow_zero=True)
        tier = self.tier_of(account)
        enabled, (max_balance, daily_outflow), outflow, can_send, can_receive, linked = self.call_many(
            [
                ("policyEnabled",),
                ("tierLimits", tier),
                ("outflowToday", account),
                ("availableToSend", account),
                ("availableToReceive", account),
                ("linkedAccount", account),
            ]
        )
        return WalletPolicy(
            address=account,
            policy_enabled=bool(enabled),
            tier=tier,
            limits=TierLimits(tier, _limit(int(max_balance)), _limit(int(daily_outflow))),
            outflow_today=tiyn_to_kzt(int(outflow)),
            available_to_send=tiyn_to_kzt(int(can_send)),
            available_to_receive=_limit(int(can_receive)),
            linked_account=None if linked == ZERO_ADDRESS else str(linked),
        )

    def info(self) -> TokenInfo:
        reads = [
            "name",
            "symbol",
            "decimals",
            "version",
            "totalSupply",
            "supplyCap",
            "paused",
            "defaultAdmin",
        ]
        name, symbol, decimals, version, supply, cap, paused, admin = self.call_many([(r,) for r in reads])
        return TokenInfo(
            address=self.address,
            implementation=self.implementation(),
            chain_id=self.chain_id,
            name=str(name),
            symbol=str(symbol),
            decimals=int(decimals),
            version=str(version),
            total_supply=tiyn_to_kzt(int(supply)),
            supply_cap=None if int(cap) == UINT256_MAX else tiyn_to_kzt(int(cap)),
            paused=bool(paused),
            default_admin=str(admin),
        )

    # --- writes: holders ------------------------------------------------------------------------------

    def _write(self, function: str, *args: Any, description: str = "") -> Pending:
        sender = self.sender
        return sender.send_function(self.function(function, *args), description=description or function)

    def transfer(
        self,
        to: str,
        amount: Amount | None = None,
        *,
        tiyn: int | None = None,
        reference: Reference | None = None,
    ) -> Pending:
        """Sends `amount` KZT (or `tiyn=`) to `to`; with a `reference` (an invoice id), by
        `transferWithReference`, so that a `PaymentReference` event carries it (text up to 32 bytes stays
        readable: see references)."""
        to = checked_address(to, what="recipient")
        tiyn = _amount(amount, tiyn, nonzero=True)
        description = f"transfer {tiyn_to_kzt(tiyn)} KZT to {to}"
        if reference is None:
            return self._write("transfer", to, tiyn, description=description)
        return self._write(
            "transferWithReference", to, tiyn, reference_bytes32(reference), description=description
        )

    def transfer_from(
        self,
        owner: str,
        to: str,
        amount: Amount | None = None,
        *,
        tiyn: int | None = None,
        reference: Reference | None = None,
    ) -> Pending:
        owner = checked_address(owner, what="owner")
        to = checked_address(to, what="recipient")
        tiyn = _amount(amount, tiyn, nonzero=True)
        description = f"transferFrom {owner} to {to}"
        if reference is None:
            return self._write("transferFrom", owner, to, tiyn, description=description)
        reference_id = reference_bytes32(reference)
        return self._write(
            "transferFromWithReference", owner, to, tiyn, reference_id, description=description
        )

    def approve(self, spender: str, amount: Amount | None = None, *, tiyn: int | None = None) -> Pending:
        """Lets `spender` move up to `amount` KZT (or `tiyn=`); 0 revokes the allowance."""
        spender = checked_address(spender, what="spender")
        value = _amount(amount, tiyn)
        return self._write("approve", spender, value, description=f"approve {spender}")

    def domain(self) -> Domain:
        """The token's EIP-712 domain, read once from the chain."""
        if self._domain is None:
            _, name, version, chain_id, contract, _, _ = self.call("eip712Domain")
            self._domain = Domain(str(name), str(version), int(chain_id), str(contract))
        return self._domain

    def sign_permit(self, spender: str, amount: Amount, deadline: int | None = None) -> PermitSignature:
        """A permit signed by the signer (nothing is sent); `deadline` defaults to an hour from the chain's
        clock."""
        spender = checked_address(spender, what="spender")
        account = self._account()
        return sign_permit(
            account,
            self.domain(),
            spender,
            to_tiyn(amount),
            self.nonce_of(account.address),
            deadline if deadline is not None else self.chain_time() + 3600,
        )

    def permit(self, permit: PermitSignature) -> Pending:
        """Submits a holder's permit (anyone may); a refused one says why (a spent nonce, say)."""
        owner = checked_address(permit.owner, what="owner")
        try:
            return self._write(
                PERMIT_VRS,
                owner,
                checked_address(permit.spender, what="spender"),
                permit.value,
                permit.deadline,
                permit.v,
                _bytes32(permit.r),
                _bytes32(permit.s),
                description=f"permit {permit.owner} -> {permit.spender}",
            )
        except ContractRevert as refused:
            if refused.error_name != "ERC2612InvalidSigner":
                raise
            # The signature is checked against the owner's next nonce: a wrong one reads as a bad signer.
            current = self.nonce_of(owner)
            if permit.nonce < current:
                raise refused.explain(
                    f"permit already used: nonce {permit.nonce} is spent (the owner's next is {current})"
                ) from None
            if permit.nonce > current:
                raise refused.explain(
                    f"permit signed for nonce {permit.nonce}, but the owner's next nonce is {current}: "
                    "submit the earlier permits first"
                ) from None
            raise refused.explain(
                "the permit's signature does not match its fields (altered, or signed for another token)"
            ) from None

    def sign_transfer_authorization(
        self,
        to: str,
        amount: Amount,
        *,
        valid_after: int = 0,
        valid_before: int | None = None,
        nonce: bytes | None = None,
        receive: bool = False,
    ) -> TransferAuthorization:
        """An EIP-3009 authorization signed by the signer (nothing is sent); a random nonce by default."""
        to = checked_address(to, what="recipient")
        return sign_transfer_authorization(
            self._account(),
            self.domain(),
            to,
            to_tiyn(amount, nonzero=True),
            valid_after,
            valid_before if valid_before is not None else self.chain_time() + 3600,
            nonce if nonce is not None else os.urandom(32),
            receive=receive,
        )

    def submit_authorization(self, authorization: TransferAuthorization) -> Pending:
        """Relays an EIP-3009 authorization (a receive authorization only from its recipient)."""
        function = "receiveWithAuthorization" if authorization.receive else "transferWithAuthorization"
        recipient = checked_address(authorization.recipient, what="recipient")
        try:
            return self._write(
                RECEIVE_WITH_AUTHORIZATION_VRS if authorization.receive else TRANSFER_WITH_AUTHORIZATION_VRS,
                checked_address(authorization.sender, what="authorizer"),
                recipient,
                authorization.value,
                authorization.valid_after,
                authorization.valid_before,
                _bytes32(authorization.nonce),
                authorization.v,
                _bytes32(authorization.r),
                _bytes32(authorization.s),
                description=f"{function} {authorization.sender} -> {authorization.recipient}",
            )
        except ContractRevert as refused:
            submitter = self.signer
            if refused.error_name == "ERC3009CallerMustBePayee":
                raise refused.explain(
                    f"only the receiver may submit receiveWithAuthorization: it pays {recipient}, "
                    f"and {submitter} submitted it"
                ) from None
            if refused.error_name == "ERC3009UsedAuthorization":
                raise refused.explain(
                    f"authorization already used or cancelled: nonce {authorization.nonce} is spent"
                ) from None
            raise

    def sign_cancel_authorization(self, nonce: bytes | str) -> CancelAuthorization:
        return sign_cancel_authorization(self._account(), self.domain(), _bytes32(nonce))

    def cancel_authorization(self, cancel: CancelAuthorization) -> Pending:
        try:
            return self._write(
                CANCEL_AUTHORIZATION_VRS,
                checked_address(cancel.authorizer, what="authorizer"),
                _bytes32(cancel.nonce),
                cancel.v,
                _bytes32(cancel.r),
                _bytes32(cancel.s),
                description=f"cancelAuthorization {cancel.nonce}",
            )
        except ContractRevert as refused:
            if refused.error_name == "ERC3009UsedAuthorization":
                raise refused.explain(
                    f"authorization already used or cancelled: nonce {cancel.nonce} is spent"
                ) from None
            raise

    def relay(self, signed: Signed) -> Pending:
        """Submits any signed permit or authorization (from `signed_from_dict`), as its type requires."""
        if isinstance(signed, PermitSignature):
            return self.permit(signed)
        if isinstance(signed, TransferAuthorization):
            return self.submit_authorization(signed)
        return self.cancel_authorization(signed)

    # --- writes: issuance -----------------------------------------------------------------------------

    def mint(self, to: str, amount: Amount | None = None, *, tiyn: int | None = None) -> Pending:
        to = checked_address(to, what="recipient")
        tiyn = _amount(amount, tiyn, nonzero=True)
        return self._write("mint", to, tiyn, description=f"mint {tiyn_to_kzt(tiyn)} KZT to {to}")

    def burn(self, amount: Amount | None = None, *, tiyn: int | None = None) -> Pending:
        tiyn = _amount(amount, tiyn, nonzero=True)
        return self._write("burn", tiyn, description=f"burn {tiyn_to_kzt(tiyn)} KZT")

    def configure_minter(
        self,
        minter: str,
        allowance: Amount,
        *,
        capacity: Amount | None = None,
        refill_per_second: Amount = NO_REFILL,
        reason: Reason,
    ) -> Pending:
        """At the mint controller (the signer holds the token's MINTER_ADMIN_ROLE): a fixed allowance, or
        with `capacity` an allowance that refills at `refill_per_second` KZT; `reason` goes on chain."""
        minter = checked_address(minter, what="minter")
        cited = reason_bytes32(reason)
        if capacity is None:
            return self._write_controller(
                "configureMinter",
                self.address,
                minter,
                to_tiyn(allowance),
                cited,
                description="configureMinter",
            )
        return self._write_controller(
            "configureMinterWithRefill",
            self.address,
            minter,
            to_tiyn(allowance),
            to_tiyn(capacity),
            to_tiyn(refill_per_second),
            cited,
            description="configureMinterWithRefill",
        )

    def remove_minter(self, minter: str, reason: Reason) -> Pending:
        """Ends `minter`'s minting and deletes its allowance, at the mint controller (MINTER_ADMIN_ROLE)."""
        minter = checked_address(minter, what="minter")
        return self._write_controller(
            "removeMinter", self.address, minter, reason_bytes32(reason), description="removeMinter"
        )

    def renounce_minter(self) -> Pending:
        """The signer stops being a minter of this token (a retired key)."""
        return self._write_controller("renounceMinter", self.address, description="renounceMinter")

    def _write_controller(self, function: str, *args: Any, description: str) -> Pending:
        return self.sender.send_function(self.controller_function(function, *args), description=description)

    def set_supply_cap(self, cap: Amount | None, reason: Reason) -> Pending:
        """Caps total supply at `cap` KZT; None lifts the cap (admin)."""
        return self._write(
            "setSupplyCap", UINT256_MAX if cap is None else to_tiyn(cap), reason_bytes32(reason)
        )

    # --- writes: interventions, each citing a reason ----------------------------------------------------

    def freeze(self, account: str, expires_at: Expiry, reason: Reason) -> Pending:
        """Freezes `account` until `expires_at` (unix seconds, a datetime, or a timedelta from the chain's
        clock), at most `max_restriction_term()` ahead; on a frozen account, renews the freeze under
        another reason (FREEZER_ROLE)."""
        account = checked_address(account)
        until = self._expiry(expires_at)
        return self._write("freeze", account, until, reason_bytes32(reason), description=f"freeze {account}")

    def unfreeze(self, account: str, reason: Reason) -> Pending:
        """Lifts the freeze of `account` before it lapses (FREEZER_ROLE)."""
        return self._write("unfreeze", checked_address(account), reason_bytes32(reason))

    def place_hold(self, account: str, amount: Amount, expires_at: Expiry, order: Reason) -> Pending:
        """Holds `amount` KZT of `account` under `order` (a court's lien: the order's text, hashed, or its
        0x-hex id) until `expires_at`; an order names one hold, once per account (FREEZER_ROLE)."""
        account = checked_address(account)
        value = to_tiyn(amount, nonzero=True)
        until = self._expiry(expires_at)
        return self._write(
            "placeHold",
            account,
            value,
            until,
            reason_bytes32(order),
            description=f"hold {tiyn_to_kzt(value)} KZT of {account}",
        )

    def release_hold(self, account: str, order: Reason, amount: Amount, reason: Reason) -> Pending:
        """Releases `amount` KZT of the hold `order` on `account`, citing `reason` (FREEZER_ROLE)."""
        account = checked_address(account)
        value = to_tiyn(amount, nonzero=True)
        return self._write(
            "releaseHold",
            account,
            reason_bytes32(order),
            value,
            reason_bytes32(reason),
            description=f"release {tiyn_to_kzt(value)} KZT of {account}'s hold",
        )

    def set_max_restriction_term(self, seconds: int, reason: Reason) -> Pending:
        """Sets the longest term of a new freeze or hold at the seizure controller (admin): a shorter
        term applies at once, a longer one after the admin's delay; those placed before keep theirs."""
        if isinstance(seconds, bool) or not isinstance(seconds, int) or not 1 <= seconds <= UINT32_MAX:
            raise InvalidInput(f"longest term {seconds!r}: give whole seconds from 1 to {UINT32_MAX}")
        return self._write_seizures(
            "setMaxRestrictionTerm",
            self.address,
            seconds,
            reason_bytes32(reason),
            description=f"longest term {duration_text(seconds)}",
        )

    def settle_restrictions(self, account: str) -> Pending:
        """Drops the lapsed freeze and holds of `account` (anyone may): its debits read one word again."""
        account = checked_address(account)
        return self._write(
            "settleRestrictions", account, description=f"settle the lapsed restrictions of {account}"
        )

    def setting_change(self, receipt: Receipt) -> SettingChange:
        """What a `set_max_restriction_term` or `set_seizure_notice_period` receipt set, and whether it
        applied at once or waits for the admin's delay (the event's `effectiveAt` against its block time)."""
        for event in self.receipt_events(receipt):
            if event.name in _SETTING_EVENTS:
                setting, value = _SETTING_EVENTS[event.name]
                with talking("eth_getBlockByNumber"):
                    mined_at = int(self.w3.eth.get_block(receipt.block)["timestamp"])
                effective_at = int(event.args["effectiveAt"])
                return SettingChange(
                    setting=setting,
                    seconds=int(event.args[value]),
                    effective_at=effective_at,
                    at_once=effective_at <= mined_at,
                )
        raise InvalidInput(f"transaction {receipt.hash} set neither the longest term nor the notice")

    def _expiry(self, expires_at: Expiry) -> int:
        """Unix seconds of an expiry; a timedelta counts from the chain's clock, not this machine's."""
        if isinstance(expires_at, timedelta):
            return resolve_expiry(expires_at, self.chain_time())
        return resolve_expiry(expires_at, 0)

    def block(self, account: str, reason: Reason) -> Pending:
        return self._write("blockAccount", checked_address(account), reason_bytes32(reason))

    def unblock(self, account: str, reason: Reason) -> Pending:
        return self._write("unblockAccount", checked_address(account), reason_bytes32(reason))

    def freeze_many(self, accounts: Sequence[str], expires_at: Expiry, reason: Reason) -> Pending:
        """Freezes every account until `expires_at` in one transaction (the token's multicall): all of
        them, or none."""
        return self._each("freeze", accounts, self._expiry(expires_at), reason_bytes32(reason))

    def unfreeze_many(self, accounts: Sequence[str], reason: Reason) -> Pending:
        return self._each("unfreeze", accounts, reason_bytes32(reason))

    def block_many(self, accounts: Sequence[str], reason: Reason) -> Pending:
        """Blocklists every account in one transaction: all of them, or none."""
        return self._each("blockAccount", accounts, reason_bytes32(reason))

    def unblock_many(self, accounts: Sequence[str], reason: Reason) -> Pending:
        return self._each("unblockAccount", accounts, reason_bytes32(reason))

    def _each(self, function: str, accounts: Sequence[str], *rest: Any) -> Pending:
        """`function(account, *rest)` for each account, one multicall; a repeated account is refused."""
        checked = [checked_address(account) for account in accounts]
        if not checked:
            raise InvalidInput("no accounts given")
        repeated = [account for account, times in Counter(checked).items() if times > 1]
        if repeated:
            raise InvalidInput(f"account(s) listed more than once: {', '.join(repeated)}")
        if len(checked) == 1:
            return self._write(function, checked[0], *rest)
        calls = [self.encode(function, account, *rest) for account in checked]
        try:
            return self.multicall(*calls, description=f"{function} of {len(calls)} accounts")
        except ContractRevert as refused:
            if refused.error_name != "FailedCall" and (refused.error_name != "UnknownRevert" or refused.data):
                raise
            # A call that reverts says why (its own error bubbles up); a batch that says nothing (out of gas
            # in a call: FailedCall, or in the batch itself: no data at all) is more than the gas cap.
            raise refused.explain(
                f"{function} of {len(calls)} accounts does not fit in one transaction (the node's gas cap): "
                "give fewer accounts at a time"
            ) from None

    # --- writes: seizures, at the seizure controller -----------------------------------------------------

    def propose_seizure(
        self, account: str, to: str | None, amount: Amount, order: Reason, reason: Reason
    ) -> Pending:
        """Proposes to seize `amount` KZT of `account`'s hold `order` to `to` (None: burn it), citing
        `reason` (SEIZURE_PROPOSER_ROLE); the id is in the receipt (`proposed_seizure_id`)."""
        source = checked_address(account, what="account")
        target = ZERO_ADDRESS if to is None else checked_address(to, what="recipient")
        value = to_tiyn(amount, nonzero=True)
        return self._write_seizures(
            "proposeSeizure",
            self.address,
            source,
            target,
            value,
            reason_bytes32(order),
            reason_bytes32(reason),
            description=f"propose to seize {tiyn_to_kzt(value)} KZT of {source}",
        )

    def proposed_seizure_id(self, receipt: Receipt) -> int:
        """The id of the seizure a `propose_seizure` receipt proposed."""
        return self._event_id(receipt, "SeizureProposed", "proposed no seizure of this token")

    def _event_id(self, receipt: Receipt, name: str, none: str) -> int:
        """The `id` of the first `name` event in a receipt (a seizure's, a purpose's)."""
        for event in self.receipt_events(receipt):
            if event.name == name:
                return int(event.args["id"])
        raise InvalidInput(f"transaction {receipt.hash} {none}")

    def approve_seizure(self, seizure_id: int, reason: Reason) -> Pending:
        """Approves another's proposal; its notice starts now (SEIZURE_APPROVER_ROLE, not the proposer)."""
        number = self.seizure(seizure_id).id
        return self._write_seizures(
            "approveSeizure", number, reason_bytes32(reason), description=f"approve seizure #{number}"
        )

    def execute_seizure(self, seizure_id: int) -> Pending:
        """Executes an approved seizure once its notice has passed (anyone may); too early, the refusal
        says when it will be ready."""
        number = self.seizure(seizure_id).id
        try:
            return self._write_seizures("executeSeizure", number, description=f"execute seizure #{number}")
        except ContractRevert as refused:
            if refused.error_name != "SeizureNotReady":
                raise
            wait = int(refused.arguments["readyAt"]) - self.chain_time()
            raise refused.explain(f"{refused.explanation} (in {duration_text(max(wait, 1))})") from None

    def cancel_seizure(self, seizure_id: int, reason: Reason) -> Pending:
        """Cancels a proposed or approved seizure (SEIZURE_PROPOSER_ROLE or SEIZURE_APPROVER_ROLE)."""
        number = self.seizure(seizure_id).id
        return self._write_seizures(
            "cancelSeizure", number, reason_bytes32(reason), description=f"cancel seizure #{number}"
        )

    def set_seizure_notice_period(self, seconds: int, reason: Reason) -> Pending:
        """Sets how long this token's seizures wait after approval (admin): a longer notice applies at
        once, a shorter one after the admin's delay; approved seizures keep theirs."""
        if isinstance(seconds, bool) or not isinstance(seconds, int) or not 0 <= seconds <= UINT32_MAX:
            raise InvalidInput(f"notice period {seconds!r}: give whole seconds from 0 to {UINT32_MAX}")
        return self._write_seizures(
            "setNoticePeriod",
            self.address,
            seconds,
            reason_bytes32(reason),
            description=f"seizure notice {duration_text(seconds)}",
        )

    def _write_seizures(self, function: str, *args: Any, description: str) -> Pending:
        return self.sender.send_function(self.seizures_function(function, *args), description=description)

    def set_tier(self, account: str, tier: int, reason: Reason) -> Pending:
        """Puts `account` in `tier` (KYC_ROLE)."""
        account = checked_address(account)
        return self._write(
            "setTier", account, _tier(tier), reason_bytes32(reason), description=f"tier {tier} for {account}"
        )

    def set_tier_limits(
        self, tier: int, max_balance: Amount | None, daily_outflow: Amount | None, reason: Reason
    ) -> Pending:
        """Caps what an account of `tier` may hold and send per UTC day, in KZT; None is no limit (admin)."""
        return self._write(
            "setTierLimits",
            _tier(tier),
            UINT256_MAX if max_balance is None else to_tiyn(max_balance),
            UINT256_MAX if daily_outflow is None else to_tiyn(daily_outflow),
            reason_bytes32(reason),
            description=f"limits of tier {tier}",
        )

    def set_linked_account(self, account: str, linked: str | None, reason: Reason) -> Pending:
        """Proposes to pass what exceeds `account`'s holding limit on to `linked`, from when the holder
        accepts (`accept_linked_account`); None unlinks at once (KYC_ROLE)."""
        account = checked_address(account)
        target = ZERO_ADDRESS if linked is None else checked_address(linked, what="linked account")
        return self._write("setLinkedAccount", account, target, reason_bytes32(reason))

    def accept_linked_account(self, linked: str) -> Pending:
        """The signer, a holder, consents to the link KYC proposed for its account to `linked`."""
        return self._write("acceptLinkedAccount", checked_address(linked, what="linked account"))

    def proposed_linked_account(self, account: str) -> str | None:
        """The link proposed for `account` and waiting for its holder, or None."""
        linked, _reason = self.call("proposedLinkedAccount", checked_address(account, allow_zero=True))
        return None if linked == ZERO_ADDRESS else str(linked)

    def set_policy_enabled(self, enabled: bool, reason: Reason) -> Pending:
        """Switches tiers, limits and the waterfall on or off as a whole (admin)."""
        return self._write("setPolicyEnabled", enabled, reason_bytes32(reason))

    def pause(self, reason: Reason) -> Pending:
        return self._write("pause", reason_bytes32(reason))

    def unpause(self, reason: Reason) -> Pending:
        return self._write("unpause", reason_bytes32(reason))

    def rescue(self, token: str, to: str, amount_units: int, reason: Reason) -> Pending:
        """Sends `amount_units` (in that token's own units) of another token held by this contract."""
        if amount_units < 0:
            raise InvalidInput("a rescued amount cannot be negative")
        return self._write(
            "rescue",
            checked_address(token, what="token"),
            checked_address(to, what="recipient"),
            amount_units,
            reason_bytes32(reason),
        )

    # --- writes: roles and upgrades ---------------------------------------------------------------------

    def _write_citing(self, reason: Reason, function: str, *args: Any, description: str = "") -> Pending:
        """`function(args)` and `citeReason(reason)` in one multicall: the reason of a call of
        OpenZeppelin's that takes none (role changes, default-admin handover steps), on chain beside it."""
        calls = [self.encoder(function)(*args), self.encoder("citeReason")(reason_bytes32(reason))]
        return self._write("multicall", calls, description=description or function)

    def grant_role(self, role: str | bytes, account: str, reason: Reason) -> Pending:
        """Grants a role of the token, citing `reason`; a minter is configured with an allowance instead
        (MINTER_ROLE is the mint controller's record, not a role of the token)."""
        role_bytes = role if isinstance(role, bytes) else parse_role(role)
        account = checked_address(account)
        if role_bytes == MINTER_ROLE:
            raise InvalidInput(
                f"{role_name(role_bytes)} is not granted: a minter is configured with its allowance at the "
                f"mint controller (configure_minter; `tenge minter configure {account} AMOUNT`)"
            )
        return self._write_citing(reason, "grantRole", role_bytes, account, description="grantRole")

    def revoke_role(self, role: str | bytes, account: str, reason: Reason) -> Pending:
        """Revokes a role of the token, citing `reason`; MINTER_ROLE removes the minter at the mint
        controller."""
        role_bytes = role if isinstance(role, bytes) else parse_role(role)
        if role_bytes == MINTER_ROLE:
            return self.remove_minter(account, reason)
        return self._write_citing(
            reason, "revokeRole", role_bytes, checked_address(account), description="revokeRole"
        )

    def renounce_role(self, role: str | bytes, reason: Reason | None = None) -> Pending:
        """Gives up a role of the signer's (citing `reason` if given); MINTER_ROLE renounces minting at
        the mint controller."""
        role_bytes = role if isinstance(role, bytes) else parse_role(role)
        if role_bytes == MINTER_ROLE:
            return self.renounce_minter()
        if reason is None:
            return self._write("renounceRole", role_bytes, self._account().address)
        return self._write_citing(reason, "renounceRole", role_bytes, self._account().address)

    def begin_default_admin_transfer(self, new_admin: str, reason: Reason) -> Pending:
        new_admin = checked_address(new_admin, what="new admin")
        return self._write_citing(reason, "beginDefaultAdminTransfer", new_admin)

    def accept_default_admin_transfer(self, reason: Reason) -> Pending:
        return self._write_citing(reason, "acceptDefaultAdminTransfer")

    def cancel_default_admin_transfer(self, reason: Reason) -> Pending:
        return self._write_citing(reason, "cancelDefaultAdminTransfer")

    def change_default_admin_delay(self, seconds: int, reason: Reason) -> Pending:
        if not 0 <= seconds < 2**48:
            raise InvalidInput(f"delay {seconds} s is out of range")
        return self._write_citing(reason, "changeDefaultAdminDelay", seconds)

    def rollback_default_admin_delay(self, reason: Reason) -> Pending:
        return self._write_citing(reason, "rollbackDefaultAdminDelay")

    def multicall(self, *calls: str, description: str = "") -> Pending:
        """Several calls of the token in one transaction, all or none (calldata from `encode`)."""
        payload = [bytes.fromhex(call.removeprefix("0x")) for call in calls]
        return self._write(
            "multicall", payload, description=description or f"multicall of {len(payload)} calls"
        )

    def announce_upgrade(self, implementation: str, data: bytes = b"", *, reason: Reason) -> Pending:
        """Gives notice of an upgrade to `implementation` running `data` (UPGRADER_ROLE); it may run once
        the default admin's delay has passed (`pending_upgrade().ready_at`), unless the admin cancels it."""
        return self._write(
            "announceUpgrade",
            checked_address(implementation, what="implementation"),
            Web3.keccak(data),
            reason_bytes32(reason),
        )

    def cancel_upgrade(self, reason: Reason) -> Pending:
        """Cancels the announced upgrade (the default admin)."""
        return self._write("cancelUpgrade", reason_bytes32(reason))

    def pending_upgrade(self) -> PendingUpgrade | None:
        """The announced upgrade, or None."""
        implementation, data_hash, code_hash, ready_at, reason = self.call("pendingUpgrade")
        if implementation == ZERO_ADDRESS:
            return None
        with talking("eth_getCode"):
            code = self.w3.eth.get_code(implementation)
        return PendingUpgrade(
            implementation=str(implementation),
            data_hash="0x" + bytes(data_hash).hex(),
            code_hash="0x" + bytes(code_hash).hex(),
            ready_at=int(ready_at),
            reason="0x" + bytes(reason).hex(),
            code_unchanged=Web3.keccak(bytes(code)) == bytes(code_hash),
        )

    def upgrade_to_and_call(self, implementation: str, data: bytes = b"") -> Pending:
        """Runs the announced upgrade (UPGRADER_ROLE): exactly the implementation and call announced, once
        their time has come (else `UpgradeNotAnnounced` or `UpgradeNotReady`, before anything is signed)."""
        return self._write("upgradeToAndCall", checked_address(implementation, what="implementation"), data)

    # --- earmarked tenge, at the earmark contract -------------------------------------------------------

    def _write_earmarks(self, function: str, *args: Any, description: str) -> Pending:
        return self.sender.send_function(self.earmarks_function(function, *args), description=description)

    def earmarks_multicall(self, calls: Sequence[bytes], description: str = "") -> Pending:
        """Several calls of the earmark contract in one transaction, all or none (`earmarks_encoder`)."""
        return self._write_earmarks(
            "multicall", list(calls), description=description or f"earmark multicall of {len(calls)} calls"
        )

    def create_purpose(self, name: str | bytes, expires_at: Expiry, reason: Reason) -> Pending:
        """Opens a purpose funded by the signer (the token's BUDGET_HOLDER_ROLE) until `expires_at` (unix
        seconds, a datetime, or a timedelta from the chain's clock); its id is in the receipt
        (`created_purpose_id`). `name`: text up to 32 bytes stays readable, longer text is hashed."""
        label = purpose_name_bytes32(name)
        until = self._expiry(expires_at)
        return self._write_earmarks(
            "createPurpose",
            label,
            until,
            reason_bytes32(reason),
            description=f"open purpose {purpose_name_text(label)}",
        )

    def created_purpose_id(self, receipt: Receipt) -> int:
        """The id of the purpose a `create_purpose` receipt opened."""
        return self._event_id(receipt, "PurposeCreated", "opened no purpose")

    def approve_recipient(
        self, purpose: int, account: str, kind: RecipientKind | int | str, reason: Reason
    ) -> Pending:
        """Approves `account` for `purpose` as intermediate (the mark follows) or final (plain DKZT); again
        changes its kind (the purpose's funder)."""
        number = purpose_id(purpose)
        account = checked_address(account, what="recipient")
        chosen = _recipient_kind(kind)
        return self._write_earmarks(
            "approveRecipient",
            number,
            account,
            int(chosen),
            reason_bytes32(reason),
            description=f"approve {account} as {chosen.label} recipient of purpose {number}",
        )

    def remove_recipient(self, purpose: int, account: str, reason: Reason) -> Pending:
        """Removes `account` from `purpose`'s recipients: it receives nothing more (the funder)."""
        number = purpose_id(purpose)
        account = checked_address(account, what="recipient")
        return self._write_earmarks(
            "removeRecipient",
            number,
            account,
            reason_bytes32(reason),
            description=f"remove {account} from purpose {number}",
        )

    def deposit(self, purpose: int, amount: Amount | None = None, *, tiyn: int | None = None) -> Pending:
        """Moves `amount` KZT of the signer's into `purpose`'s pool; sends the token's `approve` to the
        earmark contract first if its allowance is short (the deposit is then sent after it, by nonce)."""
        number = purpose_id(purpose)
        value = _amount(amount, tiyn, nonzero=True)
        spender = self.earmarks_contract().address
        owner = self._account().address
        allowed = int(self.call("allowance", owner, spender))
        if allowed < value:
            self.approve(spender, tiyn=value).wait()
        return self._write_earmarks(
            "deposit", number, value, description=f"deposit {tiyn_to_kzt(value)} KZT into purpose {number}"
        )

    def withdraw(
        self, purpose: int, amount: Amount | None = None, *, tiyn: int | None = None, reason: Reason
    ) -> Pending:
        """Takes `amount` KZT of `purpose`'s pool (deposited, not earmarked) back (the funder)."""
        number = purpose_id(purpose)
        value = _amount(amount, tiyn, nonzero=True)
        return self._write_earmarks(
            "withdraw",
            number,
            value,
            reason_bytes32(reason),
            description=f"withdraw {tiyn_to_kzt(value)} KZT from purpose {number}",
        )

    def earmark(
        self,
        purpose: int,
        to: str,
        amount: Amount | None = None,
        *,
        tiyn: int | None = None,
        disbursement: bytes | str | None = None,
    ) -> Pending:
        """Earmarks `amount` KZT of `purpose`'s pool to the approved recipient `to` (the funder), under a
        disbursement id that pays once (None: none; text is kept or hashed as a reference is)."""
        number = purpose_id(purpose)
        to = checked_address(to, what="recipient")
        value = _amount(amount, tiyn, nonzero=True)
        paid_once = bytes(32) if disbursement is None else reference_bytes32(disbursement)
        return self._write_earmarks(
            "earmark",
            number,
            to,
            value,
            paid_once,
            description=f"earmark {tiyn_to_kzt(value)} KZT of purpose {number} to {to}",
        )

    def pay_earmarked(
        self, purpose: int, to: str, amount: Amount | None = None, *, tiyn: int | None = None
    ) -> Pending:
        """Pays `amount` KZT of the signer's earmarked balance of `purpose` to the approved recipient `to`:
        still earmarked to an intermediate one, as plain DKZT to a final one."""
        number = purpose_id(purpose)
        to = checked_address(to, what="recipient")
        value = _amount(amount, tiyn, nonzero=True)
        return self._write_earmarks(
            "pay", number, to, value, description=f"pay {tiyn_to_kzt(value)} KZT of purpose {number} to {to}"
        )

    def close_purpose(self, purpose: int) -> Pending:
        """Returns everything unspent of an expired purpose to its funder (anyone may)."""
        number = purpose_id(purpose)
        try:
            return self._write_earmarks("close", number, description=f"close purpose {number}")
        except ContractRevert as refused:
            if refused.error_name != "PurposeNotExpired":
                raise
            wait = int(refused.arguments["expiresAt"]) - self.chain_time()
            raise refused.explain(
                f"purpose {number} runs until {utc_text(int(refused.arguments['expiresAt']))} "
                f"(in {duration_text(max(wait, 1))})"
            ) from None

    def purpose_count(self) -> int:
        return int(self.earmarks_call("purposeCount"))

    def purpose(self, purpose: int) -> Purpose:
        """Purpose `purpose` as it stands; InvalidInput for an unknown id."""
        number = purpose_id(purpose)
        raw, returnable, count = self.call_many(
            [
                (EARMARKS_PREFIX + "purpose", number),
                (EARMARKS_PREFIX + "returnable", number),
                (EARMARKS_PREFIX + "purposeCount",),
            ]
        )
        if raw[0] == ZERO_ADDRESS:
            known = f"its ids run from 1 to {count}" if count else "no purpose has been opened yet"
            raise InvalidInput(f"unknown purpose {number}: {known}")
        return _purpose(number, raw, int(returnable), self.chain_time())

    def purposes(self) -> list[Purpose]:
        """Every purpose opened at the earmark contract, as each stands (one batch of calls)."""
        count = self.purpose_count()
        if count == 0:
            return []
        numbers = range(1, count + 1)
        answers = self.call_many(
            [(EARMARKS_PREFIX + view, n) for n in numbers for view in ("purpose", "returnable")]
        )
        now = self.chain_time()
        return [_purpose(n, answers[2 * i], int(answers[2 * i + 1]), now) for i, n in enumerate(numbers)]

    def recipient_kind(self, purpose: int, account: str) -> RecipientKind:
        account = checked_address(account, allow_zero=True)
        return RecipientKind(int(self.earmarks_call("recipientKind", purpose_id(purpose), account)))

    def earmarked_balance(self, purpose: int, holder: str) -> Decimal:
        """KZT of `purpose` earmarked to `holder` (zero from the expiry on: then the funder's)."""
        holder = checked_address(holder, allow_zero=True)
        return tiyn_to_kzt(int(self.earmarks_call("balanceOf", purpose_id(purpose), holder)))

    def earmarked_balances(self, holder: str) -> dict[int, Decimal]:
        """`holder`'s earmarked KZT in every purpose it holds any of (one batch of calls)."""
        holder = checked_address(holder, allow_zero=True)
        count = self.purpose_count()
        if count == 0:
            return {}
        found = self.call_many([(EARMARKS_PREFIX + "balanceOf", n, holder) for n in range(1, count + 1)])
        return {n: tiyn_to_kzt(int(b)) for n, b in zip(range(1, count + 1), found, strict=True) if int(b)}

    def disbursements_used(self, funder: str, disbursements: Sequence[bytes]) -> list[bool]:
        """Whether `funder` used each disbursement id (`disbursementUsed`), DISBURSEMENTS_PER_CALL a call
        through the earmark contract's `multicall`: the chain's own record, whatever any file says."""
        funder = checked_address(funder, allow_zero=True)
        used = self.earmarks_encoder("disbursementUsed")
        found: list[bool] = []
        for start in range(0, len(disbursements), DISBURSEMENTS_PER_CALL):
            chunk = disbursements[start : start + DISBURSEMENTS_PER_CALL]
            answers = self.earmarks_call("multicall", [used(funder, bytes(d)) for d in chunk])
            found += [bool(int.from_bytes(bytes(a), "big")) for a in answers]
        return found

    # --- events ---------------------------------------------------------------------------------------

    def logs(
        self,
        names: Sequence[str],
        from_block: int | None = None,
        to_block: int | None = None,
        *,
        page_size: int | None = None,
        stats: PageStats | None = None,
        with_time: bool = False,
    ) -> Iterator[EventLog]:
        """Events by name, from the deployment block to the head unless told otherwise, paged."""
        start = self.record.block if from_block is None else from_block
        end = self.events.head() if to_block is None else to_block
        return self.events.logs(names, start, end, page_size=page_size, stats=stats, with_time=with_time)

    def history(
        self,
        account: str,
        from_block: int | None = None,
        to_block: int | None = None,
        page_size: int | None = None,
    ) -> list[HistoryEntry]:
        account = checked_address(account, allow_zero=True)
        start = self.record.block if from_block is None else from_block
        end = self.events.head() if to_block is None else to_block
        return self.events.history(account, start, end, page_size=page_size)

    def audit(
        self, from_block: int | None = None, to_block: int | None = None, page_size: int | None = None
    ) -> list[AuditEntry]:
        start = self.record.block if from_block is None else from_block
        end = self.events.head() if to_block is None else to_block
        return self.events.audit(start, end, page_size=page_size)

    # --- the event index ------------------------------------------------------------------------

    def open_index(self, url: str | None = None) -> EventIndex:
        """The event index of this deployment at `url` (default: an SQLite file beside the deployment
        records), created when new; refused when it belongs to another token or chain."""
        if url is None:
            DEFAULT_DIRECTORY.mkdir(parents=True, exist_ok=True)
            url = default_url(self.chain_id, self.address, DEFAULT_DIRECTORY)
        index = EventIndex.open(
            url, chain_id=self.chain_id, token=self.address, start_block=self.record.block
        )
        index.check_chain(self.events)
        return index

    def read_index(self, url: str | None = None) -> EventIndex:
        """The event index at `url` to read from (history, audit, a report as it stands): it must exist,
        hold something, and be of this chain, up to a checkpoint the node still has; nothing is created."""
        url = url or default_url(self.chain_id, self.address, DEFAULT_DIRECTORY)
        index = EventIndex.open(
            url, chain_id=self.chain_id, token=self.address, start_block=self.record.block, create=False
        )
        index.check_chain(self.events, reading=True)
        return index

    def sync_index(
        self,
        index: EventIndex,
        *,
        confirmations: int | None = None,
        to_block: int | None = None,
        page_blocks: int = DEFAULT_PAGE_BLOCKS,
        on_page: Callable[[int, int, int], None] | None = None,
    ) -> SyncResult:
        """Brings `index` up to the chain: what is new, `confirmations` deep (default: none on a dev
        chain, LIVE_CONFIRMATIONS on a live one), rolled back first past any reorganisation."""
        depth = default_confirmations(self.chain_id) if confirmations is None else confirmations
        return index.sync(
            self.events, confirmations=depth, to_block=to_block, page_blocks=page_blocks, on_page=on_page
        )

    def audit_from_index(
        self, index: EventIndex, from_block: int | None = None, to_block: int | None = None
    ) -> list[AuditEntry]:
        """The audit trail read from `index` alone (as far as it reaches), as `audit` reads the node."""
        self.events.use_seizure_records(seizure_records(index.events(SEIZURE_RECORD_EVENTS)))
        start = 0 if from_block is None else from_block
        found = index.events(self.events.audit_names, from_block=start, to_block=to_block)
        return self.events.audit_of(list(found), senders=index.senders(start, to_block))

    def history_from_index(
        self, index: EventIndex, account: str, from_block: int | None = None, to_block: int | None = None
    ) -> list[HistoryEntry]:
        """`account`'s movements read from `index` alone, as `history` reads them from the node."""
        account = checked_address(account, what="account")
        start = 0 if from_block is None else from_block
        end = (index.state().checkpoint or 0) if to_block is None else to_block
        # A payment names its payer and payee; a waterfall's legs the receiver and its linked account.
        names = ("Transfer", "PaymentReference", "Waterfall", "Seized")
        tx_hashes = index.transactions_of(account, names, start, end)
        found = list(index.events(from_block=start, to_block=end, tx_hashes=tx_hashes)) if tx_hashes else []
        return history_of(found, account)

    def watch(
        self,
        names: Sequence[str],
        *,
        from_block: int | None = None,
        poll_interval: float = 1.0,
        confirmations: int = 0,
        should_stop: Callable[[], bool] | None = None,
    ) -> Iterator[EventLog]:
        return self.events.watch(
            names,
            from_block=from_block,
            poll_interval=poll_interval,
            confirmations=confirmations,
            should_stop=should_stop,
        )

    def receipt_events(self, receipt: Receipt) -> list[EventLog]:
        """The token's events in a receipt (web3.py's `process_receipt`, the token's logs only)."""
        return self.events.from_logs(receipt.logs)

    # --- helpers --------------------------------------------------------------------------------------

    def _account(self) -> LocalAccount:
        if self._signer is None:
            raise KeyProblem("signing needs a key: give a signer (keystore or TENGE_PRIVATE_KEY)")
        return self._signer


def _amount(amount: Amount | None, tiyn: int | None, *, nonzero: bool = False) -> int:
    """The amount of a money mover: KZT (or a `Tiyn`) as `amount`, or plain tiyn as `tiyn=`, not both."""
    if (amount is None) == (tiyn is None):
        raise InvalidAmount("give the amount in KZT (amount) or in tiyn (tiyn=), exactly one of them")
    if tiyn is not None:
        if isinstance(tiyn, bool) or not isinstance(tiyn, int):
            raise InvalidAmount(f"tiyn={tiyn!r}: tiyn are a whole number (int)")
        return to_tiyn(Tiyn(tiyn), nonzero=nonzero)
    assert amount is not None
    return to_tiyn(amount, nonzero=nonzero)


def _recipient_kind(kind: RecipientKind | int | str) -> RecipientKind:
    try:
        chosen = RecipientKind[kind.upper()] if isinstance(kind, str) else RecipientKind(int(kind))
    except (KeyError, ValueError):
        chosen = RecipientKind.NONE
    if chosen is RecipientKind.NONE:
        raise InvalidInput(f"recipient kind {kind!r}: intermediate (1) or final (2)")
    return chosen


def _purpose(number: int, raw: Any, returnable: int, now: int) -> Purpose:
    """`purpose(id)`'s struct: funder, expiresAt, closed, name, reason, pool, outstanding."""
    funder, expires_at, closed, name, reason, pool, outstanding = raw
    return Purpose(
        id=number,
        funder=str(funder),
        name=purpose_name_text(bytes(name)),
        reason="0x" + bytes(reason).hex(),
        expires_at=int(expires_at),
        closed=bool(closed),
        pool=tiyn_to_kzt(int(pool)),
        outstanding=tiyn_to_kzt(int(outstanding)),
        returnable=tiyn_to_kzt(returnable),
        status=purpose_status(bool(closed), int(expires_at), now),
    )


def _hold(account: str, order: bytes, amount: int, expires_at: int, now: int) -> Hold:
    status = hold_status(amount, expires_at, now)
    return Hold(
        account=account,
        order="0x" + order.hex(),
        amount=tiyn_to_kzt(amount),
        expires_at=expires_at or None,
        status=status,
    )


_SETTING_EVENTS = {
    "MaxRestrictionTermChanged": (DueProcessSetting.MAX_RESTRICTION_TERM, "term"),
    "NoticePeriodChanged": (DueProcessSetting.NOTICE_PERIOD, "period"),
}


def _pending_setting(raw: Any) -> PendingSetting | None:
    """A `pending...` view's (value, effectiveAt); None when nothing waits (effectiveAt 0)."""
    value, effective_at = raw
    return PendingSetting(seconds=int(value), effective_at=int(effective_at)) if int(effective_at) else None


def _seizure_id(seizure_id: int) -> int:
    if isinstance(seizure_id, bool) or not isinstance(seizure_id, int) or seizure_id < 1:
        raise InvalidInput(f"seizure id {seizure_id!r}: ids are whole numbers from 1")
    return seizure_id


def _seizure(number: int, raw: Any) -> Seizure:
    """`seizure(id)`'s struct: token, from, to, amount, order, reason, proposer, approver, readyAt, status."""
    token, source, to, amount, order, reason, proposer, approver, ready_at, status = raw
    return Seizure(
        id=number,
        token=str(token),
        account=str(source),
        to=None if to == ZERO_ADDRESS else str(to),
        amount=tiyn_to_kzt(int(amount)),
        order="0x" + bytes(order).hex(),
        reason="0x" + bytes(reason).hex(),
        proposer=str(proposer),
        approver=None if approver == ZERO_ADDRESS else str(approver),
        ready_at=int(ready_at) or None,
        status=SeizureStatus(int(status)),
    )


def _tier(tier: int) -> int:
    if isinstance(tier, bool) or not isinstance(tier, int) or not 0 <= tier <= 255:
        raise InvalidInput(f"tier {tier!r} is not a whole number from 0 to 255")
    return tier


def _bytes32(value: bytes | str) -> bytes:
    if isinstance(value, bytes):
        raw = value
    else:
        text = value[2:] if value.startswith("0x") else value
        try:
            raw = bytes.fromhex(text)
        except ValueError:
            raise InvalidInput(f"{value!r} is not hex") from None
    if len(raw) != 32:
        raise InvalidInput(f"expected 32 bytes, got {len(raw)}")
    return raw
