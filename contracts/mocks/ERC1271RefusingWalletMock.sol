// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";

/// @title A smart-contract wallet that approves no signature (test mock)
/// @notice Answers every ERC-1271 query with a refusal of its kind: a wrong value, a revert, or the
/// magic value in 4 bytes where ERC-1271 returns a 32-byte word.
contract ERC1271RefusingWalletMock is IERC1271 {
    /// @notice How the wallet refuses.
    enum Refusal {
        Reject,
        Revert,
        ShortAnswer
    }

    /// @notice This wallet's way of refusing.
    Refusal public immutable REFUSAL;

    /// @notice `isValidSignature` reverts with this in `Refusal.Revert` mode.
    error SignatureRefused();

    /// @notice A wallet that refuses every signature in the way `refusal` names.
    /// @param refusal How the wallet refuses.
    constructor(Refusal refusal) {
        REFUSAL = refusal;
    }

    /// @notice ERC-1271, refusing: 0xffffffff, a revert, or a 4-byte answer, by `REFUSAL`.
    /// @return magicValue Never ERC-1271's magic value as a full word.
    function isValidSignature(bytes32, bytes calldata) external view returns (bytes4 magicValue) {
        if (REFUSAL == Refusal.Revert) revert SignatureRefused();
        if (REFUSAL == Refusal.ShortAnswer) {
            bytes4 magic = IERC1271.isValidSignature.selector;
            // A 4-byte return: callers must not read the magic value out of a short answer.
            assembly {
                mstore(0, magic)
                return(0, 4)
            }
        }
        return 0xffffffff;
    }
}
