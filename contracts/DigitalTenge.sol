// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControlDefaultAdminRulesUpgradeable} from
    "@openzeppelin/contracts-upgradeable/access/extensions/AccessControlDefaultAdminRulesUpgradeable.sol";
import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {ERC20PermitUpgradeable} from
    "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20PermitUpgradeable.sol";
import {MulticallUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/MulticallUpgradeable.sol";
import {IERC1967} from "@openzeppelin/contracts/interfaces/IERC1967.sol";
import {IERC1822Proxiable} from "@openzeppelin/contracts/interfaces/draft-IERC1822.sol";
import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IBEP20} from "./interfaces/IBEP20.sol";
import {IBlocklistable} from "./interfaces/IBlocklistable.sol";
import {IDigitalTenge} from "./interfaces/IDigitalTenge.sol";
import {IFreezable} from "./interfaces/IFreezable.sol";
import {IMintController} from "./interfaces/IMintController.sol";
import {ISeizureController} from "./interfaces/ISeizureController.sol";
import {ITieredPolicy} from "./interfaces/ITieredPolicy.sol";
import {ERC20BlocklistableUpgradeable} from "./extensions/ERC20BlocklistableUpgradeable.sol";
import {ERC20FreezableUpgradeable} from "./extensions/ERC20FreezableUpgradeable.sol";
import {ERC20PackedLedgerUpgradeable} from "./extensions/ERC20PackedLedgerUpgradeable.sol";
import {ERC20PaymentReferencesUpgradeable} from "./extensions/ERC20PaymentReferencesUpgradeable.sol";
import {AccountWord, ConfigWord, LedgerWords} from "./utils/LedgerWords.sol";
import {ERC20PausableLedgerUpgradeable} from "./extensions/ERC20PausableLedgerUpgradeable.sol";
import {ERC20PermitSignatureUpgradeable} from "./extensions/ERC20PermitSignatureUpgradeable.sol";
import {ERC20TieredPolicyUpgradeable} from "./extensions/ERC20TieredPolicyUpgradeable.sol";
import {ERC20TransferAuthorizationUpgradeable} from "./extensions/ERC20TransferAuthorizationUpgradeable.sol";

/// @title The Digital Tenge (DKZT)
/// @notice Kazakhstan's central-bank digital currency as a BEP-20 token on BNB Chain. One token unit is
/// one tiyn (2 decimals: 1 KZT = 100 tiyn). Issuance is bounded per minter by the mint controller
/// (`mintController()`), which keeps the minters and their allowances; every
/// intervention (freeze, hold, blocklisting, seizure, pause) is narrow, role-gated, and emits an event
/// that names its actor and cites a `bytes32` reason, the hash or id of its legal basis. Freezes and
/// holds lapse by themselves at their expiry; a seizure executes a hold, only through the seizure
/// controller (`seizureController()`: two people and a notice period); roles whose duties must stay
/// apart are never granted to one account.
/// A wallet policy (KYC tiers with holding and daily outflow limits, a waterfall to a linked account)
/// makes it a tiered retail currency; payments may carry a reference for reconciliation, which its sender
/// cites once: a payment with a reference never happens twice.
/// @dev Deployed behind `DigitalTengeProxy`, an ERC-1967 proxy that answers upgrades itself. Every balance change but a seizure goes through one
/// pipeline, `_plan`, whose rules run top to bottom in this order (the README lists each rule's file):
///   1. pause; 2. blocklist: payer, payee and operator (spender, relayer, submitter, minter);
///   3. freeze and holds, then the balance; 4. supply cap (mints); 5. wallet policy: the payee's
///   holding limit, or the waterfall to its linked account (blocklist and limit checked there too),
///   then the payer's daily outflow; 6. the move.
/// The views (`availableToSend`, `availableToReceive`, `canTransfer`, `checkTransfer`) call the same
/// rule functions. Extensions hold state and rules only; every gated function is here.
/// @custom:security-contact security@tenge.example
contract DigitalTenge is
    ERC20PermitSignatureUpgradeable,
    ERC20TransferAuthorizationUpgradeable,
    AccessControlDefaultAdminRulesUpgradeable,
    MulticallUpgradeable,
    ERC20PausableLedgerUpgradeable,
    ERC20BlocklistableUpgradeable,
    ERC20FreezableUpgradeable,
    ERC20TieredPolicyUpgradeable,
    ERC20PaymentReferencesUpgradeable,
    IDigitalTenge,
    IERC1822Proxiable,
    IERC1967
{
    using SafeERC20 for IERC20;

    /// @dev A move as the pipeline plans it: every word it reads, as it will be written.
    struct Plan {
        ConfigWord config;
        AccountWord payer;
        AccountWord payee;
        uint256 toAmount; // tiyn `to` keeps; the rest goes to `linked`
        address linked; // the waterfall's receiver of the excess, or zero
        AccountWord linkedState;
    }

    string private constant NAME = "Digital Tenge";
    string private constant SYMBOL = "DKZT";
    string private constant EIP712_VERSION = "1";

    // A cap at the ledger's ceiling stands for "no cap".
    uint256 private constant NO_CAP = LedgerWords.MAX_SUPPLY;

    // Not a role of this token: a minter is whoever the mint controller holds a record of. A non-minter's
    // mint or burn is refused with AccessControl's error naming it, as if it were one.
    bytes32 private constant MINTER_ROLE = keccak256("MINTER_ROLE");
    /// @notice Configures and removes minters and their allowances, at the mint controller.
    bytes32 public constant MINTER_ADMIN_ROLE = keccak256("MINTER_ADMIN_ROLE");
    /// @notice May pause and unpause every transfer, mint and burn.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice May freeze and unfreeze accounts and place or release holds, each for a limited term.
    bytes32 public constant FREEZER_ROLE = keccak256("FREEZER_ROLE");
    /// @notice May block and unblock accounts.
    bytes32 public constant BLOCKLISTER_ROLE = keccak256("BLOCKLISTER_ROLE");
    /// @notice May propose a seizure of a hold at the seizure controller (never with the two roles below).
    bytes32 public constant SEIZURE_PROPOSER_ROLE = keccak256("SEIZURE_PROPOSER_ROLE");
    /// @notice May approve another's seizure proposal at the seizure controller.
    bytes32 public constant SEIZURE_APPROVER_ROLE = keccak256("SEIZURE_APPROVER_ROLE");
    /// @notice May set accounts' tiers and linked accounts, following KYC decisions.
    bytes32 public constant KYC_ROLE = keccak256("KYC_ROLE");
    /// @notice May send other tokens, sent to this contract by mistake, back out.
    bytes32 public constant RESCUER_ROLE = keccak256("RESCUER_ROLE");
    /// @notice May upgrade the implementation behind the proxy.
    bytes32 public constant UPGRADER_ROLE = keccak256("UPGRADER_ROLE");

    /// @dev The minters' controller, fixed in the implementation's code: a mint reads no storage slot
    /// to find it, and only an upgrade (UPGRADER_ROLE) changes it.
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    // slither-disable-next-line naming-convention immutables are named as constants (solhint's immutable-vars-naming)
    IMintController private immutable _MINT_CONTROLLER;

    /// @dev The one account that may seize, fixed in the code like the mint controller.
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    // slither-disable-next-line naming-convention immutables are named as constants (solhint's immutable-vars-naming)
    ISeizureController private immutable _SEIZURE_CONTROLLER;

    /// @notice Fixes the mint and seizure controllers in the implementation's code; the proxy's state
    /// comes from `DigitalTengeInitializer`, which the proxy runs once while it is created.
    /// @custom:oz-upgrades-unsafe-allow constructor
    /// @param mintController_ The controller that keeps this token's minters and their allowances.
    /// @param seizureController_ The controller that alone seizes, under its two-person rule.
    constructor(IMintController mintController_, ISeizureController seizureController_) {
        // Without them no mint and no grant could ever succeed; a deployment script's slip is refused here.
        if (address(mintController_) == address(0) || address(seizureController_) == address(0)) {
            revert ControllerMissing();
        }
        _MINT_CONTROLLER = mintController_;
        _SEIZURE_CONTROLLER = seizureController_;
        // The implementation is never used directly: nobody may initialize (and so own) it, and a later
        // implementation's reinitializer runs only behind the proxy.
        _disableInitializers();
    }

    // --- Issuance -------------------------------------------------------------------------------------

    /// @inheritdoc IDigitalTenge
    function mint(address to, uint256 amount) external {
        address minter = _msgSender();
        // Reverts for a non-minter or above its allowance; the controller keys the spend by this token.
        // slither-disable-next-line reentrancy-benign,reentrancy-events the controller is fixed in this code and calls nothing back
        _MINT_CONTROLLER.spendMintAllowance(minter, amount);
        if (to == address(0)) revert ERC20InvalidReceiver(address(0));
        (uint256 toAmount, address linked) = _move(address(0), to, amount);
        // slither-disable-next-line timestamp the split is in tiyn; slither taints the plan with its outflow day
        if (toAmount != 0) emit Minted(minter, to, toAmount);
        // Cannot underflow: the waterfall passes on only what exceeds `toAmount`.
        // slither-disable-next-line timestamp the split is in tiyn; slither taints the plan with its outflow day
        if (linked != address(0)) emit Minted(minter, linked, amount - toAmount);
    }

    /// @inheritdoc IDigitalTenge
    function burn(uint256 amount) external {
        address minter = _msgSender();
        if (!_MINT_CONTROLLER.isMinter(address(this), minter)) {
            revert AccessControlUnauthorizedAccount(minter, MINTER_ROLE);
        }
        _burn(minter, amount);
        emit Burned(minter, amount);
    }

    /// @inheritdoc IDigitalTenge
    function setSupplyCap(uint256 cap, bytes32 reason) external onlyRole(DEFAULT_ADMIN_ROLE) {
        ConfigWord config = _config();
        uint256 supply = config.totalSupply();
        if (cap < supply) revert SupplyCapBelowSupply(cap, supply);
        // Above the ledger's ceiling a cap changes nothing: store the ceiling.
        _storeConfig(config.withSupplyCap(Math.min(cap, NO_CAP)));
        emit SupplyCapChanged(cap, _msgSender(), reason);
    }

    // --- Interventions --------------------------------------------------------------------------------

    /// @inheritdoc IDigitalTenge
    function pause(bytes32 reason) external onlyRole(PAUSER_ROLE) {
        _setPaused(true);
        emit PausedWithReason(_msgSender(), reason);
    }

    /// @inheritdoc IDigitalTenge
    function unpause(bytes32 reason) external onlyRole(PAUSER_ROLE) {
        _setPaused(false);
        emit UnpausedWithReason(_msgSender(), reason);
    }

    /// @inheritdoc IBlocklistable
    function blockAccount(address account, bytes32 reason) external onlyRole(BLOCKLISTER_ROLE) {
        _setBlocked(account, true, reason);
    }

    /// @inheritdoc IBlocklistable
    function unblockAccount(address account, bytes32 reason) external onlyRole(BLOCKLISTER_ROLE) {
        _setBlocked(account, false, reason);
    }

    /// @inheritdoc IFreezable
    function freeze(address account, uint256 expiresAt, bytes32 reason) external onlyRole(FREEZER_ROLE) {
        _freeze(account, expiresAt, reason);
    }

    /// @inheritdoc IFreezable
    function unfreeze(address account, bytes32 reason) external onlyRole(FREEZER_ROLE) {
        _unfreeze(account, reason);
    }

    /// @inheritdoc IFreezable
    function placeHold(address account, uint256 amount, uint256 expiresAt, bytes32 order)
        external
        onlyRole(FREEZER_ROLE)
    {
        _placeHold(account, amount, expiresAt, order);
    }

    /// @inheritdoc IFreezable
    function releaseHold(address account, bytes32 order, uint256 amount, bytes32 reason)
        external
        onlyRole(FREEZER_ROLE)
    {
        _releaseHold(account, order, amount, reason);
    }

    /// @inheritdoc IFreezable
    function settleRestrictions(address account) external {
        _settleRestrictions(account);
    }

    /// @inheritdoc IDigitalTenge
    /// @dev The one path that skips the pipeline's rules, on purpose: it executes the order itself.
    function seize(address from, address to, uint256 amount, bytes32 order, bytes32 reason) external {
        if (_msgSender() != address(_SEIZURE_CONTROLLER)) revert CallerNotSeizureController(_msgSender());
        // The controller refused a zero amount and `to == from` when the seizure was proposed.
        // Reverts unless the hold keeps `amount` now; what it keeps no longer binds the balance.
        _releaseHold(from, order, amount, reason);
        AccountWord payer = _account(from);
        uint256 balance = payer.balance();
        // What other holds keep stays theirs: a seizure takes only what they leave.
        uint256 seizable = Math.saturatingSub(balance, _heldBesides(from, order));
        if (amount > seizable) revert InsufficientUnfrozenBalance(from, seizable, amount);
        // Cannot underflow: amount <= seizable <= the balance.
        _storeAccount(from, payer.withBalance(balance - amount));
        if (to == address(0)) {
            ConfigWord config = _config();
            _storeConfig(config.withTotalSupply(config.totalSupply() - amount));
        } else {
            AccountWord payee = _account(to);
            _requireNotBlocked(to, payee);
            // Fits: balances sum to the total supply, which is below 2**80.
            _storeAccount(to, payee.withBalance(payee.balance() + amount));
        }
        emit Transfer(from, to, amount);
        emit Seized(from, to, amount, order, reason);
    }

    // --- Wallet policy --------------------------------------------------------------------------------

    /// @inheritdoc ITieredPolicy
    function setTier(address account, uint8 tier, bytes32 reason) external onlyRole(KYC_ROLE) {
        _setTier(account, tier, reason);
    }

    /// @inheritdoc ITieredPolicy
    function setLinkedAccount(address account, address linked, bytes32 reason) external onlyRole(KYC_ROLE) {
        _setLinkedAccount(account, linked, reason);
    }

    /// @inheritdoc ITieredPolicy
    function acceptLinkedAccount(address linked) external {
        _acceptLinkedAccount(_msgSender(), linked);
    }

    /// @inheritdoc ITieredPolicy
    function setTierLimits(uint8 tier, uint256 maxBalance, uint256 dailyOutflow, bytes32 reason)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        _setTierLimits(tier, maxBalance, dailyOutflow, _msgSender(), reason);
    }

    /// @inheritdoc ITieredPolicy
    function setPolicyEnabled(bool enabled, bytes32 reason) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setPolicyEnabled(enabled, reason);
    }

    // --- Payments -------------------------------------------------------------------------------------

    /// @inheritdoc IDigitalTenge
    function transferWithReference(address to, uint256 amount, bytes32 paymentReference) external returns (bool) {
        address from = _msgSender();
        _payWithReference(from, from, to, amount, paymentReference);
        return true;
    }

    /// @inheritdoc IDigitalTenge
    function transferFromWithReference(address from, address to, uint256 amount, bytes32 paymentReference)
        external
        returns (bool)
    {
        address spender = _msgSender();
        // A zero amount passes ERC-20's allowance check: without this, anyone writes records in `from`'s name.
        if (amount == 0 && allowance(from, spender) == 0) revert ReferenceWithoutAllowance(from, spender);
        _spendAllowance(from, spender, amount);
        _payWithReference(spender, from, to, amount, paymentReference);
        return true;
    }

    /// @inheritdoc IDigitalTenge
    function rescue(IERC20 token, address to, uint256 amount, bytes32 reason) external onlyRole(RESCUER_ROLE) {
        token.safeTransfer(to, amount);
        emit Rescued(address(token), to, amount, _msgSender(), reason);
    }

    /// @inheritdoc IDigitalTenge
    function citeReason(bytes32 reason) external {
        emit ReasonCited(_msgSender(), reason);
    }

    // --- Views ----------------------------------------------------------------------------------------

    /// @inheritdoc IDigitalTenge
    function canTransfer(address from, address to, uint256 amount) external view returns (bool) {
        // Nothing is transferred from the zero address: that is a mint, which `checkTransfer` answers.
        if (from == address(0)) return false;
        // slither-disable-next-line unused-return only whether the pipeline passes matters here
        try this.checkTransfer(from, from, to, amount) {
            return true;
        } catch {
            return false;
        }
    }

    /// @inheritdoc IDigitalTenge
    function checkTransfer(address operator, address from, address to, uint256 amount)
        external
        view
        returns (uint256 toAmount, address linked)
    {
        if (to == address(0)) revert ERC20InvalidReceiver(address(0));
        Plan memory plan = _plan(operator, from, to, amount);
        return (plan.toAmount, plan.linked);
    }

    /// @inheritdoc ITieredPolicy
    function availableToSend(address account) external view returns (uint256) {
        ConfigWord config = _config();
        AccountWord state = _account(account);
        if (config.paused() || state.blocked()) return 0;
        uint256 spendable = _spendable(account, state);
        return config.policyEnabled() ? Math.min(spendable, _outflowLeft(config, state)) : spendable;
    }

    /// @inheritdoc ITieredPolicy
    /// @dev Follows one link only, as the waterfall does.
    function availableToReceive(address account) external view returns (uint256) {
        ConfigWord config = _config();
        AccountWord state = _account(account);
        if (config.paused() || state.blocked()) return 0;
        if (!config.policyEnabled()) return type(uint256).max;
        uint256 room = _room(config, state);
        address linked = linkedAccount(account);
        if (linked != address(0)) {
            AccountWord linkedState = _account(linked);
            if (!linkedState.blocked()) room = Math.saturatingAdd(room, _room(config, linkedState));
        }
        return room;
    }

    /// @inheritdoc IDigitalTenge
    function mintController() external view returns (IMintController) {
        return _MINT_CONTROLLER;
    }

    /// @inheritdoc IDigitalTenge
    function seizureController() external view returns (ISeizureController) {
        return _SEIZURE_CONTROLLER;
    }

    /// @inheritdoc IDigitalTenge
    function supplyCap() external view returns (uint256) {
        uint256 cap = _config().supplyCap();
        return cap == NO_CAP ? type(uint256).max : cap;
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

    /// @notice The storage slot this implementation expects its proxy to keep it in (ERC-1822): the
    /// proxy (`DigitalTengeProxy`) upgrades only to implementations that answer with ERC-1967's slot.
    /// @return ERC-1967's implementation slot.
    function proxiableUUID() external pure returns (bytes32) {
        return ERC1967Utils.IMPLEMENTATION_SLOT;
    }

    /// @inheritdoc IERC20Permit
    function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        public
        override(ERC20PermitSignatureUpgradeable, IERC20Permit)
    {
        super.permit(owner, spender, value, deadline, v, r, s);
    }

    /// @inheritdoc IERC20Permit
    function nonces(address owner) public view override(ERC20PermitUpgradeable, IERC20Permit) returns (uint256) {
        return super.nonces(owner);
    }

    /// @inheritdoc ERC20PackedLedgerUpgradeable
    function balanceOf(address account)
        public
        view
        override(ERC20Upgradeable, ERC20PackedLedgerUpgradeable, IERC20)
        returns (uint256)
    {
        return super.balanceOf(account);
    }

    /// @inheritdoc ERC20PackedLedgerUpgradeable
    function totalSupply() public view override(ERC20Upgradeable, ERC20PackedLedgerUpgradeable, IERC20) returns (uint256) {
        return super.totalSupply();
    }

    /// @notice The token's name.
    /// @return "Digital Tenge".
    function name() public pure override(ERC20Upgradeable, IERC20Metadata) returns (string memory) {
        return NAME;
    }

    /// @notice The token's symbol.
    /// @return "DKZT".
    function symbol() public pure override(ERC20Upgradeable, IERC20Metadata) returns (string memory) {
        return SYMBOL;
    }

    /// @notice 2: one token unit is one tiyn.
    /// @return 2.
    function decimals() public pure override(ERC20Upgradeable, IERC20Metadata) returns (uint8) {
        return 2;
    }

    // --- The pipeline ---------------------------------------------------------------------------------

    /// @dev Every balance change but a seizure: transfer, transferFrom, the reference and signed
    /// forms, mint (`from` zero) and burn (`to` zero).
    function _update(address from, address to, uint256 value) internal override {
        _move(from, to, value);
    }

    /// @dev Raising an allowance needs an owner who is neither blocked nor frozen and a spender who is
    /// not blocked; lowering or revoking it is always allowed. Spending (`emitEvent` false) only lowers.
    function _approve(address owner, address spender, uint256 value, bool emitEvent) internal override {
        if (emitEvent && value > allowance(owner, spender)) {
            AccountWord state = _account(owner);
            _requireNotBlocked(owner, state);
            if (_frozen(owner, state)) revert AccountFrozen(owner);
            _requireNotBlocked(spender, _account(spender));
        }
        super._approve(owner, spender, value, emitEvent);
    }

    /// @dev Every grant passes here (OpenZeppelin's `grantRole` and the default-admin handover alike).
    /// Separation of duties is decided in one place, the seizure controller's `checkRoleGrant`:
    /// restricting, proposing and approving a seizure, administering minters and minting.
    function _grantRole(bytes32 role, address account) internal override returns (bool) {
        _SEIZURE_CONTROLLER.checkRoleGrant(role, account);
        return super._grantRole(role, account);
    }

    /// @dev The seizure controller keeps the longest term under the admin's delay: a longer term waits
    /// it out, as an upgrade does.
    function _maxRestrictionTerm() internal view override returns (uint256) {
        return _SEIZURE_CONTROLLER.maxRestrictionTerm(address(this));
    }

    // slither-disable-start naming-convention OpenZeppelin's names for these hooks
    /// @dev OpenZeppelin reads the EIP-712 name and version from storage unless they are redefined as
    /// constants; as constants, no string is copied at initialization or read at each signature check.
    // solhint-disable-next-line func-name-mixedcase
    function _EIP712Name() internal pure override returns (string memory) {
        return NAME;
    }

    // solhint-disable-next-line func-name-mixedcase
    function _EIP712Version() internal pure override returns (string memory) {
        return EIP712_VERSION;
    }
    // slither-disable-end naming-convention

    /// @dev A payment citing a reference, which `sender` (the caller) may cite once.
    function _payWithReference(address sender, address from, address to, uint256 amount, bytes32 paymentReference)
        private
    {
        _useReference(sender, paymentReference);
        _transfer(from, to, amount);
        emit PaymentReference(from, to, amount, paymentReference);
    }

    /// @dev Plans the move with every rule, then writes it; returns where the money went.
    function _move(address from, address to, uint256 value) private returns (uint256 toAmount, address linked) {
        Plan memory plan = _plan(_msgSender(), from, to, value);
        if (from == address(0) || to == address(0)) _storeConfig(plan.config);
        // A self-transfer changes no balance; its two copies of one word must not both be written.
        if (from != to) {
            if (from != address(0)) _storeAccount(from, plan.payer);
            if (to != address(0)) _storeAccount(to, plan.payee);
        }
        // slither-disable-next-line timestamp the split is in tiyn; slither taints the plan with its outflow day
        if (plan.toAmount != 0 || plan.linked == address(0)) emit Transfer(from, to, plan.toAmount);
        // slither-disable-next-line timestamp the split is in tiyn; slither taints the plan with its outflow day
        if (plan.linked != address(0)) {
            _storeAccount(plan.linked, plan.linkedState);
            // Cannot underflow: the excess is what exceeds `toAmount`.
            uint256 excess = value - plan.toAmount;
            emit Transfer(from, plan.linked, excess);
            emit Waterfall(to, plan.linked, excess);
        }
        return (plan.toAmount, plan.linked);
    }

    /// @dev The rules, in order, each decided by its own function; reverts with the first refusal.
    /// Returns the words as the move will write them.
    // slither-disable-next-line cyclomatic-complexity one function on purpose: the pipeline's order is read top to bottom
    function _plan(address operator, address from, address to, uint256 value)
        private
        view
        returns (Plan memory plan)
    {
        ConfigWord config = _config();
        // 1. Pause.
        _requireNotPaused(config);
        // 2. Blocklist: payer, payee, and whoever acts for them.
        // The zero address (a mint's payer, a burn's payee) has no word to read.
        AccountWord payer = from == address(0) ? AccountWord.wrap(0) : _account(from);
        AccountWord payee = to == address(0) ? AccountWord.wrap(0) : _account(to);
        _requireNotBlocked(from, payer);
        _requireNotBlocked(to, payee);
        if (operator != from && operator != to) _requireNotBlocked(operator, _account(operator));
        if (from == address(0)) {
            // 4. Supply cap: a mint stays within the cap (the ledger's ceiling at most).
            uint256 supplyAfter = config.totalSupply() + value;
            uint256 cap = config.supplyCap();
            if (supplyAfter > cap) revert SupplyCapExceeded(supplyAfter, cap == NO_CAP ? type(uint256).max : cap);
            config = config.withTotalSupply(supplyAfter);
        } else {
            // 3. Freeze and holds, then the balance.
            _requireSpendable(from, payer, value);
        }
        plan.toAmount = value;
        if (from != to) {
            // 5. Wallet policy: the payee's holding limit (or the waterfall), then the payer's day
            // outflow. A burn meets neither limit; a mint counts no outflow.
            if (config.policyEnabled() && to != address(0)) {
                _routeToLimit(plan, config, from, to, value, payee);
                if (from != address(0)) payer = _countOutflow(config, from, payer, value);
            }
            // 6. The move. Fits: value <= the payer's balance, or the new supply is below 2**80, and
            // balances sum to the supply. Cannot underflow: the balance was checked in step 3, and a
            // burn's value is at most its payer's balance, so at most the supply.
            unchecked {
                if (from != address(0)) payer = payer.withBalance(payer.balance() - value);
                if (to == address(0)) config = config.withTotalSupply(config.totalSupply() - value);
                else payee = payee.withBalance(payee.balance() + plan.toAmount);
            }
        }
        plan.config = config;
        plan.payer = payer;
        plan.payee = payee;
    }

    /// @dev The holding rule with its waterfall: what exceeds the payee's room goes to its linked
    /// account, which the blocklist and its own limit then check; never back to the payer.
    function _routeToLimit(
        Plan memory plan,
        ConfigWord config,
        address from,
        address to,
        uint256 value,
        AccountWord payee
    ) private view {
        uint256 room = _room(config, payee);
        if (value <= room) return;
        address linked = linkedAccount(to);
        if (linked == address(0) || linked == from) _revertHoldingLimit(config, to, payee, payee.balance() + value);
        AccountWord linkedState = _account(linked);
        _requireNotBlocked(linked, linkedState);
        // Cannot underflow: value > room on this path.
        uint256 excess = value - room;
        uint256 linkedBalance = linkedState.balance();
        if (excess > _room(config, linkedState)) _revertHoldingLimit(config, linked, linkedState, linkedBalance + excess);
        // Fits: excess <= value, and balances sum to the supply.
        plan.linkedState = linkedState.withBalance(linkedBalance + excess);
        plan.toAmount = room;
        plan.linked = linked;
    }
}
