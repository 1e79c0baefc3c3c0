"""What the sales assistant answers: one frozen result shared by its look-up, filter and advice parts."""

from __future__ import annotations

from dataclasses import dataclass

from .catalog import Product


@dataclass(frozen=True)
class SalesAnswer:
    """What the sales assistant says about the catalog."""

    status: str
    """"answered", "declined" (the catalog has no such fact or product) or "partial"."""
    text: str
    """The reply, in the language asked for."""
    products: tuple[Product, ...] = ()
    """The products the reply talks about, in the order it names them."""
    topic: str = ""
    """"price", "stock", "features", an attribute column, "compare", "recommend" or "filter"."""
