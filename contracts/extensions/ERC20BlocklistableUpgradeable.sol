// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20PackedLedgerUpgradeable} from "./ERC20PackedLedgerUpgradeable.sol";
import {AccountWord} from "../utils/LedgerWords.sol";
import {IBlocklistable} from "../interfaces/IBlocklistable.sol";

/// @title Blocklist (sanctions) on the packed ledger
/// @notice A blocked account cannot send, receive, be routed through by a waterfall, raise an
/// allowance, or act for others (spend an allowance, relay or submit a signed transfer, mint).
/// @dev The flag lives in the account's ledger word, read with its balance. The token's pipeline
/// calls `_requireNotBlocked` for every party of a move; no public functions here (the token adds
/// the gated ones).
abstract contract ERC20BlocklistableUpgradeable is ERC20PackedLedgerUpgradeable, IBlocklistable {
    /// @inheritdoc IBlocklistable
    function isBlocked(address account) public view returns (bool) {
        return _account(account).blocked();
    }

    /// @dev Blocks or unblocks `account` and says so, naming the actor and the reason.
    function _setBlocked(address account, bool blocked, bytes32 reason) internal {
        if (account == address(0)) revert ZeroAddressCannotBeBlocked();
        AccountWord state = _account(account);
        if (state.blocked() == blocked) revert BlocklistUnchanged(account, blocked);
        _storeAccount(account, state.withBlocked(blocked));
        if (blocked) emit Blocked(account, _msgSender(), reason);
        else emit Unblocked(account, _msgSender(), reason);
    }

    /// @dev The blocklist rule: reverts with `AccountBlocked(account)` if `state` (its word) is blocked.
    function _requireNotBlocked(address account, AccountWord state) internal pure {
        if (state.blocked()) revert AccountBlocked(account);
    }
}
