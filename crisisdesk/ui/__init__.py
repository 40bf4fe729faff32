"""The only package with widget code."""
