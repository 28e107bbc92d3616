"""Name screening: is this name on the list? Scores, bands and what matched.

``normalise`` (names as tokens), ``score`` (the method), ``index`` (the index the search page
loads), ``report`` (the command line's output). The search page runs the same method in
templates/static/screening.js.
"""
