// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title EIP-3009: transfer with authorization
/// @notice Gasless transfers: the holder signs an EIP-712 authorization off chain and anyone (or, for
/// `receiveWithAuthorization`, only the receiver) submits it. Nonces are random 32-byte values, so a
/// wallet can issue many authorizations at once and in any order.
interface IERC3009 {
    /// @notice The authorization `nonce` of `authorizer` was used.
    /// @param authorizer The signer of the authorization.
    /// @param nonce The authorization's nonce.
    event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce);
    /// @notice The authorization `nonce` of `authorizer` was cancelled.
    /// @param authorizer The signer of the authorization.
    /// @param nonce The authorization's nonce.
    event AuthorizationCanceled(address indexed authorizer, bytes32 indexed nonce);

    /// @notice The signature does not come from the authorizer.
    error ERC3009InvalidSignature();
    /// @notice The authorization is not yet valid (`validAfter`) or expired (`validBefore`).
    error ERC3009InvalidAuthorizationTime(uint256 validAfter, uint256 validBefore);
    /// @notice `nonce` of `authorizer` was already used or cancelled.
    error ERC3009UsedAuthorization(address authorizer, bytes32 nonce);
    /// @notice `caller` submitted a `receiveWithAuthorization` whose payee is `payee`: only the payee may.
    error ERC3009CallerMustBePayee(address caller, address payee);

    /// @notice Moves `value` from `from` to `to` with `from`'s signed authorization; anyone may submit it.
    /// @param from The payer, who signed the authorization.
    /// @param to The payee.
    /// @param value Tiyn to move.
    /// @param validAfter Unix time after which the authorization is valid.
    /// @param validBefore Unix time before which the authorization is valid.
    /// @param nonce A unique random 32-byte value chosen by the payer.
    /// @param v The signature's recovery byte.
    /// @param r The signature's r.
    /// @param s The signature's s.
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
    /// @param from The payer, who signed the authorization.
    /// @param to The payee.
    /// @param value Tiyn to move.
    /// @param validAfter Unix time after which the authorization is valid.
    /// @param validBefore Unix time before which the authorization is valid.
    /// @param nonce A unique random 32-byte value chosen by the payer.
    /// @param v The signature's recovery byte.
    /// @param r The signature's r.
    /// @param s The signature's s.
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
    /// @param authorizer The signer of the authorization to cancel.
    /// @param nonce The nonce to cancel.
    /// @param v The cancellation signature's recovery byte.
    /// @param r The cancellation signature's r.
    /// @param s The cancellation signature's s.
    function cancelAuthorization(address authorizer, bytes32 nonce, uint8 v, bytes32 r, bytes32 s) external;

    /// @notice `transferWithAuthorization` with the signature as bytes: 65-byte ECDSA from an EOA, or
    /// whatever `from`'s ERC-1271 `isValidSignature` accepts if it is a contract (USDC v2.2).
    /// @param from The payer, who signed the authorization.
    /// @param to The payee.
    /// @param value Tiyn to move.
    /// @param validAfter Unix time after which the authorization is valid.
    /// @param validBefore Unix time before which the authorization is valid.
    /// @param nonce A unique random 32-byte value chosen by the payer.
    /// @param signature The payer's signature.
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes memory signature
    ) external;

    /// @notice `receiveWithAuthorization` with the signature as bytes (see the bytes `transferWithAuthorization`).
    /// @param from The payer, who signed the authorization.
    /// @param to The payee, who must be the caller.
    /// @param value Tiyn to move.
    /// @param validAfter Unix time after which the authorization is valid.
    /// @param validBefore Unix time before which the authorization is valid.
    /// @param nonce A unique random 32-byte value chosen by the payer.
    /// @param signature The payer's signature.
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes memory signature
    ) external;

    /// @notice `cancelAuthorization` with the signature as bytes (ECDSA or ERC-1271).
    /// @param authorizer The signer of the authorization to cancel.
    /// @param nonce The nonce to cancel.
    /// @param signature The authorizer's signature of the cancellation.
    function cancelAuthorization(address authorizer, bytes32 nonce, bytes memory signature) external;

    /// @notice Whether `nonce` of `authorizer` was used or cancelled.
    /// @param authorizer The signer of the authorization.
    /// @param nonce The authorization's nonce.
    /// @return True once the nonce was used or cancelled; it can then never be used.
    function authorizationState(address authorizer, bytes32 nonce) external view returns (bool);
}
