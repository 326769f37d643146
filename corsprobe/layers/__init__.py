"""CORS layers: which one answered a row, and each problem's fix in that layer's own configuration. Pure.

One module per layer (``starlette.py``, ``flask_cors.py``, ...) defines ``LAYER`` (the contract is
:class:`corsprobe.layers.base.Layer`); a new layer is one line in ``MODULES``. ``identify`` asks every
layer for its claim on a row's exchanges (the browser's and the extra comparison probes') and keeps the
best; ``fixes_for`` words every problem in the identified layer's syntax (the header-level change alone
when the layer is unknown or has no template for it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import cache, lru_cache
from importlib import import_module

from corsprobe.layers.base import Confidence, Fix, Identification, Layer, Match, Problem
from corsprobe.model import Exchange

__all__ = ["MODULES", "all_layers", "fixes_for", "identify", "layer_ids", "named_layer"]

# One line per layer module under corsprobe/layers/ (each defines LAYER).
MODULES = (
    "starlette",
    "flask_cors",
    "express_cors",
    "django_cors_headers",
    "nginx",
    "spring",
    "fastify_cors",
    "go_rs_cors",
    "aspnetcore",
    "rack_cors",
    "aws_api_gateway",
)

HIGH_SCORE = 70  # a signature only that layer writes (a body text, a default no other layer sends)
MEDIUM_SCORE = 40  # several tells that agree
MIN_SCORE = 25  # below this a claim is noise (generic tells only): no layer is named


@cache
def all_layers() -> tuple[Layer, ...]:
    """Every registered layer, in ``MODULES`` order."""
    return tuple(import_module(f"corsprobe.layers.{name}").LAYER for name in MODULES)


def layer_ids() -> tuple[str, ...]:
    return tuple(layer.id for layer in all_layers())


def named_layer(layer_id: str) -> Layer | None:
    return next((layer for layer in all_layers() if layer.id == layer_id), None)


def identify(exchanges: Sequence[Exchange], named: str | None = None) -> Identification:
    """Who answered: the layer with the best claim on ``exchanges``; ``named`` (a layer id the user gave)
    wins over detection. A ValueError for an unknown ``named`` id."""
    if named is not None:
        if named_layer(named) is None:
            raise ValueError(f"unknown server layer {named!r}; known: {', '.join(layer_ids())}")
        return Identification(named, Confidence.HIGH, ("named by the user (--server-layer / server_layer)",),
                              named=True)
    return _identified(tuple(exchanges))


@lru_cache(maxsize=1024)
def _identified(exchanges: tuple[Exchange, ...]) -> Identification:
    """A run's rows repeat the same answers (Date aside): each is blanked and looked up once."""
    return _detected(_without_dates(exchanges))


def _without_dates(exchanges: Sequence[Exchange]) -> tuple[Exchange, ...]:
    """The exchanges with every Date header's value blanked: no fingerprint reads it, and without it the
    rows of a run against one server repeat, so each distinct answer is fingerprinted once."""
    return tuple(e if e.response is None else replace(e, response=replace(e.response, headers=tuple(
        (name, "" if name.lower() == "date" else value) for name, value in e.response.headers)))
        for e in exchanges)


@lru_cache(maxsize=1024)
def _detected(exchanges: tuple[Exchange, ...]) -> Identification:
    claims = [(match, layer) for layer in all_layers()
              if (match := layer.fingerprint(exchanges)) is not None and match.score >= MIN_SCORE]
    if not claims:
        return Identification(None, Confidence.LOW, ())
    claims.sort(key=lambda claim: claim[0].score, reverse=True)
    best, layer = claims[0]
    rivals = [other for match, other in claims[1:] if match.score == best.score]
    if rivals:
        names = ", ".join(x.id for x in (layer, *rivals))
        return Identification(None, Confidence.LOW, (f"equally likely: {names}", *best.evidence))
    return Identification(layer.id, _confidence(best), best.evidence)


def fixes_for(problems: Iterable[Problem], identification: Identification) -> tuple[Fix, ...]:
    """Every problem as a Fix, in the order given (the order to apply), with the identified layer's
    configuration change where the layer has one (not for a low-confidence guess: header-level only)."""
    trusted = identification.named or identification.confidence is not Confidence.LOW
    layer = named_layer(identification.layer) if identification.layer and trusted else None
    fixes = []
    for problem in problems:
        config = layer.config_fix(problem) if layer is not None else None
        fixes.append(Fix(problem.code, problem.stage, problem.change,
                         layer.id if layer is not None and config else None, config))
    return tuple(fixes)


def _confidence(match: Match) -> Confidence:
    if match.score >= HIGH_SCORE:
        return Confidence.HIGH
    return Confidence.MEDIUM if match.score >= MEDIUM_SCORE else Confidence.LOW
