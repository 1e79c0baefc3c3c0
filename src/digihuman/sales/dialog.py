"""The consent-first lead dialog: ask permission, then a name, then a contact, then confirm.

Nothing is stored until the person has said yes twice (to being contacted, and to the details
read back to them); "no", "cancel" or "never mind" at any step drops everything. Buying intent
is read from the parse (a buy/order verb with "I"/"we" as its subject, not negated, not past:
"I bought one last year" is no lead), contact requests from contact verbs aimed at "me"/"us".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..dialog.types import Turn
from .leads import LeadStore, Pending

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_PHONE = re.compile(r"(?<![\w@])\+?\d[\d\s().-]{6,20}\d(?!\w)")
_BUY = {"buy", "purchase", "order", "reserve", "preorder", "pre-order"}
_CONTACT = {"contact", "call", "email", "e-mail", "reach", "text", "phone", "ring", "message"}
_KO_INTENT = ("구매하고", "구매할", "구매하려", "구매 하고", "구매 원", "주문하고", "주문할", "주문하려", "주문 하고", "살게",
              "사고 싶", "살래", "사려고", "살 수 있", "연락 주", "연락주", "연락해 주", "연락해주", "연락 받", "연락받",
              "연락 부탁", "전화 주", "전화주", "전화해 주", "전화해주", "상담 받", "상담받", "상담하고", "예약하고", "견적")
# Asking for advice is not yet asking to be contacted: "I need to buy a gift, any ideas?" wants a suggestion.
_ADVICE = re.compile(r"\b(recommend|suggest|ideas?|advice|advise|which|what|how much|compare)\b|추천|어떤 게|뭐가 좋", re.I)
_HOW_TO_BUY = re.compile(r"\bhow (?:can|do|could|would|should) (?:i|we) (?:buy|order|purchase|get|reserve)\b|어떻게 (?:구매|주문|사)|"
                         r"(?:구매|주문)하려면", re.I)
_YES = re.compile(r"^(yes|yeah|yep|yup|sure|ok|okay|of course|please|go ahead|fine|alright|all right|absolutely|"
                  r"certainly|why not|definitely|correct|right|that's right|sounds good|do it)\b", re.I)
_NO = re.compile(r"^(no|nope|nah|not now|not really|don't|do not|i'd rather not|rather not|never mind|nevermind|"
                 r"cancel|stop|forget it|wrong)\b", re.I)
_KO_YES = ("네", "예", "응", "좋아요", "좋습니다", "그래요", "그렇게 해", "동의", "맞아요", "맞습니다", "물론")
_KO_NO = ("아니", "아뇨", "싫어", "됐어요", "괜찮아요", "안 할", "취소", "그만", "필요 없")
_CANCEL = re.compile(r"\b(cancel|never ?mind|forget it|stop|don't contact|do not contact|no thanks|don't want|"
                     r"do not want|rather not|prefer not|not comfortable)\b", re.I)
_KO_CANCEL = ("취소", "그만", "됐어요", "안 할래", "연락하지 마")
_NAME_PREFIX = re.compile(r"^(?:(?:my|the) name(?:'s| is)|i'm|i am|it's|it is|this is|call me|name:?)\s+", re.I)
_KO_NAME_PREFIX = re.compile(r"^(?:제\s*이름은|이름은|저는|전)\s*")
_KO_NAME_SUFFIX = re.compile(r"\s*(?:입니다|이에요|예요|이요|요|라고 합니다|이라고 합니다|라고 해요|이라고 해요)[.!\s]*$")
_KO_NAME_SAID = re.compile(r"(?:입니다|이에요|예요|라고 합니다|이라고 합니다|라고 해요|이라고 해요)[.!\s]*$")

_SAY = {
    "en": {
        "ask_consent": "I'd be happy to have our team contact you{about}. May I take your name and a phone number "
                       "or e-mail so our team can contact you?",
        "ask_name": "Thank you! What name should our team use?",
        "again_name": "Sorry, I didn't catch your name. What should our team call you?",
        "ask_contact": "Thanks, {name}. What's the best phone number or e-mail to reach you?",
        "bad_contact": "That doesn't look like a phone number or an e-mail address. Could you check it? "
                       "(for example 010-1234-5678 or name@example.com)",
        "confirm": "So that's {name}, {contact}{about}. Shall I pass this on to our team?",
        "again_confirm": "Shall I pass your details on to our team? Please say yes or no.",
        "stored": "Done! Our team will contact you at {contact} soon. You can ask me to forget your details at any time.",
        "declined": "No problem, I won't take any details. Let me know if there's anything else I can help with.",
        "cancelled": "All right, I've dropped it; nothing was stored.",
    },
    "ko": {
        "ask_consent": "{about}저희 팀이 연락드릴 수 있도록 성함과 전화번호나 이메일을 받아도 될까요?",
        "ask_name": "감사합니다! 어떤 성함으로 연락드릴까요?",
        "again_name": "죄송해요, 성함을 잘 못 알아들었어요. 어떻게 불러 드릴까요?",
        "ask_contact": "{name}님, 감사합니다. 연락받으실 전화번호나 이메일을 알려 주세요.",
        "bad_contact": "전화번호나 이메일 형식이 아닌 것 같아요. 다시 확인해 주시겠어요? (예: 010-1234-5678, name@example.com)",
        "confirm": "{name}님, {contact}{about} 맞으신가요? 이 정보를 저희 팀에 전달해도 될까요?",
        "again_confirm": "저희 팀에 전달해도 될까요? 네 또는 아니요로 답해 주세요.",
        "stored": "완료했어요! 곧 {contact}(으)로 연락드릴게요. 언제든 정보 삭제를 요청하실 수 있어요.",
        "declined": "알겠습니다. 아무 정보도 받지 않을게요. 다른 도움이 필요하시면 말씀해 주세요.",
        "cancelled": "알겠습니다. 취소했고, 아무것도 저장하지 않았어요.",
    },
}


def parse_contact(text: str) -> tuple[str, str] | None:
    """(contact, "email" | "phone") found in ``text``, or None. A phone has 8-15 digits."""
    m = _EMAIL.search(text)
    if m:
        return m.group().strip(".").lower(), "email"
    for m in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 8 <= len(digits) <= 15:
            return " ".join(m.group().split()), "phone"
    return None


def wants_contact(message: str, lang: str = "en") -> bool:
    """Buying intent or a request to be contacted ("I'd like to order one", "can someone call me?")."""
    if _ADVICE.search(message) and not _HOW_TO_BUY.search(message):
        return False
    if _HOW_TO_BUY.search(message):
        return True
    if lang == "ko":
        return any(k in message for k in _KO_INTENT)
    low = message.lower()
    if re.search(r"\b(get in touch|call me back|callback|give (?:me|us) a (?:call|ring|buzz)|get back to (?:me|us)|talk to (?:a |your )?(?:sales|someone|a person|an agent)|"
                 r"speak to (?:someone|sales)|a quote)\b", low):
        return True
    from ..dialog.nlp import parse

    for tok in parse(message):
        lemma = tok.lemma_.lower()
        negated = any(c.dep_ == "neg" for c in tok.children) or any(c.dep_ == "neg" for c in tok.head.children)
        if negated or tok.tag_ in ("VBD", "VBN"):  # "I bought one last year", "I don't want to buy"
            continue
        if lemma in _CONTACT and tok.pos_ == "VERB" and any(c.lower_ in ("me", "us") for c in tok.children):
            return True
        if lemma in _BUY and tok.pos_ == "VERB":
            subjects = {c.lower_ for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")}
            subjects |= {c.lower_ for c in tok.head.children if c.dep_ == "nsubj"} if tok.dep_ == "xcomp" else set()
            if subjects & {"i", "we"} and (lemma != "get" or tok.dep_ == "xcomp"):
                return True
        if lemma == "take" and any(c.lower_ in ("it", "one", "them") for c in tok.children) and \
                any(c.lower_ in ("'ll", "will") for c in tok.children):
            return True
    return False


def yes_no(message: str, lang: str = "en") -> bool | None:
    """True (yes), False (no) or None (neither) for an answer to a yes/no question."""
    text = message.strip()
    if lang == "ko":
        if any(text.startswith(k) or k in text for k in _KO_NO):
            return False
        return True if any(text.startswith(k) for k in _KO_YES) else None
    if _NO.match(text):
        return False
    return True if _YES.match(text) else None


def _strip_yes(message: str, lang: str) -> str:
    """The message without its leading "yes" ("Sure, I'm Jisu" -> "I'm Jisu")."""
    text = message.strip()
    if lang == "ko":
        for k in _KO_YES:
            if text.startswith(k):
                return text[len(k):].strip(" ,.!")
        return text
    return _YES.sub("", text, count=1).strip(" ,.!")


def extract_name(message: str, lang: str = "en", *, strict: bool = False) -> str:
    """The name in an answer to "what name should we use?" ("I'm Jisu Kim", "김지수입니다"), or "".

    ``strict``: only a name that is said to be one ("my name is", "I'm", a person's name)."""
    text = _EMAIL.sub(" ", message)
    text = _PHONE.sub(" ", text)
    text = re.split(r"[,;\n]| and my | my (?:e-?mail|phone|number)", text.strip(), maxsplit=1)[0].strip(" .!")
    if lang == "ko":
        said = bool(_KO_NAME_PREFIX.match(text) or _KO_NAME_SAID.search(text))
        text = _KO_NAME_SUFFIX.sub("", _KO_NAME_PREFIX.sub("", text)).strip()
    else:
        said = bool(_NAME_PREFIX.match(text))
        text = _NAME_PREFIX.sub("", text).strip()
        from ..dialog.nlp import parse

        people = [e.text for e in parse(message).ents if e.label_ == "PERSON"]
        if people and people[0] in text:  # "Min-jun Lee" stays whole; a sentence gives way to the name in it
            text, said = people[0] if len(text.split()) > 4 else text, True
    if strict and not said:
        return ""
    words = text.split()
    if not 1 <= len(words) <= 4 or len(text) > 60 or not all(re.fullmatch(r"[^\W\d_][\w.'-]*", w) for w in words):
        return ""
    return " ".join(w[:1].upper() + w[1:] if lang != "ko" else w for w in words)


def _offered(reply: str) -> bool:
    """Whether our last reply offered to have the team get in touch (its question is the consent)."""
    return reply.rstrip().endswith("?") and bool(re.search(r"contact you|call you|get in touch|연락드", reply))


def _cancels(message: str, lang: str) -> bool:
    return any(k in message for k in _KO_CANCEL) if lang == "ko" else bool(_CANCEL.search(message))


def lead_step(message: str, user: str, store: LeadStore, *, history: Sequence[Turn] = (), lang: str = "en",
              interest: str = "") -> str | None:
    """The reply when ``message`` belongs to the lead dialog (starting it on buying intent), else None.

    ``interest``: what the user wants (e.g. the product just discussed), stored with the lead;
    when empty, the message that started the dialog is used. ``history``: recent turns; when our
    last reply offered contact ("Shall our team contact you?"), a "yes" starts the dialog at the
    name. State lives in ``store`` per user.
    """
    lang = "ko" if lang == "ko" else "en"
    say = _SAY[lang]
    pend = store.pending(user)
    if pend is None:
        last = next((t.text for t in reversed(list(history)) if t.role == "persona"), "")
        if _offered(last) and yes_no(message, lang):  # the engine offered contact itself; "yes" is consent
            store.set_pending(Pending(user, "name", interest=interest, lang=lang))
            return say["ask_name"]
        if not message.strip() or not wants_contact(message, lang):
            return None
        topic = " ".join((interest or message).split())[:300]
        store.set_pending(Pending(user, "consent", interest=topic, lang=lang))
        about = (f"{interest} 관련해서 " if lang == "ko" else f" about the {interest}") if interest else ""
        return say["ask_consent"].format(about=about)
    if pend.step != "consent" and _cancels(message, lang) or pend.step in ("name", "contact") and yes_no(message, lang) is False:
        store.clear_pending(user)
        return say["cancelled"]
    if pend.step == "consent":
        answer = yes_no(message, lang)
        if answer is None:  # moved on to something else: drop the offer, let the engine answer
            store.clear_pending(user)
            return None
        if not answer:
            store.clear_pending(user)
            return say["declined"]
        pend = replace(pend, step="name")
        rest = _strip_yes(message, lang)
        if not extract_name(rest, lang, strict=True):  # a plain "yes"; "Sure, I'm Jisu" goes on below
            store.set_pending(pend)
            return say["ask_name"]
        message = rest
    if pend.step == "name":
        name = extract_name(message, lang) if yes_no(message, lang) is None else ""
        if not name:
            store.set_pending(pend)
            if message.strip().endswith("?"):
                return None  # a question in between: the engine answers, the dialog waits
            return say["again_name"]
        pend = replace(pend, step="contact", name=name)
        if parse_contact(message) is None:
            store.set_pending(pend)
            return say["ask_contact"].format(name=name)
    if pend.step in ("contact", "confirm"):
        found = parse_contact(message)
        if found is not None:  # a contact, or a corrected one while confirming
            pend = replace(pend, step="confirm", contact=found[0], contact_kind=found[1])
            store.set_pending(pend)
            about = ""
            if pend.interest and len(pend.interest.split()) <= 4 and not any(k in pend.interest for k in _KO_INTENT) \
                    and not (lang == "en" and wants_contact(pend.interest)):  # a product, not the user's sentence
                about = f", {pend.interest} 관련 문의" if lang == "ko" else f", about: {pend.interest}"
            return say["confirm"].format(name=pend.name, contact=pend.contact, about=about)
        if pend.step == "contact":
            return None if message.strip().endswith("?") else say["bad_contact"]
        answer = yes_no(message, lang)
        if answer is None:
            return say["again_confirm"]
        store.clear_pending(user)
        if not answer:
            return say["cancelled"]
        lead = store.add(user, pend.name, pend.contact, pend.interest, consent=True)
        return say["stored"].format(contact=lead.contact)
    return None
