// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ITieredPolicy} from "../interfaces/ITieredPolicy.sol";

/// @title KYC tiers with holding and daily outflow limits, and a waterfall to a linked account
/// @notice A retail CBDC wallet policy (the digital euro's holding limit and waterfall, e-CNY's tiered
/// wallets, ERC-3643's MaxBalance and time-window transfer-limit modules) as one `_update` override.
/// Limited: mint (the receiver), transfer, transferFrom and signed transfers (the sender's day outflow
/// and the receiver's holding). Not limited: burns, and paths that call `ERC20Upgradeable._update`
/// directly (a seizure).
/// @dev Runs its checks after the moves (a revert undoes them), so the blocklist, freeze and balance
/// errors of the rest of the `_update` chain come first. Outflow is counted only while the sender's tier
/// has a daily limit: an unlimited account pays no write, and a limit set mid-day counts from then on.
abstract contract ERC20TieredPolicyUpgradeable is ERC20Upgradeable, AccessControlUpgradeable, ITieredPolicy {
    /// @dev One slot per account: 8 + 40 + 128 = 176 bits.
    struct AccountPolicy {
        uint8 tier;
        uint40 day; // the UTC day (timestamp / 1 days) that `spent` belongs to
        uint128 spent; // outflow on `day` while the tier had a daily limit; <= that limit < 2**128
    }

    /// @dev One slot per tier; NO_LIMIT stands for `type(uint256).max`.
    struct TierLimits {
        uint128 maxBalance;
        uint128 dailyOutflow;
    }

    /// @custom:storage-location erc7201:tenge.storage.TieredPolicy
    struct TieredPolicyStorage {
        bool enabled;
        mapping(uint8 tier => TierLimits) limits;
        mapping(address account => AccountPolicy) accounts;
        mapping(address account => address) linked;
    }

    /// @notice May set accounts' tiers and linked accounts, following KYC decisions.
    bytes32 public constant KYC_ROLE = keccak256("KYC_ROLE");

    // Limits are stored as uint128, with this value for "no limit": no balance or day's outflow in tiyn
    // reaches 2**128 (3.4e36 KZT), so every real limit fits below it and two share one slot.
    uint128 private constant NO_LIMIT = type(uint128).max;

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
        _getTieredPolicyStorage().enabled = true;
        emit PolicyEnabledSet(true, admin, bytes32(0));
    }
    // slither-disable-end naming-convention

    // The initializer above comes first (house order); solhint's ordering rule does not know initializers.
    // solhint-disable ordering
    /// @inheritdoc ITieredPolicy
    function setTier(address account, uint8 tier, bytes32 reason) external onlyRole(KYC_ROLE) {
        TieredPolicyStorage storage $ = _getTieredPolicyStorage();
        TierLimits memory limits = $.limits[tier];
        if (limits.maxBalance == 0 && limits.dailyOutflow == 0) revert TierNotConfigured(tier);
        AccountPolicy storage record = $.accounts[account];
        uint8 oldTier = record.tier;
        record.tier = tier;
        emit TierSet(account, oldTier, tier, _msgSender(), reason);
    }
    // solhint-enable ordering

    /// @inheritdoc ITieredPolicy
    function setTierLimits(uint8 tier, uint256 maxBalance, uint256 dailyOutflow)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        _setTierLimits(tier, maxBalance, dailyOutflow, _msgSender());
    }

    /// @inheritdoc ITieredPolicy
    function setLinkedAccount(address account, address linked, bytes32 reason) external onlyRole(KYC_ROLE) {
        if (account == address(0) || linked == account) revert InvalidLinkedAccount(account, linked);
        _getTieredPolicyStorage().linked[account] = linked;
        emit LinkedAccountSet(account, linked, _msgSender(), reason);
    }

    /// @inheritdoc ITieredPolicy
    function setPolicyEnabled(bool enabled, bytes32 reason) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _getTieredPolicyStorage().enabled = enabled;
        emit PolicyEnabledSet(enabled, _msgSender(), reason);
    }

    /// @inheritdoc ITieredPolicy
    function tierOf(address account) external view returns (uint8) {
        return _getTieredPolicyStorage().accounts[account].tier;
    }

    /// @inheritdoc ITieredPolicy
    function tierLimits(uint8 tier) external view returns (uint256 maxBalance, uint256 dailyOutflow) {
        TierLimits memory limits = _getTieredPolicyStorage().limits[tier];
        return (_widen(limits.maxBalance), _widen(limits.dailyOutflow));
    }

    /// @inheritdoc ITieredPolicy
    function linkedAccount(address account) external view returns (address) {
        return _getTieredPolicyStorage().linked[account];
    }

    /// @inheritdoc ITieredPolicy
    function policyEnabled() external view returns (bool) {
        return _getTieredPolicyStorage().enabled;
    }

    /// @inheritdoc ITieredPolicy
    function availableToSend(address account) external view returns (uint256) {
        TieredPolicyStorage storage $ = _getTieredPolicyStorage();
        uint256 spendable = _spendableBalance(account);
        if (!$.enabled) return spendable;
        uint256 limit = _widen($.limits[$.accounts[account].tier].dailyOutflow);
        return Math.min(spendable, Math.saturatingSub(limit, outflowToday(account)));
    }

    /// @inheritdoc ITieredPolicy
    /// @dev Follows one link only, as the waterfall does.
    function availableToReceive(address account) external view returns (uint256) {
        TieredPolicyStorage storage $ = _getTieredPolicyStorage();
        if (!_mayReceive(account)) return 0;
        if (!$.enabled) return type(uint256).max;
        uint256 room = _room($, account);
        address linked = $.linked[account];
        if (linked != address(0) && _mayReceive(linked)) room = Math.saturatingAdd(room, _room($, linked));
        return room;
    }

    /// @inheritdoc ITieredPolicy
    function outflowToday(address account) public view returns (uint256) {
        AccountPolicy memory record = _getTieredPolicyStorage().accounts[account];
        // slither-disable-next-line incorrect-equality,timestamp same UTC day index; a miner's seconds do not move it
        return record.day == _today() ? record.spent : 0;
    }

    /// @dev Moves first, then checks the receiver's holding limit (or passes the excess on to its
    /// linked account) and counts the sender's outflow. A burn and a transfer to oneself add no holding.
    function _update(address from, address to, uint256 value) internal virtual override {
        TieredPolicyStorage storage $ = _getTieredPolicyStorage();
        // Policy off: this one SLOAD is all it costs.
        if (!$.enabled || to == address(0)) {
            super._update(from, to, value);
            return;
        }
        if (from == to) {
            super._update(from, to, value);
        } else {
            uint256 room = _room($, to);
            address linked = value > room ? $.linked[to] : address(0);
            if (linked == address(0)) {
                super._update(from, to, value);
                if (value > room) revert HoldingLimitExceeded(to, balanceOf(to), _maxBalance($, to));
            } else {
                if (room != 0) super._update(from, to, room);
                // Cannot underflow: value > room on this branch.
                uint256 excess = value - room;
                super._update(from, linked, excess);
                emit Waterfall(to, linked, excess);
                uint256 limit = _maxBalance($, linked);
                uint256 balance = balanceOf(linked);
                if (balance > limit) revert HoldingLimitExceeded(linked, balance, limit);
            }
        }
        if (from != address(0)) _countOutflow($, from, value);
    }

    /// @dev What `account` could send if no policy applied. Overridden by the token, which knows
    /// freezes, holds, the blocklist and the pause.
    function _spendableBalance(address account) internal view virtual returns (uint256) {
        return balanceOf(account);
    }

    /// @dev Whether `account` may receive at all, policy aside. Overridden by the token.
    function _mayReceive(address) internal view virtual returns (bool) {
        return true;
    }

    /// @dev Adds `value` to `from`'s outflow today; reverts above its tier's daily limit.
    function _countOutflow(TieredPolicyStorage storage $, address from, uint256 value) private {
        AccountPolicy memory record = $.accounts[from];
        uint128 limit = $.limits[record.tier].dailyOutflow;
        if (limit == NO_LIMIT) return;
        uint40 today = _today();
        // slither-disable-next-line incorrect-equality,timestamp same UTC day index; a miner's seconds do not move it
        uint256 outflow = (record.day == today ? record.spent : 0) + value;
        // slither-disable-next-line timestamp compares tiyn, not times
        if (outflow > limit) revert DailyOutflowExceeded(from, outflow, limit);
        // Fits: outflow <= limit < 2**128.
        $.accounts[from] = AccountPolicy(record.tier, today, uint128(outflow));
    }

    function _setTierLimits(uint8 tier, uint256 maxBalance, uint256 dailyOutflow, address actor) private {
        _getTieredPolicyStorage().limits[tier] = TierLimits(_narrow(maxBalance), _narrow(dailyOutflow));
        emit TierLimitsSet(tier, maxBalance, dailyOutflow, actor);
    }

    /// @dev Room under `account`'s holding limit (`type(uint256).max` when unlimited).
    function _room(TieredPolicyStorage storage $, address account) private view returns (uint256) {
        uint256 limit = _maxBalance($, account);
        return limit == type(uint256).max ? limit : Math.saturatingSub(limit, balanceOf(account));
    }

    function _maxBalance(TieredPolicyStorage storage $, address account) private view returns (uint256) {
        return _widen($.limits[$.accounts[account].tier].maxBalance);
    }

    function _today() private view returns (uint40) {
        // Fits: a uint40 of days outlasts the sun.
        return uint40(block.timestamp / 1 days);
    }

    function _narrow(uint256 limit) private pure returns (uint128) {
        if (limit == type(uint256).max) return NO_LIMIT;
        if (limit >= NO_LIMIT) revert TierLimitOutOfRange(limit);
        return uint128(limit);
    }

    function _widen(uint128 limit) private pure returns (uint256) {
        return limit == NO_LIMIT ? type(uint256).max : limit;
    }

    function _getTieredPolicyStorage() private pure returns (TieredPolicyStorage storage $) {
        // slither-disable-next-line assembly ERC-7201 accessor: only assembly can point a storage struct at its slot
        assembly {
            $.slot := TIERED_POLICY_STORAGE
        }
    }
}
