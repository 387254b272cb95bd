// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title EIP-2612 permit with a `bytes` signature (USDC v2.2), for ERC-1271 wallets
/// @notice The owner may be a smart-contract wallet whose signatures are not 65 bytes.
interface IERC20PermitSignature {
    /// @notice EIP-2612 permit whose signature is any bytes: 65-byte ECDSA from an EOA, or whatever the
    /// owner contract's ERC-1271 `isValidSignature` accepts.
    /// @param owner The holder who signed.
    /// @param spender The account allowed to spend.
    /// @param value Tiyn it may spend.
    /// @param deadline Unix time after which the permit is void.
    /// @param signature The owner's signature.
    function permit(address owner, address spender, uint256 value, uint256 deadline, bytes memory signature)
        external;
}
