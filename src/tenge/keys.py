"""Signing keys: from an encrypted keystore file or from the environment, never printed or logged.

Sources, in order: an explicit keystore file (its password from TENGE_KEYSTORE_PASSWORD, else asked
for), the keystore named by TENGE_KEYSTORE, then a raw key in TENGE_PRIVATE_KEY. Errors say which source
failed and why, never what the key was.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path

from eth_account import Account
from eth_account.signers.local import LocalAccount

from tenge.errors import KeyProblem

ENV_PRIVATE_KEY = "TENGE_PRIVATE_KEY"
ENV_KEYSTORE = "TENGE_KEYSTORE"
ENV_KEYSTORE_PASSWORD = "TENGE_KEYSTORE_PASSWORD"

PasswordPrompt = Callable[[str], str]


def load_signer(
    keystore: Path | str | None = None,
    *,
    password: str | None = None,
    prompt: PasswordPrompt | None = None,
    environ: Mapping[str, str] | None = None,
) -> LocalAccount:
    """The account that signs: see the module docstring for where the key comes from."""
    env = os.environ if environ is None else environ
    keystore = keystore or env.get(ENV_KEYSTORE) or None
    if keystore:
        if password is None:
            password = env.get(ENV_KEYSTORE_PASSWORD)
        if password is None:
            if prompt is None:
                raise KeyProblem(f"keystore {keystore}: no password (set {ENV_KEYSTORE_PASSWORD})")
            password = prompt(f"Password for {keystore}")
        return from_keystore(keystore, password)
    key = env.get(ENV_PRIVATE_KEY)
    if key:
        return from_private_key(key, source=ENV_PRIVATE_KEY)
    raise KeyProblem(f"no signing key: pass --keystore (or set {ENV_KEYSTORE}), or set {ENV_PRIVATE_KEY}")


def from_keystore(path: Path | str, password: str) -> LocalAccount:
    """Decrypts an encrypted JSON keystore (as geth, brownie and eth-account write them)."""
    try:
        keyfile = json.loads(Path(path).read_text())
    except FileNotFoundError:
        raise KeyProblem(f"keystore {path}: no such file") from None
    except (OSError, ValueError) as exc:
        raise KeyProblem(f"keystore {path}: not a readable JSON keystore ({type(exc).__name__})") from None
    try:
        key = Account.decrypt(keyfile, password)
    except ValueError:
        # eth-account says "MAC mismatch" for a wrong password; other messages mean a damaged file.
        raise KeyProblem(f"keystore {path}: wrong password, or a damaged keystore") from None
    except Exception as exc:
        raise KeyProblem(f"keystore {path}: cannot decrypt ({type(exc).__name__})") from None
    return from_private_key(key, source=str(path))


def from_private_key(key: str | bytes, source: str = "key") -> LocalAccount:
    """An account from a raw 32-byte key; the error never echoes the key."""
    try:
        account: LocalAccount = Account.from_key(key)
    except Exception:
        raise KeyProblem(f"{source}: not a valid private key (32 bytes, hex)") from None
    return account
