"""The PDF documents: worksheet, letters, positionality statements, and the join of letters.pdf."""
