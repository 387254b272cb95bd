"""`python -m tenge`: the same command line as `tenge`."""

from tenge.cli import main

main()
