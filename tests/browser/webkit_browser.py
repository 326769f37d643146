"""A minimal WebKitGTK browser for WebKitWebDriver (``webkitgtk:browserOptions.binary``).

Run by Debian's /usr/bin/python3 (PyGObject + WebKit2 4.1), not by the test interpreter.
Stock MiniBrowser in automation mode prints no console messages; this one turns on WebKit's
``enable-write-console-messages-to-stdout``, so the engine's own lines (``CONSOLE SECURITY
ERROR Origin … is not allowed by Access-Control-Allow-Origin. Status code: 200``) reach the
driver's stdout, which the suite reads. Website data lives in ``--data-dir`` (a temp dir the
suite creates and deletes: non-ephemeral, as a real browser profile is). ``--version`` prints
the WebKitGTK version. The process exits when its automation session closes its last view,
and (PR_SET_PDEATHSIG) when WebKitWebDriver, its parent, dies.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import signal
import sys
from typing import Any

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("WebKit2", "4.1")
from gi.repository import GLib, Gtk, WebKit2  # noqa: E402

PR_SET_PDEATHSIG = 1


def version() -> str:
    return f"{WebKit2.get_major_version()}.{WebKit2.get_minor_version()}.{WebKit2.get_micro_version()}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--version", action="store_true")
    parser.add_argument("--data-dir")
    options = parser.parse_args()
    if options.version:
        print(f"WebKitGTK {version()}")
        return 0
    if options.data_dir is None:
        parser.error("--data-dir is required")
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    manager = WebKit2.WebsiteDataManager(
        base_data_directory=f"{options.data_dir}/data", base_cache_directory=f"{options.data_dir}/cache")
    context = WebKit2.WebContext(website_data_manager=manager)
    context.set_automation_allowed(True)
    context.set_cache_model(WebKit2.CacheModel.DOCUMENT_VIEWER)  # no memory cache between cases
    windows: list[Any] = []

    def closed(view: Any, window: Any) -> None:
        window.destroy()
        windows.remove(window)
        if not windows:
            Gtk.main_quit()

    def new_view(_session: Any) -> Any:
        settings = WebKit2.Settings(enable_write_console_messages_to_stdout=True)
        view = WebKit2.WebView(web_context=context, is_controlled_by_automation=True, settings=settings)
        window = Gtk.Window()
        window.add(view)
        window.show_all()
        windows.append(window)
        view.connect("close", closed, window)
        return view

    def started(_context: Any, session: Any) -> None:
        info = WebKit2.ApplicationInfo()
        info.set_name("corsprobe-webkit")
        info.set_version(WebKit2.get_major_version(), WebKit2.get_minor_version(), WebKit2.get_micro_version())
        session.set_application_info(info)
        session.connect("create-web-view", new_view)

    context.connect("automation-started", started)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, lambda: Gtk.main_quit() or False)
    print(f"corsprobe-webkit pid {os.getpid()} WebKitGTK {version()}", flush=True)
    Gtk.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
