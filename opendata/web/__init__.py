"""HTTP: the GraphQL endpoint, CSV downloads, health; thin over resolvers and the domain."""
