"""The standard doors for harvesters and apps: CKAN Action API, DCAT, schema.org, feeds, CORS.

Each door is a thin layer over the same domain functions the GraphQL resolvers call, and
asks the one visibility function (`opendata.visibility.policy`) what it may show.
"""
