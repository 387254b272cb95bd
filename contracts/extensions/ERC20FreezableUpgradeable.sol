// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20PackedLedgerUpgradeable} from "./ERC20PackedLedgerUpgradeable.sol";
import {AccountWord} from "../utils/LedgerWords.sol";
import {IFreezable} from "../interfaces/IFreezable.sol";

/// @title Account freezes and holds (partial freezes, one per order) on the packed ledger
/// @notice A court's hold on debits: a frozen account can receive but cannot send, raise an
/// allowance, or have its funds pulled; a hold keeps part of a balance, under the reason (the order)
/// that placed it, and only that order's seizure or release shrinks it.
/// @dev The frozen flag and a has-hold flag live in the account's ledger word, so an account with no
/// hold pays no extra read; the amounts live here. The token's pipeline calls `_requireSpendable`
/// for every debit and the views call `_spendable`. No public functions here besides views.
abstract contract ERC20FreezableUpgradeable is ERC20PackedLedgerUpgradeable, IFreezable {
    /// @custom:storage-location erc7201:tenge.storage.Freezable
    struct FreezableStorage {
        mapping(address account => uint256) held;
        mapping(address account => mapping(bytes32 reason => uint256)) holds;
    }

    // keccak256(abi.encode(uint256(keccak256("tenge.storage.Freezable")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant FREEZABLE_STORAGE = 0xb418cb0975638d12fd56e497008a07338157b0ee9e8aff020c42200d5fb6da00;

    /// @inheritdoc IFreezable
    function isFrozen(address account) public view returns (bool) {
        return _account(account).frozen();
    }

    /// @inheritdoc IFreezable
    function frozenAmount(address account) public view returns (uint256) {
        return _getFreezableStorage().held[account];
    }

    /// @inheritdoc IFreezable
    function heldAmount(address account, bytes32 reason) public view returns (uint256) {
        return _getFreezableStorage().holds[account][reason];
    }

    /// @dev Freezes or unfreezes `account` entirely and says so.
    function _setFrozen(address account, bool frozen, bytes32 reason) internal {
        if (account == address(0)) revert ZeroAddressCannotBeFrozen();
        AccountWord state = _account(account);
        if (state.frozen() == frozen) revert FreezeUnchanged(account, frozen);
        _storeAccount(account, state.withFrozen(frozen));
        if (frozen) emit Frozen(account, _msgSender(), reason);
        else emit Unfrozen(account, _msgSender(), reason);
    }

    /// @dev Adds `amount` to the hold that order `reason` keeps on `account`.
    function _hold(address account, uint256 amount, bytes32 reason) internal {
        if (account == address(0)) revert ZeroAddressCannotBeFrozen();
        FreezableStorage storage $ = _getFreezableStorage();
        $.holds[account][reason] += amount;
        _setHeld(account, $.held[account] + amount, reason);
    }

    /// @dev Releases `amount` of the hold that order `reason` keeps on `account`.
    function _release(address account, uint256 amount, bytes32 reason) internal {
        FreezableStorage storage $ = _getFreezableStorage();
        uint256 hold = $.holds[account][reason];
        if (amount > hold) revert UnfreezeExceedsFrozen(account, hold, amount);
        // Cannot underflow: amount <= this order's hold <= the total held.
        unchecked {
            $.holds[account][reason] = hold - amount;
            _setHeld(account, $.held[account] - amount, reason);
        }
    }

    /// @dev What order `reason` holds on `account`, and what all other orders hold beside it.
    function _holdsBesides(address account, bytes32 reason) internal view returns (uint256 own, uint256 others) {
        FreezableStorage storage $ = _getFreezableStorage();
        own = $.holds[account][reason];
        // Cannot underflow: one order's hold is part of the total.
        others = $.held[account] - own;
    }

    /// @dev The freeze rule as an amount: what `account` (its word `state`) may send, balance aside
    /// from other rules: nothing while frozen, else what its holds leave free.
    function _spendable(address account, AccountWord state) internal view returns (uint256) {
        if (state.frozen()) return 0;
        uint256 balance = state.balance();
        if (!state.held()) return balance;
        uint256 held = _getFreezableStorage().held[account];
        return balance > held ? balance - held : 0;
    }

    /// @dev The freeze rule as a check: reverts unless `account` may debit `value` now, with
    /// OpenZeppelin's `ERC20InsufficientBalance` when no freeze or hold is what stops it.
    function _requireSpendable(address account, AccountWord state, uint256 value) internal view {
        if (state.frozen()) revert AccountFrozen(account);
        if (state.held()) {
            uint256 available = _spendable(account, state);
            if (value > available) revert InsufficientUnfrozenBalance(account, available, value);
        }
        uint256 balance = state.balance();
        if (value > balance) revert ERC20InsufficientBalance(account, balance, value);
    }

    /// @dev Sets the total held on `account`, keeps the word's has-hold flag in step, and says so.
    function _setHeld(address account, uint256 total, bytes32 reason) private {
        _getFreezableStorage().held[account] = total;
        AccountWord state = _account(account);
        if (state.held() != (total != 0)) _storeAccount(account, state.withHeld(total != 0));
        emit FrozenAmountChanged(account, total, _msgSender(), reason);
    }

    function _getFreezableStorage() private pure returns (FreezableStorage storage $) {
        // slither-disable-next-line assembly ERC-7201 accessor: only assembly can point a storage struct at its slot
        assembly {
            $.slot := FREEZABLE_STORAGE
        }
    }
}
