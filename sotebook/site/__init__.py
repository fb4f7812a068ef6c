"""The site: executing the templates into notebooks, building the editions with Sphinx, printing the PDFs
and auditing the result."""
