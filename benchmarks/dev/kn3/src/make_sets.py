"""Writes the kn3 development sets (bench_mind.py format) into ../tune and ../check.

Every list below is split alternately: items 0, 2, 4... go to the tuning half, 1, 3, 5... to the
check half (looked at only to report figures, never while tuning).

    python benchmarks/dev/kn3/src/make_sets.py
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent


def A(q, *groups, forbid=(), turns=()):
    item = {"q": q, "expect": [list(g) if isinstance(g, (list, tuple)) else [g] for g in groups]}
    if forbid:
        item["forbid"] = list(forbid)
    if turns:
        item["turns"] = list(turns)
    return item


def U(q, *forbid, turns=()):
    item = {"q": q, "forbid": list(forbid)}
    if turns:
        item["turns"] = list(turns)
    return item


PLUMBER = dict(document="plumber.md", persona="Sam", answerable=[
    A("whats ur phone number?", "0113 496 0721"),
    A("Who owns the company now?", "Megan"),
    A("how long have you been in business?", "1998"),
    A("Are you open on saturday afternoons?", ["13:00", "1 pm", "1pm", "1:00"]),
    A("My boiler broke at 3am on a Sunday, can someone come out?", ["24 hours", "24/7", "07700 900 314"]),
    A("How much is it to get someone out in the evening?", "£120"),
    A("What do you charge per hour?", "£55"),
    A("How much would a boiler service plus a gas safety cert cost me?", "£130"),
    A("Do you work in Harrogate?", ["yes", "Harrogate"]),
    A("do you cover york?", ["not", "don't"], forbid=["yes"]),
    A("Can I pay with a cheque?", ["not", "no,", "no."]),
    A("Can I pay by credit card?", ["card"]),
    A("is there a warranty on repairs?", ["12-month", "12 month"]),
    A("how long would a new bathroom take to fit?", "5 to 7"),
    A("do you put in solar panels?", ["not", "don't"], forbid=["yes"]),
    A("How quickly can you get here in an emergency?", "2 hours"),
    A("What's the cost of fixing a leaky faucet?", "£65"),
    A("How much is a new combi boiler?", "£2,400"),
    A("Are your engineers gas safe registered?", ["554120", "yes"]),
    A("Do I have to pay a deposit for a new bathroom?", "20%"),
    A("Is there a charge if I cancel at the last minute?", "£30"),
    A("where is your office located", "Millbrook"),
    A("how many plumbers work for you?", ["six", "6"]),
    A("do you repair oil boilers?", ["not", "don't"], forbid=["yes"]),
    A("when is the office open on weekdays?", "8:00", "17:30"),
    A("and a gas safety certificate?", "£70", turns=["How much is a boiler service?"]),
    A("and on bank holidays?", "closed", turns=["When is your office open on Saturday?"]),
    A("What's your email and do you take credit cards?", "help@brightwaterplumbing.co.uk", "card"),
    A("If I ring the office at 6pm on a Tuesday will anyone answer?", ["17:30", "5:30"]),
    A("What would two boiler services cost?", "£170"),
    A("whats the emergancy number", "07700 900 314"),
    A("Do you fit underfloor heating?", ["yes", "underfloor"]),
    A("how do I recognise your engineers at the door?", ["ID card", "blue uniform"]),
    A("Can I book on the internet?", ["online", "website"]),
    A("Is the first hour of labour charged on top of the call-out fee?", "included"),
    A("Can you rewire my kitchen?", ["apart from", "boilers and showers"], forbid=["yes"]),
], unanswerable=[
    U("How much does it cost to fit a new bathroom?", "£2,400", "£85", "£55"),
    U("Do you offer discounts for pensioners?", "yes"),
    U("Do you service air conditioning units?", "yes"),
    U("What's Megan's mobile number?", "0113 496 0721", "07700 900 314"),
    U("What's your fax number?", "0113 496 0721", "07700 900 314"),
    U("Do you accept Apple Pay?", "yes"),
    U("How much does it cost to fit a radiator?", "£60", "£55", "£85", "£65"),
    U("Do you have a WhatsApp number?", "0113 496 0721", "07700 900 314"),
    U("What brand of boilers do you install?"),
    U("How long does a boiler service take?", "2 hours", "5 to 7", "2 working days"),
    U("How many vans do you have?", "six", "6"),
    U("Can I pay for a new boiler in monthly instalments?", "yes", "20%"),
    U("Where can I park when I visit your office?"),
    U("How much is it to unblock a drain?", "£65", "£2,400"),
    U("Do you fit kitchens as well?", "yes", "5 to 7"),
    U("What's your VAT number?", "554120"),
    U("When was Megan born?", "1998"),
    U("Do your engineers speak Polish?", "yes"),
])

GUESTHOUSE = dict(document="guesthouse.md", persona="Fiona", answerable=[
    A("How much is a double for one night?", "£110"),
    A("is breakfast included in the price?", ["yes", "including breakfast", "includes breakfast", "including"]),
    A("Can I bring my dog?", ["£10", "welcome"]),
    A("We have 3 dogs, can they all stay with us?", ["two", "2"]),
    A("Can I bring my cat along?", ["not allowed", "no"], forbid=["yes"]),
    A("What time can we arrive?", ["15:00", "3 pm", "3pm"]),
    A("whats the latest we can check out", ["10:30", "12:00"]),
    A("how much to check out late?", "£15"),
    A("Do you do evening meals?", ["Friday", "£28"]),
    A("Can we have dinner on a Tuesday?", "Friday"),
    A("when's breakfast?", "7:30"),
    A("is there a vegan option at breakfast", "vegan"),
    A("how far is the train station?", ["25 minutes", "Pitlochry"]),
    A("Can you collect us from the station, and how much is it?", "£20"),
    A("is parking free?", ["free"]),
    A("Can I charge my electric car?", ["charging"]),
    A("how much is it to hire a kayak?", "£25"),
    A("Do you have bicycles?", ["bikes", "free"]),
    A("Is the wi-fi free?", ["free"]),
    A("Can I smoke in my room?", ["non-smoking"]),
    A("Do you take Amex?", ["not", "no"], forbid=["yes"]),
    A("What's your cancellation policy?", "7 days"),
    A("Are you open over New Year?", ["20 December", "5 January"]),
    A("Can I book a room for the 2nd of January?", ["5 January", "20 December"]),
    A("Does the family room have a bathtub?", ["bath"]),
    A("Does the double room have a bath?", "family room"),
    A("How much would two nights in a double cost?", "£220"),
    A("How many bedrooms have you got?", ["eight", "8"]),
    A("Who runs the place?", ["Fiona", "Callum"]),
    A("and the family room?", "£160", turns=["How much is a single room?"]),
    A("how much is that?", "£10", turns=["Do you allow dogs?"]),
    A("Is it cheaper in the winter?", "20%"),
    A("Can I stay just one night on a Saturday?", ["two nights", "2 nights"]),
    A("Do kids stay for free?", ["under 5", "under five"]),
    A("Can we get a cot for the baby?", ["cot", "no charge"]),
    A("What's your phone number and your email address?", "01887 830 492", "stay@heronlodge.scot"),
    A("Is there anything to see close by?", "Crannog"),
    A("Can you make us a packed lunch?", "£9"),
], unanswerable=[
    U("How much is a twin room?", "£110", "£75", "£160"),
    U("Do you have a swimming pool?", "yes"),
    U("Is there a lift?", "yes"),
    U("What time is dinner served?", "7:30", "9:30", "15:00", "21:00"),
    U("How much is a kayak for a full day?", "£50"),
    U("Are dogs allowed in the conservatory?", "yes"),
    U("Do you have electric bikes?", "yes"),
    U("Is there a bar?", "yes"),
    U("How long does the bus from Pitlochry take?", "25 minutes"),
    U("Do the rooms look out over the loch?", "yes"),
    U("What's the nearest airport?", "Pitlochry"),
    U("Do you sell gift vouchers?", "yes"),
    U("Can we have our wedding there?", "yes"),
    U("How much does it cost to get into the Crannog Centre?", "£25", "£20", "£9"),
    U("Is there a hairdryer in the room?", "yes"),
    U("What's the wifi password?"),
    U("Do the rooms have air conditioning?", "yes"),
    U("Is there a fridge in the bedrooms?", "yes"),
])

MUSIC = dict(catalog="music.csv", persona="Jin", answerable=[
    A("How much is the DP-10?", "690,000"),
    A("Is the Stage 88 in stock?", ["out of stock", "not in stock", "sold out", "none in stock", "no stock"]),
    A("What ukuleles do you sell?", "Soprano", "Tenor"),
    A("Which guitars are under 300,000 won?", "Folk", "Classic", forbid=["Strat", "Jumbo", "LP Custom"]),
    A("What's the cheapest electric guitar?", "Strat"),
    A("Compare the DP-10 and the DP-30", "690,000", "1,290,000"),
    A("I need a guitar for my 8-year-old daughter", "Classic 3/4"),
    A("Which keyboard has bluetooth?", "DP-30"),
    A("Is the Bass B4 available?", ["out of stock", "not in stock", "sold out", "none in stock", "no stock"]),
    A("What colour is the LP Custom?", "black"),
    A("What's the warranty on the DP-10?", "3 years"),
    A("How many watts is the Boom 20 practice amp?", "20"),
    A("Does the e-drum kit come with a stool?", ["yes", "stool included"]),
    A("What comes with the Folk guitar?", "gig bag"),
    A("How much would two Soprano ukuleles cost?", "138,000"),
    A("Anything with a built-in tuner?", "Jumbo", "Tenor"),
    A("Which digital pianos are in stock?", "DP-10", "DP-30"),
    A("What's the price of the cahon?", "99,000"),
    A("how much is that one?", "389,000", turns=["Tell me about the Vega Strat S1"]),
    A("and is it in stock?", ["2", "two", "in stock"], turns=["How much is the Boom 100?"]),
    A("What's the difference between the Soprano and the Tenor ukulele?", "69,000", "119,000"),
    A("Which is more expensive, the LP Custom or the E-Drum Kit?", "E-Drum"),
    A("Do you sell anything by Luna?", "Ukulele"),
    A("What's the most expensive thing you have?", "Stage 88"),
    A("Which electric guitars have humbuckers?", "LP Custom", forbid=["Strat"]),
    A("I'm looking for an amp under 200,000 won", "Boom 20", forbid=["Boom 100"]),
], unanswerable=[
    U("Do you sell violins?", "yes"),
    U("How much does the DP-10 weigh?", "kg"),
    U("Is the Folk guitar available left-handed?", "yes"),
    U("Have you got a saxophone?", "yes"),
    U("What wood is the Strat S1 made of?", "mahogany", "spruce", "birch"),
    U("Do you offer guitar lessons?", "yes"),
    U("Can I pay in instalments?", "yes"),
    U("How much is delivery for the drum kit?", "free"),
    U("When will the Stage 88 be back in stock?", "tomorrow", "next week"),
    U("Does the DP-30 have a metronome?", "yes"),
    U("What's the battery life of the Mini 25?", "hours"),
    U("Do you rent out instruments?", "yes"),
    U("Do you have any second-hand guitars?", "yes"),
    U("Is the Boom 100 waterproof?", "yes"),
])

KOREAN = dict(document="laundry_ko.md", persona="민지", answerable=[
    A("와이셔츠 한 장 세탁 얼마예요?", "3,000원"),
    A("정장 드라이 비용이 어떻게 되나요?", "12,000원"),
    A("토요일에 몇 시까지 해요?", "6시"),
    A("일요일에도 문 열어요?", ["쉽", "휴무", "닫"]),
    A("위치가 어디예요?", "성수동"),
    A("역에서 가까워요?", "3분"),
    A("패딩 세탁하면 며칠 걸려요?", "3일"),
    A("오늘 맡기면 오늘 찾을 수 있어요?", ["당일", "5,000원"]),
    A("배달도 돼요?", ["무료", "성수동"]),
    A("카카오페이 돼요?", ["네", "받습니다", "받아요"]),
    A("전화번호 알려주세요", "02-465-7788"),
    A("운동화 두 켤레 세탁하면 얼마예요?", "16,000원"),
    A("바지 기장 줄이는 데 얼마예요?", "7,000원"),
    A("이불 빨래 가격은요?", "20,000원"),
    A("사장님 성함이 뭐예요?", "김영호"),
    A("할인 같은 거 있어요?", "10%"),
    A("명품 가방도 세탁 돼요?", ["않", "안"]),
    A("옷을 안 찾아가면 얼마나 보관해 줘요?", "3개월"),
    A("평일 영업시간이 어떻게 돼요?", "8시", "9시"),
    A("언제부터 영업했어요?", "2005"),
    A("패딩은요?", "25,000원", turns=["와이셔츠 세탁 얼마예요?"]),
    A("수거 신청은 어떻게 해요?", "카카오톡"),
], unanswerable=[
    U("커튼 세탁 가격은 얼마예요?", "20,000원", "3,000원"),
    U("주차할 곳이 있나요?", "네"),
    U("웨딩드레스도 세탁하나요?", "네"),
    U("신발 수선도 해요?", "7,000원"),
    U("점심시간이 있나요?", "네"),
    U("얼룩 제거 비용은 얼마예요?", "5,000원", "3,000원"),
    U("직원이 몇 명이에요?"),
])

# written after the first tuning round, for the tuning half only (the check half stays as it was)
EXTRA_TUNE = {
    "catalog_music.json": (
        [A("What's the cheapest ukulele?", "Soprano"),
         A("Do you have any acoustic guitars in stock?", "Folk", "Jumbo"),
         A("Which is cheaper, the Strat S1 or the Jumbo?", "Strat"),
         A("What drums do you sell?", "E-Drum"),
         A("how much r the luna ukuleles", "69,000", "119,000"),
         A("I'd like a keyboard with drum pads", "Mini 25"),
         A("What's the warranty on the Boom amps?", "2 years"),
         A("Which products are made by Vega?", "Strat", "LP Custom"),
         A("Is the Tenor ukulele in stock?", ["11", "in stock"]),
         A("What colour is the DP-30?", "white"),
         A("Recommend something for a beginner drummer under 1,000,000 won", ["E-Drum", "Cajon"]),
         A("What's the price difference between the DP-10 and the DP-30?", "600,000")],
        [U("Do you sell pianos made by Yamaha?", "yes"),
         U("Is the LP Custom a left-handed guitar?", "yes"),
         U("How long does delivery take?", "days"),
         U("Does the Jumbo come with a hard case?", "yes"),
         U("What strings does the Strat S1 use?", "nylon")]),
    "knowledge_plumber.json": (
        [A("what time does the office shut on friday", "17:30"),
         A("Can you come on a Saturday morning?", ["9:00", "Saturday"]),
         A("How much is a gas safety cert?", "£70"),
         A("Which towns do you cover?", ["Wakefield", "Harrogate"])],
        [U("Do you clean gutters?", "yes"),
         U("How much is a new radiator?", "£60", "£85"),
         U("Do you charge VAT on top?", "yes")]),
    "knowledge_guesthouse.json": (
        [A("Is the family room big enough for 4 people?", ["four", "4"]),
         A("Do I need to pay a deposit?", "one night"),
         A("Can we leave our bags after checking out?", "luggage"),
         A("What time does check in finish?", "21:00")],
        [U("Do you have a spa?", "yes"),
         U("How much is a single room in winter?", "£60")]),
}
SETS = {"knowledge_plumber.json": PLUMBER, "knowledge_guesthouse.json": GUESTHOUSE,
        "catalog_music.json": MUSIC, "korean.json": KOREAN}


def half(spec: dict, part: int) -> dict:
    out = {k: v for k, v in spec.items() if k not in ("answerable", "unanswerable")}
    out["answerable"] = spec["answerable"][part::2]
    out["unanswerable"] = spec["unanswerable"][part::2]
    return out


def main() -> None:
    for part, name in ((0, "tune"), (1, "check")):
        folder = HERE.parent / name
        folder.mkdir(exist_ok=True)
        sizes = {}
        for fname, spec in SETS.items():
            data = half(spec, part)
            if part == 0 and fname in EXTRA_TUNE:
                data["answerable"] += EXTRA_TUNE[fname][0]
                data["unanswerable"] += EXTRA_TUNE[fname][1]
            if fname == "korean.json":
                data["memory"] = {"sessions": [], "probes": []}  # knowledge only: memory is another helper's
            (folder / fname).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
            shutil.copy(HERE / spec.get("document", spec.get("catalog")), folder)
            sizes[fname] = (len(data["answerable"]), len(data["unanswerable"]))
        print(name, "(answerable, unanswerable):", sizes)


if __name__ == "__main__":
    main()
