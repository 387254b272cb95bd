// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @dev An account's ledger word, low bits first (each width proven to fit on its line):
///   bits   0-95  balance in tiyn: 2**96 tiyn is 7.9e26 KZT, and every balance is at most the supply,
///                which the ledger keeps below 2**96;
///   bit   96     blocked;  bit 104 frozen;  bit 112 held (a hold applies; its amounts live in the
///                freeze extension);
///   bits 120-127 tier: a uint8;
///   bits 128-159 UTC day (timestamp / 1 days) that `spent` belongs to: 2**32 days is 11 million years;
///   bits 160-255 spent: outflow on that day while the tier had a daily limit, <= that limit < 2**96.
type AccountWord is uint256;

/// @dev The token's word, low bits first: bit 0 paused; bit 8 policy enabled; bits 16-95 total supply
/// (< 2**80 tiyn, 1.2e22 KZT: the cap is at most that); bits 96-175 supply cap (2**80 - 1 stands for
/// "no cap"); bits 176-215 and 216-255 tier 0's holding and daily outflow limits (2**40 - 1 stands for
/// "no limit"; every other limit is below 2**40 tiyn, 11 billion KZT). Tier 0, the anonymous wallets that
/// most holders have, keeps its limits here so that their payments read no slot of limits.
type ConfigWord is uint256;

using LedgerWords for AccountWord global;
using LedgerWords for ConfigWord global;

/// @title Reading and writing the ledger's packed words
/// @notice Pure bit arithmetic on one 256-bit word; no storage.
/// @dev Callers keep every value within its width (the proofs are in the word layouts above).
library LedgerWords {
    /// @dev The widest balance: the balance field's 96 bits (every balance is at most the supply).
    uint256 internal constant MAX_BALANCE = (1 << 96) - 1;
    /// @dev The ledger's ceiling for the supply, and so for the cap: the supply field's 80 bits.
    uint256 internal constant MAX_SUPPLY = (1 << 80) - 1;
    /// @dev Tier 0's limits are 40 bits each, this value standing for "no limit".
    uint256 internal constant NO_BASE_LIMIT = (1 << 40) - 1;
    uint256 private constant BLOCKED = 1 << 96;
    uint256 private constant FROZEN = 1 << 104;
    uint256 private constant HELD = 1 << 112;
    uint256 private constant TIER_SHIFT = 120;
    uint256 private constant DAY_SHIFT = 128;
    uint256 private constant SPENT_SHIFT = 160;
    uint256 private constant PAUSED = 1;
    uint256 private constant POLICY = 1 << 8;
    uint256 private constant SUPPLY_SHIFT = 16;
    uint256 private constant CAP_SHIFT = 96;
    uint256 private constant BASE_MAX_BALANCE_SHIFT = 176;
    uint256 private constant BASE_DAILY_OUTFLOW_SHIFT = 216;

    function balance(AccountWord w) internal pure returns (uint256) {
        return AccountWord.unwrap(w) & MAX_BALANCE;
    }

    function withBalance(AccountWord w, uint256 amount) internal pure returns (AccountWord) {
        return AccountWord.wrap((AccountWord.unwrap(w) & ~MAX_BALANCE) | amount);
    }

    function blocked(AccountWord w) internal pure returns (bool) {
        return AccountWord.unwrap(w) & BLOCKED != 0;
    }

    function withBlocked(AccountWord w, bool on) internal pure returns (AccountWord) {
        return _withFlag(w, BLOCKED, on);
    }

    function frozen(AccountWord w) internal pure returns (bool) {
        return AccountWord.unwrap(w) & FROZEN != 0;
    }

    function withFrozen(AccountWord w, bool on) internal pure returns (AccountWord) {
        return _withFlag(w, FROZEN, on);
    }

    function held(AccountWord w) internal pure returns (bool) {
        return AccountWord.unwrap(w) & HELD != 0;
    }

    function withHeld(AccountWord w, bool on) internal pure returns (AccountWord) {
        return _withFlag(w, HELD, on);
    }

    function tier(AccountWord w) internal pure returns (uint8) {
        return uint8(AccountWord.unwrap(w) >> TIER_SHIFT);
    }

    function withTier(AccountWord w, uint8 newTier) internal pure returns (AccountWord) {
        return AccountWord.wrap(
            (AccountWord.unwrap(w) & ~(uint256(0xff) << TIER_SHIFT)) | (uint256(newTier) << TIER_SHIFT)
        );
    }

    function day(AccountWord w) internal pure returns (uint256) {
        return uint32(AccountWord.unwrap(w) >> DAY_SHIFT);
    }

    function spent(AccountWord w) internal pure returns (uint256) {
        return AccountWord.unwrap(w) >> SPENT_SHIFT;
    }

    /// @dev Sets the day and its outflow together; bits 128-255 are theirs alone.
    function withOutflow(AccountWord w, uint256 newDay, uint256 newSpent) internal pure returns (AccountWord) {
        return AccountWord.wrap(
            (AccountWord.unwrap(w) & ((1 << DAY_SHIFT) - 1)) | (newDay << DAY_SHIFT) | (newSpent << SPENT_SHIFT)
        );
    }

    function paused(ConfigWord w) internal pure returns (bool) {
        return ConfigWord.unwrap(w) & PAUSED != 0;
    }

    function withPaused(ConfigWord w, bool on) internal pure returns (ConfigWord) {
        return ConfigWord.wrap(on ? ConfigWord.unwrap(w) | PAUSED : ConfigWord.unwrap(w) & ~PAUSED);
    }

    function policyEnabled(ConfigWord w) internal pure returns (bool) {
        return ConfigWord.unwrap(w) & POLICY != 0;
    }

    function withPolicyEnabled(ConfigWord w, bool on) internal pure returns (ConfigWord) {
        return ConfigWord.wrap(on ? ConfigWord.unwrap(w) | POLICY : ConfigWord.unwrap(w) & ~POLICY);
    }

    /// @dev `withPolicyEnabled(w, true)` without a branch, for the set-up's straight-line code.
    function withPolicyOn(ConfigWord w) internal pure returns (ConfigWord) {
        return ConfigWord.wrap(ConfigWord.unwrap(w) | POLICY);
    }

    function totalSupply(ConfigWord w) internal pure returns (uint256) {
        return (ConfigWord.unwrap(w) >> SUPPLY_SHIFT) & MAX_SUPPLY;
    }

    function withTotalSupply(ConfigWord w, uint256 supply) internal pure returns (ConfigWord) {
        return ConfigWord.wrap(
            (ConfigWord.unwrap(w) & ~(MAX_SUPPLY << SUPPLY_SHIFT)) | (supply << SUPPLY_SHIFT)
        );
    }

    function supplyCap(ConfigWord w) internal pure returns (uint256) {
        return (ConfigWord.unwrap(w) >> CAP_SHIFT) & MAX_SUPPLY;
    }

    function withSupplyCap(ConfigWord w, uint256 cap) internal pure returns (ConfigWord) {
        return ConfigWord.wrap((ConfigWord.unwrap(w) & ~(MAX_SUPPLY << CAP_SHIFT)) | (cap << CAP_SHIFT));
    }

    /// @dev Tier 0's holding limit, `type(uint256).max` for none.
    function baseMaxBalance(ConfigWord w) internal pure returns (uint256) {
        uint256 limit = (ConfigWord.unwrap(w) >> BASE_MAX_BALANCE_SHIFT) & NO_BASE_LIMIT;
        return limit == NO_BASE_LIMIT ? type(uint256).max : limit;
    }

    /// @dev Tier 0's daily outflow limit, `type(uint256).max` for none.
    function baseDailyOutflow(ConfigWord w) internal pure returns (uint256) {
        uint256 limit = ConfigWord.unwrap(w) >> BASE_DAILY_OUTFLOW_SHIFT;
        return limit == NO_BASE_LIMIT ? type(uint256).max : limit;
    }

    /// @dev Sets tier 0's limits, each below NO_BASE_LIMIT or equal to it for none; bits 176-255 are theirs alone.
    function withBaseLimits(ConfigWord w, uint256 maxBalance, uint256 dailyOutflow) internal pure returns (ConfigWord) {
        return ConfigWord.wrap(
            (ConfigWord.unwrap(w) & ((1 << BASE_MAX_BALANCE_SHIFT) - 1)) | (maxBalance << BASE_MAX_BALANCE_SHIFT)
                | (dailyOutflow << BASE_DAILY_OUTFLOW_SHIFT)
        );
    }

    function _withFlag(AccountWord w, uint256 flag, bool on) private pure returns (AccountWord) {
        return AccountWord.wrap(on ? AccountWord.unwrap(w) | flag : AccountWord.unwrap(w) & ~flag);
    }
}
