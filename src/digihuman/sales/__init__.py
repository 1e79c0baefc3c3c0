"""The sales assistant: a product catalog as knowledge, and consent-first lead capture.

``answer_catalog`` answers look-ups, filters, comparisons and recommendations from a
:class:`Catalog` (CSV/JSON rows, saved as ``catalog.json`` in the persona folder);
``lead_step`` runs the dialog that asks consent, a name and a contact, stored in a
:class:`LeadStore` (``leads.sqlite``).
"""

from .answer import answer_catalog
from .catalog import Catalog, Product, is_catalog_file
from .dialog import lead_step
from .leads import Lead, LeadStore
from .result import SalesAnswer

__all__ = ["Catalog", "Lead", "LeadStore", "Product", "SalesAnswer", "answer_catalog", "is_catalog_file", "lead_step"]
