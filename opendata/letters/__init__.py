"""Official letters as PDF (WeasyPrint) from HTML templates with the agency's letterhead."""
