// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";

/// @title BEP-20 token standard (BNB Chain)
/// @notice ERC-20 with metadata, plus `getOwner()`, which BNB Chain tooling reads to show a token's owner.
interface IBEP20 is IERC20Metadata {
    /// @notice The account that owns the token contract.
    function getOwner() external view returns (address);
}
