// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ERC20PackedLedgerUpgradeable} from "./ERC20PackedLedgerUpgradeable.sol";
import {AccountWord} from "../utils/LedgerWords.sol";
import {ITieredPolicy} from "../interfaces/ITieredPolicy.sol";

/// @title KYC tiers with holding and daily outflow limits, and a waterfall to a linked account
/// @notice A retail CBDC wallet policy (the digital euro's holding limit and waterfall, e-CNY's tiered
/// wallets, ERC-3643's MaxBalance and time-window transfer-limit modules) on the packed ledger.
/// @dev Each account's tier, UTC day and that day's outflow live in its ledger word and the policy
/// switch in the token's word, so a transfer reads only its tier's limits besides. The rules are
/// `_room` (holding) and `_countOutflow` / `_outflowLeft` (daily outflow); the token's pipeline calls
/// them, and routes the waterfall, in its one documented order. No public setters here.
abstract contract ERC20TieredPolicyUpgradeable is ERC20PackedLedgerUpgradeable, ITieredPolicy {
    /// @dev One slot per tier: 96 + 96 bits; NO_LIMIT stands for `type(uint256).max`.
    struct TierLimits {
        uint96 maxBalance;
        uint96 dailyOutflow;
    }

    /// @custom:storage-location erc7201:tenge.storage.TieredPolicy
    struct TieredPolicyStorage {
        mapping(uint8 tier => TierLimits) limits;
        mapping(address account => address) linked;
    }

    // Limits are stored as uint96, with this value for "no limit": no balance reaches it (balances are
    // below the ledger's ceiling), so every real limit fits below it.
    uint96 internal constant NO_LIMIT = type(uint96).max;

    // keccak256(abi.encode(uint256(keccak256("tenge.storage.TieredPolicy")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant TIERED_POLICY_STORAGE = 0xa54f3ad49f95e32e1b2de73991d8e36c89c9ea2954521f7d00defedecb141700;

    // slither-disable-start naming-convention OpenZeppelin's __X_init initializer naming
    /// @dev Default tiers, in tiyn (1 KZT = 100 tiyn), and the policy on, all on behalf of `admin`:
    /// tier 0 (anonymous) holds 100,000 KZT and sends 50,000 KZT a day; tier 1 (basic KYC) 1,000,000 and
    /// 500,000; tier 2 (full KYC) 10,000,000 and 5,000,000; tier 3 (institutions, system accounts) no limit.
    // solhint-disable-next-line func-name-mixedcase
    function __ERC20TieredPolicy_init(address admin) internal onlyInitializing {
        _setTierLimits(0, 100_000_00, 50_000_00, admin);
        _setTierLimits(1, 1_000_000_00, 500_000_00, admin);
        _setTierLimits(2, 10_000_000_00, 5_000_000_00, admin);
        _setTierLimits(3, type(uint256).max, type(uint256).max, admin);
        _storeConfig(_config().withPolicyEnabled(true));
        emit PolicyEnabledSet(true, admin, bytes32(0));
    }
    // slither-disable-end naming-convention

    // The initializer above comes first (house order); solhint's ordering rule does not know initializers.
    // solhint-disable ordering
    /// @inheritdoc ITieredPolicy
    function tierOf(address account) external view returns (uint8) {
        return _account(account).tier();
    }
    // solhint-enable ordering

    /// @inheritdoc ITieredPolicy
    function tierLimits(uint8 tier) external view returns (uint256 maxBalance, uint256 dailyOutflow) {
        TierLimits memory limits = _tierLimits(tier);
        return (_widen(limits.maxBalance), _widen(limits.dailyOutflow));
    }

    /// @inheritdoc ITieredPolicy
    function linkedAccount(address account) public view returns (address) {
        return _getTieredPolicyStorage().linked[account];
    }

    /// @inheritdoc ITieredPolicy
    function policyEnabled() public view returns (bool) {
        return _config().policyEnabled();
    }

    /// @inheritdoc ITieredPolicy
    function outflowToday(address account) external view returns (uint256) {
        return _spentToday(_account(account));
    }

    /// @dev The holding rule: tiyn `state` may still receive under its tier's limit
    /// (`type(uint256).max` when unlimited).
    function _room(AccountWord state) internal view returns (uint256) {
        uint96 limit = _tierLimits(state.tier()).maxBalance;
        if (limit == NO_LIMIT) return type(uint256).max;
        return Math.saturatingSub(limit, state.balance());
    }

    /// @dev The holding rule's refusal: `account` (word `state`) would hold `balanceAfter`.
    function _revertHoldingLimit(address account, AccountWord state, uint256 balanceAfter) internal view {
        revert HoldingLimitExceeded(account, balanceAfter, _widen(_tierLimits(state.tier()).maxBalance));
    }

    /// @dev The outflow rule as an amount: what `state` may still send today.
    function _outflowLeft(AccountWord state) internal view returns (uint256) {
        uint96 limit = _tierLimits(state.tier()).dailyOutflow;
        if (limit == NO_LIMIT) return type(uint256).max;
        return Math.saturatingSub(limit, _spentToday(state));
    }

    /// @dev The outflow rule as a check: returns `state` with `value` counted into `account`'s day
    /// (the caller stores the word), or reverts above its tier's daily limit. Unlimited tiers count nothing.
    function _countOutflow(address account, AccountWord state, uint256 value) internal view returns (AccountWord) {
        uint96 limit = _tierLimits(state.tier()).dailyOutflow;
        if (limit == NO_LIMIT) return state;
        uint256 outflow = _spentToday(state) + value;
        // slither-disable-next-line timestamp compares tiyn, not times
        if (outflow > limit) revert DailyOutflowExceeded(account, outflow, limit);
        // Fits: outflow <= limit < 2**96.
        return state.withOutflow(_today(), outflow);
    }

    /// @dev Sets `account`'s tier and says so.
    function _setTier(address account, uint8 tier, bytes32 reason) internal {
        TierLimits memory limits = _tierLimits(tier);
        if (limits.maxBalance == 0 && limits.dailyOutflow == 0) revert TierNotConfigured(tier);
        AccountWord state = _account(account);
        uint8 oldTier = state.tier();
        _storeAccount(account, state.withTier(tier));
        emit TierSet(account, oldTier, tier, _msgSender(), reason);
    }

    /// @dev Sets `account`'s linked account (zero: none) and says so.
    function _setLinkedAccount(address account, address linked, bytes32 reason) internal {
        if (account == address(0) || linked == account) revert InvalidLinkedAccount(account, linked);
        _getTieredPolicyStorage().linked[account] = linked;
        emit LinkedAccountSet(account, linked, _msgSender(), reason);
    }

    /// @dev Switches the policy on or off and says so.
    function _setPolicyEnabled(bool enabled, bytes32 reason) internal {
        _storeConfig(_config().withPolicyEnabled(enabled));
        emit PolicyEnabledSet(enabled, _msgSender(), reason);
    }

    function _setTierLimits(uint8 tier, uint256 maxBalance, uint256 dailyOutflow, address actor) internal {
        _getTieredPolicyStorage().limits[tier] = TierLimits(_narrow(maxBalance), _narrow(dailyOutflow));
        emit TierLimitsSet(tier, maxBalance, dailyOutflow, actor);
    }

    function _tierLimits(uint8 tier) internal view returns (TierLimits memory) {
        return _getTieredPolicyStorage().limits[tier];
    }

    function _spentToday(AccountWord state) private view returns (uint256) {
        // slither-disable-next-line incorrect-equality,timestamp same UTC day index; a miner's seconds do not move it
        return state.day() == _today() ? state.spent() : 0;
    }

    function _today() private view returns (uint256) {
        // Fits the word's 32 bits: 2**32 days is 11 million years.
        return block.timestamp / 1 days;
    }

    function _narrow(uint256 limit) private pure returns (uint96) {
        if (limit == type(uint256).max) return NO_LIMIT;
        if (limit >= NO_LIMIT) revert TierLimitOutOfRange(limit);
        return uint96(limit);
    }

    function _widen(uint96 limit) private pure returns (uint256) {
        return limit == NO_LIMIT ? type(uint256).max : limit;
    }

    function _getTieredPolicyStorage() private pure returns (TieredPolicyStorage storage $) {
        // slither-disable-next-line assembly ERC-7201 accessor: only assembly can point a storage struct at its slot
        assembly {
            $.slot := TIERED_POLICY_STORAGE
        }
    }
}
