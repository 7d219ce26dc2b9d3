"""Apps that feed datasets (issue 22, item 5): their tokens, and the rows they push."""
