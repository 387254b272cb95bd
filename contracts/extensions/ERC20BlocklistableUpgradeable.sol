// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {IBlocklistable} from "../interfaces/IBlocklistable.sol";

/// @title Blocklist (sanctions) for an ERC-20
/// @notice A blocked account cannot send, receive, approve, be approved or spend an allowance.
/// @dev Enforced in `_update`, `_approve` and `_spendAllowance`, so no transfer path can skip it.
abstract contract ERC20BlocklistableUpgradeable is ERC20Upgradeable, AccessControlUpgradeable, IBlocklistable {
    /// @custom:storage-location erc7201:tenge.storage.Blocklistable
    struct BlocklistableStorage {
        mapping(address account => bool) blocked;
    }

    /// @notice May block and unblock accounts.
    bytes32 public constant BLOCKLISTER_ROLE = keccak256("BLOCKLISTER_ROLE");

    // keccak256(abi.encode(uint256(keccak256("tenge.storage.Blocklistable")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant BLOCKLISTABLE_STORAGE = 0x55872ccf50f9add3fd39af8e663d788978317cf41a1cd9bbca2f964391267200;

    /// @inheritdoc IBlocklistable
    function blockAccount(address account, bytes32 reason) external onlyRole(BLOCKLISTER_ROLE) {
        _setBlocked(account, true);
        emit Blocked(account, _msgSender(), reason);
    }

    /// @inheritdoc IBlocklistable
    function unblockAccount(address account, bytes32 reason) external onlyRole(BLOCKLISTER_ROLE) {
        _setBlocked(account, false);
        emit Unblocked(account, _msgSender(), reason);
    }

    /// @inheritdoc IBlocklistable
    function isBlocked(address account) public view returns (bool) {
        return _getBlocklistableStorage().blocked[account];
    }

    function _update(address from, address to, uint256 value) internal virtual override {
        _checkNotBlocked(from);
        _checkNotBlocked(to);
        super._update(from, to, value);
    }

    /// @dev Covers `approve`, `permit` and allowance spending: neither side may be blocked.
    function _approve(address owner, address spender, uint256 value, bool emitEvent) internal virtual override {
        _checkNotBlocked(owner);
        _checkNotBlocked(spender);
        super._approve(owner, spender, value, emitEvent);
    }

    /// @dev An infinite allowance is never written back, so `_approve` does not see its spender: check it here.
    function _spendAllowance(address owner, address spender, uint256 value) internal virtual override {
        _checkNotBlocked(spender);
        super._spendAllowance(owner, spender, value);
    }

    /// @dev Reverts with `AccountBlocked(account)` if `account` is blocked; the zero address never is.
    function _checkNotBlocked(address account) internal view {
        if (_getBlocklistableStorage().blocked[account]) revert AccountBlocked(account);
    }

    function _setBlocked(address account, bool blocked) private {
        if (account == address(0)) revert ZeroAddressCannotBeBlocked();
        BlocklistableStorage storage $ = _getBlocklistableStorage();
        if ($.blocked[account] == blocked) revert BlocklistUnchanged(account, blocked);
        $.blocked[account] = blocked;
    }

    function _getBlocklistableStorage() private pure returns (BlocklistableStorage storage $) {
        // slither-disable-next-line assembly ERC-7201 accessor: only assembly can point a storage struct at its slot
        assembly {
            $.slot := BLOCKLISTABLE_STORAGE
        }
    }
}
