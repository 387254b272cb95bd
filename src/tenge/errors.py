"""The package's exceptions: one root, so that callers can catch everything from tenge at once."""

from __future__ import annotations


class TengeError(Exception):
    """Root of every error raised by the tenge package."""


class InvalidAmount(TengeError, ValueError):
    """An amount that is not a whole number of tiyn (negative, over two decimals, not a number)."""


class InvalidAddress(TengeError, ValueError):
    """An address that is malformed, badly checksummed, or the zero address where one is not allowed."""


class DeploymentError(TengeError):
    """A deployment record that is missing, malformed, or does not match the chain it is used on."""
