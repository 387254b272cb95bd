// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Earmarked (purpose-bound) Digital Tenge
/// @notice A budget holder opens a purpose (a public project: its name, legal basis and expiry), approves
/// the organisations that may be paid from it, deposits DKZT into it and earmarks part of that to a
/// holder. A holder pays only approved recipients of the purpose: to an *intermediate* recipient (a
/// general contractor) the mark follows the money; to a *final* one (a supplier) the mark drops and the
/// recipient receives plain DKZT. At the expiry everything unspent is the funder's again, returned in one
/// transaction that anyone may send. The token's controls reach earmarked money: a paused token, a
/// frozen or blocked holder, a blocked recipient stop it with the token's own errors.
interface IEarmarks {
    /// @notice How an approved recipient takes earmarked money.
    enum RecipientKind {
        None, // not approved: receives nothing earmarked
        Intermediate, // the mark follows the money: it may pay the purpose's approved recipients on
        Final // the mark drops: it receives plain DKZT
    }

    /// @notice A purpose as it stands.
    /// @param funder The budget holder who opened it: it deposits, earmarks, approves and gets back.
    /// @param expiresAt Unix time from which nothing is earmarked or paid: the unspent is the funder's.
    /// @param closed True once the unspent amount went back to the funder.
    /// @param name The project's name or id (bytes32 text, or a hash of a longer name).
    /// @param reason Hash or id of the legal basis (the budget decision).
    /// @param pool Tiyn deposited and not yet earmarked to a holder.
    /// @param outstanding Tiyn the contract keeps for the purpose: the pool and every holder's balance.
    struct Purpose {
        address funder;
        uint48 expiresAt;
        bool closed;
        bytes32 name;
        bytes32 reason;
        uint256 pool;
        uint256 outstanding;
    }

    /// @notice `funder` opened purpose `id`, named `name`, until `expiresAt`, on the basis `reason`.
    /// @param id The purpose.
    /// @param funder The token's BUDGET_HOLDER_ROLE holder who opened it.
    /// @param name The project's name or id.
    /// @param expiresAt Unix time at which it ends.
    /// @param reason Hash or id of the legal basis.
    event PurposeCreated(uint256 indexed id, address indexed funder, bytes32 name, uint256 expiresAt, bytes32 reason);
    /// @notice `actor` approved `recipient` for purpose `id` as `kind`, citing `reason`.
    /// @param id The purpose.
    /// @param recipient The organisation approved.
    /// @param kind Intermediate (the mark follows) or Final (the mark drops).
    /// @param actor The purpose's funder.
    /// @param reason Hash or id of the check it passed.
    event RecipientApproved(
        uint256 indexed id, address indexed recipient, RecipientKind kind, address indexed actor, bytes32 reason
    );
    /// @notice `actor` removed `recipient` from purpose `id`, citing `reason`: it receives nothing more.
    /// @param id The purpose.
    /// @param recipient The organisation removed.
    /// @param actor The purpose's funder.
    /// @param reason Hash or id of the decision.
    event RecipientRemoved(uint256 indexed id, address indexed recipient, address indexed actor, bytes32 reason);
    /// @notice The funder deposited `amount` tiyn into purpose `id`'s pool.
    /// @param id The purpose.
    /// @param funder The purpose's funder.
    /// @param amount Tiyn deposited.
    event Deposited(uint256 indexed id, address indexed funder, uint256 amount);
    /// @notice The funder took `amount` unearmarked tiyn of purpose `id`'s pool back, citing `reason`.
    /// @param id The purpose.
    /// @param funder The purpose's funder.
    /// @param amount Tiyn withdrawn.
    /// @param reason Hash or id of the decision.
    event Withdrawn(uint256 indexed id, address indexed funder, uint256 amount, bytes32 reason);
    /// @notice `amount` tiyn of purpose `id` went from `from` to `to`: an earmarking from the pool
    /// (`from` the funder), or a payment by a holder. `released`: `to` is a final recipient, and received
    /// plain DKZT (the token's Transfer from this contract carries the same amount).
    /// @param id The purpose.
    /// @param from The funder (from the pool) or the paying holder.
    /// @param to The approved recipient.
    /// @param amount Tiyn.
    /// @param released True when the mark dropped: `to` is a final recipient.
    /// @param disbursement The funder's disbursement id (zero for a holder's payment).
    event EarmarkPaid(
        uint256 indexed id, address indexed from, address indexed to, uint256 amount, bool released, bytes32 disbursement
    );
    /// @notice Purpose `id` ended: `amount` unspent tiyn went back to its funder; `actor` sent it.
    /// @param id The purpose.
    /// @param funder The purpose's funder, who received the amount.
    /// @param amount Tiyn returned (the pool and every holder's balance).
    /// @param actor Whoever sent the transaction.
    event PurposeClosed(uint256 indexed id, address indexed funder, uint256 amount, address indexed actor);

    /// @notice No purpose has id `id`.
    error PurposeUnknown(uint256 id);
    /// @notice `caller` is not purpose `id`'s funder.
    error CallerNotFunder(uint256 id, address caller);
    /// @notice Purpose `id` ended at `expiresAt`: nothing is earmarked or paid from it any more.
    error PurposeExpired(uint256 id, uint256 expiresAt);
    /// @notice Purpose `id` runs until `expiresAt`: its unspent amount is not returnable before.
    error PurposeNotExpired(uint256 id, uint256 expiresAt);
    /// @notice Purpose `id`'s unspent amount went back to its funder already.
    error PurposeClosedAlready(uint256 id);
    /// @notice An expiry that is not in the future (at `now`), or past uint48's range.
    error PurposeExpiryInvalid(uint256 expiresAt, uint256 now);
    /// @notice `recipient` is not an approved recipient of purpose `id`: it may receive nothing earmarked.
    error RecipientNotApproved(uint256 id, address recipient);
    /// @notice A recipient's kind must be Intermediate or Final, and the zero address or this contract
    /// cannot be one.
    error RecipientInvalid(uint256 id, address recipient);
    /// @notice `holder` has `balance` tiyn of purpose `id`, less than `needed`.
    error EarmarkInsufficient(uint256 id, address holder, uint256 balance, uint256 needed);
    /// @notice An amount of zero tiyn.
    error EarmarkAmountZero();
    /// @notice The funder used the disbursement id `disbursement` already: a disbursement pays once.
    error DisbursementUsed(address funder, bytes32 disbursement);

    /// @notice Opens a purpose funded by the caller, a holder of the token's BUDGET_HOLDER_ROLE.
    /// @param name The project's name or id.
    /// @param expiresAt Unix time at which it ends (in the future).
    /// @param reason Hash or id of the legal basis.
    /// @return id The new purpose (numbered from 1).
    function createPurpose(bytes32 name, uint256 expiresAt, bytes32 reason) external returns (uint256 id);
    /// @notice Approves `recipient` for purpose `id` as `kind` (the funder only); approving again changes
    /// its kind.
    /// @param id The purpose.
    /// @param recipient The organisation.
    /// @param kind Intermediate or Final.
    /// @param reason Hash or id of the check it passed.
    function approveRecipient(uint256 id, address recipient, RecipientKind kind, bytes32 reason) external;
    /// @notice Removes `recipient` from purpose `id` (the funder only): it receives nothing more; what it
    /// holds it may still pay to approved recipients.
    /// @param id The purpose.
    /// @param recipient The organisation.
    /// @param reason Hash or id of the decision.
    function removeRecipient(uint256 id, address recipient, bytes32 reason) external;
    /// @notice Moves `amount` DKZT from the funder into purpose `id`'s pool (an allowance to this
    /// contract first, or a permit).
    /// @param id The purpose.
    /// @param amount Tiyn.
    function deposit(uint256 id, uint256 amount) external;
    /// @notice Takes `amount` of purpose `id`'s pool (deposited, not earmarked) back to the funder.
    /// @param id The purpose.
    /// @param amount Tiyn.
    /// @param reason Hash or id of the decision.
    function withdraw(uint256 id, uint256 amount, bytes32 reason) external;
    /// @notice Earmarks `amount` of purpose `id`'s pool to the approved recipient `to` (the funder only),
    /// under a disbursement id that pays once per funder (zero: none); to a final recipient it is paid
    /// out as plain DKZT at once.
    /// @param id The purpose.
    /// @param to An approved recipient.
    /// @param amount Tiyn.
    /// @param disbursement The disbursement's id (a budget line, a row of a disbursement file).
    function earmark(uint256 id, address to, uint256 amount, bytes32 disbursement) external;
    /// @notice Pays `amount` of the caller's earmarked balance of purpose `id` to the approved recipient
    /// `to`: earmarked still to an intermediate recipient, as plain DKZT to a final one.
    /// @param id The purpose.
    /// @param to An approved recipient.
    /// @param amount Tiyn.
    function pay(uint256 id, address to, uint256 amount) external;
    /// @notice Returns everything unspent of purpose `id` to its funder once it has expired; anyone may
    /// send it.
    /// @param id The purpose.
    /// @return amount Tiyn returned.
    function close(uint256 id) external returns (uint256 amount);

    /// @notice The token whose DKZT this contract keeps.
    /// @return The token.
    function token() external view returns (address);
    /// @notice The number of purposes opened; ids run from 1 to it.
    /// @return The count.
    function purposeCount() external view returns (uint256);
    /// @notice Purpose `id` as it stands (zero fields for an unknown id).
    /// @param id The purpose.
    /// @return The purpose.
    function purpose(uint256 id) external view returns (Purpose memory);
    /// @notice How `recipient` takes money of purpose `id` (None: not approved).
    /// @param id The purpose.
    /// @param recipient The organisation.
    /// @return The kind.
    function recipientKind(uint256 id, address recipient) external view returns (RecipientKind);
    /// @notice `holder`'s earmarked balance of purpose `id`: zero from the expiry on, when it is the
    /// funder's (see `returnable`).
    /// @param id The purpose.
    /// @param holder The account.
    /// @return Tiyn.
    function balanceOf(uint256 id, address holder) external view returns (uint256);
    /// @notice What purpose `id`'s funder gets back now: everything unspent once it expired (and not yet
    /// returned), else the pool it may withdraw.
    /// @param id The purpose.
    /// @return Tiyn.
    function returnable(uint256 id) external view returns (uint256);
    /// @notice Whether `funder` used the disbursement id `disbursement` already.
    /// @param funder The funder.
    /// @param disbursement The disbursement's id.
    /// @return True if used.
    function disbursementUsed(address funder, bytes32 disbursement) external view returns (bool);
}
