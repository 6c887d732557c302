"""Article bodies: Markdown to HTML, summaries, reading time and typographic quotes."""
