// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title OpenZeppelin 5.4's `SignatureChecker.isValidSignatureNow`, without its MCOPY import
/// @notice An EOA's ECDSA signature, or a contract's ERC-1271 approval.
/// @dev OpenZeppelin 5.4's `SignatureChecker` imports `Bytes` (for its ERC-7913 functions), which uses
/// MCOPY, and the project compiles for Shanghai (Ganache 7.9, see brownie-config.yaml). This is its
/// `isValidSignatureNow(address, bytes32, bytes)` and `isValidERC1271SignatureNow`, line for line; it gives
/// way to OpenZeppelin's when the project moves to Cancun.
library SignatureCheck {
    /// @dev True if `signature` is `signer`'s ECDSA signature of `hash` (`signer` has no code), or if the
    /// contract `signer` approves it through ERC-1271.
    function isValidSignatureNow(address signer, bytes32 hash, bytes memory signature) internal view returns (bool) {
        if (signer.code.length == 0) {
            // slither-disable-next-line unused-return the third value only details `err`, which is checked
            (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecover(hash, signature);
            return err == ECDSA.RecoverError.NoError && recovered == signer;
        }
        // slither-disable-next-line low-level-calls as OpenZeppelin's: a reverting or silent wallet means "no"
        (bool success, bytes memory result) =
            signer.staticcall(abi.encodeCall(IERC1271.isValidSignature, (hash, signature)));
        return success && result.length >= 32
            && abi.decode(result, (bytes32)) == bytes32(IERC1271.isValidSignature.selector);
    }
}
