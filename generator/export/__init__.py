"""Stage 5, export: language-neutral files derived from the model (one module per format)."""
