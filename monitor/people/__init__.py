"""The people to keep in touch with: the model, suggestions, connection actions, links, importers."""
