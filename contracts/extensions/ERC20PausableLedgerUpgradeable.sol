// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20PackedLedgerUpgradeable} from "./ERC20PackedLedgerUpgradeable.sol";
import {ConfigWord} from "../utils/LedgerWords.sol";
import {IPausable} from "../interfaces/IPausable.sol";

/// @title Pause for the packed ledger
/// @notice While paused, nothing moves: no transfer, mint or burn (a seizure still executes its order).
/// @dev OpenZeppelin's `PausableUpgradeable` keeps its flag in a slot of its own; here it shares the
/// token's word, which every transfer reads anyway. Same events and errors as OpenZeppelin's. No public
/// pause function: the token adds the gated one (as OpenZeppelin's `ERC20Pausable`).
abstract contract ERC20PausableLedgerUpgradeable is ERC20PackedLedgerUpgradeable, IPausable {
    /// @inheritdoc IPausable
    function paused() public view returns (bool) {
        return _config().paused();
    }

    /// @dev Pauses (`true`) or resumes; reverts if already in that state, as OpenZeppelin's.
    function _setPaused(bool paused_) internal {
        ConfigWord config = _config();
        if (config.paused() == paused_) {
            if (paused_) revert EnforcedPause();
            revert ExpectedPause();
        }
        _storeConfig(config.withPaused(paused_));
        if (paused_) emit Paused(_msgSender());
        else emit Unpaused(_msgSender());
    }

    /// @dev The pause rule: reverts with `EnforcedPause()` while `config` says paused.
    function _requireNotPaused(ConfigWord config) internal pure {
        if (config.paused()) revert EnforcedPause();
    }
}
