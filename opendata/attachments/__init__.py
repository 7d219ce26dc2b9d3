"""Documents attached to requests (notices, fulfilments): stored by content hash, served only
to the requester and the agency's staff unless the officer marks them public."""
