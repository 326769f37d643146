"""The browser half: what a page may send and how the browser judges the answers. Pure: no I/O.

engine (the sans-I/O generator), checks, page, spec, origins, address_space, profiles.
"""
