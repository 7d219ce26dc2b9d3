"""Field types and the visibility policy: what every reader of the catalogue asks first.

Low on purpose: the catalogue, the exemptions, search and the dashboard all read these, and
these read none of them.
"""
