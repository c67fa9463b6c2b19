"""Which portal software a pasted URL runs, in at most eight requests (issue 13 §2).

One module per software holds its signatures (what its pages and API answers look like)
and how it lists publishers; ``orchestrator.detect`` spends the request budget and
``model`` holds what it answers. Core code: no CKAN.
"""
