"""Fourth development round (NOT the held-out set): a plant shop with unusual column names
(Product Name, Section, Unit Price, Qty, Pet Safe...), written and scored once before any fix.
Run: PYTHONPATH=src python benchmarks/dev/sales_dev4_plants.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from sales_dev import score  # noqa: E402  (sets one BLAS thread before numpy loads)

from digihuman.sales import Catalog  # noqa: E402

CASES = [
    (["How much is the snake plant?"], "en", ("answer", ["22,000 won"], [])),
    (["whats the price on the montsera"], "en", ("answer", ["38,000 won"], [])),
    (["Have you got the Calathea in stock?"], "en", ("answer", ["out of stock"], [])),
    (["Is the spider plant safe for cats?"], "en", ("answer", ["Yes"], [])),
    (["Is the Monstera pet safe?"], "en", ("answer", ["no"], [])),
    (["How much light does the olive tree need?"], "en", ("answer", ["full sun"], [])),
    (["What size pot does the Monstera come in?"], "en", ("answer", ["17 cm"], [])),
    (["Does the lavender smell nice?"], "en", ("answer", ["fragrant"], [])),
    (["Which houseplants are pet safe?"], "en", ("answer", ["Calathea Orbifolia", "Spider Plant"], ["Monstera"])),
    (["Any plants under 15,000 won?"], "en", ("answer", ["Spider Plant", "Lavender"], ["Monstera"])),
    (["What's your cheapest pot?"], "en", ("answer", ["Self-Watering Pot"], [])),
    (["Compare the Ceramic Pot Large and the Self-Watering Pot"], "en", ("answer", ["15,000 won", "water reservoir"], [])),
    (["I travel a lot and forget to water, what would you suggest?"], "en", ("answer", ["Self-Watering Pot"], [])),
    (["I need a plant for a dark bathroom"], "en", ("answer", ["Snake Plant"], [])),
    (["Tell me about the olive tree", "Is it in stock?"], "en", ("answer", ["3 left"], [])),
    (["Do you have any pots?", "Which one is cheaper?"], "en", ("answer", ["Self-Watering Pot is cheaper"], [])),
    (["How tall does the Monstera grow?"], "en", ("decline", [], ["cm tall"])),
    (["Do you sell cactuses?"], "en", ("decline", ["cactuses"], [])),
    (["Do you do plant delivery?"], "en", None),
    (["My grandmother loved gardening."], "en", None),
    (["스네이크 플랜트 말고 Snake Plant 가격 알려 주세요"], "ko", ("answer", ["22,000원"], [])),
    (["2만원 이하 식물 있어요?"], "ko", ("answer", ["Spider Plant"], ["Monstera"])),
]

if __name__ == "__main__":
    sys.exit(score(Catalog.from_file(Path(__file__).parent / "sales_dev4_plants.csv"), CASES, []))
