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

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

from eth_utils.abi import function_signature_to_4byte_selector
from eth_utils.address import to_checksum_address
from web3 import Web3

from tenge.abi import ABI, entries, signature, token_abi
from tenge.errors import EXIT_REVERT, TengeError
from tenge.units import tiyn_to_kzt

ERROR_STRING_SELECTOR = bytes.fromhex("08c379a0")  # Error(string)
PANIC_SELECTOR = bytes.fromhex("4e487b71")  # Panic(uint256)
# The errors whose number arguments are amounts of tiyn (other numbers are times, nonces, lengths, tiers).
KZT_ERRORS = frozenset(
    {
        "DailyOutflowExceeded",
        "ERC20InsufficientAllowance",
        "ERC20InsufficientBalance",
        "HoldingLimitExceeded",
        "InsufficientUnfrozenBalance",
        "InvalidMinterConfiguration",
        "MinterAllowanceExceeded",
        "SeizureNotAllowed",
        "SupplyCapBelowSupply",
        "SupplyCapExceeded",
        "TierLimitOutOfRange",
        "UnfreezeExceedsFrozen",
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
        return revert_class(name)(arguments, data)

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


_PACKAGED = RevertDecoder(token_abi())


def default_decoder() -> RevertDecoder:
    """The decoder for the packaged ABI."""
    return _PACKAGED


def __getattr__(name: str) -> type[ContractRevert]:
    # `tenge.reverts.AccountFrozen`: every error of the packaged ABI is importable by name.
    if name in _CLASSES:
        return _CLASSES[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
