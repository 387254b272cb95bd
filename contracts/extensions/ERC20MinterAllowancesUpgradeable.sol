// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IMinterAllowances} from "../interfaces/IMinterAllowances.sol";

/// @title Per-minter issuance allowances that may refill over time
/// @notice A minter may issue at most its allowance. With a refill rate the allowance grows back to
/// its capacity, so a stolen minter key can issue at most `capacity + refillPerSecond * seconds` over
/// any period.
/// @dev A minter's record exists exactly while it holds MINTER_ROLE: the token creates it when the
/// role is granted and deletes it (with `MinterRemoved`) when the role goes by any route, so a mint
/// reads one slot for both the role and the allowance. OpenZeppelin's `RateLimiter.RefillingBucket`
/// shares one capacity and window across all keys, so each minter keeps its own packed record here.
/// No public setters here: the token adds the gated ones.
abstract contract ERC20MinterAllowancesUpgradeable is IMinterAllowances {
    /// @dev One slot per minter: 88 + 88 + 32 + 40 + 8 = 256 bits.
    // uint88 holds 3.0e24 KZT in tiyn, far above any money supply; uint32 tiyn a second is 42.9M KZT.
    struct Minter {
        uint88 allowance; // as of `updatedAt`, refilled lazily on read
        uint88 capacity;
        uint32 refillPerSecond;
        uint40 updatedAt;
        bool active; // true exactly while the account holds MINTER_ROLE
    }

    /// @custom:storage-location erc7201:tenge.storage.MinterAllowances
    struct MinterAllowancesStorage {
        mapping(address minter => Minter) minters;
    }

    // keccak256(abi.encode(uint256(keccak256("tenge.storage.MinterAllowances")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant MINTER_ALLOWANCES_STORAGE =
        0xba32db2a3edb14171b61b5517bb18de85d46961f8990d21e34b93a282faf5300;

    /// @inheritdoc IMinterAllowances
    function minterRefill(address minter) external view returns (uint256 capacity, uint256 refillPerSecond) {
        Minter storage m = _getMinterAllowancesStorage().minters[minter];
        return (m.capacity, m.refillPerSecond);
    }

    /// @inheritdoc IMinterAllowances
    function minterAllowance(address minter) public view returns (uint256) {
        return _currentAllowance(_getMinterAllowancesStorage().minters[minter]);
    }

    /// @dev Spends `amount` of `minter`'s allowance, refill included, or reverts above it. Returns
    /// false, spending nothing, if `minter` holds no MINTER_ROLE (the token reverts with the role error).
    function _spendMinterAllowance(address minter, uint256 amount) internal returns (bool isMinter) {
        Minter memory m = _getMinterAllowancesStorage().minters[minter];
        if (!m.active) return false;
        uint256 allowance = _currentAllowance(m);
        // slither-disable-next-line timestamp the allowance refills with time by design; a validator's clock skew adds seconds of refill at most
        if (amount > allowance) revert MinterAllowanceExceeded(minter, allowance, amount);
        // Safe: amount <= allowance <= capacity (or the fixed allowance), which fits in uint88.
        m.allowance = uint88(allowance - amount);
        m.updatedAt = uint40(block.timestamp);
        _getMinterAllowancesStorage().minters[minter] = m;
        return true;
    }

    /// @dev Sets `minter`'s record (the token grants the role) and says so.
    function _configureMinter(address minter, uint256 allowance, uint256 capacity, uint256 refillPerSecond, address actor)
        internal
    {
        if (capacity < allowance || (refillPerSecond != 0 && capacity == 0)) {
            revert InvalidMinterConfiguration(allowance, capacity, refillPerSecond);
        }
        _getMinterAllowancesStorage().minters[minter] = Minter({
            allowance: SafeCast.toUint88(allowance),
            capacity: SafeCast.toUint88(capacity),
            refillPerSecond: SafeCast.toUint32(refillPerSecond),
            updatedAt: uint40(block.timestamp),
            active: true
        });
        emit MinterConfigured(minter, allowance, capacity, refillPerSecond, actor);
    }

    /// @dev Gives `minter`, just granted MINTER_ROLE, a record with no allowance, unless configured.
    function _activateMinter(address minter) internal {
        Minter storage m = _getMinterAllowancesStorage().minters[minter];
        if (!m.active) {
            m.active = true;
            m.updatedAt = uint40(block.timestamp);
        }
    }

    /// @dev Deletes `minter`'s record, called when it loses MINTER_ROLE by any route, and says so.
    function _removeMinterRecord(address minter, address actor) internal {
        delete _getMinterAllowancesStorage().minters[minter];
        emit MinterRemoved(minter, actor);
    }

    function _currentAllowance(Minter memory m) private view returns (uint256) {
        uint256 allowance = m.allowance;
        if (m.refillPerSecond == 0) return allowance;
        return Math.min(m.capacity, allowance + uint256(m.refillPerSecond) * (block.timestamp - m.updatedAt));
    }

    function _getMinterAllowancesStorage() private pure returns (MinterAllowancesStorage storage $) {
        // slither-disable-next-line assembly ERC-7201 accessor: only assembly can point a storage struct at its slot
        assembly {
            $.slot := MINTER_ALLOWANCES_STORAGE
        }
    }
}
