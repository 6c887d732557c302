"""What a build publishes besides pages: feeds, sitemaps, JSON-LD, the search index, and the output folder itself."""
