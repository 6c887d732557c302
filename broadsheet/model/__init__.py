"""The site as data: settings, articles, authors, the site model, URLs, pagination and static assets."""
