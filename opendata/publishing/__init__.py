"""Publishing by agencies: versions of datasets, checked before they are public."""
