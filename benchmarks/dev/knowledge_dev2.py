"""A fresh knowledge dev set written by the lead after held-out round 1 (a gym; not held-out: the
paraphrase back-off was then tuned on it). Prints answered and declined counts."""
import os, sys, tempfile, re
os.environ["OMP_NUM_THREADS"]="1"
from pathlib import Path
from digihuman.dialog.conversation import Conversation
from digihuman.dialog.types import Personality
conv = Conversation("Sam", Path(tempfile.mkdtemp()), Personality(0.5, "a friendly gym receptionist"))
conv.knowledge.add_file(Path(__file__).parent / "gym" / "gym.md")
QA = [
 ([], "whats the address of the gym?", ["48 Harbour"]),
 ([], "How late are you open on weekdays?", ["22:00"]),
 ([], "Are you open on sundays?", ["8:00"]),
 ([], "how much does it cost to join?", ["35", "no joining fee"]),
 ([], "Is there a discount for students?", ["25"]),
 ([], "How much for a single visit?", ["8"]),
 ([], "Can I pause my membership while I'm abroad?", ["frozen", "two months"]),
 ([], "how do I quit my membership?", ["30 days"]),
 ([], "When is yoga?", ["Tuesday", "19:00"]),
 (["When is yoga?"], "and spinning?", ["18:30"]),
 ([], "Do I have to reserve a spot for classes?", ["app"]),
 ([], "Are classes extra?", ["included"]),
 ([], "Do you provide towels?", ["towels"]),
 ([], "Is there a pool?", ["no swimming pool"]),
 ([], "Who are the personal trainers?", ["Jade"]),
 ([], "How much would 2 PT sessions cost?", ["80"]),
 ([], "Where can I park my car?", ["Harbour Road car park"]),
 ([], "Is the gym wheelchair accessible?", ["lift", "step-free"]),
 ([], "Can my 14 year old son come with me?", ["under 16"]),
 ([], "can i bring my dog", ["not allowed"]),
 ([], "Do you take cash?", ["not cash"]),
 ([], "Are you open at 7am on Saturday?", ["8:00"]),
 ([], "Are you open on Christmas?", ["closed"]),
 ([], "How much is a day pass and can I join a class with it?", ["8", "5"]),
 ([], "Is there a sauna?", ["no sauna"]),
 ([], "do you have wi-fi", ["wifi"]),
]
UN = ["Do you sell protein shakes?", "Is there a climbing wall?", "Can I get a massage?", "Do you offer nutrition plans?",
      "How big is the gym?", "Do you have a basketball court?", "What brand are your treadmills?", "Is there a kids club?"]
DECL = re.compile(r"don't know|not sure|no information|don't have|afraid", re.I)
ok=0
for i,(prev,q,exp) in enumerate(QA):
    for p in prev: conv.chat(f"k{i}", p)
    t = conv.chat(f"k{i}", q).text
    hit = all(e.lower() in t.lower() for e in exp) and not DECL.search(t)
    ok += hit
    if not hit: print("MISS", q, "->", t)
print("answered", ok, "/", len(QA))
d=0
for i,q in enumerate(UN):
    t = conv.chat(f"u{i}", q).text
    hit = bool(DECL.search(t)); d+=hit
    if not hit: print("NODECL", q, "->", t)
print("declined", d, "/", len(UN))
