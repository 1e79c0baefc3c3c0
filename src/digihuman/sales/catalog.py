"""A shop's product catalog: typed rows read from a CSV or JSON file, kept in the persona folder.

Columns are recognised by name, case-insensitively (``Product``, ``price_krw``, ``In Stock``...);
every other column is kept as a text attribute, so "what colour is it?" can be answered from a
``colour`` column. Prices keep their currency (₩, won, 원, $, €, £) because a reply must say the
price the way the catalog does, never a converted guess.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from .._fs import write_json_atomic
from ..errors import InputError

MAX_FILE_BYTES = 5 * 1024 * 1024
CATALOG_FILE = "catalog.json"
SCHEMA_VERSION = 1

# Column roles, matched against the lower-cased header with spaces/dashes folded to "_".
_NAME_COLS = ("name", "product", "model", "product_name", "item", "title", "상품명", "제품명", "상품", "제품", "모델", "이름")
_PRICE_COLS = ("price", "cost", "price_krw", "price_won", "price_usd", "unit_price", "가격", "판매가", "금액")
_STOCK_COLS = ("stock", "in_stock", "quantity", "qty", "inventory", "available", "재고", "수량", "재고수량")
_CATEGORY_COLS = ("category", "type", "kind", "group", "genre", "department", "section", "분류", "종류", "카테고리", "장르")
_FEATURE_COLS = ("features", "feature", "description", "details", "specs", "설명", "특징", "기능")
_BRAND_COLS = ("brand", "maker", "manufacturer", "브랜드", "제조사")
_CURRENCY_COLS = ("currency",)

# Currency marks: symbol or word -> ISO code.
_CURRENCY_MARKS = (("₩", "KRW"), ("won", "KRW"), ("원", "KRW"), ("krw", "KRW"), ("$", "USD"), ("usd", "USD"),
                   ("dollar", "USD"), ("€", "EUR"), ("eur", "EUR"), ("£", "GBP"), ("gbp", "GBP"))
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


@dataclass(frozen=True)
class Product:
    """One catalog row, typed."""

    name: str
    price: float | None = None
    """In ``currency`` units; None when the catalog gives no price."""
    currency: str = ""
    """ISO code ("KRW", "USD", ...) or "" when the file does not say."""
    stock: int | None = None
    """Units in stock; None when the catalog has no stock column (unknown, not zero)."""
    category: str = ""
    features: tuple[str, ...] = ()
    """Feature phrases, split from a "features"/"description" cell on ; , | or newlines."""
    brand: str = ""
    attrs: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    """Every other column: header (lower-case) -> cell text."""

    @property
    def in_stock(self) -> bool | None:
        return None if self.stock is None else self.stock > 0

    def to_dict(self) -> dict:
        return {"name": self.name, "price": self.price, "currency": self.currency, "stock": self.stock,
                "category": self.category, "features": list(self.features), "brand": self.brand,
                "attrs": dict(self.attrs)}

    @classmethod
    def from_dict(cls, d: dict) -> "Product":
        return cls(name=str(d["name"]), price=None if d.get("price") is None else float(d["price"]),
                   currency=str(d.get("currency", "")), stock=None if d.get("stock") is None else int(d["stock"]),
                   category=str(d.get("category", "")), features=tuple(d.get("features", ())),
                   brand=str(d.get("brand", "")), attrs={str(k): str(v) for k, v in (d.get("attrs") or {}).items()})


def parse_price(value: object) -> tuple[float | None, str]:
    """(amount, currency) from 459000, "459,000", "₩459,000", "459,000 won", "$12.50", "39,000원"."""
    if value is None or isinstance(value, bool):
        return None, ""
    if isinstance(value, (int, float)):
        return float(value), ""
    text = str(value).strip().lower()
    m = _NUMBER.search(text)
    if not m:
        return None, ""
    amount = float(m.group().replace(",", ""))
    currency = next((code for mark, code in _CURRENCY_MARKS if mark in text), "")
    return amount, currency


def _parse_stock(value: object) -> int | None:
    """Units in stock: a number, or yes/no words ("yes" counts as 1: available, count unknown)."""
    if value is None or isinstance(value, bool):
        return None if value is None else int(value)
    if isinstance(value, (int, float)):
        return max(0, int(value))
    text = str(value).strip().lower()
    if not text:
        return None
    m = re.search(r"\d+", text.replace(",", ""))
    if m:
        return int(m.group())
    if text in ("yes", "y", "true", "in stock", "available", "있음", "o"):
        return 1
    if text in ("no", "n", "false", "out of stock", "sold out", "none", "없음", "품절", "x"):
        return 0
    return None


def _features(value: object) -> tuple[str, ...]:
    if isinstance(value, (list, tuple)):
        parts = [str(v) for v in value]
    else:
        parts = re.split(r"[;|\n]|,(?!\d)", str(value or ""))  # "1,290" is a number, not two features
    return tuple(p.strip(" .") for p in parts if p.strip(" ."))


def _key(header: str) -> str:
    return re.sub(r"[\s\-/]+", "_", header.strip().lower())


def _find(cols: dict[str, str], names: tuple[str, ...], *, prefix: bool = False) -> str | None:
    for n in names:
        if n in cols:
            return cols[n]
    if prefix:  # "price (won)", "price_krw"
        for k, c in cols.items():
            if any(k.startswith(n) for n in names):
                return c
    return None


def _rows_to_products(rows: list[dict], source: str) -> tuple[Product, ...]:
    if not rows:
        raise InputError(f"catalog {source!r} has no product rows", "add one row per product under the header")
    headers: dict[str, str] = {}
    for r in rows:
        for h in r:
            if h is not None and str(h).strip():
                headers.setdefault(_key(str(h)), h)
    name_col = _find(headers, _NAME_COLS)
    if name_col is None:
        raise InputError(f"catalog {source!r} has no product name column",
                         "add a column called name, product or model (columns found: "
                         f"{', '.join(str(h) for h in headers.values()) or 'none'})")
    price_col = _find(headers, _PRICE_COLS, prefix=True)
    roles = {name_col, price_col, _find(headers, _STOCK_COLS), _find(headers, _CATEGORY_COLS),
             _find(headers, _FEATURE_COLS), _find(headers, _BRAND_COLS), _find(headers, _CURRENCY_COLS)}
    col_currency = parse_price(f"0 {price_col}")[1] if price_col else ""  # "price_krw", "price (won)"
    out, seen = [], set()
    for r in rows:
        name = " ".join(str(r.get(name_col) or "").split())
        if not name or name.lower() in seen:
            continue
        seen.add(name.lower())
        price, currency = parse_price(r.get(price_col)) if price_col else (None, "")
        currency_col = _find(headers, _CURRENCY_COLS)
        if currency_col and r.get(currency_col):
            currency = parse_price(f"0 {r[currency_col]}")[1] or str(r[currency_col]).strip().upper()
        stock_col = _find(headers, _STOCK_COLS)
        out.append(Product(
            name=name, price=price, currency=currency or col_currency,
            stock=_parse_stock(r.get(stock_col)) if stock_col else None,
            category=str(r.get(_find(headers, _CATEGORY_COLS)) or "").strip().lower(),
            features=_features(r.get(_find(headers, _FEATURE_COLS))),
            brand=str(r.get(_find(headers, _BRAND_COLS)) or "").strip(),
            attrs={_key(str(h)).replace("_", " "): " ".join(str(v).split()) for h, v in r.items()
                   if h is not None and h not in roles and v not in (None, "") and str(v).strip()},
        ))
    if not out:
        raise InputError(f"catalog {source!r} has no product rows", "add one row per product under the header")
    # A price without a currency mark takes the catalog's usual one ("459000" next to "₩1,290,000").
    usual = Counter(p.currency for p in out if p.currency).most_common(1)
    if usual:
        out = [p if p.currency or p.price is None else replace(p, currency=usual[0][0]) for p in out]
    return tuple(out)


def _read_rows(path: Path) -> list[dict]:
    """Rows of a CSV or JSON file (a list of objects, or an object holding one such list)."""
    if not path.is_file():
        raise InputError(f"catalog file {str(path)!r} does not exist", "check the path")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(f"catalog file {path.name!r} is {size / 1e6:.1f} MB, over the 5 MB limit",
                         "split it or remove columns the persona does not need")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"catalog file {path.name!r} is not UTF-8 text", "save it as UTF-8 (CSV UTF-8 in Excel)") from exc
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"catalog file {path.name!r} is not valid JSON ({exc.msg}, line {exc.lineno})",
                             "check it with a JSON validator") from exc
        if isinstance(data, dict):  # {"products": [...]}: the first list of objects inside
            data = next((v for v in data.values() if isinstance(v, list)), [])
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise InputError(f"catalog file {path.name!r} is not a list of products",
                             'use [{"name": ..., "price": ...}, ...] or {"products": [...]}')
        return data
    if path.suffix.lower() not in (".csv", ".tsv"):
        raise InputError(f"cannot read catalog file {path.name!r} (type {path.suffix or 'none'})", "use a .csv or .json file")
    try:
        return list(csv.DictReader(io.StringIO(text), delimiter="\t" if path.suffix.lower() == ".tsv" else ","))
    except csv.Error as exc:
        raise InputError(f"catalog file {path.name!r} is not valid CSV ({exc})", "check its quoting") from exc


def is_catalog_file(path: str | Path) -> bool:
    """True for a CSV/JSON of product rows with a price column (a FAQ of question,answer is not)."""
    try:
        rows = _read_rows(Path(path).expanduser())
        if not rows:
            return False
        keys = {_key(str(h)) for r in rows[:50] for h in r if h is not None}
        if {"question", "answer"} <= keys:
            return False
        cols = {k: k for k in keys}
        return _find(cols, _NAME_COLS) is not None and _find(cols, _PRICE_COLS, prefix=True) is not None
    except InputError:
        return False


class Catalog:
    """The products a persona sells, in file order."""

    def __init__(self, products: tuple[Product, ...] | list[Product], source: str = "") -> None:
        self.products: tuple[Product, ...] = tuple(products)
        self.source = source
        """File name the catalog was read from."""
        self._cache: dict = {}  # derived indexes (search keys, embeddings), built on first use

    def __len__(self) -> int:
        return len(self.products)

    def __repr__(self) -> str:
        return f"Catalog({len(self.products)} products from {self.source!r})"

    @property
    def currency(self) -> str:
        """The catalog's usual currency ("" if none is given)."""
        usual = Counter(p.currency for p in self.products if p.currency).most_common(1)
        return usual[0][0] if usual else ""

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.category for p in self.products if p.category))

    @classmethod
    def from_file(cls, path: str | Path) -> "Catalog":
        """Read a CSV or JSON catalog; InputError (with a hint) when it cannot be used."""
        p = Path(path).expanduser()
        return cls(_rows_to_products(_read_rows(p), p.name), source=p.name)

    def save(self, folder: str | Path) -> Path:
        """Write ``folder/catalog.json`` atomically (a crash leaves the old catalog intact)."""
        dest = Path(folder) / CATALOG_FILE
        write_json_atomic(dest, {"schema": SCHEMA_VERSION, "source": self.source,
                                 "products": [p.to_dict() for p in self.products]})
        return dest

    @classmethod
    def load(cls, folder: str | Path) -> "Catalog | None":
        """The catalog saved in a persona folder, or None when the persona has none."""
        path = Path(folder) / CATALOG_FILE
        if not path.is_file():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls([Product.from_dict(d) for d in data["products"]], source=str(data.get("source", "")))
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"the saved catalog {str(path)!r} is damaged ({exc})",
                             "set it again: digihuman persona catalog NAME --file products.csv") from exc
