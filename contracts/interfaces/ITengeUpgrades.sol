// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Upgrades of the Digital Tenge, answered by its proxy (`DigitalTengeProxy`)
/// @notice The token's address answers this interface as well as `IDigitalTenge`: tools merge the two ABIs.
/// An upgrade is public before it happens: UPGRADER_ROLE announces it (the implementation, the hash of the
/// call that will run, a reason), the default admin may cancel it, and it runs no earlier than the default
/// admin's transfer delay (`defaultAdminDelay()`) after its announcement. Whoever holds UPGRADER_ROLE, and
/// however it got it, no upgrade runs unannounced: the admin's delay protects the token's powers, not only
/// the admin seat.
interface ITengeUpgrades {
    /// @notice The implementation is now `implementation` (ERC-1967's event).
    /// @param implementation The new implementation.
    event Upgraded(address indexed implementation);
    /// @notice `actor` announced an upgrade to `implementation`, whose code hashes to `codeHash`, running
    /// the call hashed `dataHash`, possible from `readyAt` on, citing `reason`.
    /// @param implementation The implementation the proxy will point at.
    /// @param dataHash keccak256 of the calldata the upgrade will run in it (of nothing: keccak256("")).
    /// @param codeHash The implementation's code hash (EXTCODEHASH) now: the upgrade runs only this code.
    /// @param readyAt The earliest time (unix seconds) the upgrade may run.
    /// @param actor The UPGRADER_ROLE holder who announced it.
    /// @param reason Hash or id of the decision behind it.
    event UpgradeAnnounced(
        address indexed implementation,
        bytes32 dataHash,
        bytes32 codeHash,
        uint48 readyAt,
        address indexed actor,
        bytes32 reason
    );
    /// @notice `actor` cancelled the announced upgrade to `implementation`, citing `reason`.
    /// @param implementation The implementation that was announced.
    /// @param actor The default admin who cancelled it.
    /// @param reason Hash or id of the decision behind it.
    event UpgradeCancelled(address indexed implementation, address indexed actor, bytes32 reason);
    /// @notice `actor` ran the announced upgrade to `implementation` (beside ERC-1967's `Upgraded`), which
    /// was announced citing `reason`.
    /// @param implementation The new implementation.
    /// @param actor The UPGRADER_ROLE holder who ran it.
    /// @param reason The reason of its announcement.
    event UpgradeExecuted(address indexed implementation, address indexed actor, bytes32 reason);

    /// @notice The new implementation answered `proxiableUUID` with `slot`, not ERC-1967's implementation slot.
    error UnsupportedProxiableUUID(bytes32 slot);
    /// @notice No upgrade to `implementation` with calldata hashed `dataHash` is announced.
    error UpgradeNotAnnounced(address implementation, bytes32 dataHash);
    /// @notice The code at `implementation` hashes to `found`, not to the `announced` hash: it changed
    /// since the announcement (a metamorphic contract redeployed at the address).
    error UpgradeCodeChanged(address implementation, bytes32 announced, bytes32 found);
    /// @notice There is no announced upgrade to cancel.
    error NoUpgradeAnnounced();
    /// @notice The announced upgrade may run from `readyAt` on, not before.
    error UpgradeNotReady(uint48 readyAt);

    /// @notice Announces an upgrade to `newImplementation` (its code as it is now) running the call hashed
    /// `dataHash`, replacing any upgrade announced before. Requires UPGRADER_ROLE; `newImplementation` must
    /// be a contract (not an EIP-7702 delegated account, whose code its key can change) answering
    /// `proxiableUUID`.
    /// @param newImplementation The implementation to point at.
    /// @param dataHash keccak256 of the calldata to run in it (keccak256 of nothing for none).
    /// @param reason Hash or id of the decision behind it.
    function announceUpgrade(address newImplementation, bytes32 dataHash, bytes32 reason) external;
    /// @notice Cancels the announced upgrade. Requires DEFAULT_ADMIN_ROLE.
    /// @param reason Hash or id of the decision behind it.
    function cancelUpgrade(bytes32 reason) external;
    /// @notice Runs the announced upgrade: points the proxy at `newImplementation` and, if `data` is not
    /// empty, calls it with `data` (e.g. a reinitializer). Requires UPGRADER_ROLE, the announcement of
    /// exactly this implementation, with the code it had then, and calldata, and its time to have come.
    /// @param newImplementation The announced implementation.
    /// @param data The announced calldata, or empty.
    function upgradeToAndCall(address newImplementation, bytes calldata data) external payable;
    /// @notice The announced upgrade, if any (a zero implementation: none).
    /// @return implementation The implementation announced.
    /// @return dataHash keccak256 of the calldata announced.
    /// @return codeHash The implementation's code hash at the announcement.
    /// @return readyAt The earliest time it may run.
    /// @return reason The reason it was announced with.
    function pendingUpgrade()
        external
        view
        returns (address implementation, bytes32 dataHash, bytes32 codeHash, uint48 readyAt, bytes32 reason);
}
