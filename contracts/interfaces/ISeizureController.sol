// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Seizures under a two-person rule, executed only after a public notice; the longest restriction
/// @notice A seizure executes a hold: one account (SEIZURE_PROPOSER_ROLE in the token) proposes it,
/// naming the holder, the receiver (or a burn), the amount, the hold it executes and a reason; a second,
/// different account (SEIZURE_APPROVER_ROLE) approves it; it can be executed, by anyone, only a notice
/// period after the approval (the token's admin sets it; 72 hours unless set), while the hold keeps the
/// amount and the holder can read the proposal here. Either side may cancel it, with a reason, until it
/// is executed; a seizure whose proposer or approver lost its role since can no longer go ahead. The
/// token lets only this contract seize. Here too: the longest term of a freeze or hold, and the table
/// of duties no account may join. A change that weakens a holder's protection (a shorter notice, a
/// longer term) takes effect only after the token's default-admin delay, as an upgrade does.
interface ISeizureController {
    /// @notice Where a seizure stands.
    enum Status {
        None,
        Proposed,
        Approved,
        Executed,
        Cancelled
    }

    /// @notice A seizure as proposed, and who decided it.
    struct Seizure {
        address token; // the token seized in
        address from; // the holder
        address to; // the receiver named by the order, or zero for a burn
        uint256 amount; // tiyn
        bytes32 order; // the hold it executes
        bytes32 reason; // the legal basis of the seizure
        address proposer;
        address approver; // zero until approved
        uint256 readyAt; // earliest execution time, from the approval (0 until approved)
        Status status;
    }

    /// @notice `proposer` proposed seizure `id`: `amount` tiyn of `from`'s hold `order` in `token`, to `to`.
    /// @param id The seizure's number here.
    /// @param token The token.
    /// @param from The holder.
    /// @param to The receiver, or zero for a burn.
    /// @param amount Tiyn.
    /// @param order The hold it executes.
    /// @param proposer The SEIZURE_PROPOSER_ROLE holder.
    /// @param reason Hash or id of the legal basis.
    event SeizureProposed(
        uint256 indexed id,
        address indexed token,
        address indexed from,
        address to,
        uint256 amount,
        bytes32 order,
        address proposer,
        bytes32 reason
    );
    /// @notice `approver` approved seizure `id`; it may be executed from `readyAt` on.
    /// @param id The seizure.
    /// @param approver The SEIZURE_APPROVER_ROLE holder, not its proposer.
    /// @param readyAt Unix time from which it may be executed.
    /// @param reason Hash or id of the approval's basis.
    event SeizureApproved(uint256 indexed id, address indexed approver, uint256 readyAt, bytes32 reason);
    /// @notice Seizure `id` was executed by `executor`: the token's `Seized` event has the move.
    /// @param id The seizure.
    /// @param executor Whoever sent the transaction.
    event SeizureExecuted(uint256 indexed id, address indexed executor);
    /// @notice `actor` cancelled seizure `id`, citing `reason`.
    /// @param id The seizure.
    /// @param actor A SEIZURE_PROPOSER_ROLE or SEIZURE_APPROVER_ROLE holder.
    /// @param reason Hash or id of the decision behind it.
    event SeizureCancelled(uint256 indexed id, address indexed actor, bytes32 reason);
    /// @notice `token`'s seizures approved from `effectiveAt` on wait `period` seconds before execution.
    /// @param token The token.
    /// @param period Seconds.
    /// @param effectiveAt When it applies: now, or after the admin's delay for a shorter notice.
    /// @param actor The token's default admin.
    /// @param reason Hash or id of the decision behind it.
    event NoticePeriodChanged(
        address indexed token, uint256 period, uint256 effectiveAt, address indexed actor, bytes32 reason
    );
    /// @notice `token`'s freezes and holds placed from `effectiveAt` on last at most `term` seconds.
    /// @param token The token.
    /// @param term Seconds.
    /// @param effectiveAt When it applies: now, or after the admin's delay for a longer term.
    /// @param actor The token's default admin.
    /// @param reason Hash or id of the decision behind it.
    event MaxRestrictionTermChanged(
        address indexed token, uint256 term, uint256 effectiveAt, address indexed actor, bytes32 reason
    );

    /// @notice Seizure `id` is `status`, which the call cannot act on.
    error SeizureNotPending(uint256 id, Status status);
    /// @notice `account` proposed seizure `id`: its approval needs a second person.
    error ApproverIsProposer(uint256 id, address account);
    /// @notice Seizure `id` may be executed from `readyAt` on.
    error SeizureNotReady(uint256 id, uint256 readyAt);
    /// @notice The hold seizure `id` executes lapses at `expiresAt`, before its notice ends at `readyAt`.
    error HoldLapsesBeforeNotice(uint256 id, uint256 expiresAt, uint256 readyAt);
    /// @notice A notice period of more than 2**32 - 1 seconds.
    error NoticePeriodInvalid(uint256 period);
    /// @notice A longest term of zero, or of more than 2**32 - 1 seconds (136 years).
    error MaxRestrictionTermInvalid(uint256 term);
    /// @notice `account`, who proposed or approved seizure `id`, no longer holds `role`: the seizure
    /// cannot go ahead on its decision.
    error SeizureRoleRevoked(uint256 id, address account, bytes32 role);
    /// @notice `account` holds `heldRole` in the token, whose duty `role` would join (the token's
    /// `RoleConflict`).
    error RoleConflict(address account, bytes32 role, bytes32 heldRole);

    /// @notice Proposes to seize `amount` tiyn of `from`'s hold `order` in `token`. Requires the token's
    /// SEIZURE_PROPOSER_ROLE. The hold must keep at least `amount` now.
    /// @param token The token.
    /// @param from The holder.
    /// @param to The receiver named by the order, or zero to burn; not `from`.
    /// @param amount Tiyn; not zero.
    /// @param order The hold it executes.
    /// @param reason Hash or id of the legal basis.
    /// @return id The seizure's number.
    function proposeSeizure(address token, address from, address to, uint256 amount, bytes32 order, bytes32 reason)
        external
        returns (uint256 id);
    /// @notice Approves seizure `id`, which starts its notice. Requires the token's SEIZURE_APPROVER_ROLE;
    /// not its proposer. The hold must still keep the amount and last until the notice ends.
    /// @param id A proposed seizure.
    /// @param reason Hash or id of the approval's basis.
    function approveSeizure(uint256 id, bytes32 reason) external;
    /// @notice Executes approved seizure `id` once its notice has passed. Anyone may send it.
    /// @param id An approved seizure.
    function executeSeizure(uint256 id) external;
    /// @notice Cancels seizure `id` before it is executed. Requires the token's SEIZURE_PROPOSER_ROLE or
    /// SEIZURE_APPROVER_ROLE.
    /// @param id A proposed or approved seizure.
    /// @param reason Hash or id of the decision behind it.
    function cancelSeizure(uint256 id, bytes32 reason) external;
    /// @notice Sets how long `token`'s seizures wait after approval. Requires the token's DEFAULT_ADMIN_ROLE.
    /// A longer notice applies at once; a shorter one after the token's `defaultAdminDelay()`. Seizures
    /// approved before keep their time; a new setting replaces one still waiting.
    /// @param token The token.
    /// @param period Seconds; 0 executes at approval (a local chain), at most 2**32 - 1.
    /// @param reason Hash or id of the decision behind it.
    function setNoticePeriod(address token, uint256 period, bytes32 reason) external;
    /// @notice Sets the longest term of `token`'s new freezes and holds. Requires the token's
    /// DEFAULT_ADMIN_ROLE. A shorter term applies at once; a longer one after the token's
    /// `defaultAdminDelay()`. Restrictions placed before keep their expiry; a new setting replaces one
    /// still waiting.
    /// @param token The token.
    /// @param term Seconds; not zero, at most 2**32 - 1.
    /// @param reason Hash or id of the decision behind it.
    function setMaxRestrictionTerm(address token, uint256 term, bytes32 reason) external;

    /// @notice Reverts with `RoleConflict` unless `account` may take `role` in the calling token: the
    /// token asks before every grant. Restricting (FREEZER_ROLE, BLOCKLISTER_ROLE), proposing and approving
    /// a seizure are three duties of which no account holds two.
    /// @param role The role about to be granted.
    /// @param account Its grantee.
    function checkRoleGrant(bytes32 role, address account) external view;
    /// @notice Seizure `id`.
    /// @param id Its number.
    /// @return The seizure (status None if there is none).
    function seizure(uint256 id) external view returns (Seizure memory);
    /// @notice How many seizures were proposed here: ids run from 1 to this.
    /// @return The count.
    function seizureCount() external view returns (uint256);
    /// @notice How long `token`'s seizures approved now wait.
    /// @param token The token.
    /// @return Seconds (72 hours unless its admin set another).
    function noticePeriod(address token) external view returns (uint256);
    /// @notice The longest term of `token`'s freezes and holds placed now (the token asks it).
    /// @param token The token.
    /// @return Seconds (90 days unless its admin set another).
    function maxRestrictionTerm(address token) external view returns (uint256);
    /// @notice A notice period set and still waiting for the admin's delay.
    /// @param token The token.
    /// @return period Seconds it will be.
    /// @return effectiveAt When (0: nothing waits).
    function pendingNoticePeriod(address token) external view returns (uint256 period, uint256 effectiveAt);
    /// @notice A longest term set and still waiting for the admin's delay.
    /// @param token The token.
    /// @return term Seconds it will be.
    /// @return effectiveAt When (0: nothing waits).
    function pendingMaxRestrictionTerm(address token) external view returns (uint256 term, uint256 effectiveAt);
}
