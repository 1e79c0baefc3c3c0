"""Second development round for the sales assistant (NOT the held-out set): a coffee-equipment shop
in JSON, written after round 1 was tuned, so its first score is a fairer estimate. Run:
PYTHONPATH=src python benchmarks/dev/sales_dev2.py
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):  # as the CLI does, before numpy
    os.environ.setdefault(_var, "1")

import sys
from pathlib import Path

from digihuman.sales import Catalog

sys.path.insert(0, str(Path(__file__).parent))
from sales_dev import score  # noqa: E402

CASES = [
    (["How much is the Barista Pro X?"], "en", ("answer", ["1,950,000 won"], [])),
    (["whats the cost of the brio espreso machine"], "en", ("answer", ["890,000 won"], [])),
    (["Is the Brio Mini available at the moment?"], "en", ("answer", ["out of stock"], [])),
    (["Does the Barista Pro X have a grinder built in?"], "en", ("answer", ["built-in grinder"], [])),
    (["What colour is the Pour-Over Kettle?"], "en", ("answer", ["matte black"], [])),
    (["How long is the warranty on the Electric Grinder?"], "en", ("answer", ["1 year"], [])),
    (["What's the warranty on the Travel Press?"], "en", ("decline", ["warranty"], ["year"])),
    (["How many cups does the Barista Pro X make?"], "en", ("decline", ["cups"], [])),
    (["Is the Classic Kettle cordless?"], "en", ("decline", ["cordless"], ["Yes"])),
    (["Do you sell coffee beans?"], "en", ("decline", ["coffee beans"], [])),
    (["Which grinders do you have?"], "en", ("answer", ["Hand Grinder H2", "Electric Grinder E5"], [])),
    (["Any espresso machines below 1 million won?"], "en", ("answer", ["Brio Espresso Machine", "Brio Mini"], ["Barista"])),
    (["What's the cheapest kettle you've got?"], "en", ("answer", ["Classic Kettle", "59,000 won"], [])),
    (["show me brewers under 50,000 won that are in stock"], "en", ("answer", ["Cold Brew Jar", "Travel Press"], ["Drip"])),
    (["Compare the Brio Espresso Machine with the Barista Pro X"], "en", ("answer", ["1,060,000 won", "dual boiler"], [])),
    (["I go camping a lot, what would you recommend for coffee outdoors?"], "en", ("answer", ["Hand Grinder H2"], [])),
    (["I want to make lattes at home, budget 1 million won"], "en", ("answer", ["Brio Espresso Machine"], ["Barista"])),
    (["Something to keep my coffee hot while commuting?"], "en", ("answer", ["Travel Press"], [])),
    (["Which kettles do you have?", "Which one is cheaper?"], "en", ("answer", ["Classic Kettle is cheaper"], [])),
    (["Tell me about the Electric Grinder E5", "is it noisy?"], "en", ("answer", ["quiet motor"], [])),
    (["How much is the Milk Frother?", "Is it dishwasher safe?"], "en", ("answer", ["dishwasher-safe"], [])),
    (["What's the most expensive espresso machine?", "and the cheapest?"], "en", ("answer", ["Brio Mini"], [])),
    (["Hi there, lovely weather today!"], "en", None),
    (["I had a great cup of coffee this morning."], "en", None),
    (["Where is your shop?"], "en", None),
    (["Barista Pro X 가격 알려주세요"], "ko", ("answer", ["1,950,000원"], [])),
    (["10만원 이하 주전자 있나요?"], "ko", ("answer", ["Classic Kettle"], ["Pour-Over"])),
    (["Brio Mini 재고 있어요?"], "ko", ("answer", ["품절"], [])),
]

if __name__ == "__main__":
    sys.exit(score(Catalog.from_file(Path(__file__).parent / "sales_dev2.json"), CASES, []))
