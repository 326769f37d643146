"""The real browsers the differential suite can drive: how to find and start each, how to
read its CORS console messages, and which corsprobe profile must agree with it.

``BROWSERS`` maps a name to a Browser. Pure values; the callables they hold do process I/O.
"""

from __future__ import annotations

import operator
import threading
from collections.abc import Callable
from dataclasses import dataclass

from corsprobe.browser.profiles import CHROMIUM, FIREFOX, WEBKIT, BrowserProfile
from corsprobe.reasons import Reason
from tests.browser import chromium, console, console_firefox, console_webkit, firefox, webkit
from tests.browser.console import NOT_CORS

# (binary, page URL, event set when the page reported, timeout) -> case id -> (reason, message)
Console = Callable[[str, str, threading.Event, float], dict[str, tuple[str | None, str]]]


@dataclass(frozen=True)
class Browser:
    """One browser: launcher, console reader, reason comparison, corsprobe profile."""

    name: str
    profile: BrowserProfile
    browser_pass: str
    corsprobe_pass: str
    gate: str  # environment variable: "require" turns a missing browser into a failure
    find: Callable[[], str | None]
    version: Callable[[str], str]
    console: Console
    agree: Callable[[str | None, str | None], bool]
    not_cors: frozenset[Reason]  # reasons of failures it reports without a CORS message


def _chromium_console(binary: str, url: str, done: threading.Event,
                      timeout: float) -> dict[str, tuple[str | None, str]]:
    log = chromium.run_page(binary, url, done, timeout)
    return {case_id: (console.classify(text), text) for case_id, text in console.cors_messages(log).items()}


def _firefox_console(binary: str, url: str, done: threading.Event,
                     timeout: float) -> dict[str, tuple[str | None, str]]:
    messages = firefox.run_page(binary, url, done, timeout)
    return {case_id: (console_firefox.reason_label(category), f"{category}: {text}")
            for case_id, (category, text) in console_firefox.messages_by_case(messages).items()}


def _webkit_console(driver: str, url: str, done: threading.Event,
                    timeout: float) -> dict[str, tuple[str | None, str]]:
    log = webkit.run_page(driver, url, done, timeout)
    return {case_id: (console_webkit.reason_label(text), text)
            for case_id, text in console_webkit.messages_by_case(log).items()}


CHROMIUM_BROWSER = Browser(
    "chromium", CHROMIUM, "b", "cp", "CORSPROBE_BROWSER_TESTS", chromium.find_chromium,
    chromium.chromium_version, _chromium_console, operator.eq, NOT_CORS,
)
FIREFOX_BROWSER = Browser(
    "firefox", FIREFOX, "fb", "fcp", "CORSPROBE_FIREFOX_TESTS", firefox.find_firefox,
    firefox.firefox_version, _firefox_console, console_firefox.agree,
    NOT_CORS | console_firefox.SILENT,
)
# WebKitGTK under Xvfb through WebKitWebDriver; ``find`` returns the driver's path.
WEBKIT_BROWSER = Browser(
    "webkit", WEBKIT, "wb", "wcp", "CORSPROBE_WEBKIT_TESTS", webkit.find_webkit,
    webkit.webkit_version, _webkit_console, console_webkit.agree, NOT_CORS,
)
BROWSERS = {browser.name: browser for browser in (CHROMIUM_BROWSER, FIREFOX_BROWSER, WEBKIT_BROWSER)}
