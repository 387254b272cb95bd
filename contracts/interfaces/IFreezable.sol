// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Freezes and holds that end by themselves, each under the order that placed it
/// @notice A frozen account cannot send, approve or have its funds pulled; it can still receive. A hold
/// keeps part of a balance for one order (a court's lien): the account spends only what its holds leave.
/// Every freeze and every hold carries an expiry, at most the seizure controller's
/// `maxRestrictionTerm(token)` ahead, and lapses at that time by itself: no transaction is needed, and
/// the transfer rules and every view agree from that second on. A renewal is a new order: a freeze cites
/// an order that never froze the account before, a hold is placed under an order never used on it. An account carries up to `MAX_HOLDS` holds at once; a release or a seizure names the hold it
/// acts on and never touches another.
interface IFreezable {
    /// @notice `account` was frozen by `actor` until `expiresAt`, citing `reason` (e.g. a court order).
    /// @param account The frozen account.
    /// @param actor The FREEZER_ROLE holder who froze it.
    /// @param reason Hash or id of the legal basis.
    /// @param expiresAt Unix time at which the freeze lapses by itself.
    event Frozen(address indexed account, address indexed actor, bytes32 indexed reason, uint256 expiresAt);
    /// @notice `actor` lifted the freeze of `account` before its expiry, citing `reason`.
    /// @param account The unfrozen account.
    /// @param actor The FREEZER_ROLE holder who unfroze it.
    /// @param reason Hash or id of the legal basis.
    event Unfrozen(address indexed account, address indexed actor, bytes32 indexed reason);
    /// @notice `actor` placed a hold of `amount` tiyn on `account` under `order`, until `expiresAt`.
    /// @param account The account held.
    /// @param order Hash or id of the order (the hold's name and its legal basis).
    /// @param amount Tiyn held; a hold may exceed the balance.
    /// @param expiresAt Unix time at which the hold lapses by itself.
    /// @param actor The FREEZER_ROLE holder who placed it.
    event HoldPlaced(
        address indexed account, bytes32 indexed order, uint256 amount, uint256 expiresAt, address indexed actor
    );
    /// @notice `amount` tiyn of the hold `order` on `account` were released or seized, citing `reason`.
    /// @param account The account whose hold shrank.
    /// @param order The hold that shrank.
    /// @param amount Tiyn it lost.
    /// @param remaining Tiyn it still holds.
    /// @param actor The FREEZER_ROLE holder (or, for a seizure, the seizure controller).
    /// @param reason Hash or id of the decision behind the release (a seizure's reason for a seizure).
    event HoldReleased(
        address indexed account,
        bytes32 indexed order,
        uint256 amount,
        uint256 remaining,
        address indexed actor,
        bytes32 reason
    );
    /// @notice `account` is frozen (until its freeze lapses or is lifted).
    error AccountFrozen(address account);
    /// @notice The zero address (mint and burn's counterparty) cannot be frozen or held.
    error ZeroAddressCannotBeFrozen();
    /// @notice `account` is already in the state the call asked for (unfreezing an account not frozen now).
    error FreezeUnchanged(address account, bool frozen);
    /// @notice `account` tried to move `needed` tiyn but only `available` are not held.
    error InsufficientUnfrozenBalance(address account, uint256 available, uint256 needed);
    /// @notice An expiry that is not in the future or lies beyond `latest`, the longest term from now.
    error RestrictionExpiryInvalid(uint256 expiresAt, uint256 latest);
    /// @notice `order` already placed a hold on `account`, or froze it (whether lifted or lapsed since):
    /// a renewal is a new order.
    error OrderAlreadyUsed(address account, bytes32 order);
    /// @notice A hold of zero tiyn, or of more than any balance can be, or a release of zero.
    error HoldAmountInvalid(uint256 amount);
    /// @notice `account` carries `MAX_HOLDS` holds already.
    error TooManyHolds(address account, uint256 max);
    /// @notice `order` holds nothing on `account` now: never placed, released, seized or lapsed.
    error HoldNotActive(address account, bytes32 order);
    /// @notice A release or seizure of `requested` tiyn exceeds the `held` amount of hold `order`.
    error HoldExceeded(address account, bytes32 order, uint256 held, uint256 requested);

    /// @notice Freezes `account` until `expiresAt`. Requires FREEZER_ROLE. On an account frozen now it
    /// renews the freeze; every freeze of an account cites an order that never froze it before.
    /// @param account The account to freeze; not the zero address.
    /// @param expiresAt Unix time the freeze lapses; after now, within the longest term.
    /// @param reason Hash or id of the legal basis (e.g. a court order).
    function freeze(address account, uint256 expiresAt, bytes32 reason) external;
    /// @notice Lifts the freeze of `account` before it lapses. Requires FREEZER_ROLE.
    /// @param account An account frozen now.
    /// @param reason Hash or id of the legal basis.
    function unfreeze(address account, bytes32 reason) external;
    /// @notice Holds `amount` tiyn of `account` under `order` until `expiresAt`. Requires FREEZER_ROLE.
    /// @param account The account to hold funds on; not the zero address.
    /// @param amount Tiyn to hold; not zero; may exceed the current balance.
    /// @param expiresAt Unix time the hold lapses; after now, within the longest term.
    /// @param order Hash or id of the order: the hold's name, used once per account.
    function placeHold(address account, uint256 amount, uint256 expiresAt, bytes32 order) external;
    /// @notice Releases `amount` tiyn of the hold `order` on `account`. Requires FREEZER_ROLE.
    /// @param account The account whose hold shrinks.
    /// @param order The hold to release from; active now.
    /// @param amount Tiyn released; not zero, at most what the hold keeps.
    /// @param reason Hash or id of the decision behind the release.
    function releaseHold(address account, bytes32 order, uint256 amount, bytes32 reason) external;
    /// @notice Drops the lapsed freeze and the lapsed or emptied holds of `account`. Anyone may call it;
    /// it changes nothing the views show (what lapsed already restricts nothing), only what a debit
    /// reads: an account whose restrictions all lapsed reads its one ledger word again.
    /// @param account The account whose restrictions are settled.
    function settleRestrictions(address account) external;
    /// @notice Whether `account` is frozen now.
    /// @param account The account asked about.
    /// @return True while a freeze applies (a hold alone does not count); false from its expiry on.
    function isFrozen(address account) external view returns (bool);
    /// @notice When the freeze of `account` lapses.
    /// @param account The account asked about.
    /// @return Unix time, or 0 when it is not frozen now.
    function frozenUntil(address account) external view returns (uint256);
    /// @notice The hold `order` keeps on `account` now.
    /// @param account The account asked about.
    /// @param order The order that placed the hold.
    /// @return amount Tiyn held now: 0 once released, seized or lapsed.
    /// @return expiresAt When it lapses (0 if it never existed; kept after it ends).
    function holdOf(address account, bytes32 order) external view returns (uint256 amount, uint256 expiresAt);
    /// @notice Tiyn of `account` held now, all its holds together.
    /// @param account The account asked about.
    /// @return Tiyn held; the account may spend only what its balance has above it.
    function frozenAmount(address account) external view returns (uint256);
}
