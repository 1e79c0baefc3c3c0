"""The sales assistant on a real electronics shop catalog: look-up, filters, compare, recommend,
follow-ups, honest declines, the consent-first lead dialog, and the CLI around both."""

from __future__ import annotations

import csv
import json
import re

import pytest

from conftest import DATA
from digihuman.cli import main
from digihuman.dialog.types import Turn
from digihuman.errors import InputError
from digihuman.sales import Catalog, LeadStore, answer_catalog, is_catalog_file, lead_step
from digihuman.sales.catalog import parse_price
from digihuman.sales.prices import price_limits

CATALOG = DATA / "catalog"


@pytest.fixture(scope="module")
def shop() -> Catalog:
    return Catalog.from_file(CATALOG / "electronics.csv")


def ask(shop, message, history=(), lang="en"):
    return answer_catalog(message, shop, history=history, lang=lang)


def talk(shop, *messages, lang="en"):
    """Answers to consecutive messages, each seeing the previous turns as history."""
    history, out = [], []
    for m in messages:
        a = ask(shop, m, history, lang)
        out.append(a)
        history += [Turn(0, "u", "user", m, ""), Turn(0, "u", "persona", a.text if a else "I see.", "")]
    return out


# ---- reading catalogs ----------------------------------------------------------------------------
def test_csv_rows_are_typed(shop):
    assert len(shop) == 20 and shop.currency == "KRW"
    aero = shop.products[0]
    assert (aero.name, aero.price, aero.currency, aero.stock, aero.category, aero.brand) == (
        "Aero 14", 1290000.0, "KRW", 4, "laptop", "Hanbit")
    assert aero.features == ("lightweight aluminium body", "18-hour battery", "backlit keyboard", "fingerprint reader")
    assert aero.attrs == {"weight": "1.1 kg", "warranty": "2 years"}
    fold = next(p for p in shop.products if p.name == "Nova Fold 2")
    assert "warranty" not in fold.attrs  # an empty cell is no value


def test_json_variant_with_other_column_names():
    cat = Catalog.from_file(CATALOG / "electronics.json")
    by_name = {p.name: p for p in cat.products}
    assert by_name["StudyMate 15"].price == 459000 and by_name["StudyMate 15"].currency == "KRW"
    assert by_name["한빛 무선 충전기"].price == 39000 and by_name["한빛 무선 충전기"].stock == 25
    assert by_name["QuietWave 700"].currency == "KRW"  # a bare number takes the catalog's currency
    assert by_name["Pebble Tab Mini"].stock == 0 and by_name["Aero 14"].attrs["colour"] == "silver"
    a = ask(cat, "What colour is the Aero 14?")
    assert a.status == "answered" and "silver" in a.text


@pytest.mark.parametrize("raw, expected", [
    (459000, (459000.0, "")), ("459,000", (459000.0, "")), ("₩459,000", (459000.0, "KRW")),
    ("459,000 won", (459000.0, "KRW")), ("39,000원", (39000.0, "KRW")), ("$12.50", (12.5, "USD")),
    ("€1,299.99", (1299.99, "EUR")), ("call us", (None, "")),
])
def test_price_formats(raw, expected):
    assert parse_price(raw) == expected


@pytest.mark.parametrize("text, limits", [
    ("laptops under 500,000 won", (None, 500000)), ("anything below 500k?", (None, 500000)),
    ("50만원 이하 노트북", (None, 500000)), ("100만 원 이상", (1000000, None)),
    ("between 1 and 2 million won", (1000000, 2000000)), ("20만원에서 40만원 사이", (200000, 400000)),
    ("a 27-inch monitor with 8 GB", (None, None)), ("my budget is $800", (None, 800)),
])
def test_price_limits(text, limits):
    assert price_limits(text) == limits


def test_catalog_file_is_told_from_a_faq():
    assert is_catalog_file(CATALOG / "electronics.csv") and is_catalog_file(CATALOG / "electronics.json")
    assert not is_catalog_file(CATALOG / "faq_not_catalog.csv")
    assert not is_catalog_file(CATALOG / "no_price.csv") and not is_catalog_file(CATALOG / "missing.csv")


@pytest.mark.parametrize("name, words", [
    ("no_name.csv", "no product name column"), ("empty.csv", "no product rows"), ("latin1.csv", "not UTF-8"),
    ("missing.csv", "does not exist"),
])
def test_bad_catalog_files(name, words):
    with pytest.raises(InputError) as err:
        Catalog.from_file(CATALOG / name)
    assert words in err.value.message and err.value.hint


def test_oversized_and_malformed_json(tmp_path):
    big = tmp_path / "big.csv"
    big.write_text("name,price\n" + "x,1\n" * 1_400_000)
    with pytest.raises(InputError, match="5 MB"):
        Catalog.from_file(big)
    bad = tmp_path / "bad.json"
    bad.write_text('{"products": [{"name": "a"}')
    with pytest.raises(InputError, match="not valid JSON"):
        Catalog.from_file(bad)


def test_save_and_load_in_the_persona_folder(shop, tmp_path):
    assert Catalog.load(tmp_path) is None
    shop.save(tmp_path)
    again = Catalog.load(tmp_path)
    assert again.products == shop.products and again.source == "electronics.csv"
    assert [p.attrs for p in again.products] == [p.attrs for p in shop.products]
    assert not list(tmp_path.glob("*.partial*"))


# ---- look-up ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("message, expected", [
    ("How much is the Aero 14?", "1,290,000 won"),
    ("what does the studymat 15 cost", "459,000 won"),  # typo
    ("Price of the Qiuetwave headphones?", "279,000 won"),  # typo, partial name
    ("how much for the Fold?", "2,390,000 won"),  # one distinctive word of the name
    ("What's the price of the nova x5 please", "1,150,000 won"),
])
def test_price_lookup(shop, message, expected):
    a = ask(shop, message)
    assert a.status == "answered" and a.topic == "price" and expected in a.text


def test_stock_and_attributes(shop):
    assert "12 left" in ask(shop, "Is the StudyMate 15 in stock?").text
    out = ask(shop, "Do you have the Nuri Book Air 13 available?")
    assert "out of stock" in out.text and "Nuri Book Air 13" in out.text
    assert "1.9 kg" in ask(shop, "How heavy is the Aero 16 Pro?").text
    assert "3 years" in ask(shop, "What warranty does the Clara 27 come with?").text
    assert "Hanbit" in ask(shop, "Who makes the Glide Mouse?").text


def test_attribute_values_and_named_products_under_a_price(tmp_path):
    path = tmp_path / "clothes.csv"
    path.write_text('name,category,price,stock,sizes,colours\n'
                    'Harbour Raincoat,jacket,"189,000 won",6,"S, M, L, XL","navy, yellow"\n'
                    'Merino Crew Jumper,knitwear,"129,000 won",0,"S, M, L","grey, oatmeal, forest green"\n'
                    'Trail Hiking Boots,shoes,"249,000 won",3,240-290 mm,brown\n', encoding="utf-8")
    cat = Catalog.from_file(path)
    a = ask(cat, "Do you have the merino jumper in green?")
    assert "forest green" in a.text and "out of stock" in a.text
    assert ask(cat, "What sizes does the Harbour Raincoat come in?").text.endswith("S, M, L, XL.")
    assert "Boots' colours: brown" in ask(cat, "Do the hiking boots come in brown?").text
    assert ask(cat, "Is the Harbour Raincoat available in red?").status == "declined"
    a = ask(cat, "Any jumpers under 150,000 won?")
    assert [p.name for p in a.products] == ["Merino Crew Jumper"] and "under 150,000 won" in a.text


def test_yes_no_columns_and_a_word_for_two_sections(tmp_path):
    path = tmp_path / "plants.csv"
    path.write_text('Product Name,Section,Unit Price,Qty,Light,Pet Safe\n'
                    'Monstera,houseplant,"₩38,000",14,bright indirect,no\n'
                    'Spider Plant,houseplant,"₩12,000",25,bright indirect,yes\n'
                    'Lavender,outdoor plant,"₩9,500",40,full sun,yes\n'
                    'Clay Pot,pot,"₩8,000",9,,\n', encoding="utf-8")
    cat = Catalog.from_file(path)
    assert ask(cat, "Is the spider plant safe for cats?").text == "Yes, the Spider Plant is listed as pet safe."
    assert ask(cat, "Is the Monstera pet safe?").text.startswith("No, the Monstera is not listed as pet safe")
    assert "full sun" in ask(cat, "How much light does the lavender need?").text
    assert [p.name for p in ask(cat, "Which houseplants are pet safe?").products] == ["Spider Plant"]
    a = ask(cat, "Any plants under 15,000 won?")  # houseplants and outdoor plants, not the pot
    assert [p.name for p in a.products] == ["Lavender", "Spider Plant"]


def test_ambiguous_partial_name_answers_for_each(shop):
    a = ask(shop, "How much is the Aero?")
    assert "1,290,000 won" in a.text and "1,890,000 won" in a.text


def test_features_yes_and_honest_declines(shop):
    a = ask(shop, "Does the Nova X5 have wireless charging?")
    assert a.status == "answered" and a.text.startswith("Yes") and "wireless charging" in a.text
    a = ask(shop, "What's the battery life of the Aero 14?")
    assert "18-hour battery" in a.text
    a = ask(shop, "What's the battery life of the Aero 16 Pro?")
    assert a.status == "declined" and "don't have the battery life" in a.text and "hour" not in a.text
    a = ask(shop, "Does the Aero 14 have a touchscreen?")
    assert a.status == "declined" and a.text == "My catalog doesn't mention a touchscreen for the Aero 14."
    a = ask(shop, "Does the Nova X5 support fast charging?")  # close, not the same: say what is listed
    assert a.status == "partial" and "wireless charging" in a.text and not a.text.startswith("Yes")
    a = ask(shop, "What colour is the Aero 14?")
    assert a.status == "declined" and "colour" in a.text


def test_what_the_shop_sells(shop):
    a = ask(shop, "What do you sell?")
    assert a.topic == "overview" and "20 products" in a.text and "4 laptops" in a.text
    assert "laptop 4개" in ask(shop, "뭐 팔아요?", lang="ko").text
    assert ask(shop, "What do you recommend?").topic == "overview"  # no need stated yet: ask for it


@pytest.mark.parametrize("message", ["What time do you open?", "I love my dog, he's called Toto.",
                                     "Can I book a visit next week?", "Thanks, that was helpful!", "",
                                     "What's your name?", "Do you have a website?", "Do you have parking?"])
def test_not_about_the_catalog(shop, message):
    assert ask(shop, message) is None


# ---- filters ----------------------------------------------------------------------------------------
def test_filters(shop):
    a = ask(shop, "Do you have any laptops under 500,000 won?")
    assert [p.name for p in a.products] == ["StudyMate 15"] and "459,000 won" in a.text
    a = ask(shop, "Show me notebooks between 800,000 and 1.5 million won")  # a synonym of the category
    assert {p.name for p in a.products} == {"Nuri Book Air 13", "Aero 14"}
    a = ask(shop, "phones between 1 and 2 million won")
    assert [p.name for p in a.products] == ["Nova X5"]
    a = ask(shop, "What's the cheapest phone?")
    assert [p.name for p in a.products] == ["Nova A3"] and "329,000 won" in a.text
    a = ask(shop, "What's in stock?")
    for gone in ("Nuri Book Air 13", "Pebble Tab Mini", "Clara 34 Ultrawide"):
        assert gone in a.text
    assert "17 of our 20" in a.text
    a = ask(shop, "Any monitors in stock?")
    assert [p.name for p in a.products] == ["Clara 27"]
    a = ask(shop, "any laptops under 300,000 won?")
    assert "don't have any laptops under 300,000 won" in a.text and "StudyMate 15" in a.text
    a = ask(shop, "Do you sell any TVs?")
    assert a.status == "declined" and "TVs" in a.text and not a.products


def test_filter_by_listed_feature_and_suitability(shop):
    a = ask(shop, "Which phones have 5G?")
    assert [p.name for p in a.products] == ["Nova X5", "Nova Fold 2"] and "with 5G" in a.text
    a = ask(shop, "Which laptops have a touchscreen?")
    assert [p.name for p in a.products] == ["Nuri Book Air 13"]
    a = ask(shop, "Which tablets have GPS?")
    assert a.status == "declined" and not a.products
    a = ask(shop, "Is the Nova A3 a good phone for my mum?")  # no verdict invented, the facts instead
    assert a.status == "partial" and "your mum" in a.text and "329,000 won" in a.text


def test_korean_filters_and_lookup(shop):
    a = ask(shop, "50만원 이하 노트북 있어요?", lang="ko")
    assert [p.name for p in a.products] == ["StudyMate 15"] and "459,000원" in a.text
    a = ask(shop, "Aero 14 가격이 얼마예요?", lang="ko")
    assert a.text == "Aero 14는 1,290,000원이에요."
    a = ask(shop, "제일 싼 휴대폰은 뭐예요?", lang="ko")
    assert [p.name for p in a.products] == ["Nova A3"] and "휴대폰은" in a.text


def test_korean_catalog_headers_and_categories(tmp_path):
    path = tmp_path / "가전.csv"
    path.write_text("상품명,분류,가격,재고,특징\n미니 밥솥,밥솥,\"89,000원\",12,3인분; 예약 취사\n"
                    "IH 압력밥솥,밥솥,\"329,000원\",0,10인분\n무선 청소기 S9,청소기,\"459,000원\",6,60분 사용\n", encoding="utf-8")
    cat = Catalog.from_file(path)
    assert [(p.name, p.price, p.stock, p.category) for p in cat.products][0] == ("미니 밥솥", 89000.0, 12, "밥솥")
    a = ask(cat, "제일 싼 밥솥은 뭐예요?", lang="ko")
    assert [p.name for p in a.products] == ["미니 밥솥"] and "89,000원" in a.text
    a = ask(cat, "IH 압력밥솥 재고 있어요?", lang="ko")
    assert "품절" in a.text
    assert ask(cat, "냉장고 있어요?", lang="ko").status == "declined"
    assert ask(cat, "저는 강아지를 키워요.", lang="ko") is None


def test_another_shop_in_dollars():
    """The bakery's product CSV of the knowledge tests: single-word names that its descriptions reuse."""
    bakery = Catalog.from_file(DATA / "knowledge" / "products.csv")
    assert ask(bakery, "How much is a croissant?").text == "The Croissant costs $3.20."
    assert "$4.10" in ask(bakery, "how much are the cinamon rolls?").text
    a = ask(bakery, "What pastries do you have under $4?")
    assert [p.name for p in a.products] == ["Croissant", "Pain au chocolat"]
    assert "$0.60 cheaper" in ask(bakery, "Compare the croissant and the pain au chocolat").text
    assert [p.name for p in ask(bakery, "Which cakes are vegan?").products] == ["Banana bread"]
    assert ask(bakery, "Do you sell coffee?").status == "declined"


def test_a_bookshop_with_its_own_columns():
    """genre as the category, author/pages/publisher as attributes, titles that start with "The"."""
    books = Catalog.from_file(CATALOG / "books.csv")
    assert books.categories == ("novel", "programming", "cookbook", "travel")
    assert ask(books, "Who wrote The Silent Orchard?").text == "The author of The Silent Orchard is Mina Cho."
    assert "210" in ask(books, "What is the page count of the cookbook?").text  # one cookbook: that one
    assert ask(books, "How much is the python book?").text == "The Learning Python the Calm Way costs 32,000 won."
    a = ask(books, "Is Small Kitchen Big Flavour in stock?")
    assert a.status == "answered" and "out of stock" in a.text and "size" not in a.text
    assert [p.name for p in ask(books, "Any novels under 20,000 won?").products] == ["The Silent Orchard"]


# ---- compare and recommend ----------------------------------------------------------------------
def test_compare_two_products(shop):
    a = ask(shop, "What's the difference between the Nova X5 and the Nova A3?")
    assert a.topic == "compare" and [p.name for p in a.products] == ["Nova X5", "Nova A3"]
    assert "821,000 won cheaper" in a.text
    assert "Only the Nova X5 has triple camera" in a.text and "headphone jack" in a.text
    a = ask(shop, "Which is lighter, the Aero 14 or the StudyMate 15?")
    assert a.text.startswith("The Aero 14 is lighter") and "1.8 kg" in a.text


def test_recommend_from_needs(shop):
    a = ask(shop, "I'm looking for a laptop that's light for travel, up to 1.5 million won")
    assert a.topic == "recommend" and a.products[0].name == "Aero 14" and "lightweight" in a.text
    a = ask(shop, "I need a notebook for school, budget 1 million won")
    assert [p.name for p in a.products] == ["StudyMate 15"]  # the Nuri Book Air fits the budget but is sold out
    a = ask(shop, "Can you recommend headphones for long flights?")
    assert a.products[0].name == "QuietWave 700"


# ---- follow-ups -----------------------------------------------------------------------------------
def test_follow_ups_resolve_from_history(shop):
    listed, price, stock, second, cheaper = talk(
        shop, "Do you have any laptops under 1 million won?", "how much is the first one?", "is it in stock?",
        "and the second one?", "which one is cheaper?")
    assert [p.name for p in listed.products] == ["StudyMate 15", "Nuri Book Air 13"]
    assert price.products[0].name == "StudyMate 15" and "459,000 won" in price.text
    assert "12 left" in stock.text
    assert second.products[0].name == "Nuri Book Air 13" and "out of stock" in second.text
    assert cheaper.text.startswith("The StudyMate 15 is cheaper")
    about, it, alts, weather = talk(shop, "Tell me about the Nova X5", "How much is it?", "Any cheaper ones?",
                                    "What's the weather like today?")
    assert "1,150,000 won" in it.text and [p.name for p in alts.products] == ["Nova A3"]
    assert weather is None
    _, most = talk(shop, "What's the cheapest laptop?", "what about the most expensive one?")
    assert most.products[0].name == "Aero 16 Pro"


def test_no_invented_numbers(shop):
    """Every number in a reply is a catalog value (or a difference of two prices)."""
    allowed = set()
    for p in shop.products:
        allowed |= set(re.findall(r"\d[\d,.]*", f"{p.name} {p.price:,.0f} {p.stock} {' '.join(p.features)} "
                                                 f"{' '.join(p.attrs.values())}"))
    messages = ["How much is the Aero 14?", "Compare the Aero 14 and the Aero 16 Pro", "What's in stock?",
                "cheapest tablet?", "I need something light for travel, budget 1 million won",
                "What's the battery life of the Aero 16 Pro?", "monitors under 700,000 won", "Is the Snap M50 in stock?"]
    for m in messages:
        for n in re.findall(r"\d[\d,.]*\d|\d", ask(shop, m).text):
            assert n in allowed or n in {"600,000", "1,000,000", "700,000", "20", "17"}, (m, n)


# ---- leads ---------------------------------------------------------------------------------------
def run(store, user, *messages, lang="en", interest=""):
    return [lead_step(m, user, store, lang=lang, interest=interest) for m in messages]


def test_lead_flow_with_consent_survives_a_restart(tmp_path):
    store = LeadStore(tmp_path)
    ask_consent, ask_name = run(store, "jisu", "I'd like to buy the Aero 14.", "Yes, please.", interest="Aero 14")
    assert "May I take your name" in ask_consent and "Aero 14" in ask_consent and "name" in ask_name
    store.close()
    store = LeadStore(tmp_path / "leads.sqlite")  # a restart: the dialog goes on from disk
    ask_contact, bad, confirm, done = run(store, "jisu", "Jisu Kim", "jisu at example", "jisu.kim@example.com", "yes")
    assert "Jisu Kim" in ask_contact and "doesn't look like" in bad
    assert "jisu.kim@example.com" in confirm and "?" in confirm and "Done" in done
    [lead] = store.list("jisu")
    assert (lead.name, lead.contact, lead.contact_kind, lead.interest, lead.consent) == (
        "Jisu Kim", "jisu.kim@example.com", "email", "Aero 14", True)
    assert lead_step("How much is the Nova A3?", "jisu", store) is None  # the dialog is over


def test_refusal_and_cancel_store_nothing(tmp_path):
    store = LeadStore(tmp_path)
    offer, no = run(store, "tom", "Could someone call me about the monitors?", "No thanks.")
    assert "May I take" in offer and "won't take any details" in no
    _, _, _, cancel = run(store, "tom", "I want to order a Clara 27", "sure", "Tom", "actually, cancel that")
    assert "nothing was stored" in cancel
    *_, rather_not = run(store, "tom", "Please call me back", "ok", "I'd rather not give my name")
    assert "nothing was stored" in rather_not
    assert store.list() == [] and store.pending("tom") is None
    assert run(store, "tom", "I bought an Aero 14 last year", "I don't want to buy anything",
               "I need to buy a gift for my mum, any ideas?", "I want to get some sleep") == [None] * 4
    assert run(store, "tom", "연락처가 어떻게 돼요?", lang="ko") == [None]  # asks for ours, gives none
    with pytest.raises(InputError, match="consent"):
        store.add("tom", "Tom", "tom@example.com", "Clara 27", consent=False)
    with pytest.raises(InputError, match="phone number"):
        store.add("tom", "Tom", "call me maybe", "", consent=True)


def test_leads_are_per_user_and_exported(tmp_path):
    store = LeadStore(tmp_path)
    run(store, "ann", "I want to buy the Nova X5", "Sure, I'm Ann Lee")
    run(store, "bob", "Can you contact me?", "yes")
    assert store.pending("bob").step == "name" and store.pending("ann").step == "contact"
    run(store, "ann", "+82 10-1234-5678", "yes")
    run(store, "bob", "=HYPERLINK(1)", "Bob", "bob@example.org", "yes")  # "=..." is no name: asked again
    run(store, "minji", "구매하고 싶어요", "네", "김민지입니다", "010-9876-5432", "네", lang="ko")
    assert [ld.name for ld in store.list("ann")] == ["Ann Lee"] and store.list("ann")[0].contact_kind == "phone"
    assert [ld.name for ld in store.list("bob")] == ["Bob"]
    assert [ld.name for ld in store.list("minji")] == ["김민지"]
    out = tmp_path / "leads.csv"
    assert store.export_csv(out) == 3
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["name"] for r in rows] == ["Ann Lee", "Bob", "김민지"] and rows[0]["contact"] == "'+82 10-1234-5678"
    assert all(r["consent"] == "yes" for r in rows)
    assert store.forget("ann") == 1 and [ld.user for ld in store.list()] == ["bob", "minji"]
    with pytest.raises(InputError):
        store.list("../bob")


def test_yes_to_our_own_contact_offer_is_consent(tmp_path):
    store = LeadStore(tmp_path)
    offer = [Turn(0, "kim", "persona", "The Aero 14 costs 1,290,000 won. Shall our team contact you about it?", "")]
    assert "name" in lead_step("Yes please", "kim", store, history=offer, interest="Aero 14")
    assert lead_step("Yes please", "lee", store) is None  # no offer was made to lee: just a "yes"


def test_korean_lead_dialog_refusal(tmp_path):
    store = LeadStore(tmp_path)
    offer, no = run(store, "minji", "이 노트북 주문하고 싶어요", "아니요, 괜찮아요", lang="ko")
    assert "성함" in offer and "받지 않을게요" in no and store.list() == []


# ---- CLI -------------------------------------------------------------------------------------------
def test_cli_catalog_and_leads(tmp_path, capsys):
    home = str(tmp_path / "home")
    assert main(["--home", home, "-q", "persona", "create", "hana", "--photo", str(DATA / "obama2.jpg"),
                 "--catalog", str(CATALOG / "electronics.csv")]) == 0
    folder = tmp_path / "home" / "personas" / "hana"
    assert len(Catalog.load(folder)) == 20
    assert main(["--home", home, "-q", "persona", "catalog", "hana", "--file", str(CATALOG / "electronics.json")]) == 0
    assert len(Catalog.load(folder)) == 6
    capsys.readouterr()
    assert main(["--home", home, "persona", "catalog", "hana", "--file", str(CATALOG / "no_name.csv")]) == 2
    assert "no product name column" in capsys.readouterr().err and len(Catalog.load(folder)) == 6
    store = LeadStore(folder)
    run(store, "jisu", "I'd like to order the Aero 14", "yes", "Jisu", "jisu@example.com", "yes", interest="Aero 14")
    store.close()
    assert main(["--home", home, "-q", "leads", "list", "hana", "--json"]) == 0
    [lead] = json.loads(capsys.readouterr().out)
    assert (lead["name"], lead["contact"], lead["interest"]) == ("Jisu", "jisu@example.com", "Aero 14")
    out = tmp_path / "leads.csv"
    assert main(["--home", home, "-q", "leads", "export", "hana", "-o", str(out)]) == 0
    assert list(csv.DictReader(out.open()))[0]["contact"] == "jisu@example.com"
    assert main(["--home", home, "-q", "leads", "list", "nobody"]) == 2
    assert main(["--home", home, "-q", "leads", "forget", "hana", "--user", "jisu"]) == 0
    assert LeadStore(folder).list() == []
