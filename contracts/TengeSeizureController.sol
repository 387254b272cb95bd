// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IAccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IDigitalTenge} from "./interfaces/IDigitalTenge.sol";
import {IFreezable} from "./interfaces/IFreezable.sol";
import {ISeizureController} from "./interfaces/ISeizureController.sol";

/// @title The Digital Tenge's seizures: proposed by one person, approved by another, executed after notice
/// @notice The token lets only this contract seize, and this contract seizes only what two different
/// people decided, a notice period after the second decision, from a hold that still keeps the amount.
/// Who may propose, approve, or set the notice is the token's own AccessControl
/// (SEIZURE_PROPOSER_ROLE, SEIZURE_APPROVER_ROLE, DEFAULT_ADMIN_ROLE), which never lets one account
/// hold two of the duties; every step is an event with its actor and reason.
/// @dev The pattern of `TengeMintController` (after Circle's MintController): not upgradeable, holding
/// no funds, records keyed by the token so one deployment serves any number of tokens; a token names it
/// as an immutable of its implementation. OpenZeppelin's TimelockController gives the delay but not the
/// second person or the hold; Safe's multisig gives the second person but no public notice.
/// @custom:security-contact security@tenge.example
contract TengeSeizureController is ISeizureController {
    /// @dev Packed: token + amount, from + readyAt + status, to, proposer, approver, order, reason.
    struct Record {
        address token;
        uint96 amount; // a seizure is at most a balance, which is below 2**96
        address from;
        uint48 readyAt;
        Status status;
        address to;
        address proposer;
        address approver;
        bytes32 order;
        bytes32 reason;
    }

    /// @dev One slot per token and setting: the value set (or the default until one is), and a change
    /// that waits for the admin's delay: `pending` applies from `pendingAt` on (0: none waits).
    struct Setting {
        uint32 value;
        uint32 pending;
        uint48 pendingAt;
        bool set;
    }

    /// @notice The token's role that proposes seizures here.
    bytes32 public constant SEIZURE_PROPOSER_ROLE = keccak256("SEIZURE_PROPOSER_ROLE");
    /// @notice The token's role that approves seizures here.
    bytes32 public constant SEIZURE_APPROVER_ROLE = keccak256("SEIZURE_APPROVER_ROLE");
    /// @notice The notice of a token whose admin set none.
    uint256 public constant DEFAULT_NOTICE_PERIOD = 72 hours;
    /// @notice The longest restriction of a token whose admin set none.
    uint256 public constant DEFAULT_MAX_RESTRICTION_TERM = 90 days;
    bytes32 private constant DEFAULT_ADMIN_ROLE = 0x00;
    bytes32 private constant FREEZER_ROLE = keccak256("FREEZER_ROLE");
    bytes32 private constant BLOCKLISTER_ROLE = keccak256("BLOCKLISTER_ROLE");
    bytes32 private constant MINTER_ADMIN_ROLE = keccak256("MINTER_ADMIN_ROLE");
    bytes32 private constant MINTER_ROLE = keccak256("MINTER_ROLE");

    mapping(uint256 id => Record record) private _seizures;
    mapping(address token => Setting notice) private _notices;
    mapping(address token => Setting term) private _terms;
    uint256 private _count;

    /// @inheritdoc ISeizureController
    function proposeSeizure(address token, address from, address to, uint256 amount, bytes32 order, bytes32 reason)
        external
        returns (uint256 id)
    {
        _checkRole(token, SEIZURE_PROPOSER_ROLE);
        if (amount == 0) revert IDigitalTenge.SeizureAmountZero(from);
        if (to == from) revert IDigitalTenge.SeizureToSameAccount(from);
        _requireHold(token, from, order, amount);
        id = ++_count;
        // Fits: the hold keeps at least `amount`, and a hold is at most 2**96 - 1.
        _seizures[id] = Record({
            token: token,
            amount: uint96(amount),
            from: from,
            readyAt: 0,
            status: Status.Proposed,
            to: to,
            proposer: msg.sender,
            approver: address(0),
            order: order,
            reason: reason
        });
        emit SeizureProposed(id, token, from, to, amount, order, msg.sender, reason);
    }

    /// @inheritdoc ISeizureController
    function approveSeizure(uint256 id, bytes32 reason) external {
        Record storage s = _pending(id, Status.Proposed);
        _checkRole(s.token, SEIZURE_APPROVER_ROLE);
        if (msg.sender == s.proposer) revert ApproverIsProposer(id, msg.sender);
        _requireStillHeld(id, s.token, SEIZURE_PROPOSER_ROLE, s.proposer);
        uint256 expiresAt = _requireHold(s.token, s.from, s.order, s.amount);
        uint256 readyAt = block.timestamp + noticePeriod(s.token);
        // slither-disable-next-line timestamp the notice is a time by design
        if (expiresAt <= readyAt) revert HoldLapsesBeforeNotice(id, expiresAt, readyAt);
        s.approver = msg.sender;
        // Fits: now plus a 32-bit period.
        s.readyAt = uint48(readyAt);
        s.status = Status.Approved;
        emit SeizureApproved(id, msg.sender, readyAt, reason);
    }

    /// @inheritdoc ISeizureController
    function executeSeizure(uint256 id) external {
        Record storage s = _pending(id, Status.Approved);
        // slither-disable-next-line timestamp the notice is a time by design
        if (block.timestamp < s.readyAt) revert SeizureNotReady(id, s.readyAt);
        // A key found compromised and stripped of its role since stops the seizures it decided.
        _requireStillHeld(id, s.token, SEIZURE_PROPOSER_ROLE, s.proposer);
        _requireStillHeld(id, s.token, SEIZURE_APPROVER_ROLE, s.approver);
        s.status = Status.Executed;
        emit SeizureExecuted(id, msg.sender);
        // The token checks the hold again: released or lapsed since, the seizure reverts.
        IDigitalTenge(s.token).seize(s.from, s.to, s.amount, s.order, s.reason);
    }

    /// @inheritdoc ISeizureController
    function cancelSeizure(uint256 id, bytes32 reason) external {
        Record storage s = _seizures[id];
        if (s.status != Status.Proposed && s.status != Status.Approved) revert SeizureNotPending(id, s.status);
        IAccessControl token = IAccessControl(s.token);
        if (!token.hasRole(SEIZURE_PROPOSER_ROLE, msg.sender)) _checkRole(s.token, SEIZURE_APPROVER_ROLE);
        s.status = Status.Cancelled;
        emit SeizureCancelled(id, msg.sender, reason);
    }

    /// @inheritdoc ISeizureController
    function setNoticePeriod(address token, uint256 period, bytes32 reason) external {
        _checkRole(token, DEFAULT_ADMIN_ROLE);
        if (period > type(uint32).max) revert NoticePeriodInvalid(period);
        uint256 current = noticePeriod(token);
        // A shorter notice weakens every holder's protection: it waits for the admin's delay.
        uint256 effectiveAt = _schedule(_notices[token], token, current, period, period < current);
        emit NoticePeriodChanged(token, period, effectiveAt, msg.sender, reason);
    }

    /// @inheritdoc ISeizureController
    function setMaxRestrictionTerm(address token, uint256 term, bytes32 reason) external {
        _checkRole(token, DEFAULT_ADMIN_ROLE);
        if (term == 0 || term > type(uint32).max) revert MaxRestrictionTermInvalid(term);
        uint256 current = maxRestrictionTerm(token);
        // A longer term weakens every holder's protection: it waits for the admin's delay.
        uint256 effectiveAt = _schedule(_terms[token], token, current, term, term > current);
        emit MaxRestrictionTermChanged(token, term, effectiveAt, msg.sender, reason);
    }

    /// @inheritdoc ISeizureController
    /// @dev The caller is the token: the roles asked about are its own. A minter is a record at the
    /// token's mint controller, which refuses, for its part, to make a minter administrator a minter.
    function checkRoleGrant(bytes32 role, address account) external view {
        address token = msg.sender;
        if (role == MINTER_ADMIN_ROLE) {
            if (IDigitalTenge(token).mintController().isMinter(token, account)) {
                revert RoleConflict(account, role, MINTER_ROLE);
            }
        } else if (role == FREEZER_ROLE || role == BLOCKLISTER_ROLE) {
            _refuseIfHeld(token, account, role, SEIZURE_PROPOSER_ROLE);
            _refuseIfHeld(token, account, role, SEIZURE_APPROVER_ROLE);
        } else if (role == SEIZURE_PROPOSER_ROLE || role == SEIZURE_APPROVER_ROLE) {
            _refuseIfHeld(token, account, role, FREEZER_ROLE);
            _refuseIfHeld(token, account, role, BLOCKLISTER_ROLE);
            // The other of the two: the approver's role for a proposer, the proposer's for an approver.
            _refuseIfHeld(token, account, role, role == SEIZURE_PROPOSER_ROLE ? SEIZURE_APPROVER_ROLE : SEIZURE_PROPOSER_ROLE);
        }
    }

    /// @inheritdoc ISeizureController
    function seizure(uint256 id) external view returns (Seizure memory) {
        Record storage s = _seizures[id];
        return Seizure({
            token: s.token,
            from: s.from,
            to: s.to,
            amount: s.amount,
            order: s.order,
            reason: s.reason,
            proposer: s.proposer,
            approver: s.approver,
            readyAt: s.readyAt,
            status: s.status
        });
    }

    /// @inheritdoc ISeizureController
    function seizureCount() external view returns (uint256) {
        return _count;
    }

    /// @inheritdoc ISeizureController
    function pendingNoticePeriod(address token) external view returns (uint256 period, uint256 effectiveAt) {
        return _waiting(_notices[token]);
    }

    /// @inheritdoc ISeizureController
    function pendingMaxRestrictionTerm(address token) external view returns (uint256 term, uint256 effectiveAt) {
        return _waiting(_terms[token]);
    }

    /// @inheritdoc ISeizureController
    function noticePeriod(address token) public view returns (uint256) {
        return _effective(_notices[token], DEFAULT_NOTICE_PERIOD);
    }

    /// @inheritdoc ISeizureController
    function maxRestrictionTerm(address token) public view returns (uint256) {
        return _effective(_terms[token], DEFAULT_MAX_RESTRICTION_TERM);
    }

    /// @dev Sets `setting` to `value` (which fits in 32 bits): at once, or, when it weakens a holder's
    /// protection, from the token's default-admin delay on, until when `current` stays; returns when.
    // slither-disable-next-line timestamp a weakening waits for a time by design
    function _schedule(Setting storage setting, address token, uint256 current, uint256 value, bool weaker)
        private
        returns (uint256 effectiveAt)
    {
        uint256 delay = weaker ? IAccessControlDefaultAdminRules(token).defaultAdminDelay() : 0;
        // A delay past uint48's end ("never") saturates: the change never applies.
        effectiveAt = Math.min(block.timestamp + delay, type(uint48).max);
        // Fit: both values are at most 2**32 - 1 (checked by the callers or set so), the time saturated.
        if (delay == 0) {
            (setting.value, setting.pending, setting.pendingAt) = (uint32(value), 0, 0);
        } else {
            (setting.value, setting.pending, setting.pendingAt) = (uint32(current), uint32(value), uint48(effectiveAt));
        }
        setting.set = true;
    }

    /// @dev The record of seizure `id`, which must be `status`.
    function _pending(uint256 id, Status status) private view returns (Record storage s) {
        s = _seizures[id];
        if (s.status != status) revert SeizureNotPending(id, s.status);
    }

    /// @dev Reverts unless `from`'s hold `order` in `token` keeps `amount` now; returns its expiry.
    function _requireHold(address token, address from, bytes32 order, uint256 amount)
        private
        view
        returns (uint256 expiresAt)
    {
        uint256 held;
        (held, expiresAt) = IFreezable(token).holdOf(from, order);
        if (held == 0) revert IFreezable.HoldNotActive(from, order);
        if (amount > held) revert IFreezable.HoldExceeded(from, order, held, amount);
    }

    /// @dev `setting`'s value now: the change that waited, once its time came; else the value set, or
    /// `unset` until one is.
    function _effective(Setting memory setting, uint256 unset) private view returns (uint256) {
        // slither-disable-next-line timestamp a setting waits for a time by design
        if (setting.pendingAt != 0 && block.timestamp >= setting.pendingAt) return setting.pending;
        return setting.set ? setting.value : unset;
    }

    /// @dev The change of `setting` still waiting, and when it applies; (0, 0) if none.
    function _waiting(Setting memory setting) private view returns (uint256 value, uint256 effectiveAt) {
        // slither-disable-next-line timestamp a setting waits for a time by design
        if (block.timestamp < setting.pendingAt) return (setting.pending, setting.pendingAt);
        return (0, 0);
    }

    /// @dev Reverts unless `account`, who decided seizure `id`, still holds `role` in `token`.
    function _requireStillHeld(uint256 id, address token, bytes32 role, address account) private view {
        if (!IAccessControl(token).hasRole(role, account)) revert SeizureRoleRevoked(id, account, role);
    }

    /// @dev Refuses to grant `role` to `account` when it holds `held` in `token`.
    function _refuseIfHeld(address token, address account, bytes32 role, bytes32 held) private view {
        if (IAccessControl(token).hasRole(held, account)) revert RoleConflict(account, role, held);
    }

    /// @dev The caller must hold `role` in `token`'s own AccessControl (OpenZeppelin's error if not).
    function _checkRole(address token, bytes32 role) private view {
        if (!IAccessControl(token).hasRole(role, msg.sender)) {
            revert IAccessControl.AccessControlUnauthorizedAccount(msg.sender, role);
        }
    }
}
