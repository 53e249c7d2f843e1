"""Benchmarks: each scenario beside a baseline measured in the same run (`python -m bench`).

Not part of the test run, and never shipped. Every scenario goes through the product's
own code (the desk's queries, the kiosk's screens); each baseline does the same work
with the least code that can do it, so a ratio says what the product adds.
"""
