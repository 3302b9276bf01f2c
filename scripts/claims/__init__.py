"""Verdicts on the article's claims, computed at build time from evidence, never typed.

``evidence`` reads the outcomes of the tests marked ``@pytest.mark.claim``; ``rules`` reads
the figures (benchmark results, snippets, topics, the decision guide) and holds the claims
file's schema; ``ledger`` combines the two into each claim's verdict. None of them writes a
page: ``docs/plugins/claims_page.py`` renders the ledger.
"""
