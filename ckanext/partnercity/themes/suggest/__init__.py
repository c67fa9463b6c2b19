"""Label-based suggestions of shared concepts for local categories (no CKAN).

:mod:`.suggester` holds :class:`~.suggester.Suggester`; :mod:`.index` builds its label
tables, :mod:`.parts` matches labels part by part, :mod:`.labels` holds its weights.
"""
