"""GraphQL request execution: the endpoint, its body, documents, cost and uploads."""
