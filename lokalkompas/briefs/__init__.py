"""Council briefs (drøftelsesoplæg): composed from the data, rendered as HTML, PDF and DOCX, issued."""
