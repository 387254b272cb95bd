// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {IFreezable} from "../interfaces/IFreezable.sol";

/// @title Account freezes and partial freezes for an ERC-20
/// @notice A court's hold on debits: a frozen account can receive but cannot send, approve, or have
/// its funds pulled; a partial freeze (a lien) holds part of a balance.
/// @dev Enforced in `_update` (every balance change) and `_approve` (every new approval). A path
/// that must ignore freezes, such as a seizure, calls `ERC20Upgradeable._update` directly.
abstract contract ERC20FreezableUpgradeable is ERC20Upgradeable, AccessControlUpgradeable, IFreezable {
    /// @custom:storage-location erc7201:tenge.storage.Freezable
    struct FreezableStorage {
        mapping(address account => bool) frozen;
        mapping(address account => uint256) frozenAmount;
    }

    /// @notice May freeze and unfreeze accounts and hold or release parts of balances.
    bytes32 public constant FREEZER_ROLE = keccak256("FREEZER_ROLE");

    // keccak256(abi.encode(uint256(keccak256("tenge.storage.Freezable")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant FREEZABLE_STORAGE = 0xb418cb0975638d12fd56e497008a07338157b0ee9e8aff020c42200d5fb6da00;

    /// @inheritdoc IFreezable
    function freeze(address account, bytes32 reason) external onlyRole(FREEZER_ROLE) {
        _setFrozen(account, true);
        emit Frozen(account, _msgSender(), reason);
    }

    /// @inheritdoc IFreezable
    function unfreeze(address account, bytes32 reason) external onlyRole(FREEZER_ROLE) {
        _setFrozen(account, false);
        emit Unfrozen(account, _msgSender(), reason);
    }

    /// @inheritdoc IFreezable
    /// @dev The hold may exceed the current balance: it then also holds funds that arrive later.
    function freezeAmount(address account, uint256 amount, bytes32 reason) external onlyRole(FREEZER_ROLE) {
        if (account == address(0)) revert ZeroAddressCannotBeFrozen();
        _setFrozenAmount(account, _getFreezableStorage().frozenAmount[account] + amount, reason);
    }

    /// @inheritdoc IFreezable
    function unfreezeAmount(address account, uint256 amount, bytes32 reason) external onlyRole(FREEZER_ROLE) {
        uint256 held = _getFreezableStorage().frozenAmount[account];
        if (amount > held) revert UnfreezeExceedsFrozen(account, held, amount);
        _setFrozenAmount(account, held - amount, reason);
    }

    /// @inheritdoc IFreezable
    function isFrozen(address account) public view returns (bool) {
        return _getFreezableStorage().frozen[account];
    }

    /// @inheritdoc IFreezable
    function frozenAmount(address account) public view returns (uint256) {
        return _getFreezableStorage().frozenAmount[account];
    }

    /// @dev Sets the hold on `account` to `amount` and says so with the reason.
    function _setFrozenAmount(address account, uint256 amount, bytes32 reason) internal {
        _getFreezableStorage().frozenAmount[account] = amount;
        emit FrozenAmountChanged(account, amount, _msgSender(), reason);
    }

    /// @dev A frozen sender is refused; an unfrozen one may spend only what the hold leaves free.
    function _update(address from, address to, uint256 value) internal virtual override {
        if (from != address(0)) _checkSpendable(from, value);
        super._update(from, to, value);
    }

    /// @dev New approvals by a frozen owner are refused; allowance spending (`emitEvent == false`)
    /// is checked in `_update`, where the owner's funds actually move.
    function _approve(address owner, address spender, uint256 value, bool emitEvent) internal virtual override {
        if (emitEvent && isFrozen(owner)) revert AccountFrozen(owner);
        super._approve(owner, spender, value, emitEvent);
    }

    /// @dev Reverts unless `account` may send `value` tiyn now.
    // slither-disable-next-line dead-code called from _update through the super chain, which slither does not follow
    function _checkSpendable(address account, uint256 value) internal view {
        FreezableStorage storage $ = _getFreezableStorage();
        if ($.frozen[account]) revert AccountFrozen(account);
        uint256 held = $.frozenAmount[account];
        if (held != 0) {
            uint256 balance = balanceOf(account);
            uint256 available = balance > held ? balance - held : 0;
            if (value > available) revert InsufficientUnfrozenBalance(account, available, value);
        }
    }

    function _setFrozen(address account, bool frozen) private {
        if (account == address(0)) revert ZeroAddressCannotBeFrozen();
        FreezableStorage storage $ = _getFreezableStorage();
        if ($.frozen[account] == frozen) revert FreezeUnchanged(account, frozen);
        $.frozen[account] = frozen;
    }

    function _getFreezableStorage() private pure returns (FreezableStorage storage $) {
        // slither-disable-next-line assembly ERC-7201 accessor: only assembly can point a storage struct at its slot
        assembly {
            $.slot := FREEZABLE_STORAGE
        }
    }
}
