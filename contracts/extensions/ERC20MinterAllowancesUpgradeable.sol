// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IMinterAllowances} from "../interfaces/IMinterAllowances.sol";

/// @title Per-minter issuance allowances that may refill over time
/// @notice A MINTER_ADMIN_ROLE holder configures each minter; a mint spends the minter's allowance and
/// can never exceed it. With a refill rate the allowance grows back to its capacity, so a stolen minter
/// key can issue at most `capacity + refillPerSecond * seconds` over any period.
/// @dev OpenZeppelin's `RateLimiter.RefillingBucket` shares one capacity and window across all keys and
/// cannot express a non-refilling allowance, so each minter keeps its own packed record here.
abstract contract ERC20MinterAllowancesUpgradeable is ERC20Upgradeable, AccessControlUpgradeable, IMinterAllowances {
    /// @dev One slot per minter: the allowance as of `updatedAt`, refilled lazily on read.
    // uint88 holds 3.0e24 KZT in tiyn, far above any money supply; 88 + 88 + 40 + 40 = 256 bits.
    struct Minter {
        uint88 allowance;
        uint88 capacity;
        uint40 refillPerSecond;
        uint40 updatedAt;
    }

    /// @custom:storage-location erc7201:tenge.storage.MinterAllowances
    struct MinterAllowancesStorage {
        mapping(address minter => Minter) minters;
    }

    /// @notice May mint up to its allowance and burn its own balance.
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    /// @notice Configures and removes minters and their allowances.
    bytes32 public constant MINTER_ADMIN_ROLE = keccak256("MINTER_ADMIN_ROLE");

    // keccak256(abi.encode(uint256(keccak256("tenge.storage.MinterAllowances")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant MINTER_ALLOWANCES_STORAGE =
        0xba32db2a3edb14171b61b5517bb18de85d46961f8990d21e34b93a282faf5300;

    // slither-disable-start naming-convention OpenZeppelin's __X_init initializer naming
    // solhint-disable-next-line func-name-mixedcase
    function __ERC20MinterAllowances_init() internal onlyInitializing {
        // Minters are appointed by the minter admin, not by the default admin directly.
        _setRoleAdmin(MINTER_ROLE, MINTER_ADMIN_ROLE);
    }
    // slither-disable-end naming-convention

    // The initializer above comes first (house order); solhint's ordering rule does not know initializers.
    // solhint-disable ordering
    /// @inheritdoc IMinterAllowances
    function configureMinter(address minter, uint256 allowance) external onlyRole(MINTER_ADMIN_ROLE) {
        _configureMinter(minter, allowance, allowance, 0);
    }
    // solhint-enable ordering

    /// @inheritdoc IMinterAllowances
    function configureMinterWithRefill(address minter, uint256 allowance, uint256 capacity, uint256 refillPerSecond)
        external
        onlyRole(MINTER_ADMIN_ROLE)
    {
        if (capacity < allowance || (refillPerSecond != 0 && capacity == 0)) {
            revert InvalidMinterConfiguration(allowance, capacity, refillPerSecond);
        }
        _configureMinter(minter, allowance, capacity, refillPerSecond);
    }

    /// @inheritdoc IMinterAllowances
    function removeMinter(address minter) external onlyRole(MINTER_ADMIN_ROLE) {
        delete _getMinterAllowancesStorage().minters[minter];
        _revokeRole(MINTER_ROLE, minter);
        emit MinterRemoved(minter, _msgSender());
    }

    /// @inheritdoc IMinterAllowances
    function minterRefill(address minter) external view returns (uint256 capacity, uint256 refillPerSecond) {
        Minter storage m = _getMinterAllowancesStorage().minters[minter];
        return (m.capacity, m.refillPerSecond);
    }

    /// @inheritdoc IMinterAllowances
    function minterAllowance(address minter) public view returns (uint256) {
        return _currentAllowance(_getMinterAllowancesStorage().minters[minter]);
    }

    /// @dev Spends `amount` of `minter`'s allowance, refill included, or reverts.
    function _spendMinterAllowance(address minter, uint256 amount) internal {
        Minter storage m = _getMinterAllowancesStorage().minters[minter];
        uint256 allowance = _currentAllowance(m);
        // slither-disable-next-line timestamp the allowance refills with time by design; a validator's clock skew adds seconds of refill at most
        if (amount > allowance) revert MinterAllowanceExceeded(minter, allowance, amount);
        // Safe: amount <= allowance <= capacity, which fits in uint88.
        m.allowance = uint88(allowance - amount);
        m.updatedAt = uint40(block.timestamp);
    }

    function _configureMinter(address minter, uint256 allowance, uint256 capacity, uint256 refillPerSecond) private {
        _getMinterAllowancesStorage().minters[minter] = Minter({
            allowance: SafeCast.toUint88(allowance),
            capacity: SafeCast.toUint88(capacity),
            refillPerSecond: SafeCast.toUint40(refillPerSecond),
            updatedAt: uint40(block.timestamp)
        });
        _grantRole(MINTER_ROLE, minter);
        emit MinterConfigured(minter, allowance, capacity, refillPerSecond, _msgSender());
    }

    function _currentAllowance(Minter storage m) private view returns (uint256) {
        uint256 allowance = m.allowance;
        uint256 refillPerSecond = m.refillPerSecond;
        if (refillPerSecond == 0) return allowance;
        return Math.min(m.capacity, allowance + refillPerSecond * (block.timestamp - m.updatedAt));
    }

    function _getMinterAllowancesStorage() private pure returns (MinterAllowancesStorage storage $) {
        // slither-disable-next-line assembly ERC-7201 accessor: only assembly can point a storage struct at its slot
        assembly {
            $.slot := MINTER_ALLOWANCES_STORAGE
        }
    }
}
