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

/// @dev The token's word, low bits first: bit 0 paused; bit 8 policy enabled; bits 16-111 total supply
/// (< 2**96, see the cap); bits 112-207 supply cap (2**96 - 1 stands for "no cap").
type ConfigWord is uint256;

using LedgerWords for AccountWord global;
using LedgerWords for ConfigWord global;

/// @title Reading and writing the ledger's packed words
/// @notice Pure bit arithmetic on one 256-bit word; no storage.
/// @dev Callers keep every value within its width (the proofs are in the word layouts above).
library LedgerWords {
    uint256 internal constant MAX_AMOUNT = (1 << 96) - 1;
    uint256 private constant BLOCKED = 1 << 96;
    uint256 private constant FROZEN = 1 << 104;
    uint256 private constant HELD = 1 << 112;
    uint256 private constant TIER_SHIFT = 120;
    uint256 private constant DAY_SHIFT = 128;
    uint256 private constant SPENT_SHIFT = 160;
    uint256 private constant PAUSED = 1;
    uint256 private constant POLICY = 1 << 8;
    uint256 private constant SUPPLY_SHIFT = 16;
    uint256 private constant CAP_SHIFT = 112;

    function balance(AccountWord w) internal pure returns (uint256) {
        return AccountWord.unwrap(w) & MAX_AMOUNT;
    }

    function withBalance(AccountWord w, uint256 amount) internal pure returns (AccountWord) {
        return AccountWord.wrap((AccountWord.unwrap(w) & ~MAX_AMOUNT) | amount);
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

    function totalSupply(ConfigWord w) internal pure returns (uint256) {
        return (ConfigWord.unwrap(w) >> SUPPLY_SHIFT) & MAX_AMOUNT;
    }

    function withTotalSupply(ConfigWord w, uint256 supply) internal pure returns (ConfigWord) {
        return ConfigWord.wrap(
            (ConfigWord.unwrap(w) & ~(MAX_AMOUNT << SUPPLY_SHIFT)) | (supply << SUPPLY_SHIFT)
        );
    }

    function supplyCap(ConfigWord w) internal pure returns (uint256) {
        return (ConfigWord.unwrap(w) >> CAP_SHIFT) & MAX_AMOUNT;
    }

    function withSupplyCap(ConfigWord w, uint256 cap) internal pure returns (ConfigWord) {
        return ConfigWord.wrap((ConfigWord.unwrap(w) & ~(MAX_AMOUNT << CAP_SHIFT)) | (cap << CAP_SHIFT));
    }

    function _withFlag(AccountWord w, uint256 flag, bool on) private pure returns (AccountWord) {
        return AccountWord.wrap(on ? AccountWord.unwrap(w) | flag : AccountWord.unwrap(w) & ~flag);
    }
}
