"""The pages: what each kind of page says (its words, numbers, tables and charts), computed from the
clean dataset. Imports the dataset, never the site."""
