"""Operator commands of `tenge`: minters, supply cap, rescue, admin handover, batch interventions, signed
transfers. Each runs against the chain and asserts the effect and the events."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import brownie
import pytest
from brownie import ERC20Mock
from conftest import expiry
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak

from toolkit.conftest import run_cli as run

REASON = "Court order 2-1234/2026"
REASON_HASH = "0x" + keccak(text=REASON).hex()
ZERO = "0x" + "0" * 40
Args = Callable[..., list[str]]


def sent(result: Any) -> dict[str, Any]:
    """The JSON report of a successful write."""
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def nonce_of(address: str) -> int:
    return int(brownie.web3.eth.get_transaction_count(address))


def stranger(i: int) -> str:
    """A fresh, valid account no test holds a key for."""
    return str(to_checksum_address(keccak(text=f"court order account {i}")[:20]))


# --- minters and the supply cap ---------------------------------------------------------------------------


def test_minter_configure_show_remove(
    controller: Any, cli_env: Args, token: Any, carol: Any, minter_admin: Any
) -> None:
    report = sent(
        run(
            cli_env(
                "--json",
                "minter",
                "configure",
                carol.address,
                "100",
                "--capacity",
                "500",
                "--refill-per-second",
                "0.01",
                "--reason",
                "Issuance mandate 2/2026",
            ),
            actor="minter_admin",
        )
    )
    (event,) = [e for e in report["events"] if e["event"] == "MinterConfigured"]
    assert event["args"] == {
        "token": token.address,
        "minter": carol.address,
        "allowance": "100.00",
        "capacity": "500.00",
        "refillPerSecond": "0.01",
        "actor": minter_admin.address,
        "reason": "0x" + keccak(text="Issuance mandate 2/2026").hex(),
    }
    shown = json.loads(run(cli_env("--json", "minter", "show", carol.address)).stdout)
    assert shown["is_minter"] is True
    assert (shown["capacity"], shown["refill_per_second"]) == ("500.00", "0.01")
    assert Decimal("100.00") <= Decimal(shown["allowance"]) <= Decimal("500.00")
    fixed = sent(
        run(
            cli_env("--json", "minter", "configure", carol.address, "7", "--reason", "Mandate 7"),
            actor="minter_admin",
        )
    )
    assert controller.minterAllowance(token, carol) == 700 and [
        int(x) for x in controller.minterRefill(token, carol)
    ] == [700, 0]
    assert fixed["events"][-1]["event"] == "MinterConfigured"
    removed = sent(
        run(
            cli_env("--json", "minter", "remove", carol.address, "--reason", "Mandate ended"),
            actor="minter_admin",
        )
    )
    assert removed["events"][-1]["event"] == "MinterRemoved"
    assert not controller.isMinter(token, carol)
    assert json.loads(run(cli_env("--json", "minter", "show", carol.address)).stdout)["is_minter"] is False


def test_minter_refill_needs_both_options(cli_env: Args, token: Any, carol: Any) -> None:
    result = run(
        cli_env("minter", "configure", carol.address, "1", "--capacity", "5", "--reason", "Mandate 8"),
        actor="minter_admin",
    )
    assert result.exit_code == 2 and "go together" in result.output


def test_supply_cap_show_set_lift(cli_env: Args, funded: Any, admin: Any) -> None:
    assert json.loads(run(cli_env("--json", "supply-cap", "show")).stdout) == {
        "supply_cap": None,
        "total_supply": "1500.00",
    }
    report = sent(
        run(cli_env("--json", "supply-cap", "set", "2000", "--reason", "Board decision 4"), actor="admin")
    )
    assert report["events"][0]["args"] == {
        "cap": "2000.00",
        "actor": admin.address,
        "reason": "0x" + keccak(text="Board decision 4").hex(),
    }
    assert json.loads(run(cli_env("--json", "supply-cap", "show")).stdout)["supply_cap"] == "2000.00"
    refused = run(cli_env("mint", admin.address, "600"), actor="minter")
    assert refused.exit_code == 4 and "SupplyCap" in refused.stderr
    sent(run(cli_env("--json", "supply-cap", "lift", "--reason", "Board decision 5"), actor="admin"))
    assert funded.supplyCap() == 2**256 - 1
    assert "none" in run(cli_env("supply-cap", "show")).stdout


def test_rescue(cli_env: Args, token: Any, admin: Any, rescuer: Any, carol: Any) -> None:
    stray = ERC20Mock.deploy({"from": admin})
    stray.mint(token.address, 12345, {"from": admin})
    report = sent(
        run(
            cli_env("--json", "rescue", stray.address, carol.address, "12000", "--reason", "Claim 9"),
            actor="rescuer",
        )
    )
    assert stray.balanceOf(carol) == 12000 and stray.balanceOf(token) == 345
    (rescued,) = [e for e in report["events"] if e["event"] == "Rescued"]
    assert (rescued["args"]["token"], rescued["args"]["actor"]) == (stray.address, rescuer.address)


# --- the default admin's two-step handover ---------------------------------------------------------------


def test_admin_handover_begin_cancel_begin_accept(cli_env: Args, token: Any, admin: Any, bob: Any) -> None:
    shown = json.loads(run(cli_env("--json", "admin", "show")).stdout)
    assert shown == {
        "admin": admin.address,
        "pending_admin": None,
        "accept_after": None,
        "delay_seconds": 86400,
    }
    begun = sent(
        run(cli_env("--json", "admin", "begin", bob.address, "--reason", "Board decision 7"), actor="admin")
    )
    assert begun["events"][0]["event"] == "DefaultAdminTransferScheduled"
    pending = json.loads(run(cli_env("--json", "admin", "show")).stdout)
    assert pending["pending_admin"] == bob.address
    assert pending["accept_after"] >= brownie.chain[-1].timestamp + 86400
    sent(run(cli_env("--json", "admin", "cancel", "--reason", "Board decision 8"), actor="admin"))
    assert token.pendingDefaultAdmin()[0] == ZERO
    assert (
        run(cli_env("admin", "begin", bob.address, "--reason", "Board decision 9"), actor="admin").exit_code
        == 0
    )
    early = run(cli_env("admin", "accept", "--reason", "Board decision 9"), actor="bob")
    assert early.exit_code == 4 and "AccessControlEnforcedDefaultAdminDelay" in early.stderr
    brownie.chain.sleep(86401)
    brownie.chain.mine()
    accepted = sent(run(cli_env("--json", "admin", "accept", "--reason", "Board decision 9"), actor="bob"))
    assert {e["event"] for e in accepted["events"]} == {"RoleRevoked", "RoleGranted", "ReasonCited"}
    assert token.defaultAdmin() == bob.address


def test_upgrade_announce_show_cancel_then_run(cli_env: Args, token: Any, admin: Any) -> None:
    v2 = brownie.DigitalTengeV2Mock.deploy(token.mintController(), token.seizureController(), {"from": admin})
    call = v2.initializeV2.encode_input(42)
    early = run(cli_env("upgrade", "run", v2.address, "--call", call), actor="upgrader")
    assert early.exit_code == 4 and "UpgradeNotAnnounced" in early.stderr
    assert json.loads(run(cli_env("--json", "upgrade", "show")).stdout) == {"pending_upgrade": None}
    bad = run(cli_env("upgrade", "announce", v2.address, "--call", "0xzz", "--reason", "x"), actor="upgrader")
    assert bad.exit_code == 2 and "is not hex calldata" in bad.stderr
    # A notice the admin cancels: nothing is left to run.
    sent(run(cli_env("--json", "upgrade", "announce", v2.address, "--reason", "Draft"), actor="upgrader"))
    cancelled = sent(run(cli_env("--json", "upgrade", "cancel", "--reason", "Not approved"), actor="admin"))
    assert cancelled["events"][0]["event"] == "UpgradeCancelled"
    assert json.loads(run(cli_env("--json", "upgrade", "show")).stdout) == {"pending_upgrade": None}
    # The notice that runs.
    announced = sent(
        run(
            cli_env("--json", "upgrade", "announce", v2.address, "--call", call, "--reason", "Release 2"),
            actor="upgrader",
        )
    )
    assert announced["events"][0]["event"] == "UpgradeAnnounced"
    pending = json.loads(run(cli_env("--json", "upgrade", "show")).stdout)["pending_upgrade"]
    assert pending["implementation"] == v2.address
    assert pending["data_hash"] == "0x" + keccak(hexstr=call).hex()
    assert pending["reason"] == "0x" + keccak(text="Release 2").hex()
    assert pending["ready_at"] >= brownie.chain[-1].timestamp + 86400
    waiting = run(cli_env("upgrade", "run", v2.address, "--call", call), actor="upgrader")
    assert waiting.exit_code == 4 and f"UpgradeNotReady(readyAt={pending['ready_at']})" in waiting.stderr
    audit = json.loads(run(cli_env("--json", "audit", "--from-block", str(brownie.chain.height - 3))).stdout)
    kinds = [e["event"] for e in audit]
    assert kinds[-3:] == ["UpgradeAnnounced", "UpgradeCancelled", "UpgradeAnnounced"]
    assert audit[-1]["account"] == v2.address and audit[-1]["reason"] == pending["reason"]
    assert "may run from" in audit[-1]["details"]
    brownie.chain.sleep(86401)
    brownie.chain.mine()
    ran = sent(run(cli_env("--json", "upgrade", "run", v2.address, "--call", call), actor="upgrader"))
    assert {e["event"] for e in ran["events"]} >= {"UpgradeExecuted", "Upgraded"}
    assert token.version() == "2"


# --- batch interventions: one transaction for a whole court order ------------------------------------------


def test_freeze_many_accounts_from_a_file_in_one_transaction(
    cli_env: Args, funded: Any, freezer: Any, tmp_path: Path
) -> None:
    # 300 freezes in one transaction: each writes its expiry and its order (two storage slots), so 500
    # no longer fit in a 30M-gas block.
    accounts = [stranger(i) for i in range(300)]
    listing = tmp_path / "court-order.txt"
    listing.write_text("# court order 2-1234/2026\n" + "\n".join(a.lower() for a in accounts) + "\n\n")
    before = nonce_of(freezer.address)
    report = sent(
        run(
            cli_env("--json", "freeze", "--for", "30d", "--reason", REASON, "--file", str(listing)),
            actor="freezer",
        )
    )
    assert nonce_of(freezer.address) == before + 1
    assert [e["args"]["account"] for e in report["events"]] == accounts
    assert {(e["event"], e["args"]["reason"], e["args"]["actor"]) for e in report["events"]} == {
        ("Frozen", REASON_HASH, freezer.address)
    }
    assert all(funded.isFrozen(a) for a in accounts[::50])
    assert report["gas_used"] < 30_000_000  # 22.5M measured


def test_a_batch_beyond_one_block_says_so_and_sends_nothing(
    cli_env: Args, funded: Any, freezer: Any, tmp_path: Path
) -> None:
    listing = tmp_path / "court-order.txt"
    listing.write_text("\n".join(stranger(i) for i in range(450)) + "\n")  # ~34M gas of freezes
    before = nonce_of(freezer.address)
    result = run(cli_env("freeze", "--for", "30d", "--reason", REASON, "--file", str(listing)), "freezer")
    assert result.exit_code == 4
    assert "freeze of 450 accounts does not fit in one transaction (the node's gas cap): give fewer" in (
        result.stderr
    )
    assert nonce_of(freezer.address) == before


def test_block_and_unblock_several_accounts_named_on_the_line(
    cli_env: Args, funded: Any, alice: Any, bob: Any, carol: Any, blocklister: Any
) -> None:
    targets = [alice.address, bob.address, carol.address]
    before = nonce_of(blocklister.address)
    blocked = sent(run(cli_env("--json", "block", *targets, "--reason", REASON), actor="blocklister"))
    assert [(e["event"], e["args"]["account"]) for e in blocked["events"]] == [
        ("Blocked", a) for a in targets
    ]
    assert all(funded.isBlocked(a) for a in targets)
    sent(run(cli_env("--json", "unblock", *targets, "--reason", REASON), actor="blocklister"))
    assert not any(funded.isBlocked(a) for a in targets)
    assert nonce_of(blocklister.address) == before + 2


def test_batch_is_all_or_nothing(cli_env: Args, funded: Any, alice: Any, bob: Any, freezer: Any) -> None:
    funded.freeze(bob, expiry(), REASON_HASH, {"from": freezer})
    before = nonce_of(freezer.address)
    result = run(
        cli_env("freeze", alice.address, bob.address, "--for", "30d", "--reason", REASON), actor="freezer"
    )
    assert result.exit_code == 4
    # Bob's freeze would be renewed under the reason it was frozen for: a renewal is a new order.
    assert f"OrderAlreadyUsed(account={bob.address}, order={REASON_HASH})" in result.stderr
    assert not funded.isFrozen(alice) and nonce_of(freezer.address) == before


def test_unfreeze_several(cli_env: Args, funded: Any, alice: Any, bob: Any, freezer: Any) -> None:
    for account in (alice, bob):
        funded.freeze(account, expiry(), REASON_HASH, {"from": freezer})
    report = sent(
        run(cli_env("--json", "unfreeze", alice.address, bob.address, "--reason", REASON), "freezer")
    )
    assert [e["event"] for e in report["events"]] == ["Unfrozen", "Unfrozen"]
    assert not funded.isFrozen(alice) and not funded.isFrozen(bob)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["freeze", "{alice}", "{alice_lower}", "--for", "1d"], "listed more than once"),
        (["freeze", "{alice}", "--amount", "5", "--for", "1d"], "--amount is gone"),
        (["unfreeze", "{alice}", "--amount", "5"], "tenge hold place ACCOUNT AMOUNT"),
        (["freeze", "{alice}"], "give exactly one of --until TIME or --for TERM"),
        (["freeze", "{alice}", "--for", "1d", "--until", "2030-01-01"], "give exactly one of --until"),
        (["block"], "at least one ACCOUNT"),
        (["block", "--file", "{missing}"], "no such file"),
    ],
)
def test_batch_refused_before_anything_is_sent(
    cli_env: Args,
    funded: Any,
    alice: Any,
    bob: Any,
    freezer: Any,
    tmp_path: Path,
    args: list[str],
    message: str,
) -> None:
    filled = [
        a.format(
            alice=alice.address, alice_lower=alice.address.lower(), bob=bob.address, missing=tmp_path / "x"
        )
        for a in args
    ]
    before = nonce_of(freezer.address)
    result = run(cli_env(*filled, "--reason", REASON), actor="freezer")
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert nonce_of(freezer.address) == before


def test_account_file_lists_every_bad_line(cli_env: Args, funded: Any, alice: Any, tmp_path: Path) -> None:
    listing = tmp_path / "order.txt"
    listing.write_text(f"{alice.address}\n0xBOB\n\n{ZERO}\n")
    result = run(
        cli_env("freeze", "--file", str(listing), "--for", "1d", "--reason", REASON), actor="freezer"
    )
    assert result.exit_code == 2
    assert "2 bad line(s)" in result.stderr and "line 2:" in result.stderr and "line 4:" in result.stderr
    assert not funded.isFrozen(alice)


# --- signed transfers: sign off-line, relay by anyone --------------------------------------------------


def test_authorize_then_relay(
    cli_env: Args, funded: Any, alice: Any, bob: Any, carol: Any, tmp_path: Path
) -> None:
    signed_file = tmp_path / "auth.json"
    alice_nonce = nonce_of(alice.address)
    signed = run(cli_env("authorize", bob.address, "12.34", "--output", str(signed_file)), actor="alice")
    assert signed.exit_code == 0, signed.output
    assert nonce_of(alice.address) == alice_nonce  # signing sends nothing
    authorization = json.loads(signed_file.read_text())
    assert (authorization["type"], authorization["value"]) == ("transferWithAuthorization", 1234)
    report = sent(run(cli_env("--json", "relay", str(signed_file)), actor="carol"))
    assert {e["event"] for e in report["events"]} == {"AuthorizationUsed", "Transfer"}
    assert funded.balanceOf(bob) == 50_000 + 1234
    replay = run(cli_env("relay", str(signed_file)), actor="carol")
    assert replay.exit_code == 4 and "ERC3009" in replay.stderr
    assert (
        f"authorization already used or cancelled: nonce {authorization['nonce']} is spent" in replay.stderr
    )


def test_receive_authorization_relayed_by_its_recipient_only(cli_env: Args, funded: Any, bob: Any) -> None:
    signed = run(cli_env("authorize", bob.address, "1", "--receive"), actor="alice")
    assert json.loads(signed.stdout)["type"] == "receiveWithAuthorization"
    by_carol = run(cli_env("relay", "-"), actor="carol", input=signed.stdout)
    assert by_carol.exit_code == 4 and f"payee={bob.address})" in by_carol.stderr
    assert "ERC3009CallerMustBePayee(caller=" in by_carol.stderr
    assert "only the receiver may submit receiveWithAuthorization: it pays" in by_carol.stderr
    by_bob = run(cli_env("relay", "-"), actor="bob", input=signed.stdout)
    assert by_bob.exit_code == 0, by_bob.output
    assert funded.balanceOf(bob) == 50_000 + 100


def test_permit_then_relay(cli_env: Args, funded: Any, alice: Any, bob: Any, tmp_path: Path) -> None:
    signed_file = tmp_path / "permit.json"
    assert (
        run(cli_env("permit", bob.address, "5", "--output", str(signed_file)), actor="alice").exit_code == 0
    )
    report = sent(run(cli_env("--json", "relay", str(signed_file)), actor="bob"))
    assert report["events"][0]["event"] == "Approval"
    assert funded.allowance(alice, bob) == 500
    replay = run(cli_env("relay", str(signed_file)), actor="bob")
    assert replay.exit_code == 4
    assert "permit already used: nonce 0 is spent" in replay.stderr
    assert "ERC2612InvalidSigner" in replay.stderr


def test_cancelled_authorization_cannot_be_relayed(
    cli_env: Args, funded: Any, bob: Any, tmp_path: Path
) -> None:
    authorization = tmp_path / "auth.json"
    cancel = tmp_path / "cancel.json"
    run(cli_env("authorize", bob.address, "1", "--output", str(authorization)), actor="alice")
    nonce = json.loads(authorization.read_text())["nonce"]
    assert run(cli_env("cancel-authorization", nonce, "--output", str(cancel)), actor="alice").exit_code == 0
    assert sent(run(cli_env("--json", "relay", str(cancel)), actor="carol"))["events"][0]["event"] == (
        "AuthorizationCanceled"
    )
    refused = run(cli_env("relay", str(authorization)), actor="carol")
    assert refused.exit_code == 4 and "ERC3009" in refused.stderr
    assert funded.balanceOf(bob) == 50_000


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"type": "gift"}', "type must be one of"),
        ('{"type": "permit", "owner": "0x"}', "missing field(s)"),
    ],
)
def test_relay_refuses_a_malformed_file(
    cli_env: Args, funded: Any, carol: Any, tmp_path: Path, content: str, message: str
) -> None:
    bad = tmp_path / "signed.json"
    bad.write_text(content)
    before = nonce_of(carol.address)
    result = run(cli_env("relay", str(bad)), actor="carol")
    assert result.exit_code == 2 and message in result.stderr
    assert nonce_of(carol.address) == before
