"""A fresh memory dev set written by the lead after held-out round 1 (not held-out; rules were then
improved on it): 2 users x 3 sessions of natural sentences, probes in a 4th session."""
import os, tempfile, re
os.environ["OMP_NUM_THREADS"]="1"
from pathlib import Path
from digihuman.dialog.conversation import Conversation
from digihuman.dialog.types import Personality
folder = Path(tempfile.mkdtemp())
P = Personality(0.5, "a cheerful companion")
sessions = {
 "lena": [
  ["Hey! I'm Lena, I work as a nurse at St Mary's hospital.", "I've got two cats, Pixel and Mochi.", "I'm lactose intolerant, so no milk for me."],
  ["Last Sunday I ran my first half marathon!", "My brother Tomas is visiting from Lisbon next weekend.", "I'm really into board games lately, especially Catan."],
  ["Actually I switched jobs, I'm now a nurse at the children's clinic on Elm Street.", "Oh and Mochi isn't a cat, he's a rabbit, sorry.", "We're going to Iceland in March for our anniversary."],
 ],
 "raj": [
  ["My name's Raj and I'm a software developer.", "I live in Manchester with my wife Priya.", "I hate coriander, it tastes like soap to me."],
  ["We just bought a house in Stockport, moving next month.", "My daughter Anika turned six on Tuesday.", "I play cricket every Saturday."],
  ["I'm allergic to penicillin, found out the hard way.", "Priya got a promotion yesterday, she's now head of marketing.", "I've been learning Spanish for three months."],
 ]}
probes = [
 ("lena","What do I do for a living?",["nurse"],[]), ("lena","Where do I work?",["children"],["St Mary"]),
 ("lena","What are my pets called?",["Pixel"],[]), ("lena","What kind of animal is Mochi?",["rabbit"],[]),
 ("lena","Can I drink milk?",["lactose"],[]), ("lena","What did I do last Sunday?",["half marathon"],[]),
 ("lena","Who is visiting me?",["Tomas"],[]), ("lena","Where does my brother live?",["Lisbon"],[]),
 ("lena","What game do I like?",["Catan"],[]), ("lena","Where am I going in March?",["Iceland"],[]),
 ("raj","What's my job?",["developer"],[]), ("raj","What's my wife's name?",["Priya"],[]),
 ("raj","What food do I hate?",["coriander"],[]), ("raj","Where are we moving?",["Stockport"],[]),
 ("raj","How old is my daughter?",["six","6"],[]), ("raj","What sport do I play?",["cricket"],[]),
 ("raj","What am I allergic to?",["penicillin"],[]), ("raj","What does Priya do now?",["head of marketing"],[]),
 ("raj","What language am I learning?",["Spanish"],[]), ("raj","Where do I live?",["Manchester","Stockport"],[]),
 ("raj","What's my name?",["Raj"],[]), ("lena","What's my name?",["Lena"],[]),
]
for k in range(3):
    with Conversation("Kai", folder, P) as conv:
        for user, ss in sessions.items():
            for m in ss[k]:
                conv.chat(user, m)
ok=0
with Conversation("Kai", folder, P) as conv:
    for user,q,exp,forb in probes:
        t=conv.chat(user,q).text
        hit = any(e.lower() in t.lower() for e in exp) and not any(f.lower() in t.lower() for f in forb)
        ok+=hit
        if not hit: print("MISS", user, q, "->", t)
    print("recall", ok, "/", len(probes))
    for u in sessions:
        for m in conv.memories(u, include_superseded=False): print("  ", u, m.key, "|", m.text)
