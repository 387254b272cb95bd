// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title Another ERC-20 (test mock)
/// @notice Sent to the Digital Tenge by mistake in rescue tests.
/// @dev Anyone may mint.
contract ERC20Mock is ERC20 {
    constructor() ERC20("Mock Token", "MOCK") {}

    /// @notice Mints `amount` to `to`, for anyone.
    /// @param to The receiver.
    /// @param amount Units to mint.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
