// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title EIP-3009: transfer with authorization
/// @notice Gasless transfers: the holder signs an EIP-712 authorization off chain and anyone (or, for
/// `receiveWithAuthorization`, only the receiver) submits it. Nonces are random 32-byte values, so a
/// wallet can issue many authorizations at once and in any order.
interface IERC3009 {
    /// @notice The authorization `nonce` of `authorizer` was used.
    event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce);
    /// @notice The authorization `nonce` of `authorizer` was cancelled.
    event AuthorizationCanceled(address indexed authorizer, bytes32 indexed nonce);

    /// @notice The signature does not come from the authorizer.
    error ERC3009InvalidSignature();
    /// @notice The authorization is not yet valid (`validAfter`) or expired (`validBefore`).
    error ERC3009InvalidAuthorizationTime(uint256 validAfter, uint256 validBefore);
    /// @notice `nonce` of `authorizer` was already used or cancelled.
    error ERC3009UsedAuthorization(address authorizer, bytes32 nonce);

    /// @notice Whether `nonce` of `authorizer` was used or cancelled.
    function authorizationState(address authorizer, bytes32 nonce) external view returns (bool);

    /// @notice Moves `value` from `from` to `to` with `from`'s signed authorization; anyone may submit it.
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
    ) external;

    /// @notice As `transferWithAuthorization`, but only `to` may submit it (no front-running).
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
    ) external;

    /// @notice Cancels the unused authorization `nonce` of `authorizer`, with `authorizer`'s signature.
    function cancelAuthorization(address authorizer, bytes32 nonce, uint8 v, bytes32 r, bytes32 s) external;
}
