// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ITieredPolicy} from "../interfaces/ITieredPolicy.sol";
import {LedgerStorage} from "./LedgerStorage.sol";
import {LedgerWords} from "./LedgerWords.sol";

/// @title Where the tiers' limits and the links live, and how limits are set
/// @notice The ERC-7201 namespace of the wallet policy's limits and links, and the one function that sets
/// a tier's limits (`setTierLimits`, for the token's `setTierLimits` and the default tiers alike).
/// @dev A library, so that `DigitalTengeInitializer` sets the default tiers with the same code as
/// `setTierLimits`, without being a token.
library TieredPolicyStorage {
    /// @dev One slot per tier but tier 0 (whose limits are in the token's word): 96 + 96 bits; NO_LIMIT
    /// stands for `type(uint256).max`.
    struct TierLimits {
        uint96 maxBalance;
        uint96 dailyOutflow;
    }

    /// @dev A link KYC_ROLE proposed, waiting for the holder's consent: its target and the instruction.
    struct LinkProposal {
        address linked;
        bytes32 reason;
    }

    /// @custom:storage-location erc7201:tenge.storage.TieredPolicy
    struct Layout {
        mapping(uint8 tier => TierLimits) limits;
        mapping(address account => address) linked;
        mapping(address account => LinkProposal) proposals;
    }

    // Limits are stored as uint96, with this value for "no limit": no balance reaches it (balances are
    // below the ledger's ceiling), so every real limit fits below it.
    uint96 internal constant NO_LIMIT = type(uint96).max;

    // keccak256(abi.encode(uint256(keccak256("tenge.storage.TieredPolicy")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant SLOT = 0xa54f3ad49f95e32e1b2de73991d8e36c89c9ea2954521f7d00defedecb141700;

    /// @dev Default tiers, in tiyn (1 KZT = 100 tiyn), and the policy on, all on behalf of `admin`:
    /// tier 0 (anonymous) holds 100,000 KZT and sends 50,000 KZT a day; tier 1 (basic KYC) 1,000,000 and
    /// 500,000; tier 2 (full KYC) 10,000,000 and 5,000,000; tier 3 (institutions, system accounts) no limit.
    /// Straight-line on purpose: it runs only in a proxy's constructor, where coverage cannot follow, so it
    /// holds no branch of its own. Each value fits its field: tier 0's below 2**40 - 1, the others' below
    /// 2**96 - 1, tier 3's the "none" marker, as `setTierLimits` would store them.
    function setDefaults(address admin) internal {
        LedgerStorage.Layout storage ledger = LedgerStorage.layout();
        ledger.config = ledger.config.withBaseLimits(100_000_00, 50_000_00).withPolicyOn();
        Layout storage policy = layout();
        policy.limits[1] = TierLimits(1_000_000_00, 500_000_00);
        policy.limits[2] = TierLimits(10_000_000_00, 5_000_000_00);
        policy.limits[3] = TierLimits(NO_LIMIT, NO_LIMIT);
        emit ITieredPolicy.TierLimitsSet(0, 100_000_00, 50_000_00, admin, bytes32(0));
        emit ITieredPolicy.TierLimitsSet(1, 1_000_000_00, 500_000_00, admin, bytes32(0));
        emit ITieredPolicy.TierLimitsSet(2, 10_000_000_00, 5_000_000_00, admin, bytes32(0));
        emit ITieredPolicy.TierLimitsSet(3, type(uint256).max, type(uint256).max, admin, bytes32(0));
        emit ITieredPolicy.PolicyEnabledSet(true, admin, bytes32(0));
    }

    /// @dev Tier 0's limits go to the token's word (40 bits each), the others' to their slot (96 bits each).
    function setTierLimits(uint8 tier, uint256 maxBalance, uint256 dailyOutflow, address actor, bytes32 reason)
        internal
    {
        if (tier == 0) {
            uint256 none = LedgerWords.NO_BASE_LIMIT;
            LedgerStorage.Layout storage ledger = LedgerStorage.layout();
            ledger.config = ledger.config.withBaseLimits(_narrow(maxBalance, none), _narrow(dailyOutflow, none));
        } else {
            layout().limits[tier] =
                TierLimits(uint96(_narrow(maxBalance, NO_LIMIT)), uint96(_narrow(dailyOutflow, NO_LIMIT)));
        }
        emit ITieredPolicy.TierLimitsSet(tier, maxBalance, dailyOutflow, actor, reason);
    }

    function layout() internal pure returns (Layout storage $) {
        // slither-disable-next-line assembly ERC-7201 accessor: only assembly can point a storage struct at its slot
        assembly {
            $.slot := SLOT
        }
    }

    function widen(uint96 limit) internal pure returns (uint256) {
        return limit == NO_LIMIT ? type(uint256).max : limit;
    }

    /// @dev `limit` as stored, where `none` (the field's widest value) stands for no limit.
    function _narrow(uint256 limit, uint256 none) private pure returns (uint256) {
        if (limit == type(uint256).max) return none;
        if (limit >= none) revert ITieredPolicy.TierLimitOutOfRange(limit);
        return limit;
    }
}
