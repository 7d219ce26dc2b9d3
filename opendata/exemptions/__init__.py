"""The exemption engine: Pasal 17 rules, and the one visibility function every output uses."""
