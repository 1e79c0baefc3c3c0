"""Answers from the persona's knowledge: sentence-level retrieval, answer selection and reasoning.

``answer_question(question, kb, history=..., lang=..., now=...)`` returns a :class:`KnowledgeAnswer`
whose text quotes the knowledge (or values computed from it: a total price, open or not at a given
time) and says plainly what is not known.
"""

from .answer import KnowledgeAnswer, answer_question

__all__ = ["KnowledgeAnswer", "answer_question"]
