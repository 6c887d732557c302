"""The build's stages, which ``broadsheet.build`` runs in order: one module per stage, one run object between them."""
