// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IMintController} from "./interfaces/IMintController.sol";

/// @title The Digital Tenge's minters and their allowances, held outside the token
/// @notice Who may mint, and how much: each minter's allowance, which may refill over time, so a stolen
/// minter key can issue at most `capacity + refillPerSecond * seconds` over any period. The token keeps
/// only `mint` and `burn` and asks this contract; who may configure minters is the token's own
/// MINTER_ADMIN_ROLE, so every role is still administered in one place, the token's AccessControl.
/// @dev Circle's `minting/MintController` and Paxos' SupplyControl hold minter administration outside
/// the token in the same way; the token's code then fits EIP-170 with room to grow. Not upgradeable,
/// holding no funds: a token names its controller as an immutable of its implementation, so another
/// controller comes only with an upgrade. Records are keyed by (token, minter) and a token spends with
/// `msg.sender` as its key, so one deployment serves any number of tokens, none of which can spend
/// another's allowances, and no token needs to be bound to it first.
/// OpenZeppelin's `RateLimiter.RefillingBucket` shares one capacity and window across all keys, so
/// each minter keeps its own packed record here.
/// @custom:security-contact security@tenge.example
contract TengeMintController is IMintController {
    /// @dev One slot per minter: 88 + 88 + 32 + 40 + 8 = 256 bits.
    // uint88 holds 3.0e24 KZT in tiyn, far above any money supply; uint32 tiyn a second is 42.9M KZT.
    struct Minter {
        uint88 allowance; // as of `updatedAt`, refilled lazily on read
        uint88 capacity;
        uint32 refillPerSecond;
        uint40 updatedAt;
        bool active; // a minter: configured and not removed since
    }

    /// @notice The role a non-minter's mint or burn is refused for (AccessControl's error names it); a
    /// minter is an account this contract holds a record of, not a holder of a role in the token.
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    /// @notice The token's role that configures and removes its minters here.
    bytes32 public constant MINTER_ADMIN_ROLE = keccak256("MINTER_ADMIN_ROLE");

    mapping(address token => mapping(address minter => Minter)) private _minters;

    /// @dev The caller must hold MINTER_ADMIN_ROLE in `token`'s own AccessControl.
    modifier onlyMinterAdmin(address token) {
        _checkMinterAdmin(token);
        _;
    }

    /// @inheritdoc IMintController
    function configureMinter(address token, address minter, uint256 allowance, bytes32 reason)
        external
        onlyMinterAdmin(token)
    {
        _configure(token, minter, allowance, allowance, 0, reason);
    }

    /// @inheritdoc IMintController
    function configureMinterWithRefill(
        address token,
        address minter,
        uint256 allowance,
        uint256 capacity,
        uint256 refillPerSecond,
        bytes32 reason
    ) external onlyMinterAdmin(token) {
        _configure(token, minter, allowance, capacity, refillPerSecond, reason);
    }

    /// @inheritdoc IMintController
    function removeMinter(address token, address minter, bytes32 reason) external onlyMinterAdmin(token) {
        _remove(token, minter, reason);
    }

    /// @inheritdoc IMintController
    function renounceMinter(address token) external {
        _remove(token, msg.sender, bytes32(0));
    }

    /// @inheritdoc IMintController
    function spendMintAllowance(address minter, uint256 amount) external {
        // The caller is the token: a token can spend only the allowances kept under its own address.
        Minter memory m = _minters[msg.sender][minter];
        if (!m.active) revert IAccessControl.AccessControlUnauthorizedAccount(minter, MINTER_ROLE);
        uint256 allowance = _currentAllowance(m);
        // slither-disable-next-line timestamp the allowance refills with time by design; a validator's clock skew adds seconds of refill at most
        if (amount > allowance) revert MinterAllowanceExceeded(minter, allowance, amount);
        // Safe: amount <= allowance <= capacity (or the fixed allowance), which fits in uint88.
        m.allowance = uint88(allowance - amount);
        m.updatedAt = uint40(block.timestamp);
        _minters[msg.sender][minter] = m;
    }

    /// @inheritdoc IMintController
    function isMinter(address token, address account) external view returns (bool) {
        return _minters[token][account].active;
    }

    /// @inheritdoc IMintController
    function minterAllowance(address token, address minter) external view returns (uint256) {
        return _currentAllowance(_minters[token][minter]);
    }

    /// @inheritdoc IMintController
    function minterRefill(address token, address minter)
        external
        view
        returns (uint256 capacity, uint256 refillPerSecond)
    {
        Minter storage m = _minters[token][minter];
        return (m.capacity, m.refillPerSecond);
    }

    /// @dev Replaces `minter`'s record: a reconfigured minter starts from its new allowance.
    function _configure(
        address token,
        address minter,
        uint256 allowance,
        uint256 capacity,
        uint256 refillPerSecond,
        bytes32 reason
    ) private {
        if (capacity < allowance || (refillPerSecond != 0 && capacity == 0)) {
            revert InvalidMinterConfiguration(allowance, capacity, refillPerSecond);
        }
        // Separation of duties, the token's other half of it: who administers minters does not mint.
        if (IAccessControl(token).hasRole(MINTER_ADMIN_ROLE, minter)) {
            revert RoleConflict(minter, MINTER_ROLE, MINTER_ADMIN_ROLE);
        }
        _minters[token][minter] = Minter({
            allowance: SafeCast.toUint88(allowance),
            capacity: SafeCast.toUint88(capacity),
            refillPerSecond: SafeCast.toUint32(refillPerSecond),
            updatedAt: uint40(block.timestamp),
            active: true
        });
        emit MinterConfigured(token, minter, allowance, capacity, refillPerSecond, msg.sender, reason);
    }

    /// @dev Deletes `minter`'s record, allowance and refill with it; says so only if it was a minter.
    function _remove(address token, address minter, bytes32 reason) private {
        if (!_minters[token][minter].active) return;
        delete _minters[token][minter];
        emit MinterRemoved(token, minter, msg.sender, reason);
    }

    /// @dev One check for every admin call, as OpenZeppelin's `_checkRole` (the role is the token's).
    function _checkMinterAdmin(address token) private view {
        if (!IAccessControl(token).hasRole(MINTER_ADMIN_ROLE, msg.sender)) {
            revert IAccessControl.AccessControlUnauthorizedAccount(msg.sender, MINTER_ADMIN_ROLE);
        }
    }

    function _currentAllowance(Minter memory m) private view returns (uint256) {
        uint256 allowance = m.allowance;
        if (m.refillPerSecond == 0) return allowance;
        return Math.min(m.capacity, allowance + uint256(m.refillPerSecond) * (block.timestamp - m.updatedAt));
    }
}
