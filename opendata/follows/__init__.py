"""Follow and be told (issue 24): a visitor follows a dataset, an agency, a request or the
DIK (the list of exempted information) and is e-mailed, through the outbox, when the
dataset's data changes, when an exemption ends and its information opens, or when the
request moves a step. Plain Python, no HTTP: the portal and GraphQL call `service`; the
publishing, catalogue, exemption and request code call `notify` in their own transactions.
"""
