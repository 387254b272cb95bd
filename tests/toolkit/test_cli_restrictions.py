"""`tenge freeze`, `tenge hold`, `tenge restriction-term` and `tenge seizure` against the chain: each
command's effect and output, and the exact message of each refusal (exit 2 for input, 4 for the
contract)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import brownie
import pytest
from conftest import chain_now, expiry, move_to
from eth_utils.crypto import keccak

from tenge.times import utc_text
from toolkit.conftest import run_cli as run

ORDER = "Court order 2-1234/2026"
ORDER_HASH = "0x" + keccak(text=ORDER).hex()
RULING = "Ruling 2-1300/2026"
DAY = 86400
Args = Callable[..., list[str]]


def ok(result: Any) -> Any:
    """The JSON a successful command printed."""
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def nonce_of(address: str) -> int:
    return int(brownie.web3.eth.get_transaction_count(address))


def test_freeze_until_a_date_in_utc(cli_env: Args, funded: Any, alice: Any) -> None:
    day = (chain_now() // DAY + 10) * DAY  # midnight UTC, ten days or so ahead
    date = utc_text(day)[:10]
    report = ok(
        run(cli_env("--json", "freeze", alice.address, "--until", date, "--reason", ORDER), "freezer")
    )
    assert report["action"] == f"freeze {alice.address} until {utc_text(day)}"
    assert report["events"][0]["args"]["expiresAt"] == day == funded.frozenUntil(alice)
    table = run(cli_env("balance", alice.address)).stdout
    assert f"until {utc_text(day)}" in table


def test_freeze_beyond_the_longest_term_says_until_when_it_may_last(
    cli_env: Args, funded: Any, alice: Any, freezer: Any
) -> None:
    wanted = chain_now() + 100 * DAY
    before = nonce_of(freezer.address)
    result = run(cli_env("freeze", alice.address, "--until", str(wanted), "--reason", ORDER), "freezer")
    assert result.exit_code == 4
    assert f"expiry {utc_text(wanted)} is beyond the longest term: a freeze or hold placed now may last" in (
        " ".join(result.stderr.split())
    )
    assert nonce_of(freezer.address) == before and not funded.isFrozen(alice)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--until", "31.12.2026"], "'31.12.2026' is not a time"),
        (["--for", "30x"], "'30x' is not a term"),
        (["--for", "0d"], "'0d' is zero"),
    ],
)
def test_bad_expiries_are_refused_as_input(
    cli_env: Args, funded: Any, alice: Any, args: list[str], message: str
) -> None:
    result = run(cli_env("freeze", alice.address, *args, "--reason", ORDER), actor="freezer")
    assert result.exit_code == 2
    assert message in result.output


def test_hold_place_show_release(cli_env: Args, funded: Any, alice: Any, freezer: Any) -> None:
    place = ["hold", "place", alice.address, "250", "--order", ORDER, "--for", "30d"]
    placed = ok(run(cli_env("--json", *place), actor="freezer"))
    (event,) = placed["events"]
    assert (event["event"], event["args"]["order"], event["args"]["amount"]) == (
        "HoldPlaced",
        ORDER_HASH,
        "250.00",
    )
    release = ["hold", "release", alice.address, "100", "--order", ORDER_HASH, "--reason", RULING]
    released = ok(run(cli_env("--json", *release), actor="freezer"))
    assert released["events"][0]["args"]["remaining"] == "150.00"
    shown = ok(run(cli_env("--json", "hold", "show", alice.address)))
    expires_at = funded.holdOf(alice, ORDER_HASH)[1]
    assert shown == {
        "account": alice.address,
        "held": "150.00",
        "holds": [
            {
                "account": alice.address,
                "order": ORDER_HASH,
                "amount": "150.00",
                "expires_at": expires_at,
                "expires": utc_text(expires_at),
                "status": "active",
            }
        ],
    }
    one = ok(run(cli_env("--json", "hold", "show", alice.address, "--order", ORDER)))
    assert (one["amount"], one["status"]) == ("150.00", "active")
    again = run(cli_env(*place), actor="freezer")
    assert again.exit_code == 4
    assert f"order {ORDER_HASH} was used on {alice.address} already" in again.stderr


def test_a_release_of_a_hold_never_placed(cli_env: Args, funded: Any, alice: Any) -> None:
    release = ["hold", "release", alice.address, "1", "--order", ORDER, "--reason", RULING]
    result = run(cli_env(*release), actor="freezer")
    assert result.exit_code == 4
    assert f"{alice.address} has no active hold under order {ORDER_HASH}: never placed," in result.stderr


def test_the_longest_term_shown_and_set(cli_env: Args, funded: Any) -> None:
    assert ok(run(cli_env("--json", "restriction-term", "show"))) == {
        "max_restriction_term": 90 * DAY,
        "term": "90 days",
        "max_holds": 8,
        "pending": None,
    }
    ok(run(cli_env("--json", "restriction-term", "set", "2w", "--reason", "Board decision 9/2026"), "admin"))
    assert funded._seizure_controller.maxRestrictionTerm(funded) == 14 * DAY
    refused = run(cli_env("restriction-term", "set", "1w", "--reason", "Board decision 9/2026"), "freezer")
    assert refused.exit_code == 4 and "AccessControlUnauthorizedAccount" in refused.stderr


def lines(text: str) -> list[str]:
    """Output lines with their runs of spaces (a table's columns) made one."""
    return [" ".join(line.split()) for line in text.splitlines()]


def test_a_longer_term_waits_for_the_admins_delay_on_the_command_line(cli_env: Args, funded: Any) -> None:
    setting = run(cli_env("restriction-term", "set", "180d", "--reason", "Board decision 9/2026"), "admin")
    assert setting.exit_code == 0, setting.output
    effective_at = chain_now() + DAY  # the fixture token's defaultAdminDelay()
    assert lines(setting.stdout)[-1] == (
        f"waits for the admin's delay: the longest term becomes 180 days from {utc_text(effective_at)}"
    )
    pending = {"seconds": 180 * DAY, "term": "180 days", "effective_at": effective_at}
    assert ok(run(cli_env("--json", "restriction-term", "show"))) == {
        "max_restriction_term": 90 * DAY,
        "term": "90 days",
        "max_holds": 8,
        "pending": {**pending, "effective": utc_text(effective_at)},
    }
    table = lines(run(cli_env("restriction-term", "show")).stdout)
    assert table == [
        f"max_restriction_term {90 * DAY}",
        "term 90 days",
        "max_holds 8",
        f"pending 180 days from {utc_text(effective_at)} (the admin's delay)",
    ]
    move_to(effective_at)
    shown = ok(run(cli_env("--json", "restriction-term", "show")))
    assert (shown["max_restriction_term"], shown["pending"]) == (180 * DAY, None)
    shorter = ["--json", "restriction-term", "set", "30d", "--reason", "Board decision 10/2026"]
    assert ok(run(cli_env(*shorter), "admin"))["applies"] == {
        "setting": "max_restriction_term",
        "seconds": 30 * DAY,
        "term": "30 days",
        "at_once": True,
        "effective_at": chain_now(),
        "effective": utc_text(chain_now()),
    }


def test_a_shorter_notice_waits_for_the_admins_delay_on_the_command_line(cli_env: Args, funded: Any) -> None:
    longer = run(cli_env("seizure", "notice", "set", "2h", "--reason", "Board decision 9/2026"), "admin")
    assert longer.exit_code == 0, longer.output
    assert lines(longer.stdout)[-1] == "applies at once: the seizure notice is 2 hours"
    shorter = ["--json", "seizure", "notice", "set", "1h", "--reason", "Board decision 10/2026"]
    applies = ok(run(cli_env(*shorter), "admin"))["applies"]
    effective_at = chain_now() + DAY
    assert applies == {
        "setting": "notice_period",
        "seconds": 3600,
        "term": "1 hour",
        "at_once": False,
        "effective_at": effective_at,
        "effective": utc_text(effective_at),
    }
    assert lines(run(cli_env("seizure", "notice", "show")).stdout) == [
        "notice_period 7200",
        "notice 2 hours",
        f"pending 1 hour from {utc_text(effective_at)} (the admin's delay)",
    ]
    move_to(effective_at)
    assert ok(run(cli_env("--json", "seizure", "notice", "show"))) == {
        "notice_period": 3600,
        "notice": "1 hour",
        "pending": None,
    }


def test_settle_drops_lapsed_restrictions_and_transfers_cost_less(
    cli_env: Args, funded: Any, alice: Any, bob: Any, freezer: Any
) -> None:
    funded.freeze(alice, expiry(3600), ORDER_HASH, {"from": freezer})
    funded.placeHold(alice, 1_000, expiry(3600), ORDER_HASH, {"from": freezer})
    move_to(chain_now() + 3600)
    before = funded.transfer(bob, 1, {"from": alice}).gas_used
    settled = ok(run(cli_env("--json", "settle", alice.address), actor="outsider"))
    assert (settled["action"], settled["events"]) == (
        f"settle the lapsed restrictions of {alice.address}",
        [],
    )
    after = funded.transfer(bob, 1, {"from": alice}).gas_used
    # Each debit read the lapsed freeze's expiry and the hold (a cold slot each, 2,100 gas): no more.
    assert after <= before - 2 * 2_100, (before, after)
    again = run(cli_env("settle", alice.address), actor="outsider")
    assert again.exit_code == 0 and again.stdout.startswith(
        f"ok settle the lapsed restrictions of {alice.address}: block "
    )


def test_a_seizure_whose_approver_lost_the_role_says_so_on_the_command_line(
    cli_env: Args, token: Any, funded: Any, alice: Any, carol: Any, admin: Any, approver: Any, freezer: Any
) -> None:
    funded.placeHold(alice, 5_000, expiry(), ORDER_HASH, {"from": freezer})
    propose = ["seizure", "propose", alice.address, "50", "--order", ORDER, "--to", carol.address]
    number = ok(run(cli_env("--json", *propose, "--reason", RULING), actor="proposer"))["events"][0]["args"][
        "id"
    ]
    ok(run(cli_env("--json", "seizure", "approve", str(number), "--reason", RULING), "approver"))
    assert ok(run(cli_env("--json", "seizure", "show", str(number))))["roles_revoked"] == []
    token.revokeRole(token.SEIZURE_APPROVER_ROLE(), approver, {"from": admin})
    shown = ok(run(cli_env("--json", "seizure", "show", str(number))))
    assert shown["roles_revoked"] == [{"account": approver.address, "role": "SEIZURE_APPROVER_ROLE"}]
    table = lines(run(cli_env("seizure", "show", str(number))).stdout)
    assert table[-1] == (
        f"cannot go ahead {approver.address} no longer holds SEIZURE_APPROVER_ROLE: "
        "cancel it and propose again"
    )
    refused = run(cli_env("seizure", "execute", str(number)), actor="outsider")
    assert refused.exit_code == 4
    assert " ".join(refused.stderr.split()).startswith(
        f"Contract refused: {approver.address}, who decided seizure #{number}, no longer holds "
        "SEIZURE_APPROVER_ROLE: the seizure cannot go ahead on its decision; cancel it and propose again "
        f"(SeizureRoleRevoked(id={number}, account={approver.address}, "
    )
    assert funded.balanceOf(carol) == 0


def test_a_seizure_from_proposal_to_execution_on_the_command_line(
    cli_env: Args, funded: Any, alice: Any, carol: Any, proposer: Any, approver: Any, freezer: Any
) -> None:
    funded.placeHold(alice, 30_000, expiry(), ORDER_HASH, {"from": freezer})
    ok(run(cli_env("--json", "seizure", "notice", "set", "1h", "--reason", "Board decision 9/2026"), "admin"))
    assert ok(run(cli_env("--json", "seizure", "notice", "show"))) == {
        "notice_period": 3600,
        "notice": "1 hour",
        "pending": None,
    }
    propose = ["seizure", "propose", alice.address, "120", "--order", ORDER, "--to", carol.address]
    proposal = ok(run(cli_env("--json", *propose, "--reason", RULING), actor="proposer"))
    number = proposal["events"][0]["args"]["id"]
    approval = ok(run(cli_env("--json", "seizure", "approve", str(number), "--reason", RULING), "approver"))
    ready_at = approval["events"][0]["args"]["readyAt"]
    early = run(cli_env("seizure", "execute", str(number)), actor="outsider")
    assert early.exit_code == 4
    assert f"seizure #{number} is not ready: its notice ends at {utc_text(ready_at)}" in " ".join(
        early.stderr.split()
    )
    shown = ok(run(cli_env("--json", "seizure", "show", str(number))))
    assert (shown["status"], shown["proposer"], shown["approver"], shown["ready"]) == (
        "approved",
        proposer.address,
        approver.address,
        utc_text(ready_at),
    )
    move_to(ready_at)
    executed = ok(run(cli_env("--json", "seizure", "execute", str(number)), actor="outsider"))
    assert [e["event"] for e in executed["events"]] == [
        "SeizureExecuted",
        "HoldReleased",
        "Transfer",
        "Seized",
    ]
    assert funded.balanceOf(carol) == 12_000
    listing = ok(run(cli_env("--json", "seizure", "list", "--status", "executed")))
    assert [(s["id"], s["status"], s["amount"]) for s in listing] == [(number, "executed", "120.00")]
    assert ok(run(cli_env("--json", "seizure", "list", "--status", "proposed"))) == []


def test_a_seizure_cancelled_and_an_unknown_id(cli_env: Args, funded: Any, alice: Any, freezer: Any) -> None:
    funded.placeHold(alice, 5_000, expiry(), ORDER_HASH, {"from": freezer})
    propose = ["seizure", "propose", alice.address, "50", "--order", ORDER, "--burn", "--reason", RULING]
    number = ok(run(cli_env("--json", *propose), actor="proposer"))["events"][0]["args"]["id"]
    cancelled = ok(
        run(cli_env("--json", "seizure", "cancel", str(number), "--reason", "Withdrawn"), "approver")
    )
    assert cancelled["events"][0]["event"] == "SeizureCancelled"
    again = run(cli_env("seizure", "approve", str(number), "--reason", RULING), actor="approver")
    assert again.exit_code == 4
    assert f"seizure #{number} is cancelled: approval needs a proposed seizure" in again.stderr
    unknown = run(cli_env("seizure", "show", str(number + 5)))
    assert unknown.exit_code == 2
    assert f"unknown seizure id {number + 5}: at the seizure controller" in unknown.stderr
    assert f"its ids run from 1 to {number}" in " ".join(unknown.stderr.split())


def test_the_audit_shows_holds_and_seizures_with_actor_and_reason(
    cli_env: Args, funded: Any, alice: Any, carol: Any, freezer: Any, proposer: Any
) -> None:
    start = brownie.chain.height + 1
    funded.placeHold(alice, 5_000, expiry(), ORDER_HASH, {"from": freezer})
    propose = ["seizure", "propose", alice.address, "50", "--order", ORDER, "--to", carol.address]
    ok(run(cli_env("--json", *propose, "--reason", RULING), actor="proposer"))
    audit = json.loads(run(cli_env("audit", "--format", "json", "--from-block", str(start))).stdout)
    assert [(a["event"], a["account"], a["actor"], a["reason"]) for a in audit] == [
        ("HoldPlaced", alice.address, freezer.address, ORDER_HASH),
        ("SeizureProposed", alice.address, proposer.address, "0x" + keccak(text=RULING).hex()),
    ]
