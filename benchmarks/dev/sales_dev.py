"""Development set for the sales assistant (NOT the held-out evaluation): a furniture shop.

A different shop and different column names than the tests (which use electronics), with
paraphrases, typos, British spellings, follow-ups and Korean. Prints the share of checks passed
per kind and any failure. Run:  PYTHONPATH=src python benchmarks/dev/sales_dev.py
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):  # as the CLI does, before numpy
    os.environ.setdefault(_var, "1")

import re
import sys
import tempfile
from pathlib import Path

from digihuman.dialog.types import Turn
from digihuman.sales import Catalog, LeadStore, answer_catalog, lead_step

FURNITURE = """Item,Type,Price (KRW),In Stock,Material,Colour,Dimensions,Description
Oslo 3-Seater Sofa,sofa,"1,490,000",3,linen,oatmeal,220 x 95 cm,removable washable covers; feather cushions; solid oak legs
Oslo 2-Seater Sofa,sofa,"1,090,000",0,linen,oatmeal,170 x 95 cm,removable washable covers; feather cushions
Bergen Corner Sofa,sofa,"2,350,000",1,velvet,forest green,280 x 200 cm,reversible chaise; pocket-sprung seats
Lund Armchair,armchair,"459,000",8,boucle,cream,80 x 82 cm,swivel base; compact for small flats
Hana Dining Table,dining table,"890,000",5,walnut,natural walnut,180 x 90 cm,seats six; extendable to 240 cm
Mini Round Table,dining table,"329,000",12,ash,white,90 cm diameter,seats four; fits small kitchens
Seoul Dining Chair,chair,"129,000",40,oak,black,45 x 52 cm,stackable; wipe-clean seat
Nordic Office Chair,chair,"389,000",6,mesh,grey,65 x 65 cm,adjustable lumbar support; height adjustable; 5-year frame guarantee
Standing Desk Pro,desk,"749,000",4,bamboo,natural,140 x 70 cm,electric height adjustment; memory presets; cable tray
Study Desk,desk,"219,000",15,pine,white,110 x 55 cm,two drawers; easy flat-pack assembly
Cloud Queen Bed,bed,"1,190,000",2,upholstered fabric,light grey,160 x 200 cm,storage drawers underneath; padded headboard
Cloud Single Bed,bed,"690,000",0,upholstered fabric,light grey,100 x 200 cm,storage drawers underneath
Tall Bookcase,shelving,"259,000",9,oak veneer,oak,80 x 200 cm,five adjustable shelves; wall anchor included
Cube Shelf,shelving,"99,000",25,particleboard,white,77 x 77 cm,four cubes; fits storage boxes
Moon Floor Lamp,lighting,"179,000",11,brass,gold,160 cm tall,dimmable warm light; foot switch
Pebble Rug,rug,"349,000",7,wool,sand,200 x 300 cm,hand-tufted; suitable for underfloor heating
"""

# (messages, lang, expected): expected is ("answer", must contain, must not contain), ("decline", ...) or None.
# The last message of each conversation is checked; earlier ones are its history.
CASES = [
    # look-up: price, stock, attributes, typos, partial names
    (["How much is the Oslo 3-Seater Sofa?"], "en", ("answer", ["1,490,000 won"], [])),
    (["whats the price of the bergen corner sofa"], "en", ("answer", ["2,350,000 won"], [])),
    (["How much does the Nordik office chair cost?"], "en", ("answer", ["389,000 won"], [])),
    (["price of the Lund armchiar?"], "en", ("answer", ["459,000 won"], [])),
    (["Is the Oslo 2-Seater in stock?"], "en", ("answer", ["out of stock"], ["in stock ("])),
    (["Have you got the Cloud Queen Bed available?"], "en", ("answer", ["2 left"], [])),
    (["What colour is the Bergen Corner Sofa?"], "en", ("answer", ["forest green"], [])),
    (["What is the Hana Dining Table made of?"], "en", ("answer", ["walnut"], [])),
    (["How big is the Pebble Rug?"], "en", ("answer", ["200 x 300 cm"], [])),
    (["Does the Standing Desk Pro have memory presets?"], "en", ("answer", ["memory presets"], [])),
    (["Can the Hana table be extended?"], "en", ("answer", ["240 cm"], [])),
    (["Does the Lund Armchair swivel?"], "en", ("answer", ["swivel"], [])),
    (["Tell me about the Moon lamp"], "en", ("answer", ["179,000 won", "dimmable"], [])),
    # honest declines
    (["How long is the delivery time for the Oslo 3-Seater Sofa?"], "en", ("decline", ["delivery"], ["day"])),
    (["Is the Study Desk waterproof?"], "en", ("decline", ["waterproof"], ["Yes"])),
    (["What's the weight limit of the Nordic Office Chair?"], "en", ("decline", ["weight limit"], ["kg"])),
    (["Do you sell outdoor furniture?"], "en", ("decline", ["outdoor"], [])),
    (["Do you have any wardrobes?"], "en", ("decline", ["wardrobes"], [])),
    # filters
    (["Any sofas under 1.5 million won?"], "en", ("answer", ["Oslo 3-Seater Sofa", "Oslo 2-Seater Sofa"], ["Bergen"])),
    (["Which desks do you have for less than 300,000 won?"], "en", ("answer", ["Study Desk"], ["Standing Desk Pro"])),
    (["What's your cheapest bed?"], "en", ("answer", ["Cloud Single Bed", "690,000 won"], [])),
    (["what is the most expensive sofa"], "en", ("answer", ["Bergen Corner Sofa"], [])),
    (["Show me chairs between 100,000 and 400,000 won"], "en", ("answer", ["Seoul Dining Chair", "Nordic Office Chair"], [])),
    (["Which beds are in stock?"], "en", ("answer", ["Cloud Queen Bed"], ["Cloud Single Bed ("])),
    (["Have you got any bookshelves?"], "en", ("answer", ["Tall Bookcase"], [])),
    (["I'm after a couch for about 1 million won"], "en", ("answer", ["Oslo 2-Seater Sofa"], ["Bergen"])),
    # compare
    (["What's the difference between the Oslo 3-Seater Sofa and the Bergen Corner Sofa?"], "en",
     ("answer", ["860,000 won", "velvet"], [])),
    (["Study Desk vs Standing Desk Pro?"], "en", ("answer", ["530,000 won", "electric height adjustment"], [])),
    # recommend
    (["I need a desk for my back, something I can stand at. Budget 800,000 won."], "en", ("answer", ["Standing Desk Pro"], [])),
    (["Can you recommend something for a small flat? I have about 500,000 won."], "en",
     ("answer", ["Lund Armchair"], [])),
    (["I'm looking for a bed with storage"], "en", ("answer", ["Cloud Queen Bed"], ["Cloud Single Bed"])),
    # follow-ups
    (["Do you have any dining tables?", "How much is the second one?"], "en", ("answer", ["890,000 won"], [])),
    (["Tell me about the Oslo 3-Seater Sofa", "Is it in stock?"], "en", ("answer", ["3 left"], [])),
    (["Tell me about the Oslo 3-Seater Sofa", "Anything cheaper?"], "en", ("answer", ["Oslo 2-Seater Sofa"], [])),
    (["Compare the Study Desk and the Standing Desk Pro", "Which one is cheaper?"], "en",
     ("answer", ["Study Desk is cheaper"], [])),
    (["What's your cheapest chair?", "and the most expensive one?"], "en", ("answer", ["Nordic Office Chair"], [])),
    (["How much is the Moon Floor Lamp?", "What colour is it?"], "en", ("answer", ["gold"], [])),
    # not about the catalog
    (["Good morning! How are you today?"], "en", None),
    (["My sister is moving to Busan next month."], "en", None),
    (["Tell me about the Oslo 3-Seater Sofa", "Thanks, I'll think about it."], "en", None),
    (["What are your opening hours?"], "en", None),
    # Korean
    (["오슬로 3인용 소파 말고 Oslo 3-Seater Sofa 가격이 얼마예요?"], "ko", ("answer", ["1,490,000원"], [])),
    (["50만원 이하 의자 있어요?"], "ko", ("answer", ["Seoul Dining Chair", "Nordic Office Chair"], [])),
    (["제일 싼 침대는 뭐예요?"], "ko", ("answer", ["Cloud Single Bed"], [])),
    (["Study Desk 재고 있나요?"], "ko", ("answer", ["15개"], [])),
    (["Lund Armchair와 Oslo 2-Seater Sofa 비교해 주세요"], "ko", ("answer", ["631,000원"], [])),
]

LEAD_DIALOGS = [
    # (user, messages, lang, interest, expect stored name or None)
    ("u1", ["I'd like to buy the Oslo 3-Seater Sofa", "Yes, that's fine", "My name is Jane Park", "jane.park@example.com", "yes"],
     "en", "Oslo 3-Seater Sofa", "Jane Park"),
    ("u2", ["Could somebody give me a call about the beds?", "no", ], "en", "", None),
    ("u3", ["How do I order the Standing Desk Pro?", "ok", "Min-jun Lee", "010 2345 6789", "Yes please"], "en", "", "Min-jun Lee"),
    ("u4", ["I want to purchase two chairs", "sure", "Kim", "kim[at]mail", "never mind"], "en", "", None),
    ("u5", ["이 침대 구매하고 싶어요", "네 좋아요", "박서연입니다", "seoyeon@example.kr", "네"], "ko", "", "박서연"),
    ("u6", ["상담 받고 싶어요", "아니요"], "ko", "", None),
    ("u7", ["I bought a sofa from you last year and love it"], "en", "", None),
]


def _run_case(catalog, messages, lang):
    history = []
    answer = None
    for m in messages:
        answer = answer_catalog(m, catalog, history=history, lang=lang)
        history += [Turn(0, "dev", "user", m, ""), Turn(0, "dev", "persona", answer.text if answer else "I see.", "")]
    return answer


def _numbers_ok(text: str, catalog: Catalog) -> bool:
    """Every number in the reply is in the catalog, or a price difference / limit the user gave."""
    allowed = set(re.findall(r"\d[\d,.]*\d|\d", " ".join(
        f"{p.name} {p.price:,.0f} {p.stock} {' '.join(p.features)} {' '.join(p.attrs.values())}"
        for p in catalog.products)))
    prices = [p.price for p in catalog.products if p.price is not None]
    diffs = {f"{abs(a - b):,.0f}" for a in prices for b in prices}
    counts = {str(i) for i in range(len(catalog.products) + 1)}  # "We have 4 laptops"
    return all(n in allowed or n in diffs or n in counts or n.endswith(",000") for n in re.findall(r"\d[\d,.]*\d|\d", text))


def score(catalog: Catalog, cases, lead_dialogs) -> int:
    """Run ``cases`` and ``lead_dialogs`` against ``catalog``; print failures and the scores."""
    tmp = Path(tempfile.mkdtemp())
    scores: dict[str, list[bool]] = {"answered right": [], "declined right": [], "left to the engine": [],
                                     "no invented numbers": []}
    for messages, lang, expected in cases:
        a = _run_case(catalog, messages, lang)
        if expected is None:
            ok = a is None
            scores["left to the engine"].append(ok)
        else:
            kind, must, must_not = expected
            status_ok = a is not None and (a.status == "answered" if kind == "answer" else a.status in ("declined", "partial"))
            ok = status_ok and all(m in a.text for m in must) and not any(m in a.text for m in must_not)
            scores["answered right" if kind == "answer" else "declined right"].append(ok)
        if a is not None:
            scores["no invented numbers"].append(_numbers_ok(a.text, catalog))
        if not ok:
            print(f"FAIL {messages[-1]!r}: {a.status + ': ' + a.text if a else None}  (expected {expected})")
    if lead_dialogs:
        store = LeadStore(tmp)
        lead_ok = []
        for user, msgs, lang, interest, name in lead_dialogs:
            replies = [lead_step(m, user, store, lang=lang, interest=interest) for m in msgs]
            stored = [ld.name for ld in store.list(user)]
            ok = stored == ([name] if name else []) and all(r is not None for r in replies[:-1] if name or len(msgs) > 1)
            lead_ok.append(ok)
            if not ok:
                print(f"FAIL lead {user}: stored {stored}, replies {replies}")
        scores["lead dialogs right"] = lead_ok
    for k, v in scores.items():
        print(f"{k:22s} {sum(v):3d}/{len(v):<3d} {100 * sum(v) / max(1, len(v)):5.1f} %")
    return 0


def main() -> int:
    tmp = Path(tempfile.mkdtemp())
    (tmp / "furniture.csv").write_text(FURNITURE, encoding="utf-8")
    return score(Catalog.from_file(tmp / "furniture.csv"), CASES, LEAD_DIALOGS)


if __name__ == "__main__":
    sys.exit(main())
