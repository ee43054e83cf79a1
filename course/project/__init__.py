"""The site: settings, root URLs, WSGI, accounts and the health check."""
