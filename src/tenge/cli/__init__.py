"""`tenge`: the Digital Tenge from the command line. Parses arguments, calls the library, formats results.

One module per concern, as click's `examples/complex` and ape's CLI are laid out: each registers its
commands on the group of `tenge.cli.app`; `tenge.cli.shared` holds the parameter types, the session of
one invocation, error reporting and output helpers they all use.
"""

from tenge.cli import (  # noqa: F401 - registers commands
    accounts,
    audit,
    controls,
    deploy,
    earmarks,
    issuance,
    payouts,
    policy,
    report,
    restrictions,
    seizures,
)
from tenge.cli.app import cli, main
from tenge.errors import EXIT_BAD_INPUT, EXIT_CHAIN, EXIT_DEPLOYMENT, EXIT_KEY, EXIT_OK, EXIT_REVERT

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_CHAIN",
    "EXIT_DEPLOYMENT",
    "EXIT_KEY",
    "EXIT_OK",
    "EXIT_REVERT",
    "cli",
    "main",
]
