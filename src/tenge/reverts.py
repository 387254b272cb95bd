"""Contract reverts as Python exceptions named after the contract's custom errors.

    try:
        tenge.transfer(bob, Decimal("10"))
    except tenge.reverts.AccountFrozen as refused:
        print(refused.arguments["account"])   # AccountFrozen(account=0x...)

The selector-to-error map is built from the "error" entries of the ABI, so OpenZeppelin's errors
(`ERC20InsufficientBalance`, `AccessControlUnauthorizedAccount`, ...) are decoded like the token's own.
One class exists per error name, shared by every decoder.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, ClassVar

from eth_utils.abi import function_signature_to_4byte_selector
from eth_utils.address import to_checksum_address
from web3 import Web3

from tenge.abi import ABI, controller_abi, entries, seizure_controller_abi, signature, token_abi
from tenge.errors import EXIT_REVERT, TengeError
from tenge.restrictions import SeizureStatus
from tenge.roles import role_name
from tenge.times import duration_text, utc_text
from tenge.units import format_kzt, tiyn_to_kzt

ERROR_STRING_SELECTOR = bytes.fromhex("08c379a0")  # Error(string)
PANIC_SELECTOR = bytes.fromhex("4e487b71")  # Panic(uint256)
# The errors whose number arguments are amounts of tiyn (other numbers are times, nonces, lengths, tiers).
KZT_ERRORS = frozenset(
    {
        "DailyOutflowExceeded",
        "ERC20InsufficientAllowance",
        "ERC20InsufficientBalance",
        "HoldAmountInvalid",
        "HoldExceeded",
        "HoldingLimitExceeded",
        "InsufficientUnfrozenBalance",
        "InvalidMinterConfiguration",
        "MinterAllowanceExceeded",
        "SupplyCapBelowSupply",
        "SupplyCapExceeded",
        "TierLimitOutOfRange",
    }
)


class ContractRevert(TengeError):
    """The contract refused: the class is named after its custom error, `arguments` holds the facts."""

    exit_code = EXIT_REVERT
    error_name: ClassVar[str] = "ContractRevert"

    def __init__(self, arguments: Mapping[str, Any] | None = None, data: bytes = b"") -> None:
        self.arguments: dict[str, Any] = dict(arguments or {})
        self.data = data
        self.explanation = ""
        super().__init__(self._render())

    def explain(self, explanation: str) -> ContractRevert:
        """The same refusal, its message led by what happened in the caller's terms.

        `permit already used: nonce 3 is spent (ERC2612InvalidSigner(signer=..., owner=...))`: the
        class, the arguments and `except ERC2612InvalidSigner` stay as the contract said them.
        """
        self.explanation = explanation
        self.args = (f"{explanation} ({self._render()})",)
        return self

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else self._render()

    def __getattr__(self, name: str) -> Any:
        # Arguments read as attributes (`refused.account`); only called when normal lookup fails.
        arguments = self.__dict__.get("arguments", {})
        if name in arguments:
            return arguments[name]
        raise AttributeError(name)

    def _render(self) -> str:
        rendered = ", ".join(f"{key}={_render_value(value)}" for key, value in self.arguments.items())
        return f"{self.error_name}({rendered})"

    def kzt_arguments(self) -> dict[str, Decimal]:
        """The arguments that are amounts, in KZT (`HoldingLimitExceeded`: balanceAfter, limit), else {}."""
        if self.error_name not in KZT_ERRORS:
            return {}
        return {
            key: tiyn_to_kzt(value)
            for key, value in self.arguments.items()
            if isinstance(value, int) and not isinstance(value, bool)
        }

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.arguments, self.data))


class UnknownRevert(ContractRevert):
    """A revert whose data matches no error of the ABI (or carries no data at all)."""

    error_name = "UnknownRevert"

    def _render(self) -> str:
        return f"UnknownRevert(data=0x{self.data.hex()})" if self.data else "UnknownRevert()"


class RevertReason(ContractRevert):
    """`Error(string)`: a revert with a string reason (not used by the token, but by other contracts)."""

    error_name = "Error"


class Panic(ContractRevert):
    """`Panic(uint256)`: an assert, an arithmetic overflow or similar compiler-inserted check."""

    error_name = "Panic"


_CLASSES: dict[str, type[ContractRevert]] = {"Error": RevertReason, "Panic": Panic}


def revert_class(name: str) -> type[ContractRevert]:
    """The exception class for custom error `name`, created on first use and then always the same."""
    if name not in _CLASSES:
        _CLASSES[name] = type(name, (ContractRevert,), {"error_name": name, "__module__": __name__})
    return _CLASSES[name]


class RevertDecoder:
    """Turns revert data into the exception named after the error it encodes."""

    def __init__(self, abi: ABI, codec: Any = None) -> None:
        # web3.py's ABI codec (`w3.codec`): the one that decodes call results decodes errors too.
        self._codec = codec if codec is not None else _default_codec()
        self._errors: dict[bytes, tuple[str, list[str], list[str]]] = {
            ERROR_STRING_SELECTOR: ("Error", ["reason"], ["string"]),
            PANIC_SELECTOR: ("Panic", ["code"], ["uint256"]),
        }
        for entry in entries(abi, "error"):
            selector = bytes(function_signature_to_4byte_selector(signature(entry)))
            inputs = entry.get("inputs", [])
            names = [i["name"] or f"arg{n}" for n, i in enumerate(inputs)]
            types = [i["type"] for i in inputs]
            self._errors[selector] = (entry["name"], names, types)
            revert_class(entry["name"])

    @property
    def error_names(self) -> list[str]:
        return sorted(name for name, _, _ in self._errors.values())

    def selector_of(self, name: str) -> bytes:
        for selector, (error, _, _) in self._errors.items():
            if error == name:
                return selector
        raise KeyError(name)

    def decode(self, data: bytes) -> ContractRevert:
        """The exception for `data` (selector and ABI-encoded arguments)."""
        known = self._errors.get(data[:4])
        if known is None:
            return UnknownRevert(data=data)
        name, names, types = known
        try:
            values = self._codec.decode(types, data[4:])
        except Exception:  # data that does not decode as its selector says: unknown
            return UnknownRevert(data=data)
        arguments = {key: _plain(kind, value) for key, kind, value in zip(names, types, values, strict=True)}
        refused = revert_class(name)(arguments, data)
        explain = EXPLANATIONS.get(name)
        return refused if explain is None else refused.explain(explain(arguments))

    def from_exception(self, exc: BaseException) -> ContractRevert | None:
        """The revert carried by a web3 error (from `eth_call` or `eth_estimateGas`), or None."""
        data = revert_data(exc)
        if data is None:
            return None
        return self.decode(data)


def revert_data(exc: BaseException) -> bytes | None:
    """The raw revert data of a web3 error, b"" for a revert without data, None if `exc` is no revert."""
    from web3.exceptions import ContractLogicError, Web3RPCError

    raw: Any = None
    if isinstance(exc, ContractLogicError):
        raw = exc.data
        if raw is None or raw == "no data":
            return b""
    elif isinstance(exc, Web3RPCError) and isinstance(exc.rpc_response, dict):
        error = exc.rpc_response.get("error")
        if not isinstance(error, dict) or "revert" not in str(error.get("message", "")).lower():
            return None
        raw = error.get("data")
    else:
        return None
    if isinstance(raw, dict):
        raw = raw.get("data") or raw.get("result")
    if isinstance(raw, bytes):
        return raw
    if isinstance(raw, str):
        text = raw.removeprefix("Reverted ").strip()
        if text.startswith("0x"):
            try:
                return bytes.fromhex(text[2:])
            except ValueError:
                return b""
    return b""


def _expiry_invalid(a: dict[str, Any]) -> str:
    expires_at, latest = a["expiresAt"], a["latest"]
    if expires_at > latest:
        return (
            f"expiry {utc_text(expires_at)} is beyond the longest term: a freeze or hold placed now may "
            f"last until {utc_text(latest)} at the latest (maxRestrictionTerm)"
        )
    return f"expiry {utc_text(expires_at)} is not in the future: a freeze or hold must end after now"


def _not_pending(a: dict[str, Any]) -> str:
    status = SeizureStatus(a["status"])
    if status is SeizureStatus.NONE:
        return f"there is no seizure #{a['id']}"
    return (
        f"seizure #{a['id']} is {status.label}: approval needs a proposed seizure, execution an approved "
        "one, cancellation a proposed or approved one"
    )


def _role_conflict(a: dict[str, Any]) -> str:
    held, role = role_name(_raw(a["heldRole"])), role_name(_raw(a["role"]))
    return (
        f"{a['account']} holds {held}, a duty kept apart from {role}: no one account both restricts and "
        "seizes, proposes and approves a seizure, or administers minters and mints"
    )


def _raw(hex_text: str) -> bytes:
    return bytes.fromhex(hex_text.removeprefix("0x"))


# What the contract's facts mean, in the caller's terms (the error and its arguments are kept beside).
EXPLANATIONS: dict[str, Callable[[dict[str, Any]], str]] = {
    "RestrictionExpiryInvalid": _expiry_invalid,
    "MaxRestrictionTermInvalid": lambda a: (
        f"a longest term of {a['term']} seconds: give 1 second to {2**32 - 1} seconds (136 years)"
    ),
    "OrderAlreadyUsed": lambda a: (
        f"order {a['order']} was used on {a['account']} already (a hold under it, or a freeze, lifted or "
        "not): a renewal is a new order"
    ),
    "HoldAmountInvalid": lambda a: (
        "a hold or release of 0 KZT does nothing"
        if a["amount"] == 0
        else f"a hold of {format_kzt(a['amount'])} is more than any balance can be"
    ),
    "TooManyHolds": lambda a: (
        f"{a['account']} carries {a['max']} holds already, the most it may: release one, or wait until "
        "one lapses"
    ),
    "HoldNotActive": lambda a: (
        f"{a['account']} has no active hold under order {a['order']}: never placed, or released, seized "
        "or lapsed"
    ),
    "HoldExceeded": lambda a: (
        f"the hold {a['order']} on {a['account']} keeps {format_kzt(a['held'])}, less than the "
        f"{format_kzt(a['requested'])} asked"
    ),
    "FreezeUnchanged": lambda a: (
        f"{a['account']} is frozen already"
        if a["frozen"]
        else f"{a['account']} is not frozen now (never frozen, lifted, or its freeze lapsed)"
    ),
    "SeizureNotPending": _not_pending,
    "ApproverIsProposer": lambda a: (
        f"{a['account']} proposed seizure #{a['id']}: another person, a SEIZURE_APPROVER_ROLE holder, "
        "must approve it"
    ),
    "SeizureNotReady": lambda a: (
        f"seizure #{a['id']} is not ready: its notice ends at {utc_text(a['readyAt'])}, and it may be "
        "executed from then on"
    ),
    "HoldLapsesBeforeNotice": lambda a: (
        f"the hold of seizure #{a['id']} lapses at {utc_text(a['expiresAt'])}, before the notice would end "
        f"at {utc_text(a['readyAt'])}: renew the hold under a new order and propose again, or shorten the "
        "notice"
    ),
    "NoticePeriodInvalid": lambda a: (
        f"a notice of {a['period']} seconds: give at most {2**32 - 1} seconds ({duration_text(2**32 - 1)})"
    ),
    "RoleConflict": _role_conflict,
    "SeizureRoleRevoked": lambda a: (
        f"{a['account']}, who decided seizure #{a['id']}, no longer holds {role_name(_raw(a['role']))}: "
        "the seizure cannot go ahead on its decision; cancel it and propose again"
    ),
    "CallerNotSeizureController": lambda a: (
        f"{a['caller']} is not the seizure controller, which alone seizes: propose the seizure there "
        "(`tenge seizure propose`, `propose_seizure`)"
    ),
    "SeizureAmountZero": lambda a: f"a seizure of 0 KZT from {a['account']}: an order names an amount",
    "SeizureToSameAccount": lambda a: (
        f"a seizure from {a['account']} to itself moves nothing: name the order's receiver, or burn"
    ),
}


def _plain(kind: str, value: Any) -> Any:
    if kind == "address":
        return to_checksum_address(value)
    if isinstance(value, bytes):
        return "0x" + value.hex()
    return value


def _render_value(value: Any) -> str:
    if isinstance(value, str):
        return value
    return repr(value)


_CODEC: list[Any] = []


def _default_codec() -> Any:
    """web3.py's codec, as every `Web3` instance has it, for decoders made without a connection."""
    if not _CODEC:
        _CODEC.append(Web3().codec)
    return _CODEC[0]


def known_errors() -> ABI:
    """Every error the token can raise, its controllers' bubbled up through it included."""
    controllers = [*entries(controller_abi(), "error"), *entries(seizure_controller_abi(), "error")]
    return [*entries(token_abi(), "error"), *controllers]


_PACKAGED = RevertDecoder(known_errors())


def default_decoder() -> RevertDecoder:
    """The decoder for the packaged ABIs (the token's and its controllers' errors)."""
    return _PACKAGED


def __getattr__(name: str) -> type[ContractRevert]:
    # `tenge.reverts.AccountFrozen`: every error of the packaged ABI is importable by name.
    if name in _CLASSES:
        return _CLASSES[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
