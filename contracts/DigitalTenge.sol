// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {AccessControlDefaultAdminRulesUpgradeable} from
    "@openzeppelin/contracts-upgradeable/access/extensions/AccessControlDefaultAdminRulesUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {ERC20PermitUpgradeable} from
    "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20PermitUpgradeable.sol";
import {MulticallUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/MulticallUpgradeable.sol";
import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {IBEP20} from "./interfaces/IBEP20.sol";
import {IERC3009} from "./interfaces/IERC3009.sol";
import {IDigitalTenge} from "./interfaces/IDigitalTenge.sol";
import {ERC20BlocklistableUpgradeable} from "./extensions/ERC20BlocklistableUpgradeable.sol";
import {ERC20FreezableUpgradeable} from "./extensions/ERC20FreezableUpgradeable.sol";
import {ERC20MinterAllowancesUpgradeable} from "./extensions/ERC20MinterAllowancesUpgradeable.sol";
import {ERC20TieredPolicyUpgradeable} from "./extensions/ERC20TieredPolicyUpgradeable.sol";
import {ERC20TransferAuthorizationUpgradeable} from "./extensions/ERC20TransferAuthorizationUpgradeable.sol";

/// @title The Digital Tenge (DKZT)
/// @notice Kazakhstan's central-bank digital currency as a BEP-20 token on BNB Chain. One token unit is
/// one tiyn (2 decimals: 1 KZT = 100 tiyn). Issuance is role-gated and bounded per minter; every
/// intervention (freeze, hold, blocklisting, seizure, pause) is narrow, role-gated, and emits an event
/// that names its actor and cites a `bytes32` reason, the hash or id of its legal basis.
/// A wallet policy (KYC tiers with holding and daily outflow limits, a waterfall to a linked account)
/// makes it a tiered retail currency; payments may carry a reference for reconciliation.
/// @dev Deployed behind an ERC-1967 proxy (UUPS). Every balance change goes through `_update`, where the
/// pause, wallet policy, freeze and blocklist rules of each extension apply; only `seize` bypasses them,
/// on purpose.
/// @custom:security-contact security@tenge.example
contract DigitalTenge is
    ERC20PermitUpgradeable,
    ERC20TransferAuthorizationUpgradeable,
    AccessControlDefaultAdminRulesUpgradeable,
    PausableUpgradeable,
    MulticallUpgradeable,
    UUPSUpgradeable,
    ERC20FreezableUpgradeable,
    ERC20BlocklistableUpgradeable,
    ERC20MinterAllowancesUpgradeable,
    ERC20TieredPolicyUpgradeable,
    IDigitalTenge
{
    using SafeERC20 for IERC20;

    /// @custom:storage-location erc7201:tenge.storage.DigitalTenge
    struct DigitalTengeStorage {
        uint256 supplyCap;
    }

    /// @notice May pause and unpause every transfer, mint and burn.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice May seize from blocked, frozen or held accounts, executing a legal order.
    bytes32 public constant SEIZER_ROLE = keccak256("SEIZER_ROLE");
    /// @notice May send other tokens, sent to this contract by mistake, back out.
    bytes32 public constant RESCUER_ROLE = keccak256("RESCUER_ROLE");
    /// @notice May upgrade the implementation behind the proxy.
    bytes32 public constant UPGRADER_ROLE = keccak256("UPGRADER_ROLE");

    // keccak256(abi.encode(uint256(keccak256("tenge.storage.DigitalTenge")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant DIGITAL_TENGE_STORAGE = 0xd4bfa8742adf1cb67941c1cd6c0fc2e358389357e67b3b4ac9aaa6ad61469300;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        // The implementation is never used directly: nobody may initialize (and so own) it.
        _disableInitializers();
    }

    /// @notice Sets up the proxy: `admin` holds DEFAULT_ADMIN_ROLE, which it can hand over only in two
    /// steps with `adminTransferDelay` seconds between them. The wallet policy starts on, with the
    /// default tiers of `ERC20TieredPolicyUpgradeable`.
    /// @param admin The default admin.
    /// @param adminTransferDelay Seconds between the two steps of a default-admin handover.
    function initialize(address admin, uint48 adminTransferDelay) external initializer {
        __ERC20_init("Digital Tenge", "DKZT");
        __ERC20Permit_init("Digital Tenge");
        __AccessControlDefaultAdminRules_init(adminTransferDelay, admin);
        __Pausable_init();
        __ERC20MinterAllowances_init();
        __ERC20TieredPolicy_init(admin);
        _getDigitalTengeStorage().supplyCap = type(uint256).max;
        emit SupplyCapChanged(type(uint256).max, admin);
    }

    /// @inheritdoc IDigitalTenge
    function mint(address to, uint256 amount) external onlyRole(MINTER_ROLE) {
        _spendMinterAllowance(_msgSender(), amount);
        uint256 cap = _getDigitalTengeStorage().supplyCap;
        uint256 supplyAfter = totalSupply() + amount;
        if (supplyAfter > cap) revert SupplyCapExceeded(supplyAfter, cap);
        _mint(to, amount);
        emit Minted(_msgSender(), to, amount);
    }

    /// @inheritdoc IDigitalTenge
    function burn(uint256 amount) external onlyRole(MINTER_ROLE) {
        _burn(_msgSender(), amount);
        emit Burned(_msgSender(), amount);
    }

    /// @inheritdoc IDigitalTenge
    /// @dev Allowed from a blocked or fully frozen account for any amount, or from an account with a
    /// partial freeze for at most the held amount; the hold shrinks by what is seized. Works while paused
    /// (it executes an order) but never credits a blocked account.
    function seize(address from, address to, uint256 amount, bytes32 reason) external onlyRole(SEIZER_ROLE) {
        if (amount == 0) revert SeizureAmountZero(from);
        uint256 held = frozenAmount(from);
        if (!isBlocked(from) && !isFrozen(from) && amount > held) revert SeizureNotAllowed(from, amount);
        _checkNotBlocked(to);
        if (held != 0) _setFrozenAmount(from, held > amount ? held - amount : 0, reason);
        // Skips the pause, policy, freeze and blocklist checks of `_update` on purpose: this is the order itself.
        ERC20Upgradeable._update(from, to, amount);
        emit Seized(from, to, amount, _msgSender(), reason);
    }

    /// @inheritdoc IDigitalTenge
    function transferWithReference(address to, uint256 amount, bytes32 paymentReference) external returns (bool) {
        address from = _msgSender();
        _transfer(from, to, amount);
        emit PaymentReference(from, to, amount, paymentReference);
        return true;
    }

    /// @inheritdoc IDigitalTenge
    function transferFromWithReference(address from, address to, uint256 amount, bytes32 paymentReference)
        external
        returns (bool)
    {
        _spendAllowance(from, _msgSender(), amount);
        _transfer(from, to, amount);
        emit PaymentReference(from, to, amount, paymentReference);
        return true;
    }

    /// @inheritdoc IDigitalTenge
    function rescue(IERC20 token, address to, uint256 amount) external onlyRole(RESCUER_ROLE) {
        token.safeTransfer(to, amount);
        emit Rescued(address(token), to, amount, _msgSender());
    }

    /// @inheritdoc IDigitalTenge
    function pause(bytes32 reason) external onlyRole(PAUSER_ROLE) {
        _pause();
        emit PausedWithReason(_msgSender(), reason);
    }

    /// @inheritdoc IDigitalTenge
    function unpause(bytes32 reason) external onlyRole(PAUSER_ROLE) {
        _unpause();
        emit UnpausedWithReason(_msgSender(), reason);
    }

    /// @inheritdoc IDigitalTenge
    function setSupplyCap(uint256 cap) external onlyRole(DEFAULT_ADMIN_ROLE) {
        uint256 supply = totalSupply();
        if (cap < supply) revert SupplyCapBelowSupply(cap, supply);
        _getDigitalTengeStorage().supplyCap = cap;
        emit SupplyCapChanged(cap, _msgSender());
    }

    /// @inheritdoc IDigitalTenge
    function supplyCap() external view returns (uint256) {
        return _getDigitalTengeStorage().supplyCap;
    }

    /// @inheritdoc IBEP20
    /// @dev The default admin: the account that controls every role.
    function getOwner() external view returns (address) {
        return defaultAdmin();
    }

    /// @notice The version of this implementation, for upgrade checks.
    /// @return "1".
    function version() external pure virtual returns (string memory) {
        return "1";
    }

    /// @inheritdoc IERC3009
    /// @notice EIP-3009 transfer, relayed by anyone not blocked.
    /// @dev Same rules as a plain transfer (checked in `_update`), plus a blocked relayer is refused.
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) public override(ERC20TransferAuthorizationUpgradeable, IERC3009) {
        _checkNotBlocked(_msgSender());
        super.transferWithAuthorization(from, to, value, validAfter, validBefore, nonce, v, r, s);
    }

    /// @inheritdoc IERC3009
    /// @notice EIP-3009 transfer that only the receiver `to` may submit (no front-running).
    /// @dev Same rules as a plain transfer (checked in `_update`).
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) public override(ERC20TransferAuthorizationUpgradeable, IERC3009) {
        super.receiveWithAuthorization(from, to, value, validAfter, validBefore, nonce, v, r, s);
    }

    // The role overrides here (and `_grantRole`, `_revokeRole`, `_setRoleAdmin` below) only settle the
    // diamond between AccessControl (which each extension uses for its role) and
    // AccessControlDefaultAdminRules (which the token uses): the latter's rules win everywhere.

    /// @notice Grants `role` to `account`. Requires `role`'s admin role. DEFAULT_ADMIN_ROLE cannot be
    /// granted here: it changes hands only through the two-step default-admin transfer.
    /// @param role The role to grant.
    /// @param account The account that receives it.
    function grantRole(bytes32 role, address account)
        public
        override(AccessControlUpgradeable, AccessControlDefaultAdminRulesUpgradeable)
    {
        super.grantRole(role, account);
    }

    /// @notice Revokes `role` from `account`. Requires `role`'s admin role. DEFAULT_ADMIN_ROLE cannot be
    /// revoked here: it changes hands only through the two-step default-admin transfer.
    /// @param role The role to revoke.
    /// @param account The account that loses it.
    function revokeRole(bytes32 role, address account)
        public
        override(AccessControlUpgradeable, AccessControlDefaultAdminRulesUpgradeable)
    {
        super.revokeRole(role, account);
    }

    /// @notice Gives up `role` held by the caller. DEFAULT_ADMIN_ROLE can be renounced only after a
    /// default-admin transfer to the zero address has been scheduled and its delay has passed.
    /// @param role The role to give up.
    /// @param account The caller, as confirmation.
    function renounceRole(bytes32 role, address account)
        public
        override(AccessControlUpgradeable, AccessControlDefaultAdminRulesUpgradeable)
    {
        super.renounceRole(role, account);
    }

    /// @inheritdoc IERC20Permit
    function nonces(address owner) public view override(ERC20PermitUpgradeable, IERC20Permit) returns (uint256) {
        return super.nonces(owner);
    }

    /// @notice Whether this contract implements the ERC-165 interface `interfaceId`.
    /// @param interfaceId The ERC-165 interface id asked about.
    /// @return True for IERC165, IAccessControl and IAccessControlDefaultAdminRules.
    function supportsInterface(bytes4 interfaceId)
        public
        view
        override(AccessControlUpgradeable, AccessControlDefaultAdminRulesUpgradeable)
        returns (bool)
    {
        return super.supportsInterface(interfaceId);
    }

    /// @notice 2: one token unit is one tiyn.
    /// @return 2.
    function decimals() public pure override(ERC20Upgradeable, IERC20Metadata) returns (uint8) {
        return 2;
    }

    /// @dev Pause first, then the wallet policy, which moves through the blocklist and freeze rules of
    /// each extension and checks its limits after them.
    function _update(address from, address to, uint256 value)
        internal
        override(
            ERC20Upgradeable, ERC20FreezableUpgradeable, ERC20BlocklistableUpgradeable, ERC20TieredPolicyUpgradeable
        )
    {
        _requireNotPaused();
        super._update(from, to, value);
    }

    function _approve(address owner, address spender, uint256 value, bool emitEvent)
        internal
        override(ERC20Upgradeable, ERC20FreezableUpgradeable, ERC20BlocklistableUpgradeable)
    {
        super._approve(owner, spender, value, emitEvent);
    }

    function _spendAllowance(address owner, address spender, uint256 value)
        internal
        override(ERC20Upgradeable, ERC20BlocklistableUpgradeable)
    {
        super._spendAllowance(owner, spender, value);
    }

    /// @dev Only an UPGRADER_ROLE holder may upgrade; the modifier is the whole check.
    // solhint-disable-next-line no-empty-blocks
    function _authorizeUpgrade(address) internal override onlyRole(UPGRADER_ROLE) {}

    function _grantRole(bytes32 role, address account)
        internal
        override(AccessControlUpgradeable, AccessControlDefaultAdminRulesUpgradeable)
        returns (bool)
    {
        return super._grantRole(role, account);
    }

    function _revokeRole(bytes32 role, address account)
        internal
        override(AccessControlUpgradeable, AccessControlDefaultAdminRulesUpgradeable)
        returns (bool)
    {
        return super._revokeRole(role, account);
    }

    function _setRoleAdmin(bytes32 role, bytes32 adminRole)
        internal
        override(AccessControlUpgradeable, AccessControlDefaultAdminRulesUpgradeable)
    {
        super._setRoleAdmin(role, adminRole);
    }

    /// @dev Nothing while paused, blocked or frozen; otherwise what a partial freeze leaves free.
    function _spendableBalance(address account) internal view override returns (uint256) {
        if (paused() || isBlocked(account) || isFrozen(account)) return 0;
        return Math.saturatingSub(balanceOf(account), frozenAmount(account));
    }

    /// @dev Nothing arrives while paused or at a blocked account.
    function _mayReceive(address account) internal view override returns (bool) {
        return !paused() && !isBlocked(account);
    }

    function _getDigitalTengeStorage() private pure returns (DigitalTengeStorage storage $) {
        // slither-disable-next-line assembly ERC-7201 accessor: only assembly can point a storage struct at its slot
        assembly {
            $.slot := DIGITAL_TENGE_STORAGE
        }
    }
}
