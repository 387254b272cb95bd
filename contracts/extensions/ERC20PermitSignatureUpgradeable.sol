// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20PermitUpgradeable} from
    "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20PermitUpgradeable.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureCheck} from "../utils/SignatureCheck.sol";
import {IERC20PermitSignature} from "../interfaces/IERC20PermitSignature.sol";

/// @title EIP-2612 permit for smart-contract wallets too (ERC-1271), as USDC v2.2
/// @notice OpenZeppelin's permit, nonces and EIP-712 domain, with the signature checked by
/// `SignatureChecker`: an EOA's ECDSA signature as before, or the owner contract's ERC-1271 approval;
/// the `bytes signature` form takes signatures that are not 65 bytes (a multisig's are longer).
/// @dev Errors are OpenZeppelin's (`ERC2612ExpiredSignature`, `ERC2612InvalidSigner(recovered, owner)`),
/// except that a malformed signature reports `ERC2612InvalidSigner(address(0), owner)` instead of
/// ECDSA's own errors, since a contract owner may accept any bytes.
abstract contract ERC20PermitSignatureUpgradeable is ERC20PermitUpgradeable, IERC20PermitSignature {
    // OpenZeppelin keeps its PERMIT_TYPEHASH private.
    bytes32 private constant PERMIT_TYPE_HASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");

    /// @notice EIP-2612 permit: `owner`'s signature sets `spender`'s allowance to `value`.
    /// @param owner The holder who signed.
    /// @param spender The account allowed to spend.
    /// @param value Tiyn it may spend.
    /// @param deadline Unix time after which the permit is void.
    /// @param v The signature's recovery byte.
    /// @param r The signature's r.
    /// @param s The signature's s.
    function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        public
        virtual
        override
    {
        permit(owner, spender, value, deadline, abi.encodePacked(r, s, v));
    }

    /// @inheritdoc IERC20PermitSignature
    function permit(address owner, address spender, uint256 value, uint256 deadline, bytes memory signature)
        public
    {
        // slither-disable-next-line timestamp EIP-2612's deadline is defined in block time
        if (block.timestamp > deadline) revert ERC2612ExpiredSignature(deadline);
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(PERMIT_TYPE_HASH, owner, spender, value, _useNonce(owner), deadline))
        );
        if (!SignatureCheck.isValidSignatureNow(owner, digest, signature)) {
            // slither-disable-next-line unused-return only the recovered address is reported
            (address recovered,,) = ECDSA.tryRecover(digest, signature);
            revert ERC2612InvalidSigner(recovered, owner);
        }
        _approve(owner, spender, value);
    }
}
