"""CORS layers (one module per layer: fingerprint + fix templates + suggested configuration). Pure.

The contract is in :mod:`corsprobe.layers.base`.
"""
