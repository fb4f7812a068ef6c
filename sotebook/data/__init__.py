"""The dataset: source transcriptions read, parsed, validated, reconciled and derived into data/clean/,
released and published. Imports nothing from the pages or the site."""
