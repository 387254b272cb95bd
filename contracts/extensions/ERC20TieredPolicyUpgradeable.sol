// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ERC20PackedLedgerUpgradeable} from "./ERC20PackedLedgerUpgradeable.sol";
import {AccountWord, ConfigWord} from "../utils/LedgerWords.sol";
import {TieredPolicyStorage} from "../utils/TieredPolicyStorage.sol";
import {ITieredPolicy} from "../interfaces/ITieredPolicy.sol";

/// @title KYC tiers with holding and daily outflow limits, and a waterfall to a linked account
/// @notice A retail CBDC wallet policy (the digital euro's holding limit and waterfall, e-CNY's tiered
/// wallets, ERC-3643's MaxBalance and time-window transfer-limit modules) on the packed ledger.
/// @dev Each account's tier, UTC day and that day's outflow live in its ledger word, the policy switch
/// and tier 0's limits in the token's word: a transfer between tier-0 wallets reads no other slot, one in
/// another tier reads its tier's limits besides. The rules are
/// `_room` (holding) and `_countOutflow` / `_outflowLeft` (daily outflow); the token's pipeline calls
/// them, and routes the waterfall, in its one documented order. No public setters here; the default
/// tiers are set by `DigitalTengeInitializer` (`TieredPolicyStorage.setDefaults`).
abstract contract ERC20TieredPolicyUpgradeable is ERC20PackedLedgerUpgradeable, ITieredPolicy {
    /// @inheritdoc ITieredPolicy
    function tierOf(address account) external view returns (uint8) {
        return _account(account).tier();
    }

    /// @inheritdoc ITieredPolicy
    function tierLimits(uint8 tier) external view returns (uint256 maxBalance, uint256 dailyOutflow) {
        return _tierLimits(_config(), tier);
    }

    /// @inheritdoc ITieredPolicy
    function outflowToday(address account) external view returns (uint256) {
        return _spentToday(_account(account), _today());
    }

    /// @inheritdoc ITieredPolicy
    function proposedLinkedAccount(address account) external view returns (address linked, bytes32 reason) {
        TieredPolicyStorage.LinkProposal storage proposal = TieredPolicyStorage.layout().proposals[account];
        return (proposal.linked, proposal.reason);
    }

    /// @inheritdoc ITieredPolicy
    function linkedAccount(address account) public view returns (address) {
        return TieredPolicyStorage.layout().linked[account];
    }

    /// @inheritdoc ITieredPolicy
    function policyEnabled() public view returns (bool) {
        return _config().policyEnabled();
    }

    /// @dev Sets `account`'s tier and says so.
    function _setTier(address account, uint8 tier, bytes32 reason) internal {
        (uint256 maxBalance, uint256 dailyOutflow) = _tierLimits(_config(), tier);
        if (maxBalance == 0 && dailyOutflow == 0) revert TierNotConfigured(tier);
        AccountWord state = _account(account);
        uint8 oldTier = state.tier();
        _storeAccount(account, state.withTier(tier));
        emit TierSet(account, oldTier, tier, _msgSender(), reason);
    }

    /// @dev Sets `account`'s linked account (zero: none) and says so.
    function _setLinkedAccount(address account, address linked, bytes32 reason) internal {
        if (account == address(0) || linked == account) revert InvalidLinkedAccount(account, linked);
        TieredPolicyStorage.Layout storage $ = TieredPolicyStorage.layout();
        if (linked == address(0)) {
            // Unlinking needs no consent: it only stops passing the holder's income on.
            delete $.proposals[account];
            $.linked[account] = address(0);
            emit LinkedAccountSet(account, address(0), _msgSender(), reason);
        } else {
            $.proposals[account] = TieredPolicyStorage.LinkProposal(linked, reason);
            emit LinkedAccountProposed(account, linked, _msgSender(), reason);
        }
    }

    /// @dev The holder `account` consents to the proposed link to `linked`, which then takes effect.
    function _acceptLinkedAccount(address account, address linked) internal {
        TieredPolicyStorage.Layout storage $ = TieredPolicyStorage.layout();
        TieredPolicyStorage.LinkProposal memory proposal = $.proposals[account];
        if (linked == address(0) || proposal.linked != linked) revert LinkedAccountNotProposed(account, linked);
        delete $.proposals[account];
        $.linked[account] = linked;
        emit LinkedAccountSet(account, linked, account, proposal.reason);
    }

    /// @dev Switches the policy on or off and says so.
    function _setPolicyEnabled(bool enabled, bytes32 reason) internal {
        _storeConfig(_config().withPolicyEnabled(enabled));
        emit PolicyEnabledSet(enabled, _msgSender(), reason);
    }

    function _setTierLimits(uint8 tier, uint256 maxBalance, uint256 dailyOutflow, address actor, bytes32 reason)
        internal
    {
        TieredPolicyStorage.setTierLimits(tier, maxBalance, dailyOutflow, actor, reason);
    }

    /// @dev The holding rule: tiyn `state` may still receive under its tier's limit
    /// (`type(uint256).max` when unlimited). `config` is the token's word, which holds tier 0's limits.
    function _room(ConfigWord config, AccountWord state) internal view returns (uint256) {
        uint256 limit = _maxBalance(config, state.tier());
        if (limit == type(uint256).max) return limit;
        uint256 balance = state.balance();
        // Cannot underflow: the subtraction runs only when limit > balance.
        unchecked {
            return limit > balance ? limit - balance : 0;
        }
    }

    /// @dev The holding rule's refusal: `account` (word `state`) would hold `balanceAfter`.
    function _revertHoldingLimit(ConfigWord config, address account, AccountWord state, uint256 balanceAfter)
        internal
        view
    {
        revert HoldingLimitExceeded(account, balanceAfter, _maxBalance(config, state.tier()));
    }

    /// @dev The outflow rule as an amount: what `state` may still send today.
    function _outflowLeft(ConfigWord config, AccountWord state) internal view returns (uint256) {
        uint256 limit = _dailyOutflow(config, state.tier());
        if (limit == type(uint256).max) return limit;
        return Math.saturatingSub(limit, _spentToday(state, _today()));
    }

    /// @dev The outflow rule as a check: returns `state` with `value` counted into `account`'s day
    /// (the caller stores the word), or reverts above its tier's daily limit. Unlimited tiers count nothing.
    function _countOutflow(ConfigWord config, address account, AccountWord state, uint256 value)
        internal
        view
        returns (AccountWord)
    {
        uint256 limit = _dailyOutflow(config, state.tier());
        if (limit == type(uint256).max) return state;
        uint256 today = _today();
        uint256 outflow;
        // Cannot overflow: what was spent today is at most the limit (< 2**96), and value at most a balance.
        unchecked {
            outflow = _spentToday(state, today) + value;
        }
        // slither-disable-next-line timestamp compares tiyn, not times
        if (outflow > limit) revert DailyOutflowExceeded(account, outflow, limit);
        // Fits: outflow <= limit < 2**96.
        return state.withOutflow(today, outflow);
    }

    /// @dev `tier`'s holding and daily outflow limits, `type(uint256).max` for none; tier 0's are read
    /// from `config`, the token's word, which the caller has read already.
    function _tierLimits(ConfigWord config, uint8 tier) internal view returns (uint256 maxBalance, uint256 dailyOutflow) {
        return (_maxBalance(config, tier), _dailyOutflow(config, tier));
    }

    /// @dev `tier`'s holding limit, as `_tierLimits`; the pipeline reads each limit on its own.
    function _maxBalance(ConfigWord config, uint8 tier) internal view returns (uint256) {
        return tier == 0 ? config.baseMaxBalance() : TieredPolicyStorage.widen(TieredPolicyStorage.layout().limits[tier].maxBalance);
    }

    /// @dev `tier`'s daily outflow limit, as `_tierLimits`.
    function _dailyOutflow(ConfigWord config, uint8 tier) internal view returns (uint256) {
        return tier == 0
            ? config.baseDailyOutflow()
            : TieredPolicyStorage.widen(TieredPolicyStorage.layout().limits[tier].dailyOutflow);
    }

    function _today() private view returns (uint256) {
        // Fits the word's 32 bits: 2**32 days is 11 million years.
        return block.timestamp / 1 days;
    }

    function _spentToday(AccountWord state, uint256 today) private pure returns (uint256) {
        // slither-disable-next-line incorrect-equality,timestamp same UTC day index; a miner's seconds do not move it
        return state.day() == today ? state.spent() : 0;
    }
}
