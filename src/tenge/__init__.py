"""Digital Tenge (DKZT) integrator toolkit: amounts, deployment records, a client and a command line."""

from tenge.errors import TengeError
from tenge.units import format_kzt, kzt_to_tiyn, tiyn_to_kzt

__all__ = ["TengeError", "format_kzt", "kzt_to_tiyn", "tiyn_to_kzt"]
