"""The seven findings of the token core v2 issue (issue 12), each as a patch that puts it back (and,
after them, one finding of the later audit of core v2, and issue 13's reference that pays once).

`tools/mutation_check.py` applies one mutation at a time to a copy of the contracts and runs the fuzz
machine against it. Each patch is a list of exact search/replace pairs anchored on the current source;
an anchor that is missing, or found more than once, is an error (`AnchorNotFound`), never a silent
pass: when the token's internals change, the patch must be re-anchored, and the check says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

TOKEN = "contracts/DigitalTenge.sol"
CONTROLLER = "contracts/TengeMintController.sol"
SEIZURES = "contracts/TengeSeizureController.sol"
FREEZABLE = "contracts/extensions/ERC20FreezableUpgradeable.sol"
SEIZURES = "contracts/TengeSeizureController.sol"


class AnchorNotFound(Exception):
    """A patch's search text is not in its file exactly once."""


@dataclass(frozen=True)
class Patch:
    file: str
    search: str
    replace: str


@dataclass(frozen=True)
class Mutation:
    id: str
    finding: str
    patches: tuple[Patch, ...]

    def apply(self, root: Path) -> None:
        """Applies every patch under `root`, or raises AnchorNotFound before writing anything."""
        texts: dict[Path, str] = {}
        for patch in self.patches:
            path = root / patch.file
            text = texts.get(path, path.read_text())
            found = text.count(patch.search)
            if found != 1:
                where = "not found" if found == 0 else f"found {found} times"
                raise AnchorNotFound(f"mutation {self.id}: anchor {where} in {patch.file}: {patch.search!r}")
            texts[path] = text.replace(patch.search, patch.replace)
        for path, text in texts.items():
            path.write_text(text)


MUTATIONS = (
    Mutation(
        "1-blocklist-waterfall",
        "Blocklist bypass through the waterfall: a payee at its holding limit (room 0) with a linked "
        "account is never checked against the blocklist, so a payment or mint to a blocked account "
        "goes to its linked account.",
        (
            Patch(
                TOKEN,
                "        _requireNotBlocked(from, payer);\n        _requireNotBlocked(to, payee);\n",
                "        _requireNotBlocked(from, payer);\n"
                "        bool full = config.policyEnabled() && _room(payee) == 0;\n"
                "        if (!full || linkedAccount(to) == address(0)) _requireNotBlocked(to, payee);\n",
            ),
        ),
    ),
    # Since issue 14 the check is the seizure controller's, at the proposal.
    Mutation(
        "2-seize-to-self",
        "A seizure from x to x is proposed, approved and executed: it releases the order's hold and moves "
        "nothing, and the two people of a seizure do FREEZER_ROLE's job.",
        (Patch(SEIZURES, "        if (to == from) revert IDigitalTenge.SeizureToSameAccount(from);\n", ""),),
    ),
    Mutation(
        "3-restricted-owner-cannot-revoke",
        "A frozen or blocked owner cannot lower or revoke an allowance (approve(s, 0) reverts).",
        (
            Patch(
                TOKEN,
                "if (emitEvent && value > allowance(owner, spender)) {",
                "if (emitEvent) {",
            ),
        ),
    ),
    # Finding 4 cannot come back as it was: MINTER_ROLE is no role of the token now, and a minter is the
    # mint controller's record. Its substance can: a way out of minting that leaves the allowance behind.
    Mutation(
        "4-removal-keeps-minter-record",
        "(As it can recur since minters moved to the mint controller.) removeMinter and renounceMinter "
        "only mark the minter inactive: its allowance and refill stay on record, reported by "
        "minterAllowance and minterRefill for an account that is no minter.",
        (
            Patch(
                CONTROLLER,
                "        delete _minters[token][minter];\n",
                "        _minters[token][minter].active = false;\n",
            ),
        ),
    ),
    Mutation(
        "5-waterfall-back-to-payer",
        "Waterfall with linked == from: the excess goes back to the payer, Transfer(A, A) and Waterfall, "
        "and the full amount counts as outflow.",
        (
            Patch(
                TOKEN,
                "if (linked == address(0) || linked == from) _revertHoldingLimit(",
                "if (linked == address(0)) _revertHoldingLimit(",
            ),
        ),
    ),
    Mutation(
        "6-zero-reference-without-allowance",
        "transferFromWithReference(victim, x, 0, ref) with no allowance: anyone writes "
        "Transfer(victim, x, 0) and a PaymentReference in the victim's name.",
        (
            Patch(
                TOKEN,
                "        if (amount == 0 && allowance(from, spender) == 0) "
                "revert ReferenceWithoutAllowance(from, spender);\n",
                "",
            ),
        ),
    ),
    Mutation(
        "7-self-transfer-outflow",
        "Self-transfers count as outflow: a spender exhausts the owner's daily limit with "
        "transferFrom(owner, owner, x).",
        (
            Patch(
                TOKEN,
                "                else payee = payee.withBalance(payee.balance() + plan.toAmount);\n"
                "            }\n        }\n",
                "                else payee = payee.withBalance(payee.balance() + plan.toAmount);\n"
                "            }\n"
                "        } else if (config.policyEnabled() && from != address(0)) {\n"
                "            payer = _countOutflow(config, from, payer, value);\n"
                "        }\n",
            ),
            Patch(
                TOKEN,
                "            if (to != address(0)) _storeAccount(to, plan.payee);\n        }\n",
                "            if (to != address(0)) _storeAccount(to, plan.payee);\n"
                "        } else if (from != address(0)) {\n"
                "            _storeAccount(from, plan.payer);\n"
                "        }\n",
            ),
        ),
    ),
    # Beyond issue 12: the audit's first finding on core v2 (2abb480), fixed since; the machine caught
    # it only once the debit invariant learnt that other orders' holds bound a seizure.
    Mutation(
        "F1-seizure-takes-other-orders-holds",
        "(Audit of core v2, F1; not one of issue 12's seven.) A seizure under one order takes the funds "
        "that secure another order's hold.",
        (
            Patch(
                TOKEN,
                "        if (amount > seizable) "
                "revert InsufficientUnfrozenBalance(from, seizable, amount);\n",
                "",
            ),
        ),
    ),
    # Beyond issue 12: issue 13's guarantee on chain, that a sender's reference pays once.
    Mutation(
        "R1-reference-pays-twice",
        "(Issue 13.) A payment citing a reference its sender already used is paid again: two payout runs, "
        "a copied journal or a rebroadcast batch pay a row twice.",
        (
            Patch(
                "contracts/extensions/ERC20PaymentReferencesUpgradeable.sol",
                "        if (used[paymentReference]) "
                "revert PaymentReferenceUsed(sender, paymentReference);\n",
                "",
            ),
        ),
    ),
    Mutation(
        "D1-hold-never-lapses",
        "(Issue 14.) A hold keeps its amount past its expiry: a restriction that was to end by itself "
        "goes on until someone lifts it.",
        (
            Patch(
                FREEZABLE,
                "        return block.timestamp < hold.expiresAt ? hold.amount : 0;\n",
                "        return hold.expiresAt != 0 ? hold.amount : 0;\n",
            ),
        ),
    ),
    Mutation(
        "D2-freeze-never-lapses",
        "(Issue 14.) A freeze applies past its expiry.",
        (
            Patch(
                FREEZABLE,
                "        return state.frozen() && block.timestamp < "
                "_getFreezableStorage().frozenUntil[account];\n",
                "        return state.frozen() && _getFreezableStorage().frozenUntil[account] != 0;\n",
            ),
        ),
    ),
    Mutation(
        "D3-order-freezes-twice",
        "(Issue 14, outside audit.) An order that froze an account freezes it again: unfreeze and freeze "
        "under one order, in one multicall, keep an account frozen for good.",
        (
            Patch(
                FREEZABLE,
                "        if ($.freezeOrders[account][reason]) revert OrderAlreadyUsed(account, reason);\n",
                "",
            ),
        ),
    ),
    Mutation(
        "D4-seizure-before-notice",
        "(Issue 14.) An approved seizure executes before its notice ends.",
        (
            Patch(
                SEIZURES,
                "        if (block.timestamp < s.readyAt) revert SeizureNotReady(id, s.readyAt);\n",
                "",
            ),
        ),
    ),
    Mutation(
        "D5-weakening-at-once",
        "(Issue 14, outside audit.) A shorter notice or a longer term applies at once, without the admin's "
        "delay: one admin key drops the notice and seizes.",
        (
            Patch(
                SEIZURES,
                "        uint256 delay = weaker ? "
                "IAccessControlDefaultAdminRules(token).defaultAdminDelay() : 0;\n",
                "        uint256 delay = weaker ? 0 : 0;\n",
            ),
        ),
    ),
)
