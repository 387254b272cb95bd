// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20PackedLedgerUpgradeable} from "./ERC20PackedLedgerUpgradeable.sol";
import {AccountWord, LedgerWords} from "../utils/LedgerWords.sol";
import {IFreezable} from "../interfaces/IFreezable.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title Freezes and holds with an expiry, holds one per order, on the packed ledger
/// @notice A court's hold on debits: a frozen account can receive but cannot send, raise an
/// allowance, or have its funds pulled; a hold keeps part of a balance under the order that placed it,
/// and only that order's release or seizure shrinks it. Both lapse at their expiry without a transaction.
/// @dev The frozen flag and a has-hold flag live in the account's ledger word, so an account with no
/// restriction pays no extra read. A flag set means "look here": the freeze's expiry, or the holds'
/// total and earliest expiry (one word), decide what applies now; only past that earliest expiry are the
/// holds summed one by one (at most `MAX_HOLDS`). Lapsed holds are dropped at the account's next hold
/// change. The token's pipeline calls `_requireSpendable` for every debit and the views `_spendable`.
abstract contract ERC20FreezableUpgradeable is ERC20PackedLedgerUpgradeable, IFreezable {
    /// @dev One slot: a hold is at most a balance's 96 bits; 48 bits of seconds last 8.9 million years.
    struct Hold {
        uint96 amount;
        uint48 expiresAt; // set once, when placed: nonzero marks the order as used on this account
    }

    /// @dev One slot: `total` sums at most MAX_HOLDS amounts of 96 bits; `nextExpiry` is the earliest
    /// expiry among them, before which `total` is exactly what is held.
    struct Holds {
        uint208 total;
        uint48 nextExpiry;
    }

    /// @custom:storage-location erc7201:tenge.storage.Freezable
    struct FreezableStorage {
        mapping(address account => Holds) held;
        mapping(address account => mapping(bytes32 order => Hold)) holds;
        mapping(address account => bytes32[]) orders; // holds placed and not yet dropped
        mapping(address account => uint256) frozenUntil; // the current freeze's expiry (0: none)
        mapping(address account => mapping(bytes32 order => bool)) freezeOrders; // every order that froze it
    }

    /// @notice The most holds an account carries at once (lapsed ones make room at the next change).
    uint256 public constant MAX_HOLDS = 8;

    // keccak256(abi.encode(uint256(keccak256("tenge.storage.Freezable")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant FREEZABLE_STORAGE = 0xb418cb0975638d12fd56e497008a07338157b0ee9e8aff020c42200d5fb6da00;

    /// @inheritdoc IFreezable
    function frozenUntil(address account) external view returns (uint256) {
        return _frozen(account, _account(account)) ? _getFreezableStorage().frozenUntil[account] : 0;
    }

    /// @inheritdoc IFreezable
    function holdOf(address account, bytes32 order) external view returns (uint256 amount, uint256 expiresAt) {
        Hold storage hold = _getFreezableStorage().holds[account][order];
        return (_active(hold), hold.expiresAt);
    }

    /// @inheritdoc IFreezable
    function isFrozen(address account) public view returns (bool) {
        return _frozen(account, _account(account));
    }

    /// @inheritdoc IFreezable
    function frozenAmount(address account) public view returns (uint256) {
        return _heldNow(account, _account(account));
    }

    /// @dev Freezes `account` until `expiresAt` (a renewal when it is frozen now) under an order that
    /// never froze it before, and says so.
    function _freeze(address account, uint256 expiresAt, bytes32 reason) internal {
        if (account == address(0)) revert ZeroAddressCannotBeFrozen();
        _requireExpiry(expiresAt);
        FreezableStorage storage $ = _getFreezableStorage();
        // A renewal is a new order: one that froze the account once never freezes it again, lifted or not.
        if ($.freezeOrders[account][reason]) revert OrderAlreadyUsed(account, reason);
        $.freezeOrders[account][reason] = true;
        $.frozenUntil[account] = expiresAt;
        AccountWord state = _account(account);
        if (!state.frozen()) _storeAccount(account, state.withFrozen(true));
        emit Frozen(account, _msgSender(), reason, expiresAt);
    }

    /// @dev Lifts the freeze of `account`, which must apply now, and says so.
    function _unfreeze(address account, bytes32 reason) internal {
        AccountWord state = _account(account);
        if (!_frozen(account, state)) revert FreezeUnchanged(account, false);
        delete _getFreezableStorage().frozenUntil[account];
        _storeAccount(account, state.withFrozen(false));
        emit Unfrozen(account, _msgSender(), reason);
    }

    /// @dev Places a new hold, named by `order`, on `account` and says so.
    function _placeHold(address account, uint256 amount, uint256 expiresAt, bytes32 order) internal {
        if (account == address(0)) revert ZeroAddressCannotBeFrozen();
        if (amount == 0 || amount > LedgerWords.MAX_BALANCE) revert HoldAmountInvalid(amount);
        _requireExpiry(expiresAt);
        FreezableStorage storage $ = _getFreezableStorage();
        Hold storage hold = $.holds[account][order];
        if (hold.expiresAt != 0) revert OrderAlreadyUsed(account, order);
        // Fit: the amount is checked against the 96-bit balance, the expiry bounded by `_requireExpiry`.
        (hold.amount, hold.expiresAt) = (uint96(amount), uint48(expiresAt));
        $.orders[account].push(order);
        if (_settleHolds(account) > MAX_HOLDS) revert TooManyHolds(account, MAX_HOLDS);
        emit HoldPlaced(account, order, amount, expiresAt, _msgSender());
    }

    /// @dev Releases `amount` of the hold `order` on `account`, which must keep that much now.
    function _releaseHold(address account, bytes32 order, uint256 amount, bytes32 reason) internal {
        if (amount == 0) revert HoldAmountInvalid(0);
        Hold storage hold = _getFreezableStorage().holds[account][order];
        uint256 held = _active(hold);
        if (held == 0) revert HoldNotActive(account, order);
        if (amount > held) revert HoldExceeded(account, order, held, amount);
        // Cannot underflow, and fits: amount <= held, a uint96.
        unchecked {
            hold.amount = uint96(held - amount);
        }
        _settleHolds(account);
        emit HoldReleased(account, order, amount, held - amount, _msgSender(), reason);
    }

    /// @dev Clears the frozen flag of a freeze that lapsed and settles the holds of `account`.
    function _settleRestrictions(address account) internal {
        AccountWord state = _account(account);
        // slither-disable-next-line timestamp a freeze lapses at a time by design
        if (state.frozen() && !_frozen(account, state)) _storeAccount(account, state.withFrozen(false));
        _settleHolds(account);
    }

    /// @dev The longest term of a new freeze or hold now (the token asks its seizure controller, which
    /// keeps it under the admin's delay). At most 2**32 - 1 seconds: expiries fit in 48 bits.
    function _maxRestrictionTerm() internal view virtual returns (uint256);

    /// @dev What all holds of `account` but `order` keep now.
    function _heldBesides(address account, bytes32 order) internal view returns (uint256) {
        // Cannot underflow: one active hold is part of the active total.
        return _heldNow(account, _account(account)) - _active(_getFreezableStorage().holds[account][order]);
    }

    /// @dev The freeze rule as an amount: what `account` (its word `state`) may send, balance aside
    /// from other rules: nothing while frozen, else what its holds leave free.
    function _spendable(address account, AccountWord state) internal view returns (uint256) {
        return _frozen(account, state) ? 0 : _unheld(account, state);
    }

    /// @dev The freeze rule as a check: reverts unless `account` may debit `value` now, with
    /// OpenZeppelin's `ERC20InsufficientBalance` when no freeze or hold is what stops it.
    function _requireSpendable(address account, AccountWord state, uint256 value) internal view {
        if (_frozen(account, state)) revert AccountFrozen(account);
        uint256 balance = state.balance();
        if (state.held()) {
            uint256 held = _heldNow(account, state);
            uint256 available = balance > held ? balance - held : 0;
            // Only a hold that applies now stops a debit: once all lapsed, the balance says why.
            if (held != 0 && value > available) revert InsufficientUnfrozenBalance(account, available, value);
        }
        if (value > balance) revert ERC20InsufficientBalance(account, balance, value);
    }

    /// @dev Whether `account` (its word `state`) is frozen now: flagged, and before the freeze's expiry.
    function _frozen(address account, AccountWord state) internal view returns (bool) {
        // slither-disable-next-line timestamp a freeze lapses at a time by design; a validator's skew moves it by seconds
        return state.frozen() && block.timestamp < _getFreezableStorage().frozenUntil[account];
    }

    /// @dev Drops the holds of `account` that lapsed or were emptied, recomputes their total and
    /// earliest expiry, keeps the word's has-hold flag in step; returns how many holds remain.
    function _settleHolds(address account) private returns (uint256 count) {
        FreezableStorage storage $ = _getFreezableStorage();
        bytes32[] storage orders = $.orders[account];
        uint256 total = 0;
        uint256 nextExpiry = type(uint48).max;
        count = orders.length;
        for (uint256 i; i < count; ) {
            Hold storage hold = $.holds[account][orders[i]];
            uint256 amount = _active(hold);
            if (amount == 0) {
                // Swap with the last and shrink: the order of the list carries no meaning.
                orders[i] = orders[--count];
                orders.pop();
            } else {
                total += amount;
                nextExpiry = Math.min(nextExpiry, hold.expiresAt);
                ++i;
            }
        }
        // Fit: at most MAX_HOLDS + 1 amounts of 96 bits each, and an expiry of 48 bits.
        $.held[account] = Holds(uint208(total), uint48(nextExpiry));
        AccountWord state = _account(account);
        if (state.held() != (total != 0)) _storeAccount(account, state.withHeld(total != 0));
    }

    /// @dev What the holds of `account` (its word `state`) leave of its balance now.
    function _unheld(address account, AccountWord state) private view returns (uint256) {
        uint256 balance = state.balance();
        uint256 held = _heldNow(account, state);
        return balance > held ? balance - held : 0;
    }

    /// @dev Tiyn the holds of `account` (its word `state`) keep now.
    function _heldNow(address account, AccountWord state) private view returns (uint256 total) {
        if (!state.held()) return 0;
        FreezableStorage storage $ = _getFreezableStorage();
        Holds memory summary = $.held[account];
        // slither-disable-next-line timestamp holds lapse at a time by design
        if (block.timestamp < summary.nextExpiry) return summary.total;
        bytes32[] storage orders = $.orders[account];
        for (uint256 i; i < orders.length; ++i) {
            total += _active($.holds[account][orders[i]]);
        }
    }

    /// @dev Reverts unless `expiresAt` is after now and within the longest term.
    function _requireExpiry(uint256 expiresAt) private view {
        uint256 latest = block.timestamp + _maxRestrictionTerm();
        // slither-disable-next-line timestamp restrictions expire at a time by design
        if (expiresAt <= block.timestamp || expiresAt > latest) revert RestrictionExpiryInvalid(expiresAt, latest);
    }

    /// @dev What `hold` keeps now: its amount before its expiry, nothing from then on.
    function _active(Hold storage hold) private view returns (uint256) {
        // slither-disable-next-line timestamp holds lapse at a time by design
        return block.timestamp < hold.expiresAt ? hold.amount : 0;
    }

    function _getFreezableStorage() private pure returns (FreezableStorage storage $) {
        // slither-disable-next-line assembly ERC-7201 accessor: only assembly can point a storage struct at its slot
        assembly {
            $.slot := FREEZABLE_STORAGE
        }
    }
}
