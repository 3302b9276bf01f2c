"""Verdicts on the article's claims, computed at build time from evidence, never typed.

``evidence`` reads the outcomes of the tests marked ``@pytest.mark.claim``; ``rules`` reads
the figures (benchmark results, snippets, topics, the decision guide) and loads the claims
file, each claim checked against its rule's model in ``inputs``; ``ledger`` combines a rule's
finding with the claim's tests into its verdict. None of them writes a page:
``docs/plugins/claims_page.py`` renders the ledger.
"""
