"""The typed fact written to memory, its keys, and the vocabulary shared by extraction and recall.

A key names the slot a fact fills; it decides supersession in the store and lets recall answer
the attribute asked. Keys (``<x>`` is a normalised item, see :func:`norm`):

- user slots with one current value: ``name``, ``lives_in``, ``from``, ``job``, ``works_at``,
  ``studies``, ``age``, ``birthday``, ``diet``, ``marital``, ``nationality``
- multi-valued, the item in the key: ``likes:<x>``, ``dislikes:<x>``, ``allergy:<x>``,
  ``avoids:<x>``, ``speaks:<x>``, ``hobby:<x>``, ``learning:<x>``, ``health:<x>``, ``favorite:<category>``
- pets: ``pet:<species>`` (a count, "two parrots"), ``pet:<species>:<name>`` (a named pet)
- people: ``family:children`` / ``family:<rel>`` (counts), ``family:<rel>:name`` (relations one
  has one of), ``family:<rel>:<name>`` (a named sister), ``family:<rel>:<slot>`` (their job...)
- time: ``plan:<what>`` (one current date per plan, so a new date supersedes) and
  ``event:<iso date>:<what>`` (past events); the ISO date is also in the text ("on 2026-11-28")
- ``correction`` (never stored itself): "she's called Mia, not Nia" rewrites the memory holding Nia
- ``opinion:<subject>``, ``fact:<subject attribute>`` (taught world facts), ``note:<...>``
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Fact:
    """One statement worth remembering, before it is stored."""

    key: str
    """Supersession slot, e.g. "lives_in", "likes:sushi", "pet:dog:toto", "plan:sister wedding"."""
    value: str
    text: str
    """Clean third-person statement, e.g. "(partner) has a beagle called Toto"."""
    about: str
    """"partner" or "self"."""
    correction: bool = False
    """The speaker is correcting or updating something ("actually", "anymore", "moved to")."""
    negated: bool = False
    """A negative statement ("doesn't like X", "is not allergic to X anymore")."""
    when: str = ""
    """ISO date (YYYY-MM-DD) of a plan or event, resolved against the message time; "" if none."""
    degree: str = ""
    """For likes/dislikes: "love", "like", "don't mind", "dislike" or "hate"."""
    replaces: str = ""
    """The value this fact corrects ("Nia" in "she's called Mia, not Nia"); "" if none."""


# Keys with exactly one current value; every other key is multi-valued (the item is in the key).
SINGLE_KEYS = frozenset({"name", "lives_in", "from", "job", "works_at", "age", "birthday", "diet",
                         "studies", "marital", "nationality", "family:children"})
SINGLE_PREFIXES = ("favorite:", "plan:", "fact:", "opinion:")
# Relations a person has at most one of: their name is a single-valued slot.
UNIQUE_REL = frozenset({"wife", "husband", "spouse", "partner", "boyfriend", "girlfriend", "fiance", "fiancee",
                        "mom", "mother", "mum", "dad", "father", "boss", "manager", "landlord", "roommate",
                        "flatmate", "grandma", "grandmother", "grandpa", "grandfather", "teacher", "therapist",
                        "grandad", "granddad", "hubby"})
RELATIONS = UNIQUE_REL | frozenset({"son", "daughter", "kid", "child", "children", "kids", "brother", "sister",
                                    "sibling", "cousin", "aunt", "uncle", "friend", "niece", "nephew", "colleague",
                                    "coworker", "neighbour", "neighbor", "parents", "parent", "grandparents",
                                    "baby", "twin", "stepson", "stepdaughter", "granddaughter", "grandson",
                                    "eldest", "youngest", "oldest", "toddler", "teenager", "gran", "granny", "nan",
                                    "nana", "supervisor", "mentor", "housemate", "classmate", "bestie", "godson",
                                    "goddaughter", "stepmum", "stepdad", "in-laws", "fiancé", "fiancée"})
# Slots a person in the user's life can have (family:<rel>:<slot>); anything else there is a name.
PERSON_SLOTS = frozenset({"name", "job", "works_at", "lives_in", "from", "age", "birthday", "studies", "likes",
                          "dislikes", "allergy", "health", "hobby", "diet", "speaks"})
# Species of pets, with breeds and young animals mapped to the species ("beagle" -> dog).
SPECIES = {
    "dog": "dog puppy pup beagle poodle labrador retriever shepherd terrier corgi husky chihuahua bulldog pug "
           "dachshund shiba jindo maltese pomeranian spaniel collie schnauzer dalmatian boxer greyhound samoyed "
           "yorkie bichon doberman rottweiler mutt lab shih-tzu",
    "cat": "cat kitten kitty tabby siamese persian ragdoll sphynx bengal calico",
    "bird": "bird parrot budgie parakeet cockatiel canary cockatoo",
    "rabbit": "rabbit bunny", "hamster": "hamster", "fish": "fish goldfish", "turtle": "turtle tortoise",
    "snake": "snake", "lizard": "lizard gecko iguana", "guinea pig": "guinea", "ferret": "ferret",
    "horse": "horse pony", "hedgehog": "hedgehog", "chicken": "chicken hen", "mouse": "mouse rat",
}
_BREED = {w: sp for sp, ws in SPECIES.items() for w in ws.split()}
# nouns of events with a date ("my sister's wedding is next Saturday")
EVENTY = frozenset("wedding birthday party exam interview appointment flight trip surgery graduation concert "
                   "meeting date funeral holiday vacation match game test recital operation anniversary "
                   "ceremony reunion festival show deadline shift".split())
DIETS = {"vegetarian": "meat", "vegan": "meat, fish, eggs or dairy", "pescatarian": "meat",
         "pescetarian": "meat", "lactose intolerant": "milk", "gluten-free": "gluten", "gluten free": "gluten",
         "halal": "pork", "kosher": "pork or shellfish", "keto": "carbs", "coeliac": "gluten", "celiac": "gluten",
         "diabetic": "sugar"}
# conditions that restrict food, kept beside a diet (a coeliac pescatarian has both): health:<x>
MEDICAL_DIETS = frozenset({"lactose intolerant", "coeliac", "celiac", "diabetic"})
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "a couple of": 2, "couple": 2}
_ARTICLE = re.compile(r"^(?:the|a|an|my|our|some|all|any|their|his|her)\s+", re.I)
_IE_PLURALS = {"movies", "cookies", "zombies", "pies", "ties", "brownies", "smoothies", "selfies", "series",
               "species", "rookies", "lies", "hoodies", "veggies", "indies"}
_NOT_PLURAL = {"diabetes", "measles", "mumps", "rabies", "herpes", "news", "glasses", "series", "species", "rickets"}


def species(noun: str) -> str:
    """The pet species of a noun ("beagle" -> "dog", "kittens" -> "cat"), "" when not a pet."""
    w = noun.lower().strip()
    if w.endswith(("guinea pig", "guinea pigs")):
        return "guinea pig"
    return _BREED.get(w) or _BREED.get(w[:-1] if w.endswith("s") else w, "") or _BREED.get(w.split()[-1] if w else "", "")


def is_single_valued(key: str) -> bool:
    """Whether ``key`` holds one current value (a new one supersedes) or many (the item is in the key)."""
    if key in SINGLE_KEYS or key.startswith(SINGLE_PREFIXES):
        return True
    parts = key.split(":")
    if len(parts) == 3 and parts[0] in ("family", "person") and parts[2] in PERSON_SLOTS:
        return parts[2] != "name" or parts[1] in UNIQUE_REL or parts[0] == "person"
    return False


def opposite_key(key: str) -> str | None:
    """Liking and disliking the same item cannot both be current: each supersedes the other."""
    for a, b in (("likes:", "dislikes:"), ("dislikes:", "likes:")):
        if key.startswith(a):
            return b + key[len(a):]
    return None


def norm(s: str) -> str:
    """Key form of an item: lower case, no article, crude singular ("the dogs" -> "dog")."""
    s = _ARTICLE.sub("", s.lower().strip())
    s = re.sub(r"[^\w\s'-]", "", s)
    words = s.split()
    if words and words[-1] not in _NOT_PLURAL:
        w = words[-1]
        if w.endswith("ies") and len(w) > 4 and w not in _IE_PLURALS:
            w = w[:-3] + "y"
        elif w.endswith("s") and not w.endswith(("ss", "us", "is", "'s")) and len(w) > 3:
            w = w[:-1]
        words[-1] = w
    return " ".join(words)


def a_an(noun: str) -> str:
    """"a nurse", "an engineer"."""
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def join_items(items: list[str], last: str = "and") -> str:
    """"a", "a and b", "a, b and c"."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]
