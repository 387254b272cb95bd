// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title CBDC wallet policy: KYC tiers with holding and daily outflow limits, and a waterfall
/// @notice Each account is in a tier (0 until a KYC_ROLE holder says otherwise); each tier caps the
/// balance an account may hold and the tiyn it may send per UTC day (`block.timestamp / 1 days`).
/// `type(uint256).max` means no limit. An incoming amount that would lift a balance above its limit
/// is refused, unless the account is linked to another (its bank's) account: then the excess goes on
/// to the linked account (the digital euro's waterfall), within that account's own limit.
interface ITieredPolicy {
    /// @notice `actor` moved `account` from tier `oldTier` to `newTier`, citing `reason`.
    /// @param account The account whose tier changed.
    /// @param oldTier Its tier before.
    /// @param newTier Its tier now.
    /// @param actor The KYC_ROLE holder who changed it.
    /// @param reason Hash or id of the KYC decision.
    event TierSet(
        address indexed account, uint8 oldTier, uint8 newTier, address indexed actor, bytes32 indexed reason
    );
    /// @notice Tier `tier` now caps balances at `maxBalance` and outflow at `dailyOutflow` tiyn a day.
    /// @param tier The configured tier.
    /// @param maxBalance The most an account of the tier may hold, in tiyn (`type(uint256).max`: no limit).
    /// @param dailyOutflow The most it may send per UTC day, in tiyn (`type(uint256).max`: no limit).
    /// @param actor The DEFAULT_ADMIN_ROLE holder who set it (the admin, for the defaults at initialization).
    /// @param reason Hash or id of the decision behind it (zero for the defaults at initialization).
    event TierLimitsSet(
        uint8 indexed tier, uint256 maxBalance, uint256 dailyOutflow, address indexed actor, bytes32 reason
    );
    /// @notice `account` is now linked to `linked` (zero: unlinked), on the instruction `reason`.
    /// @param account The wallet whose excess is passed on.
    /// @param linked The account that now receives the excess, or zero.
    /// @param actor The holder who accepted the link, or the KYC_ROLE holder who unlinked.
    /// @param reason Hash or id of the instruction behind the link (the proposal's, when accepted).
    event LinkedAccountSet(
        address indexed account, address indexed linked, address indexed actor, bytes32 reason
    );
    /// @notice `actor` proposed to link `account` to `linked`, citing `reason`; nothing is passed on until
    /// the holder of `account` accepts (`acceptLinkedAccount`).
    /// @param account The wallet whose excess would be passed on.
    /// @param linked The proposed receiver of the excess.
    /// @param actor The KYC_ROLE holder who proposed it.
    /// @param reason Hash or id of the instruction behind the proposal.
    event LinkedAccountProposed(
        address indexed account, address indexed linked, address indexed actor, bytes32 reason
    );
    /// @notice `actor` switched the policy on or off, citing `reason`.
    /// @param enabled True when tiers, limits and the waterfall now apply.
    /// @param actor The DEFAULT_ADMIN_ROLE holder who switched it (the admin, at initialization).
    /// @param reason Hash or id of the decision (zero at initialization).
    event PolicyEnabledSet(bool enabled, address indexed actor, bytes32 indexed reason);
    /// @notice `amount` tiyn meant for `account` went on to its linked account `linked` (the excess leg).
    /// @param account The receiver the payment was meant for, at its holding limit.
    /// @param linked The linked account that received the excess.
    /// @param amount Tiyn passed on (the Transfer to `linked` carries the same amount).
    event Waterfall(address indexed account, address indexed linked, uint256 amount);

    /// @notice `account` would hold `balanceAfter` tiyn, above its tier's `limit`.
    error HoldingLimitExceeded(address account, uint256 balanceAfter, uint256 limit);
    /// @notice `account` would have sent `outflowAfter` tiyn today, above its tier's daily `limit`.
    error DailyOutflowExceeded(address account, uint256 outflowAfter, uint256 limit);
    /// @notice A limit must be below 2**96 - 1, or exactly `type(uint256).max` (no limit).
    error TierLimitOutOfRange(uint256 limit);
    /// @notice `tier` has neither a holding nor an outflow allowance: configure it before assigning it.
    error TierNotConfigured(uint8 tier);
    /// @notice `account` cannot be linked to `linked` (itself, or `account` is the zero address).
    error InvalidLinkedAccount(address account, address linked);
    /// @notice No link of `account` to `linked` waits for its holder's consent.
    error LinkedAccountNotProposed(address account, address linked);

    /// @notice Puts `account` in `tier`. Requires KYC_ROLE.
    /// @dev Today's outflow so far carries over: it counts against the new tier's daily limit.
    /// @param account The account whose tier changes.
    /// @param tier The new tier; it must have a non-zero limit.
    /// @param reason The KYC decision behind the change (hash or id).
    function setTier(address account, uint8 tier, bytes32 reason) external;

    /// @notice Sets the limits of `tier` in tiyn (`type(uint256).max`: no limit). Requires DEFAULT_ADMIN_ROLE.
    /// @param tier The tier to configure.
    /// @param maxBalance The most an account of the tier may hold.
    /// @param dailyOutflow The most an account of the tier may send per UTC day.
    /// @param reason Hash or id of the decision behind it (limits of 0 freeze every wallet of the tier).
    function setTierLimits(uint8 tier, uint256 maxBalance, uint256 dailyOutflow, bytes32 reason) external;

    /// @notice Proposes to link `account` to `linked`, which would receive what exceeds `account`'s
    /// holding limit once the holder accepts (`acceptLinkedAccount`): KYC_ROLE alone never redirects a
    /// holder's income. `linked` zero unlinks at once (and drops a proposal). Requires KYC_ROLE.
    /// @param account The wallet whose excess would be passed on.
    /// @param linked The account to receive the excess (e.g. the holder's bank account), or zero.
    /// @param reason The instruction behind the link (hash or id).
    function setLinkedAccount(address account, address linked, bytes32 reason) external;

    /// @notice The caller, holder of an account, accepts the link KYC_ROLE proposed for it to `linked`.
    /// @param linked The proposed receiver of the excess, as the holder read it.
    function acceptLinkedAccount(address linked) external;

    /// @notice Switches the whole policy on or off. Requires DEFAULT_ADMIN_ROLE.
    /// @param enabled True to enforce tiers, limits and the waterfall; false to move tokens unlimited.
    /// @param reason The decision behind the switch (hash or id).
    function setPolicyEnabled(bool enabled, bytes32 reason) external;

    /// @notice The tier of `account` (0 if never assigned).
    /// @param account The account asked about.
    /// @return The account's tier.
    function tierOf(address account) external view returns (uint8);

    /// @notice The limits of `tier` in tiyn (`type(uint256).max`: no limit).
    /// @param tier The tier asked about.
    /// @return maxBalance The most an account of the tier may hold.
    /// @return dailyOutflow The most an account of the tier may send per UTC day.
    function tierLimits(uint8 tier) external view returns (uint256 maxBalance, uint256 dailyOutflow);

    /// @notice The account that receives what exceeds `account`'s holding limit (zero: none).
    /// @param account The account asked about.
    /// @return The linked account, or zero.
    function linkedAccount(address account) external view returns (address);

    /// @notice The link proposed for `account`, waiting for its holder's consent (zero: none).
    /// @param account The account asked about.
    /// @return linked The proposed receiver of the excess.
    /// @return reason The instruction behind the proposal.
    function proposedLinkedAccount(address account) external view returns (address linked, bytes32 reason);

    /// @notice Whether the policy is enforced.
    /// @return True when tiers, limits and the waterfall apply.
    function policyEnabled() external view returns (bool);

    /// @notice What `account` has sent today (UTC) that counts against its daily limit.
    /// @param account The account asked about.
    /// @return Tiyn sent today while its tier had a daily limit.
    function outflowToday(address account) external view returns (uint256);

    /// @notice The most `account` can send right now: its spendable balance (not frozen, blocked,
    /// held or paused), within what is left of its daily outflow.
    /// @param account The account asked about.
    /// @return Tiyn that a transfer from `account` could move now.
    function availableToSend(address account) external view returns (uint256);

    /// @notice The most `account` can receive right now: the room under its holding limit, plus the
    /// room under its linked account's limit (`type(uint256).max`: no limit; 0 if blocked or paused).
    /// @param account The account asked about.
    /// @return Tiyn that a transfer to `account` could bring in now.
    function availableToReceive(address account) external view returns (uint256);
}
